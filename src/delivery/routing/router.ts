/**
 * @module The router: for a message's channel and country, the ordered routes to try (provider,
 * sender ID), skipping routes whose circuit is open. Failover walks this list; channel fallback
 * moves to the next channel's list.
 */

import type { Channel } from '../../channels/channel.js'
import type { MessageProvider } from '../providers/provider.js'
import { alphanumericSender, brandSenderAllowed } from './brand-sender.js'
import type { RouteHealth } from './route-health.js'
import type { RouteConfig } from './routing-config.js'

/**
 * Route health is kept per route and per route for the destination's country: a carrier blocking
 * one sender in one country takes the route out for that country only.
 */
export function healthKeys(routeId: string, country: string | null): string[] {
  return country ? [routeId, `${routeId}@${country}`] : [routeId]
}

export interface Route {
  /** Stable key for health and events, e.g. `twilio:sms:GB`. */
  readonly id: string
  readonly provider: MessageProvider
  readonly channel: Channel
  /** Sender for this country, when one is configured. */
  readonly from: string | undefined
  /** The service's brand may replace `from` (an SMS route allowed to use it in this country). */
  readonly brandAllowed: boolean
  readonly cost: number
}

export class Router {
  private readonly byId = new Map<string, MessageProvider>()
  private readonly configured: readonly RouteConfig[]

  constructor(
    providers: readonly MessageProvider[],
    routes: readonly RouteConfig[],
    private readonly health: RouteHealth,
  ) {
    for (const p of providers) {
      if (this.byId.has(p.id)) throw new Error(`Two providers share the id "${p.id}"`)
      this.byId.set(p.id, p)
    }
    for (const r of routes) {
      const p = this.byId.get(r.provider)
      if (!p) throw new Error(`routing.routes names provider "${r.provider}", which is not configured`)
      if (!p.channels.includes(r.channel))
        throw new Error(`Provider "${r.provider}" does not serve the ${r.channel} channel`)
    }
    // Without explicit routes: every provider, in configuration order, for each channel it serves.
    this.configured =
      routes.length > 0
        ? routes
        : providers.flatMap((p) =>
            p.channels.map(
              (channel) =>
                ({ provider: p.id, channel, countries: ['*'], senderIds: {}, cost: 1 }) as RouteConfig,
            ),
          )
  }

  provider(id: string): MessageProvider | undefined {
    return this.byId.get(id)
  }

  providers(): MessageProvider[] {
    return [...this.byId.values()]
  }

  /** Every route for the channel and country, in order, whatever their health. */
  candidates(channel: Channel, country: string | null): Route[] {
    const out: Route[] = []
    for (const r of this.configured) {
      if (r.channel !== channel) continue
      if (!r.countries.includes('*') && !(country && r.countries.includes(country))) continue
      const provider = this.byId.get(r.provider)!
      const scope = r.countries.includes('*') ? '*' : (country ?? '*')
      const saved = country ? r.senderIds[country] : undefined
      // The simulator stands for a carrier that takes any sender; real accounts must opt in per country.
      const brandCountries = r.brandSender ?? (provider.type === 'simulator' ? ['*'] : [])
      out.push({
        id: `${provider.id}:${channel}:${scope}`,
        provider,
        channel,
        from: saved ?? r.from ?? provider.defaultSender,
        brandAllowed: channel === 'sms' && saved === undefined && brandSenderAllowed(brandCountries, country),
        cost: r.cost,
      })
    }
    return out
  }

  /**
   * The route for hop `hop` (0-based) among routes not yet tried for this message. Routes with an
   * open circuit are skipped while a healthy one remains; if none is healthy, the untried ones
   * are used anyway (a down route may still be the only way through).
   */
  /** The sender a message on `route` goes out under: the service's brand where allowed, else the route's. */
  static sender(route: Route, brand: string | null | undefined): string | undefined {
    const branded = route.brandAllowed && brand ? alphanumericSender(brand) : undefined
    return branded ?? route.from
  }

  next(channel: Channel, country: string | null, tried: ReadonlySet<string>): Route | undefined {
    const untried = this.candidates(channel, country).filter((r) => !tried.has(r.id))
    return (
      untried.find((r) => healthKeys(r.id, country).every((key) => this.health.allows(key))) ?? untried[0]
    )
  }

  channels(): Channel[] {
    return [...new Set(this.configured.map((r) => r.channel))]
  }

  async close(): Promise<void> {
    await Promise.all([...this.byId.values()].map((p) => p.close?.()))
  }
}
