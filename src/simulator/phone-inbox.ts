/** @module The simulator's phone inbox: what each simulated handset received, newest last. */
import type { Channel } from '../channels/channel.js'

export interface InboxMessage {
  readonly id: string
  readonly to: string
  readonly from: string
  readonly channel: Channel
  readonly body: string
  readonly subject?: string | undefined
  readonly receivedAt: number
}

export type InboxListener = (message: InboxMessage) => void

export class PhoneInbox {
  private readonly messages: InboxMessage[] = []
  private readonly byTo = new Map<string, InboxMessage[]>()
  private readonly listeners = new Set<InboxListener>()

  constructor(private readonly capacity: number) {}

  add(message: InboxMessage): void {
    this.messages.push(message)
    const list = this.byTo.get(message.to) ?? []
    list.push(message)
    this.byTo.set(message.to, list)
    if (this.messages.length > this.capacity) {
      const dropped = this.messages.shift()!
      const rest = this.byTo.get(dropped.to)
      rest?.shift()
      if (rest && rest.length === 0) this.byTo.delete(dropped.to)
    }
    for (const listener of this.listeners) listener(message)
  }

  /** Newest first. */
  list(opts: { to?: string | undefined; limit?: number }): InboxMessage[] {
    const source = opts.to === undefined ? this.messages : (this.byTo.get(opts.to) ?? [])
    return source.slice(-(opts.limit ?? 50)).reverse()
  }

  subscribe(listener: InboxListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Drops every message to `to` (a subject's erasure). Returns how many were dropped. */
  forget(to: string): number {
    return this.removeWhere((m) => m.to === to)
  }

  /** Drops messages received before `at` (the retention sweep). Returns how many were dropped. */
  forgetBefore(at: number): number {
    return this.removeWhere((m) => m.receivedAt < at)
  }

  private removeWhere(drop: (m: InboxMessage) => boolean): number {
    const kept = this.messages.filter((m) => !drop(m))
    const dropped = this.messages.length - kept.length
    if (dropped === 0) return 0
    this.messages.length = 0
    this.byTo.clear()
    for (const m of kept) {
      this.messages.push(m)
      const list = this.byTo.get(m.to) ?? []
      list.push(m)
      this.byTo.set(m.to, list)
    }
    return dropped
  }

  clear(): void {
    this.messages.length = 0
    this.byTo.clear()
  }
}
