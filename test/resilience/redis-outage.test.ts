/**
 * Issue 19, observation 2, on a Redis of the test's own: with Redis killed or frozen, starts and
 * checks are still served (never a 500) and still limited, per instance in memory (the insurance
 * limiter); /readyz and /metrics say the limits are degraded; a frozen Redis is waited for no longer
 * than the command timeout plus a second; an unreachable Redis at start-up is named with its setting;
 * the change feed over Redis outlives it all.
 */
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type ChangeFeed, createChangeFeed } from '../../src/events/change-feed.js'
import { EventBus } from '../../src/events/event-bus.js'
import { type PrivateRedis, startPrivateRedis } from '../helpers/private-redis.js'
import { freePort } from '../helpers/server-process.js'
import { buildTestDeps, codeFromInbox, createTestService } from '../helpers/test-deps.js'
import { FAST_REDIS, ROOMY_LIMITS, resilienceApp, waitUntil } from './resilience-harness.js'

let redis: PrivateRedis
beforeAll(async () => {
  redis = await startPrivateRedis()
}, 30_000)
afterEach(async () => {
  await redis?.ensureRunning()
})
afterAll(async () => {
  await redis?.close()
})

const STARTS_PER_SERVICE = 4

async function redisApp() {
  const app = await resilienceApp({
    redisUrl: redis.url,
    redis: FAST_REDIS,
    limits: { ...ROOMY_LIMITS, startsPerService: { points: STARTS_PER_SERVICE, durationSeconds: 600 } },
    simulator: { deliveryDelayMs: 0 },
  })
  app.t.deps.dispatcher.start()
  const verify = async (serviceId: string, to: string) => {
    const started = await app.t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: app.t.auth(app.t.verifyKey),
      payload: { service_id: serviceId, to },
    })
    return started
  }
  return { ...app, verify }
}

describe('Redis killed', () => {
  it('serves and limits starts and checks in memory, says so in /readyz and /metrics, and shares limits again once Redis is back', async () => {
    const { t, verify, timed } = await redisApp()
    try {
      expect(t.deps.changes.transport).toBe('redis')
      const first = await createTestService(t.deps)
      expect((await verify(first.id, '+447911200000')).statusCode).toBe(201)

      await redis.kill()
      // A fresh count in this instance's memory: exactly STARTS_PER_SERVICE more, then refused.
      const service = await createTestService(t.deps)
      for (let i = 1; i <= STARTS_PER_SERVICE; i++) {
        const res = await verify(service.id, `+44791120000${i}`)
        expect(res.statusCode).toBe(201)
      }
      const refused = await verify(service.id, '+447911200009')
      expect(refused.statusCode).toBe(429)
      expect(refused.json().error).toMatchObject({ code: 'RATE_LIMITED', limit: 'starts_per_service' })

      // A check goes through its own limit in memory too.
      const to = '+447911200001'
      const started = await verify(service.id, to)
      expect(started.statusCode).toBe(200) // the pending verification, not a new one
      await waitUntil(() => codeFromInbox(t.deps, to), 5_000)
      const checked = await t.app.inject({
        method: 'POST',
        url: `/v1/verifications/${started.json().id}/check`,
        headers: t.auth(t.verifyKey),
        payload: { code: codeFromInbox(t.deps, to) },
      })
      expect(checked.statusCode).toBe(200)
      expect(checked.json().status).toBe('approved')

      const ready = await timed('/readyz')
      expect(ready.res.statusCode).toBe(200)
      expect(ready.res.json()).toMatchObject({
        status: 'degraded',
        dependencies: {
          database: { state: 'up' },
          rate_limit_store: { backend: 'redis', state: 'degraded' },
          change_feed: { backend: 'redis', state: 'degraded' },
        },
      })
      expect(ready.res.json().dependencies.rate_limit_store.detail).toMatch(/per instance in memory/)
      const metrics = (await timed('/metrics')).res.body
      expect(metrics).toContain(
        'verigate_dependency_degraded{dependency="rate_limit_store",backend="redis"} 1',
      )
      expect(metrics).toContain('verigate_dependency_up{dependency="rate_limit_store",backend="redis"} 0')

      await redis.restart()
      const back = await waitUntil(async () => (await timed('/readyz')).res.json().status === 'ready', 10_000)
      expect(back).toBeLessThan(10_000)
      expect((await timed('/metrics')).res.body).toContain(
        'verigate_dependency_degraded{dependency="rate_limit_store",backend="redis"} 0',
      )
      // Counting in Redis again (which restarted empty): a fresh service has its whole allowance.
      const after = await createTestService(t.deps)
      expect((await verify(after.id, '+447911200020')).statusCode).toBe(201)
    } finally {
      await t.close()
    }
  })
})

