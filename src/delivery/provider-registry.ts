/**
 * @module The configured providers, built once at boot, and which one serves each channel. The
 * first cut picks the first provider that serves a channel; per-country routes and failover
 * replace `pick` without changing the dispatcher.
 */
import type { Channel } from './channel.js'
import type { MessageProvider } from './providers/provider.js'

export interface RouteChoice {
  readonly provider: MessageProvider
  /** Sender ID / number / address to send from; the provider's default when absent. */
  readonly from?: string | undefined
}

export class ProviderRegistry {
  private readonly byId = new Map<string, MessageProvider>()

  constructor(providers: readonly MessageProvider[]) {
    for (const p of providers) {
      if (this.byId.has(p.id)) throw new Error(`Two providers share the id "${p.id}"`)
      this.byId.set(p.id, p)
    }
  }

  get(id: string): MessageProvider | undefined {
    return this.byId.get(id)
  }

  all(): MessageProvider[] {
    return [...this.byId.values()]
  }

  /** The route for the `attempt`-th submit of a message on `channel` (1-based). */
  pick(channel: Channel, _destination: string, _attempt: number): RouteChoice | undefined {
    for (const provider of this.byId.values()) if (provider.channels.includes(channel)) return { provider }
    return undefined
  }

  channels(): Channel[] {
    const set = new Set<Channel>()
    for (const p of this.byId.values()) for (const c of p.channels) set.add(c)
    return [...set]
  }

  async close(): Promise<void> {
    await Promise.all([...this.byId.values()].map((p) => p.close?.()))
  }
}
