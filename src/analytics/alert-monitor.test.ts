/**
 * The alert monitor with a manual clock: a good baseline and a bad recent window open one alert per
 * key, queue signed webhooks to the services whose traffic it was, never duplicate while open, and
 * recover once the rate is back; too few samples never alert.
 */
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import {
  buildTestDeps,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'
import type { FetchFn } from '../shared/http-client.js'
import type { Database } from '../storage/schema.js'
import { verifyWebhookSignature } from '../webhooks/signature.js'
import { alertWindows, isSharpDrop } from './alert-monitor.js'

const MIN = 60_000
const HOUR = 60 * MIN
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0)

let seq = 0

/** `count` verifications, each with one message: the first `delivered` delivered, the rest failed; the first `verified` approved. */
async function seedTraffic(
  db: Kysely<Database>,
  o: {
    serviceId: string
    country: string
    route: string
    channel?: string
    count: number
    delivered: number
    verified: number
    start: number
    spacingMs: number
  },
): Promise<void> {
  const verifications = []
  const messages = []
  for (let i = 0; i < o.count; i++) {
    const id = `${o.country}${++seq}`
    const created = o.start + i * o.spacingMs
    const approved = i < o.verified ? created + 30_000 : null
    const delivered = i < o.delivered ? created + 2_000 : null
    verifications.push({
      id: `ver_${id}`,
      service_id: o.serviceId,
      channel: o.channel ?? 'sms',
      destination: `+1555${seq}`,
      country: o.country,
      status: approved === null ? 'expired' : 'approved',
      code_hmac: 't1:x',
      code_ciphertext: null,
      code_length: 6,
      locale: 'en',
      check_attempts: 1,
      max_check_attempts: 5,
      send_count: 1,
      max_sends: 5,
      last_sent_at: created,
      expires_at: created + 10 * MIN,
      client_ip: null,
      idempotency_key: null,
      idempotency_fingerprint: null,
      pending_key: null,
      created_at: created,
      updated_at: approved ?? created,
      finished_at: approved ?? created + 10 * MIN,
    })
    messages.push({
      id: `msg_${id}`,
      verification_id: `ver_${id}`,
      service_id: o.serviceId,
      channel: o.channel ?? 'sms',
      destination: 'x',
      status: delivered === null ? 'failed' : 'delivered',
      send_number: 1,
      attempts: 1,
      available_at: created,
      lease_until: null,
      provider_id: o.route.split(':')[0] ?? null,
      provider_message_id: `p_${id}`,
      delivery_outcome: delivered === null ? 'unreachable' : 'delivered',
      last_error_code: null,
      last_error_text: null,
      created_at: created,
      updated_at: delivered ?? created + 5_000,
      sent_at: created + 100,
      delivered_at: delivered,
      route_id: o.route,
      sender: null,
      tried_routes: '[]',
      hops: 1,
    })
  }
  await db.insertInto('verifications').values(verifications).execute()
  await db.insertInto('outbox').values(messages).execute()
}

describe('drop rule', () => {
  it('25 points, or below half the baseline', () => {
    const c = { dropPoints: 0.25, dropRatio: 0.5 }
    expect(isSharpDrop(0.9, 0.65, c)).toBe(true)
    expect(isSharpDrop(0.9, 0.66, c)).toBe(false)
    expect(isSharpDrop(0.3, 0.14, c)).toBe(true)
    expect(isSharpDrop(0.3, 0.16, c)).toBe(false)
    expect(isSharpDrop(0.5, 0.9, c)).toBe(false)
  })
  it('the recent window ends lagMs ago; the baseline ends where it starts', () => {
    expect(
      alertWindows(NOW, { lagMs: 2 * MIN, recentWindowMs: 15 * MIN, baselineWindowMs: 24 * HOUR }),
    ).toEqual({
      recent: { from: NOW - 17 * MIN, to: NOW - 2 * MIN },
      baseline: { from: NOW - 17 * MIN - 24 * HOUR, to: NOW - 17 * MIN },
    })
  })
})

