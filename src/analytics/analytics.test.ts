/** Analytics figures against a known history, on every dialect of the run. */
import { join } from 'node:path'
import { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import { buildTestDeps, createTestService, type TestContext } from '../../test/helpers/test-deps.js'
import type { Database } from '../storage/schema.js'
import { SqliteReadWorkerDialect } from '../storage/sqlite/sqlite-read-worker.js'
import { HOUR, KNOWN, seedKnownHistory, T0, WINDOW } from './analytics-store.contract.js'
import { bucketSizeMs, percentile, rate } from './figures.js'
import { KyselyAnalyticsStore } from './kysely-analytics-store.js'

describe('figures arithmetic', () => {
  it('nearest-rank percentiles are observed values', () => {
    expect(percentile([], 50)).toBeNull()
    expect(percentile([7], 90)).toBe(7)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10)
  })
  it('rates are null without a denominator and rounded to 4 decimals', () => {
    expect(rate(1, 0)).toBeNull()
    expect(rate(2, 3)).toBe(0.6667)
    expect(rate(0, 5)).toBe(0)
  })
  it('buckets are hourly up to 48 h and daily beyond', () => {
    expect(bucketSizeMs(0, 48 * HOUR)).toBe(HOUR)
    expect(bucketSizeMs(0, 48 * HOUR + 1)).toBe(24 * HOUR)
  })
})

