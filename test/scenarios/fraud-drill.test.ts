/**
 * The fraud drill at a small size, against a real server over HTTP with the simulator, on SQLite
 * (memory counters) and on PostgreSQL + Redis (shared counters): an SMS-pumping attack walking
 * consecutive ranges mixed with legitimate people (80% conversion, many countries, a campaign
 * burst in one). Goal: >= 95% of attack sends blocked, no legitimate person refused.
 */
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { formatFraudDrill, runFraudDrill } from '../../src/bench/fraud-drill.js'
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from '../helpers/test-database.js'
import { buildTestApp } from '../helpers/test-deps.js'

const BACKENDS = [
  { name: 'SQLite, counters in memory', dialect: 'sqlite' as const, redisUrl: undefined },
  ...(TEST_POSTGRES_URL && TEST_REDIS_URL
    ? [{ name: 'PostgreSQL + Redis', dialect: 'postgres' as const, redisUrl: TEST_REDIS_URL }]
    : []),
]

describe.each(BACKENDS)('fraud drill ($name)', ({ dialect, redisUrl }) => {
  it('blocks >= 95% of the attack sends and no legitimate person', { timeout: 120_000 }, async () => {
    const t = await buildTestApp({
      dialect,
      realClock: true,
      config: {
        ...(redisUrl ? { redisUrl } : {}),
        simulator: { deliveryDelayMs: 50 },
        // A fifth of the full drill's attack, so a fifth of the samples before a range is judged.
        fraud: { unprovenRangeStarts: 4 },
      },
    })
    try {
      t.deps.dispatcher.start()
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = t.app.server.address() as AddressInfo
      const result = await runFraudDrill({
        url: `http://127.0.0.1:${port}`,
        key: t.adminKey,
        attackStarts: 200,
        attackRanges: 4,
        legitUsers: 80,
        durationMs: 8_000,
        typingScale: 0.4,
      })
      const lines = formatFraudDrill(result)
      console.log(lines.join('\n'))
      expect(result.legit.blocked, lines.join('\n')).toBe(0)
      expect(result.attack.blockedShare, lines.join('\n')).toBeGreaterThanOrEqual(0.95)
      expect(result.legit.approved).toBeGreaterThan(result.legit.users * 0.6)
      // What was blocked is said: limit_hit events name the guard and the range.
      const hits = await t.deps.db
        .selectFrom('verification_events')
        .select(['data'])
        .where('type', '=', 'limit_hit')
        .where('service_id', '=', result.serviceId)
        .execute()
      expect(hits.length).toBe(result.attack.blocked)
      expect(String(hits[0]?.data)).toContain('fraud_guard')
      const metrics = await t.deps.metrics.registry.metrics()
      expect(metrics).toMatch(
        /verigate_fraud_decisions_total\{dimension="prefix",outcome="blocked",mode="enforce"\} \d+/,
      )
    } finally {
      await t.close()
    }
  })
})
