/**
 * The change feed: local delivery, then across instances over Redis pub/sub and PostgreSQL
 * LISTEN/NOTIFY (when TEST_REDIS_URL / TEST_POSTGRES_URL are set), and an API instance hearing a
 * worker instance deliver the code.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from '../../test/helpers/test-database.js'
import {
  buildTestDeps,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'
import { createDeps, type Deps } from '../deps.js'
import { type ChangeFeed, createChangeFeed } from './change-feed.js'
import { EventBus } from './event-bus.js'
import type { NewVerificationEvent } from './verification-event.js'

const logger = pino({ level: 'silent' })
const event = (verificationId: string): NewVerificationEvent => ({
  verificationId,
  serviceId: 'svc_1',
  destination: '+447700900123',
  type: 'delivered',
  at: Date.now(),
  data: {},
})

/** Two instances' feeds on one transport: each with its own bus, as in two processes. */
async function pair(make: (bus: EventBus) => Promise<ChangeFeed>) {
  const buses = [new EventBus(), new EventBus()] as const
  const feeds = [await make(buses[0]), await make(buses[1])] as const
  const heard: [string[], string[]] = [[], []]
  feeds[0].subscribe((id) => heard[0].push(id))
  feeds[1].subscribe((id) => heard[1].push(id))
  return { buses, feeds, heard, close: () => Promise.all(feeds.map((f) => f.close())) }
}

async function crossesInstances(make: (bus: EventBus) => Promise<ChangeFeed>) {
  const p = await pair(make)
  try {
    p.buses[0].publish(event('ver_a'))
    p.buses[0].publish({ ...event('ignored'), verificationId: null })
    await eventually(() => p.heard[1].includes('ver_a'), 3000)
    expect(p.heard[0]).toEqual(['ver_a']) // its own change once: locally, not again off the wire
    p.buses[1].publish(event('ver_b'))
    await eventually(() => p.heard[0].includes('ver_b'), 3000)
    expect(p.heard[1]).toEqual(['ver_a', 'ver_b'])
    // Several changes in one tick travel together, and every one arrives.
    p.buses[0].publish(event('ver_c'))
    p.buses[0].publish(event('ver_d'))
    await eventually(() => p.heard[1].includes('ver_d'), 3000)
    expect(p.heard[1]).toEqual(['ver_a', 'ver_b', 'ver_c', 'ver_d'])
  } finally {
    await p.close()
  }
}

describe('change feed', () => {
  it('without Redis or PostgreSQL, tells this process’s listeners only', async () => {
    const bus = new EventBus()
    const feed = await createChangeFeed({ bus, logger })
    const heard: string[] = []
    const off = feed.subscribe((id) => heard.push(id))
    bus.publish(event('ver_1'))
    off()
    bus.publish(event('ver_2'))
    expect(feed.transport).toBe('local')
    expect(heard).toEqual(['ver_1'])
    await feed.close()
  })

  it('refuses a channel name that is not a plain identifier', async () => {
    await expect(createChangeFeed({ bus: new EventBus(), logger, channel: 'x; drop table' })).rejects.toThrow(
      /plain/,
    )
  })

  it.runIf(TEST_REDIS_URL)('crosses instances over Redis pub/sub', async () => {
    const channel = `vg_test_${randomBytes(4).toString('hex')}`
    await crossesInstances((bus) => createChangeFeed({ bus, logger, redisUrl: TEST_REDIS_URL, channel }))
  })

  it.runIf(TEST_REDIS_URL)('calls onRemoteChange for another instance’s changes, never its own', async () => {
    const channel = `vg_test_${randomBytes(4).toString('hex')}`
    let remote = 0
    const buses = [new EventBus(), new EventBus()] as const
    const worker = await createChangeFeed({
      bus: buses[0],
      logger,
      redisUrl: TEST_REDIS_URL,
      channel,
      onRemoteChange: () => remote++,
    })
    const api = await createChangeFeed({ bus: buses[1], logger, redisUrl: TEST_REDIS_URL, channel })
    const heard: string[] = []
    worker.subscribe((id) => heard.push(id))
    try {
      buses[0].publish(event('ver_own'))
      buses[1].publish(event('ver_x'))
      buses[1].publish(event('ver_y')) // the same tick: one message, one wake-up
      await eventually(() => heard.includes('ver_y'), 3000)
      await new Promise((r) => setTimeout(r, 100)) // its own message would be back by now
      expect(remote).toBe(1)
    } finally {
      await Promise.all([worker.close(), api.close()])
    }
  })

  it.runIf(TEST_POSTGRES_URL)('crosses instances over PostgreSQL LISTEN/NOTIFY', async () => {
    const channel = `vg_test_${randomBytes(4).toString('hex')}`
    const pools = [
      new pg.Pool({ connectionString: TEST_POSTGRES_URL }),
      new pg.Pool({ connectionString: TEST_POSTGRES_URL }),
    ]
    let i = 0
    try {
      await crossesInstances((bus) => createChangeFeed({ bus, logger, pgPool: pools[i++], channel }))
    } finally {
      await Promise.all(pools.map((p) => p.end()))
    }
  })

  describe.runIf(TEST_POSTGRES_URL)(
    'an API instance and a worker instance on one PostgreSQL database',
    () => {
      let api: TestContext
      let worker: Deps | undefined
      afterEach(async () => {
        await worker?.close()
        await api?.close()
      })

      it('the API instance hears the worker deliver the code', async () => {
        api = await buildTestDeps({ dialect: 'postgres', realClock: true })
        expect(api.deps.changes.transport).toBe('postgres')
        // The same configuration and database, another process's worth of objects: its own bus.
        worker = await createDeps(api.deps.config, { logger })
        worker.dispatcher.start()
        const heard: string[] = []
        api.deps.changes.subscribe((id) => heard.push(id))
        const service = await createTestService(api.deps)
        const { verification } = await api.deps.verifier.start({
          serviceId: service.id,
          to: '+447700900341',
          channel: 'sms',
        })
        const local = heard.filter((id) => id === verification.id).length // its own "created"
        // The worker's hand-over and delivery events reach the API instance's feed.
        await eventually(() => heard.filter((id) => id === verification.id).length >= local + 2, 5000)
        const events = await api.deps.verifier.events(verification.id)
        expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['handed_to_provider', 'delivered']))
      })
    },
  )
})
