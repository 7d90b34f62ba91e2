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

  clear(): void {
    this.messages.length = 0
    this.byTo.clear()
  }
}
