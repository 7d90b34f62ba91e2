/**
 * @module EventBus: in-process fan-out of every verification event once it is stored, so metrics
 * and webhooks hear the same facts the event log records. Listeners run synchronously and must not
 * block; a listener that throws is reported and never breaks the publisher or the other listeners.
 */
import type { NewVerificationEvent } from './verification-event.js'

export type EventListener = (event: NewVerificationEvent) => void

export class EventBus {
  private readonly listeners = new Set<EventListener>()

  /** @param onListenerError Called when a listener throws. @default ignore */
  constructor(
    private readonly onListenerError: (err: unknown, event: NewVerificationEvent) => void = () => undefined,
  ) {}

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Hands `event` to every listener, in subscription order. Never throws. */
  publish(event: NewVerificationEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (err) {
        this.onListenerError(err, event)
      }
    }
  }
}
