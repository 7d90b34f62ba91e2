/**
 * @module Cached service lookup for the hot path. Every verification call needs its service's
 * settings; reading them from the database each time would double the queries per request. Entries
 * live a few seconds so another instance's update is seen quickly; this instance's own updates
 * invalidate at once.
 */
import type { Clock } from '../shared/clock.js'
import type { Service, ServiceStore } from './service.js'

export class ServiceDirectory {
  private readonly cache = new Map<string, { service: Service | undefined; until: number }>()

  constructor(
    private readonly store: ServiceStore,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
  ) {}

  async get(id: string): Promise<Service | undefined> {
    const now = this.clock.now()
    const hit = this.cache.get(id)
    if (hit && hit.until > now) return hit.service
    const service = await this.store.get(id)
    if (this.cache.size > 10_000) this.cache.clear()
    this.cache.set(id, { service, until: now + this.ttlMs })
    return service
  }

  invalidate(id: string): void {
    this.cache.delete(id)
  }
}