describe('Redis frozen (SIGSTOP)', () => {
  it('no request waits longer than commandTimeoutMs + 1 s; starts are served and /readyz says degraded', async () => {
    const { t, start, timed } = await redisApp()
    const bound = FAST_REDIS.commandTimeoutMs + 1_000
    try {
      expect((await start()).res.statusCode).toBe(201)
      redis.freeze()
      try {
        const [ready, ...starts] = await Promise.all([
          timed('/readyz'),
          ...Array.from({ length: STARTS_PER_SERVICE - 1 }, () => start()),
        ])
        for (const s of starts) {
          expect(s.res.statusCode).toBe(201)
          expect(s.ms).toBeLessThan(bound)
        }
        expect(ready?.res.statusCode).toBe(200)
        expect(ready?.ms).toBeLessThan(bound)
        expect(ready?.res.json().dependencies.rate_limit_store.state).toBe('degraded')
        const later = await Promise.all([timed('/readyz'), timed('/metrics')])
        for (const l of later) expect(l.ms).toBeLessThan(bound)
      } finally {
        redis.thaw()
      }
      await waitUntil(async () => (await timed('/readyz')).res.json().status === 'ready', 10_000)
    } finally {
      await t.close()
    }
  })
})

describe('Redis unreachable at start', () => {
  it('fails the start with an error naming Redis, where it was looked for and REDIS_URL', async () => {
    const port = await freePort()
    const failed = buildTestDeps({
      config: { redisUrl: `redis://:hunter2@127.0.0.1:${port}`, redis: FAST_REDIS },
    })
    await expect(failed).rejects.toThrow(
      new RegExp(
        `Cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*Check REDIS_URL \\(redisUrl\\)`,
      ),
    )
  })
})

describe('the change feed over Redis', () => {
  it('outlives a kill, a restart and a freeze of Redis, and carries changes again afterwards', async () => {
    const logger = pino({ level: 'silent' })
    const buses = [new EventBus(), new EventBus()] as const
    const feeds: ChangeFeed[] = []
    for (const bus of buses)
      feeds.push(await createChangeFeed({ bus, logger, redisUrl: redis.url, redisSettings: FAST_REDIS }))
    const heard: string[] = []
    feeds[1]?.subscribe((id) => heard.push(id))
    let n = 0
    const crosses = async () => {
      const id = `ver_${n++}`
      buses[0].publish({
        verificationId: id,
        serviceId: 'svc_1',
        destination: '+447911200000',
        type: 'delivered',
        at: Date.now(),
        data: {},
      })
      await new Promise((r) => setTimeout(r, 100))
      return heard.includes(id)
    }
    try {
      await waitUntil(crosses, 5_000)
      await redis.kill()
      expect(await crosses()).toBe(false)
      expect(feeds[0]?.current().state).toBe('degraded')
      await redis.restart()
      await waitUntil(crosses, 10_000)
      redis.freeze()
      try {
        await crosses()
        expect((await feeds[0]?.check())?.state).toBe('degraded')
      } finally {
        redis.thaw()
      }
      await waitUntil(crosses, 10_000)
      expect((await feeds[0]?.check())?.state).toBe('up')
    } finally {
      await Promise.all(feeds.map((f) => f.close()))
    }
  })
})
