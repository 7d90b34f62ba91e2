/**
 * @module Relay: a named hand-off between two parts built in either order. The sender gets the relay
 * at construction; the receiver connects when it exists. Signals sent before that are dropped: a
 * relay carries nudges and pushed facts, and each receiver also polls for anything it missed.
 */
export class Relay<T> {
  private readonly listeners: Array<(value: T) => void> = []

  emit(value: T): void {
    for (const listener of this.listeners) listener(value)
  }

  listen(listener: (value: T) => void): void {
    this.listeners.push(listener)
  }
}