describe.each(DIALECTS)('AlertMonitor (%s)', (dialect) => {
  let t: TestContext
  const posts: Array<{ url: string; headers: Record<string, string>; body: string }> = []
  const fakeFetch: FetchFn = async (input, init) => {
    posts.push({
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: String(init?.body),
    })
    return new Response(null, { status: 204 })
  }
  let a: string
  let b: string
  let c: string
  let secretA: string

  beforeAll(async () => {
    t = await buildTestDeps({
      dialect,
      overrides: { webhookFetch: fakeFetch },
      config: {
        analytics: {
          alerts: {
            recentWindowMs: 15 * MIN,
            lagMs: 2 * MIN,
            baselineWindowMs: 24 * HOUR,
            minRecentSamples: 10,
            minBaselineSamples: 20,
          },
        },
      },
    })
    t.clock.set(NOW)
    a = (await createTestService(t.deps, { name: 'A (GB)' })).id
    b = (await createTestService(t.deps, { name: 'B (US)' })).id
    c = (await createTestService(t.deps, { name: 'C (FR)' })).id
    secretA = (
      await t.deps.webhooks.configure(a, 'https://a.example/hooks', [
        'verification.approved',
        'alert.delivery_rate_drop',
        'alert.conversion_rate_drop',
        'alert.recovered',
      ])
    ).secret!
    await t.deps.webhooks.configure(b, 'https://b.example/hooks', [
      'alert.delivery_rate_drop',
      'alert.conversion_rate_drop',
      'alert.recovered',
    ])

    const baselineStart = NOW - 17 * MIN - 20 * HOUR
    const recentStart = NOW - 15 * MIN
    // GB: 0.9 delivered / 0.8 verified before, 0.4 / 0.3 in the recent window
    await seedTraffic(t.deps.db, {
      serviceId: a,
      country: 'GB',
      route: 'tw:sms:GB',
      count: 40,
      delivered: 36,
      verified: 32,
      start: baselineStart,
      spacingMs: 30 * MIN,
    })
    await seedTraffic(t.deps.db, {
      serviceId: a,
      country: 'GB',
      route: 'tw:sms:GB',
      count: 20,
      delivered: 8,
      verified: 6,
      start: recentStart,
      spacingMs: 30_000,
    })
    // US (whatsapp): just as good in both windows
    await seedTraffic(t.deps.db, {
      serviceId: b,
      country: 'US',
      route: 'vo:whatsapp:US',
      channel: 'whatsapp',
      count: 40,
      delivered: 36,
      verified: 32,
      start: baselineStart,
      spacingMs: 30 * MIN,
    })
    await seedTraffic(t.deps.db, {
      serviceId: b,
      country: 'US',
      route: 'vo:whatsapp:US',
      channel: 'whatsapp',
      count: 20,
      delivered: 18,
      verified: 16,
      start: recentStart,
      spacingMs: 30_000,
    })
    // FR: good baseline, and only 5 recent samples, all failed: too few to alert on
    await seedTraffic(t.deps.db, {
      serviceId: c,
      country: 'FR',
      route: 'tw:sms:FR',
      count: 40,
      delivered: 36,
      verified: 32,
      start: baselineStart,
      spacingMs: 30 * MIN,
    })
    await seedTraffic(t.deps.db, {
      serviceId: c,
      country: 'FR',
      route: 'tw:sms:FR',
      count: 5,
      delivered: 0,
      verified: 0,
      start: recentStart,
      spacingMs: 30_000,
    })
    // DE (voice): a bad recent window, but only 5 baseline samples: no baseline to compare with
    await seedTraffic(t.deps.db, {
      serviceId: c,
      country: 'DE',
      route: 'tw:call:DE',
      channel: 'call',
      count: 5,
      delivered: 5,
      verified: 5,
      start: baselineStart,
      spacingMs: 60 * MIN,
    })
    await seedTraffic(t.deps.db, {
      serviceId: c,
      country: 'DE',
      route: 'tw:call:DE',
      channel: 'call',
      count: 20,
      delivered: 2,
      verified: 2,
      start: recentStart,
      spacingMs: 30_000,
    })
  })
  afterAll(async () => {
    await t?.close()
  })

  const keysOf = (events: Array<{ alert: { kind: string; dimension: string; key: string } }>) =>
    events.map((e) => `${e.alert.kind} ${e.alert.dimension}=${e.alert.key}`).sort()

  it('opens one alert per dropped key, none for good or thin keys', async () => {
    const events = await t.deps.alertMonitor.runOnce()
    expect(events.every((e) => e.type === 'opened')).toBe(true)
    expect(keysOf(events)).toEqual([
      'conversion_rate_drop channel=sms',
      'conversion_rate_drop country=GB',
      'conversion_rate_drop route=tw:sms:GB',
      'delivery_rate_drop channel=sms',
      'delivery_rate_drop country=GB',
      'delivery_rate_drop route=tw:sms:GB',
    ])
    const gb = events.find((e) => e.alert.kind === 'delivery_rate_drop' && e.alert.key === 'GB')!.alert
    expect(gb).toMatchObject({
      status: 'open',
      baselineRate: 0.9,
      baselineSamples: 40,
      recentRate: 0.4,
      recentSamples: 20,
      serviceIds: [a],
      openedAt: NOW,
    })
    const sms = events.find((e) => e.alert.kind === 'conversion_rate_drop' && e.alert.key === 'sms')!.alert
    // GB + FR: (32 + 32) / 80 before; (6 + 0) / 25 now
    expect(sms).toMatchObject({
      baselineRate: 0.8,
      recentRate: 0.24,
      recentSamples: 25,
      serviceIds: [a, c].sort(),
    })
  })

  it('queues signed alert webhooks for the services whose traffic it was, when subscribed', async () => {
    const deliveries = await t.deps.webhookStore.listDeliveries(a, 50)
    expect(deliveries.map((d) => d.type).sort()).toEqual([
      'alert.conversion_rate_drop',
      'alert.conversion_rate_drop',
      'alert.conversion_rate_drop',
      'alert.delivery_rate_drop',
      'alert.delivery_rate_drop',
      'alert.delivery_rate_drop',
    ])
    expect(await t.deps.webhookStore.listDeliveries(b, 50)).toEqual([])
    expect(await t.deps.webhookStore.listDeliveries(c, 50)).toEqual([])

    await t.deps.webhookWorker.drain()
    expect(posts).toHaveLength(6)
    for (const p of posts) {
      expect(p.url).toBe('https://a.example/hooks')
      expect(
        verifyWebhookSignature(secretA, p.body, p.headers['verigate-signature'], {
          nowSeconds: Math.floor(NOW / 1000),
        }),
      ).toBe(true)
    }
    const gb = posts
      .map((p) => JSON.parse(p.body))
      .find((body) => body.type === 'alert.delivery_rate_drop' && body.data.key === 'GB')
    expect(gb).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      created_at: new Date(NOW).toISOString(),
      data: {
        kind: 'delivery_rate_drop',
        metric: 'delivery_rate',
        dimension: 'country',
        key: 'GB',
        status: 'open',
        baseline_rate: 0.9,
        recent_rate: 0.4,
        service_id: a,
      },
    })
    expect(gb.data).not.toHaveProperty('service_ids')
  })

  it('does not alert again while the alert is open', async () => {
    t.clock.advance(MIN)
    expect(await t.deps.alertMonitor.runOnce()).toEqual([])
    expect((await t.deps.analytics.recentAlerts(50)).filter((x) => x.status === 'open')).toHaveLength(6)
  })

  it('counts open alerts in Prometheus', async () => {
    const text = await t.deps.metrics.registry.metrics()
    expect(text).toContain('verigate_alerts_open{kind="delivery_rate_drop"} 3')
    expect(text).toContain('verigate_alerts_open{kind="conversion_rate_drop"} 3')
    expect(text).toContain('verigate_alerts_total{kind="delivery_rate_drop",transition="opened"} 3')
  })

  it('recovers once the rate is back near its baseline, and tells the same services', async () => {
    t.clock.set(NOW + 30 * MIN)
    // GB is healthy again in the new recent window [NOW + 13 min, NOW + 28 min)
    await seedTraffic(t.deps.db, {
      serviceId: a,
      country: 'GB',
      route: 'tw:sms:GB',
      count: 20,
      delivered: 19,
      verified: 17,
      start: NOW + 14 * MIN,
      spacingMs: 30_000,
    })
    const events = await t.deps.alertMonitor.runOnce()
    expect(events.every((e) => e.type === 'recovered')).toBe(true)
    expect(keysOf(events)).toHaveLength(6)
    const gb = events.find((e) => e.alert.kind === 'delivery_rate_drop' && e.alert.key === 'GB')!.alert
    expect(gb).toMatchObject({ status: 'recovered', recoveredRate: 0.95, recoveredAt: NOW + 30 * MIN })

    posts.length = 0
    await t.deps.webhookWorker.drain()
    expect(posts.map((p) => JSON.parse(p.body).type)).toEqual(Array(6).fill('alert.recovered'))
    expect(await t.deps.alertMonitor.runOnce()).toEqual([])
    const listed = await t.deps.analytics.recentAlerts(50)
    expect(listed.every((x) => x.status === 'recovered')).toBe(true)
    const text = await t.deps.metrics.registry.metrics()
    expect(text).toContain('verigate_alerts_open{kind="delivery_rate_drop"} 0')
    expect(text).toContain('verigate_alerts_total{kind="conversion_rate_drop",transition="recovered"} 3')
    // last hour [NOW - 30 min, NOW + 30 min): GB 8 + 19 of 40 delivered, 6 + 17 of 40 verified
    expect(text).toContain('verigate_delivery_rate{country="GB",route="tw:sms:GB"} 0.675')
    expect(text).toContain('verigate_conversion_rate{country="GB",channel="sms"} 0.575')
    expect(text).toContain('verigate_delivery_rate{country="US",route="vo:whatsapp:US"} 0.9')
    expect(text).toContain('verigate_delivery_rate{country="FR",route="tw:sms:FR"} 0')
  })

  it('serves the alerts at GET /v1/analytics/alerts shape through recentAlerts', async () => {
    const [first] = await t.deps.analytics.recentAlerts(1)
    expect(first).toMatchObject({
      id: expect.stringMatching(/^alr_/),
      status: 'recovered',
      opened_at: new Date(NOW).toISOString(),
      recovered_at: new Date(NOW + 30 * MIN).toISOString(),
    })
  })
})