describe.each(DIALECTS)('analytics report (%s)', (dialect) => {
  let t: TestContext
  let serviceA: string
  beforeAll(async () => {
    t = await buildTestDeps({ dialect })
    serviceA = (await createTestService(t.deps, { name: 'A' })).id
    const serviceB = (await createTestService(t.deps, { name: 'B' })).id
    await seedKnownHistory(t.deps.db, { A: serviceA, B: serviceB })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('totals: 10 started / 7 verified, delivery rate, sends per verification, p50/p90', async () => {
    const r = await t.deps.analytics.report({ ...WINDOW, groupBy: 'none' })
    expect(r.window).toEqual({
      from: new Date(WINDOW.from).toISOString(),
      to: new Date(WINDOW.to).toISOString(),
    })
    expect(r.group_by).toBe('none')
    expect(r.totals).toEqual(KNOWN.totals)
    expect(r.groups).toEqual([])
  })

  it('every figure reconciles: sent = delivered + failed + pending, per group and in total, for every grouping', async () => {
    for (const groupBy of ['none', 'country', 'provider', 'route', 'channel'] as const) {
      const r = await t.deps.analytics.report({ ...WINDOW, groupBy })
      for (const f of [r.totals, ...r.groups]) {
        expect(f.messages_sent, groupBy).toBe(f.messages_delivered + f.messages_failed + f.messages_pending)
        expect(f.messages_handed_over).toBeLessThanOrEqual(f.messages_sent)
      }
      const sum = (k: 'started' | 'messages_sent' | 'messages_pending') =>
        r.groups.reduce((n, g) => n + g[k], 0)
      if (groupBy !== 'none') {
        expect(sum('started')).toBe(r.totals.started)
        expect(sum('messages_sent')).toBe(r.totals.messages_sent)
        expect(sum('messages_pending')).toBe(r.totals.messages_pending)
      }
      // The series counts the same sends as the totals.
      expect(r.series.reduce((n, p) => n + p.sent, 0)).toBe(r.totals.messages_sent)
    }
    // Resends count: 12 sends for 10 verifications, though one send never reached a provider.
    const r = await t.deps.analytics.report({ ...WINDOW, groupBy: 'none' })
    expect(r.totals.sends_per_verification).toBe(1.2)
  })

  it('per country, most started first', async () => {
    const r = await t.deps.analytics.report({ ...WINDOW, groupBy: 'country' })
    expect(r.groups.map((g) => g.key)).toEqual(['GB', 'US'])
    expect(r.groups[0]).toEqual({ key: 'GB', ...KNOWN.country.GB })
    expect(r.groups[1]).toEqual({ key: 'US', ...KNOWN.country.US })
    expect(r.totals).toEqual(KNOWN.totals)
  })

  it('per route: verifications by their first message route, messages by their own', async () => {
    const r = await t.deps.analytics.report({ ...WINDOW, groupBy: 'route' })
    const by = Object.fromEntries(r.groups.map((g) => [g.key, g]))
    expect(Object.keys(by).sort()).toEqual(['twilio:sms:GB', 'twilio:sms:US', 'unknown', 'vonage:sms:*'])
    expect(by['twilio:sms:GB']).toMatchObject({
      started: 6,
      verified: 5,
      messages_sent: 6,
      messages_delivered: 5,
      messages_failed: 1,
    })
    expect(by['vonage:sms:*']).toMatchObject({
      started: 3,
      verified: 2,
      conversion_rate: 0.6667,
      messages_sent: 4,
      messages_delivered: 2,
      messages_failed: 0,
      delivery_rate: 1,
      time_to_delivery_ms: { p50: 8_000, p90: 10_000 },
    })
    expect(by['twilio:sms:US']).toMatchObject({
      started: 0,
      conversion_rate: null,
      messages_sent: 1,
      messages_delivered: 1,
      sends_per_verification: null,
    })
    // v10's only message never reached a provider
    expect(by.unknown).toMatchObject({
      started: 1,
      verified: 0,
      conversion_rate: 0,
      messages_sent: 1,
      messages_handed_over: 0,
      messages_failed: 1,
      delivery_rate: 0,
    })
    expect(r.totals).toEqual(KNOWN.totals)
  })

  it('per provider and per channel', async () => {
    const p = await t.deps.analytics.report({ ...WINDOW, groupBy: 'provider' })
    const byP = Object.fromEntries(p.groups.map((g) => [g.key, g]))
    expect(byP.twilio).toMatchObject({
      started: 6,
      verified: 5,
      messages_sent: 7,
      messages_delivered: 6,
      messages_failed: 1,
      delivery_rate: 0.8571,
    })
    expect(byP.vonage).toMatchObject({ started: 3, verified: 2, messages_sent: 4, messages_delivered: 2 })
    expect(byP.unknown).toMatchObject({ started: 1, messages_failed: 1 })

    const c = await t.deps.analytics.report({ ...WINDOW, groupBy: 'channel' })
    const byC = Object.fromEntries(c.groups.map((g) => [g.key, g]))
    expect(byC.sms).toMatchObject({
      started: 9,
      verified: 6,
      conversion_rate: 0.6667,
      messages_sent: 11,
      messages_handed_over: 10,
      messages_delivered: 7,
      messages_failed: 2,
    })
    expect(byC.whatsapp).toMatchObject({
      started: 1,
      verified: 1,
      conversion_rate: 1,
      messages_sent: 1,
      messages_delivered: 1,
      time_to_verify_ms: { p50: 120_000, p90: 120_000 },
    })
  })

  it('series: hourly buckets over 24 h, sums equal to the totals', async () => {
    const r = await t.deps.analytics.report({ ...WINDOW, groupBy: 'none' })
    expect(r.series).toHaveLength(24)
    r.series.forEach((point, hour) => {
      expect(point.at).toBe(new Date(T0 + hour * HOUR).toISOString())
      expect({
        started: point.started,
        verified: point.verified,
        sent: point.sent,
        delivered: point.delivered,
      }).toEqual(KNOWN.series[hour] ?? { started: 0, verified: 0, sent: 0, delivered: 0 })
    })
    const sum = (k: 'started' | 'verified' | 'sent' | 'delivered') => r.series.reduce((n, p) => n + p[k], 0)
    expect([sum('started'), sum('verified'), sum('sent'), sum('delivered')]).toEqual([10, 7, 12, 8])
  })

  it('series: daily buckets beyond 48 h, aligned to UTC days', async () => {
    const r = await t.deps.analytics.report({ from: T0 - 3 * 24 * HOUR, to: T0 + 24 * HOUR, groupBy: 'none' })
    expect(r.series.map((p) => p.at)).toEqual(
      [3, 2, 1, 0].map((d) => new Date(T0 - d * 24 * HOUR).toISOString()),
    )
    // the day before T0 holds the two rows 1 ms before it
    expect(r.series[2]).toMatchObject({ started: 1, verified: 1, sent: 1, delivered: 1 })
    expect(r.series[3]).toMatchObject({ started: 10, verified: 7, sent: 12, delivered: 8 })
  })

  it('window boundaries: one millisecond either side changes the counts', async () => {
    const later = await t.deps.analytics.report({ from: WINDOW.from + 1, to: WINDOW.to + 1, groupBy: 'none' })
    // v1 (at from) leaves, out2 (at to) enters; m12's delivery (to + 500) still does not count
    expect(later.totals.started).toBe(10)
    expect(later.totals.verified).toBe(6)
    const wider = await t.deps.analytics.report({
      from: WINDOW.from - 1,
      to: WINDOW.to + 2 * 1000,
      groupBy: 'none',
    })
    // out1, out2 in; v6 and out2 (approved at to + 1 s) and m12 (delivered at to + 0.5 s) now count
    expect(wider.totals).toMatchObject({ started: 12, verified: 10, messages_delivered: 10 })
  })

  it('one service only', async () => {
    const r = await t.deps.analytics.report({ ...WINDOW, groupBy: 'country', serviceId: serviceA })
    expect(r.groups.map((g) => g.key)).toEqual(['GB'])
    expect(r.totals).toEqual(KNOWN.country.GB)
  })

  it('a report reads one snapshot: a receipt committed meanwhile is in all of its figures or none', async () => {
    // The connection reports read on: SQLite's is the read worker on the file, PostgreSQL's the pool.
    const reads =
      dialect === 'sqlite'
        ? new Kysely<Database>({
            dialect: new SqliteReadWorkerDialect({
              path: join(t.db.dataDir, 'verigate.db'),
              fallback: () => Promise.reject(new Error('the read worker should answer')),
            }),
          })
        : t.deps.db
    const store = new KyselyAnalyticsStore(reads)
    const q = { ...WINDOW, asOf: WINDOW.to, dims: [] }
    const waiting = await t.deps.db
      .selectFrom('outbox')
      .select(['id', 'created_at'])
      .where('status', '=', 'sent')
      .where('created_at', '>=', WINDOW.from)
      .where('created_at', '<', WINDOW.to)
      .executeTakeFirstOrThrow()
    const receipt = (status: 'delivered' | 'sent', at: number | null) =>
      t.deps.db.updateTable('outbox').set({ status, delivered_at: at }).where('id', '=', waiting.id).execute()
    try {
      const [before, during] = await store.consistentRead(async (s) => {
        const first = await Promise.all([s.messageCounts(q), s.deliveryDurations(q, 100)])
        await receipt('delivered', waiting.created_at + 1_000)
        return [first, await Promise.all([s.messageCounts(q), s.deliveryDurations(q, 100)])]
      })
      expect(during).toEqual(before)
      const [counts, durations] = await Promise.all([store.messageCounts(q), store.deliveryDurations(q, 100)])
      expect(counts[0]?.delivered).toBe((before[0][0]?.delivered ?? 0) + 1)
      expect(durations).toHaveLength(before[1].length + 1)
    } finally {
      await receipt('sent', null)
      if (reads !== t.deps.db) await reads.destroy()
    }
  })

  it('an empty window has zeros and nulls, and every bucket', async () => {
    const r = await t.deps.analytics.report({
      from: T0 - 10 * 24 * HOUR,
      to: T0 - 9 * 24 * HOUR,
      groupBy: 'country',
    })
    expect(r.groups).toEqual([])
    expect(r.totals).toMatchObject({
      started: 0,
      conversion_rate: null,
      delivery_rate: null,
      time_to_delivery_ms: { p50: null, p90: null },
    })
    expect(r.series).toHaveLength(24)
  })
})
