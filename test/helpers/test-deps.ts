/** Builds the real dependency graph on a fresh database with a manual clock, for domain and HTTP tests. */
import { randomBytes } from 'node:crypto'
import { pino } from 'pino'
import { buildApp } from '../../src/app.js'
import { type ApiKeyScope, mintApiKey } from '../../src/auth/api-key.js'
import { loadConfig } from '../../src/config/load.js'
import { createDeps, type Deps, type DepsOverrides } from '../../src/deps.js'
import { SERVICE_DEFAULTS, type Service } from '../../src/services/service.js'
import { ManualClock } from '../../src/shared/clock.js'
import { newId } from '../../src/shared/ids.js'
import { createTestDatabase, type Dialect, type TestDatabase } from './test-database.js'

export interface TestContext {
  readonly deps: Deps
  readonly clock: ManualClock
  readonly db: TestDatabase
  close(): Promise<void>
}

export async function buildTestDeps(
  opts: {
    dialect?: Dialect
    config?: Record<string, unknown>
    overrides?: DepsOverrides
    realClock?: boolean
  } = {},
): Promise<TestContext> {
  const db = await createTestDatabase(opts.dialect ?? 'sqlite')
  const clock = new ManualClock(Date.now())
  const config = loadConfig({
    env: {},
    overrides: {
      env: 'test',
      logLevel: 'silent',
      databaseUrl: db.url,
      dataDir: db.dataDir,
      secrets: { keys: ['t1:test-secret-test-secret-test-secret-0001'] },
      simulator: { deliveryDelayMs: 0 },
      // A test machine's stalls (imports, parallel runs) are not overload: tests that need it set it.
      overload: { maxEventLoopDelayMs: 0 },
      // Counters of their own, even in a Redis that other test runs share.
      rateLimitKeyPrefix: `vg:rl:test-${randomBytes(6).toString('hex')}`,
      ...opts.config,
    },
  })
  const deps = await createDeps(config, {
    logger: pino({ level: 'silent' }),
    ...(opts.realClock ? {} : { clock }),
    ...opts.overrides,
  })
  return {
    deps,
    clock,
    db,
    async close() {
      await deps.close()
      await db.drop()
    },
  }
}

export async function createTestService(deps: Deps, patch: Partial<Service> = {}): Promise<Service> {
  const now = deps.clock.now()
  const service: Service = {
    id: newId('service'),
    name: 'Test Exchange',
    codeLength: SERVICE_DEFAULTS.codeLength,
    codeTtlSeconds: SERVICE_DEFAULTS.codeTtlSeconds,
    maxCheckAttempts: SERVICE_DEFAULTS.maxCheckAttempts,
    maxSends: SERVICE_DEFAULTS.maxSends,
    brandName: null,
    messageTemplate: null,
    channels: SERVICE_DEFAULTS.channels,
    defaultLocale: 'en',
    webotpDomain: null,
    // A test service sends on its own channel only, unless a test asks for channel fallback (the
    // default of a service made through the API is SMS -> call: see docs/delivery.md).
    fallbackChannels: [],
    createdAt: now,
    updatedAt: now,
    ...patch,
  }
  await deps.stores.services.insert(service)
  return service
}

export async function createTestKey(deps: Deps, scopes: ApiKeyScope[] = ['admin']): Promise<string> {
  const { key, token } = mintApiKey('test', scopes, deps.clock.now())
  await deps.stores.apiKeys.insert(key)
  return token
}

/** A test app with an admin key and a verify key. */
export async function buildTestApp(opts: Parameters<typeof buildTestDeps>[0] = {}) {
  const ctx = await buildTestDeps(opts)
  const app = await buildApp(ctx.deps, { docsUi: false })
  const adminKey = await createTestKey(ctx.deps, ['admin'])
  const verifyKey = await createTestKey(ctx.deps, ['verify'])
  const readKey = await createTestKey(ctx.deps, ['read'])
  return {
    ...ctx,
    app,
    adminKey,
    verifyKey,
    readKey,
    auth: (key: string = adminKey) => ({ authorization: `Bearer ${key}` }),
    async close() {
      await app.close()
      await ctx.close()
    },
  }
}

/** Waits until `fn` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 5000,
  stepMs = 10,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value as NonNullable<T>
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, stepMs))
  }
}

/** The code in the newest simulator message to `to`. */
export function codeFromInbox(deps: Deps, to: string): string | undefined {
  const latest = deps.simulator?.inbox.list({ to, limit: 1 })[0]
  return latest?.body.match(/\b(\d{4,10})\b/)?.[1]
}