describe('AlertMonitor.start (worker role timer)', () => {
  const config = (enabled: boolean) => ({
    analytics: {
      alerts: { enabled, intervalMs: 1_000, minRecentSamples: 10, minBaselineSamples: 20 },
    },
  })
  const seedDrop = async (t: TestContext) => {
    t.clock.set(NOW)
    const a = (await createTestService(t.deps, { name: 'A' })).id
    await seedTraffic(t.deps.db, {
      serviceId: a,
      country: 'GB',
      route: 'tw:sms:GB',
      count: 40,
      delivered: 40,
      verified: 40,
      start: NOW - 17 * MIN - 20 * HOUR,
      spacingMs: 30 * MIN,
    })
    await seedTraffic(t.deps.db, {
      serviceId: a,
      country: 'GB',
      route: 'tw:sms:GB',
      count: 20,
      delivered: 2,
      verified: 2,
      start: NOW - 15 * MIN,
      spacingMs: 30_000,
    })
  }

  it('checks every intervalMs once started, and stops', async () => {
    const t = await buildTestDeps({ config: config(true) })
    try {
      await seedDrop(t)
      t.deps.alertMonitor.start()
      await eventually(async () => (await t.deps.analytics.recentAlerts(10)).length === 6, 5_000, 50)
      await t.deps.alertMonitor.stop()
    } finally {
      await t.close()
    }
  })

  it('does nothing when alerts are disabled', async () => {
    const t = await buildTestDeps({ config: config(false) })
    try {
      await seedDrop(t)
      t.deps.alertMonitor.start()
      await new Promise((r) => setTimeout(r, 1_500))
      expect(await t.deps.analytics.recentAlerts(10)).toEqual([])
    } finally {
      await t.close()
    }
  })
})
