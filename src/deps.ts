/**
 * @module createDeps(config): the composition root. Opens storage, builds the providers and the
 * limiter once, and wires the domain objects in dependency order, each stage a small function. The
 * HTTP surfaces get their narrow contexts from the result (`app.ts`); the CLI, the server and the
 * tests use the whole of it.
 */

import type { Kysely } from 'kysely'
import { type AlertMonitor, createAnalytics } from './analytics/index.js'
import type { ApiKeyStore } from './auth/api-key.js'
import { ApiKeys } from './auth/api-keys.js'
import { CHANNELS } from './channels/channel.js'
import { ClientSessions } from './client/client-sessions.js'
import { simulatorEnabled } from './config/load.js'
import type { Config } from './config/schema.js'
import type { CodeToSend } from './delivery/code-source.js'
import { Dispatcher } from './delivery/dispatcher.js'
import type { OutboxMessage, OutboxStore } from './delivery/outbox.js'
import { createProvider } from './delivery/providers/index.js'
import type { DeliveryReport, MessageProvider } from './delivery/providers/provider.js'
import { Revoker } from './delivery/revoker.js'
import { RouteHealth } from './delivery/routing/route-health.js'
import { Router } from './delivery/routing/router.js'
import { Diagnostician } from './diagnosis/diagnostician.js'
import { createChangeFeed } from './events/change-feed.js'
import { EventBus } from './events/event-bus.js'
import { AccountRecovery } from './factors/account-recovery.js'
import { RouterNotifier } from './factors/notifier.js'
import { Passkeys } from './factors/passkeys.js'
import { RecoveryCodes } from './factors/recovery-codes.js'
import { TotpFactors } from './factors/totp-factors.js'
import { FraudGuard } from './fraud/fraud-guard.js'
import type { FraudMark, FraudStore } from './fraud/fraud-store.js'
import { MemoryFraudStore } from './fraud/memory-fraud-store.js'
import { RedisFraudStore } from './fraud/redis-fraud-store.js'
import { registerDependencyMetrics } from './health/health-metrics.js'
import { Readiness } from './health/readiness.js'
import { ApiKeyAuth } from './http/auth.js'
import type { HttpContext, ReceiptIntake } from './http/http-context.js'
import { VerificationLimits } from './limits/verification-limits.js'
import { CarrierLookup } from './lookup/carrier-lookup.js'
import type { LineLookupProvider } from './lookup/line-facts.js'
import { twilioLookup } from './lookup/twilio-lookup.js'
import { vonageInsight } from './lookup/vonage-insight.js'
import { createMetrics } from './metrics/metrics.js'
import { countDueOutbox } from './metrics/outbox-due.js'
import { fictionalType } from './phone/fictional-numbers.js'
import { analyzePhoneNumber } from './phone/index.js'
import { PersonalData } from './privacy/personal-data.js'
import {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterConfig,
  rateLimitStoreProbe,
} from './ratelimit/index.js'
import { pseudonymousKeys } from './ratelimit/pseudonymous-keys.js'
import { openKeyring } from './secrets/dev-secrets.js'
import type { Keyring } from './secrets/keyring.js'
import type { ServiceStore } from './services/service.js'
import { Services } from './services/services.js'
import { type Clock, systemClock } from './shared/clock.js'
import { type FetchFn, globalFetch } from './shared/http-client.js'
import { createLogger, type Logger } from './shared/logger.js'
import { publicOnlyFetch } from './shared/private-network-guard.js'
import { closeRedis, connectRedis, createRedisClient } from './shared/redis-client.js'
import { Relay } from './shared/relay.js'
import { type CarrierSimulator, carrierSimulator } from './simulator/carrier-simulator.js'
import { PhoneInbox } from './simulator/phone-inbox.js'
import { simulatorLookup } from './simulator/simulator-lookup.js'
import { KyselyAccountRecoveryStore } from './storage/account-recovery-store.js'
import { KyselyApiKeyStore } from './storage/api-key-store.js'
import type { StorageCapabilities } from './storage/capabilities.js'
import { KyselyClientSessionStore } from './storage/client-session-store.js'
import { KyselyTotpFactorStore } from './storage/factor-store.js'
import { KyselyKeyFingerprintStore } from './storage/key-fingerprint-store.js'
import {
  databaseProbe,
  type OpenedAnyDatabase,
  openAndMigrate,
  resolveDatabaseUrl,
} from './storage/open-database.js'
import { KyselyOutboxStore } from './storage/outbox-store.js'
import { KyselyPasskeyChallengeStore } from './storage/passkey-challenge-store.js'
import { KyselyPasskeyStore } from './storage/passkey-store.js'
import { KyselyPersonalDataStore } from './storage/personal-data-store.js'
import { KyselyRecoveryCodeStore } from './storage/recovery-code-store.js'
import type { Database } from './storage/schema.js'
import { KyselyServiceStore } from './storage/service-store.js'
import { KyselySupportStore } from './storage/support-store.js'
import { KyselyTwilioCompatStore } from './storage/twilio-compat-store.js'
import { KyselyVerificationStore } from './storage/verification-store.js'
import { KyselyWebhookStore } from './storage/webhook-store.js'
import { SafeList } from './support/safe-list.js'
import { Support } from './support/support.js'
import type { TwilioCompatStore } from './twilio-compat/store.js'
import type { VerificationStore } from './verification/store.js'
import { Verifier } from './verification/verifier.js'
import { FraudWebhooks } from './webhooks/fraud-webhooks.js'
import type { WebhookStore } from './webhooks/webhook.js'
import { WebhookWorker } from './webhooks/webhook-worker.js'
import { Webhooks } from './webhooks/webhooks.js'

/**
 * Everything a process runs on. The members of `HttpContext` are the use-cases the surfaces may
 * use; the rest (the database, the stores, the workers) stays with the composition root, the
 * server's lifecycle and the tests.
 */
export interface Deps extends HttpContext {
  readonly config: Readonly<Config>
  readonly logger: Logger
  readonly db: Kysely<Database>
  readonly caps: StorageCapabilities
  readonly stores: {
    readonly verifications: VerificationStore
    readonly outbox: OutboxStore
    readonly services: ServiceStore
    readonly apiKeys: ApiKeyStore
  }
  readonly limiter: RateLimiter
  /** Retention sweep and subject requests (docs/privacy.md). */
  readonly personalData: PersonalData
  readonly limits: VerificationLimits
  /** The conversion-based SMS-pumping guard (docs/fraud.md). */
  readonly fraud: FraudGuard
  readonly router: Router
  readonly health: RouteHealth
  readonly dispatcher: Dispatcher
  /** Revokes sent messages once their verification ends (Telegram). */
  readonly revoker: Revoker
  /** The carrier lookup before first sends, when `lookup.provider` is configured. */
  readonly lineLookup: CarrierLookup | undefined
  /** Every stored verification event, once written (metrics and webhooks listen here). */
  readonly events: EventBus
  readonly webhookStore: WebhookStore
  /** Sends queued webhooks; started beside the dispatcher. */
  readonly webhookWorker: WebhookWorker
  /** Checks rates for sharp drops; started beside the dispatcher. */
  readonly alertMonitor: AlertMonitor
  /** The Twilio-compatible API's own rows (TOTP settings, rate limits, challenges). */
  readonly twilioCompat: TwilioCompatStore
  /** Names of migrations applied while opening. */
  readonly migrationsApplied: readonly string[]
  close(): Promise<void>
}

export interface DepsOverrides {
  readonly clock?: Clock
  readonly logger?: Logger
  /** Extra providers (tests); they are tried before the simulator. */
  readonly providers?: (onReceipt: (r: DeliveryReport) => void) => MessageProvider[]
  /** HTTP client for outbound webhooks. @default the global fetch */
  readonly webhookFetch?: FetchFn
  /** Sees the SQL of every statement run through Kysely (tests count queries per flow). */
  readonly onQuery?: (sqlText: string) => void
}

export async function createDeps(config: Readonly<Config>, overrides: DepsOverrides = {}): Promise<Deps> {
  const clock = overrides.clock ?? systemClock
  const logger = overrides.logger ?? createLogger(config.logLevel)
  const opened = await openAndMigrate(resolveDatabaseUrl(config.databaseUrl, config.dataDir), {
    postgres: config.postgres,
    logger,
    onQuery: overrides.onQuery,
  })
  const { db, caps } = opened
  // Scans that must not hold the event loop (analytics, the retention sweep's search): on a SQLite
  // file a read-only worker thread answers them (OpenedSqliteDatabase.longReads); elsewhere `db`.
  const longReads = opened.dialect === 'sqlite' ? opened.longReads : db
  // Refuses to start when this process's keys cannot open the database's codes (docs/operations.md, "Keys").
  const keyring = await openKeyring({
    configured: config.secrets.keys,
    dataDir: config.dataDir,
    store: new KyselyKeyFingerprintStore(db, caps),
    now: clock.now(),
  }).catch(async (err: unknown) => {
    await opened.close()
    throw err
  })
  const stores = {
    verifications: new KyselyVerificationStore(db),
    outbox: new KyselyOutboxStore(db, caps),
    services: new KyselyServiceStore(db),
    apiKeys: new KyselyApiKeyStore(db),
  }
  const services = new Services(stores.services, clock)
  const apiKeys = new ApiKeys(stores.apiKeys, clock)

  const limitStore = await createRateLimiter(limiterConfig(config, opened, logger))
  // Counters are per number, range and IP: the store sees keyed hashes of them (docs/privacy.md).
  const limiter = pseudonymousKeys(limitStore, (key) => keyring.sign(`limit:${key}`))
  // Safe-listed numbers (support console) skip the SMS-pumping guard and the per-destination send limit.
  const supportStore = new KyselySupportStore(db)
  const limits = new VerificationLimits(limiter, config.limits, new SafeList(supportStore))

  // Providers push receipts over their own connections (simulator, SMPP); the relay carries them
  // to the dispatcher, which is built after the providers.
  const receiptRelay = new Relay<DeliveryReport>()
  const { providers, simulator } = buildProviders(config, overrides, clock, (r) => receiptRelay.emit(r))
  const health = new RouteHealth(config.routing.health, clock)
  const router = new Router(providers, config.routing.routes, health)

  const events = new EventBus((err, event) =>
    logger.error({ err, type: event.type }, 'event listener failed'),
  )
  // Changes published by other instances; a process that dispatches wakes its dispatcher on them.
  const remoteChanges = new Relay<void>()
  const changes = await createChangeFeed({
    bus: events,
    logger,
    redisUrl: config.redisUrl,
    redisSettings: config.redis,
    pgPool: opened.dialect === 'postgres' ? opened.pool : undefined,
    onRemoteChange: () => remoteChanges.emit(),
  })
  const publish = (e: Parameters<EventBus['publish']>[0]) => events.publish(e)

  const fraudBlocks = new Relay<FraudMark>()
  let fraudStoreErrorLoggedAt = Number.NEGATIVE_INFINITY
  const fraudStore = await buildFraudStore(config, logger)
  const fraud = new FraudGuard({
    store: fraudStore.store,
    clock,
    config: config.fraud,
    safeList: new SafeList(supportStore),
    limiter,
    onBlock: (mark) => fraudBlocks.emit(mark),
    isFreeTestNumber: (start) => isSimulatorTestNumber(router, start.destination, start.country),
    onStoreError: (err) => {
      // Once a minute at most: an outage fails every start's count, and one line says it.
      const now = Date.now()
      if (now - fraudStoreErrorLoggedAt < 60_000) return
      fraudStoreErrorLoggedAt = now
      logger.warn({ err }, 'fraud guard store failed; starts go through unjudged until it answers')
    },
  })

  const lineLookup = buildLineLookup(config, simulator, clock, logger)
  const outboxKick = new Relay<void>()
  const verifier = new Verifier({
    store: stores.verifications,
    messages: stores.outbox,
    services,
    limits,
    keyring,
    clock,
    notifyOutbox: () => outboxKick.emit(),
    // The dispatcher below, once made: a start's first message goes to it from memory while it
    // runs here (a worker or the one-process setup) and has room (delivery/fresh-sends.ts).
    freshSends: {
      leaseFor: (now: number): number | undefined => dispatcher.leaseFor(now),
      take: (message: OutboxMessage, code: CodeToSend): void => dispatcher.take(message, code),
    },
    geo: config.geo,
    onEvent: publish,
    fraud,
    lineLookup,
  })
  const dispatcher: Dispatcher = new Dispatcher({
    outbox: stores.outbox,
    codes: verifier,
    journal: stores.verifications,
    services,
    router,
    health,
    limiter,
    clock,
    logger,
    config: config.dispatcher,
    routing: config.routing,
    onEvent: publish,
  })
  outboxKick.listen(() => dispatcher.kick())
  // A start on an `api` process is sent by a worker: the change it publishes (one message per tick
  // of starts) wakes the worker's dispatcher at once, instead of at its next poll (500 ms by
  // default; the bench's two-api-one-worker setup saw accepted -> handed p50 358 ms from that).
  // Many kicks in one tick make one drain.
  if (config.role !== 'api') remoteChanges.listen(() => dispatcher.kick())
  receiptRelay.listen((r) => dispatcher.acceptReceipt(r))

  const { webhooks, webhookStore, webhookWorker } = buildWebhooks(
    config,
    overrides,
    db,
    caps,
    keyring,
    clock,
    logger,
    stores.verifications,
  )
  const fraudWebhooks = new FraudWebhooks({ store: webhookStore, clock, notify: () => webhookWorker.kick() })
  fraudBlocks.listen((mark) => {
    logger.warn(
      { service: mark.serviceId, dimension: mark.dimension, key: mark.value, evidence: mark.evidence },
      'fraud guard: new block',
    )
    fraudWebhooks
      .onBlock(mark)
      .catch((err: unknown) => logger.error({ err }, 'fraud alert webhook enqueue failed'))
  })
  // A code that no longer works is withdrawn from the chats of providers that can (Telegram).
  const revoker = new Revoker({
    outbox: stores.outbox,
    provider: (id) => router.provider(id),
    anyRevocable: providers.some((p) => p.revoke !== undefined),
    logger,
  })
  events.subscribe((e) => revoker.onEvent(e))
  events.subscribe((e) => {
    webhooks.onEvent(e).catch((err: unknown) => logger.error({ err, type: e.type }, 'webhook enqueue failed'))
  })
  const metrics = createMetrics({
    bus: events,
    routeHealth: () => health.all(),
    // Country-specific routes show up once route health has seen them.
    routeIds: () => router.channels().flatMap((c) => router.candidates(c, null).map((r) => r.id)),
    countDueOutbox: () => countDueOutbox(db, clock.now()),
    lookupVerification: async (id) => {
      const v = await stores.verifications.get(id)
      return v && { channel: v.channel, country: v.country }
    },
  })
  fraud.registerMetrics(metrics.registry)
  const { analytics, alertMonitor } = createAnalytics({
    db,
    longReads,
    clock,
    logger,
    config: config.analytics,
    webhookStore,
    notifyWebhooks: () => webhookWorker.kick(),
    registry: metrics.registry,
  })

  const diagnostician = new Diagnostician({
    verifications: stores.verifications,
    outbox: stores.outbox,
    clock,
    receiptTimeoutMs: config.routing.receiptTimeoutMs,
    geo: config.geo,
    limiter,
    limitConfig: config.limits,
    safeList: new SafeList(supportStore),
    nextSend: (v, now) => limits.nextSend(v, now),
    fraudBlock: async (serviceId, destination) => {
      const b = await fraud.blockFor(serviceId, destination, analyzePhoneNumber(destination).country ?? null)
      return b && { until: b.mark.until, message: b.message, raw: { ...b.mark } }
    },
    health,
    router,
  })
  const authenticators = buildAuthenticators(config, db, keyring, clock, logger, services, router)
  const clientSessions = new ClientSessions({
    store: new KyselyClientSessionStore(db),
    verifier,
    verifications: stores.verifications,
    outbox: stores.outbox,
    limits,
    services,
    diagnostician,
    factors: authenticators.factors,
    passkeys: authenticators.passkeys,
    recoveryCodes: authenticators.recoveryCodes,
    clock,
  })
  const support = new Support(
    {
      store: supportStore,
      clock,
      limiter,
      apiKeys: new ApiKeyAuth(apiKeys),
      verifier,
      verifications: stores.verifications,
      outbox: stores.outbox,
      diagnostician,
      limits,
      accountRecovery: authenticators.accountRecovery,
      routes: router,
      fraud,
    },
    config.console,
  )
  const personalData = new PersonalData({
    store: new KyselyPersonalDataStore(db, longReads),
    keyring,
    clock,
    config: config.privacy,
    verifier,
    verifications: stores.verifications,
    audit: support.audit,
    inbox: simulator?.inbox,
  })
  const receipts: ReceiptIntake = {
    provider: (id) => router.provider(id),
    accept: (report) => dispatcher.takeReceipt(report),
  }
  const database = databaseProbe(opened)
  const readiness = new Readiness([
    { name: 'database', required: true, probe: database },
    { name: 'rate_limit_store', required: false, probe: rateLimitStoreProbe(limitStore, database) },
    { name: 'change_feed', required: false, probe: changes },
  ])
  registerDependencyMetrics(metrics.registry, readiness)

  return {
    config,
    clock,
    logger,
    db,
    caps,
    keyring,
    stores,
    services,
    apiKeys,
    auth: new ApiKeyAuth(apiKeys),
    limiter,
    limits,
    fraud,
    personalData,
    router,
    health,
    simulator,
    dispatcher,
    revoker,
    lineLookup,
    verifier,
    diagnostician,
    ...authenticators,
    clientSessions,
    support,
    events,
    changes,
    metrics,
    webhooks,
    webhookStore,
    webhookWorker,
    analytics,
    alertMonitor,
    receipts,
    readiness,
    twilioCompat: new KyselyTwilioCompatStore(db),
    migrationsApplied: opened.applied,
    async close() {
      await dispatcher.stop()
      await revoker.drain()
      await webhookWorker.stop()
      await alertMonitor.stop()
      metrics.close()
      await router.close()
      await limiter.close()
      await fraudStore.close()
      await changes.close()
      await opened.close()
    },
  }
}

/**
 * Where limit counters live. `auto`: Redis when configured, else the PostgreSQL database, else
 * process memory (the embedded single-process default).
 */
function limiterConfig(
  config: Readonly<Config>,
  opened: OpenedAnyDatabase,
  logger: Logger,
): RateLimiterConfig {
  const store =
    config.rateLimitStore !== 'auto'
      ? config.rateLimitStore
      : config.redisUrl
        ? 'redis'
        : opened.dialect === 'postgres'
          ? 'postgres'
          : 'memory'
  const keyPrefix = config.rateLimitKeyPrefix
  switch (store) {
    case 'redis':
      if (!config.redisUrl) throw new Error('The redis limit store needs redisUrl (REDIS_URL)')
      // While Redis fails, limits are counted per instance in memory (docs/operations.md).
      return {
        kind: 'redis',
        url: config.redisUrl,
        keyPrefix,
        client: config.redis,
        insurance: true,
        probeIntervalMs: config.redis.probeIntervalMs,
        logger,
      }
    case 'postgres':
      if (opened.dialect !== 'postgres')
        throw new Error('The postgres limit store needs a PostgreSQL database')
      return { kind: 'postgres', pool: opened.guardedPool, keyPrefix }
    case 'sqlite':
      if (opened.dialect !== 'sqlite') throw new Error('The sqlite limit store needs a SQLite database')
      return { kind: 'sqlite', db: opened.raw, keyPrefix }
    case 'memory':
      return { kind: 'memory', keyPrefix }
  }
}

/**
 * Where the fraud guard's counters live: Redis when configured (every instance judges on the same
 * figures), else this process's memory (a single instance). Redis unreachable at start: memory,
 * said in the log, so a restart of Redis does not stop verigate from starting.
 */
async function buildFraudStore(
  config: Readonly<Config>,
  logger: Logger,
): Promise<{ store: FraudStore; close(): Promise<void> }> {
  const windowMs = config.fraud.windowSeconds * 1000
  const memory = () => ({
    store: new MemoryFraudStore(windowMs, config.fraud.maxKeys),
    close: async () => {},
  })
  if (!config.redisUrl) return memory()
  const client = createRedisClient(config.redisUrl, config.redis)
  try {
    await connectRedis(client)
  } catch (err) {
    logger.warn({ err }, 'fraud guard: Redis unreachable at start; counting in this instance only')
    return memory()
  }
  client.on('error', (err) => logger.debug({ err }, 'fraud guard redis error'))
  return {
    store: new RedisFraudStore(client, windowMs, `${config.rateLimitKeyPrefix}:fraud`),
    close: () => closeRedis(client),
  }
}

/** The carrier lookup of `config.lookup`, or undefined when none is configured. */
function buildLineLookup(
  config: Readonly<Config>,
  simulator: CarrierSimulator | undefined,
  clock: Clock,
  logger: Logger,
): CarrierLookup | undefined {
  const p = config.lookup.provider
  if (!p) return undefined
  let provider: LineLookupProvider
  if (p.type === 'twilio') provider = twilioLookup(p, globalFetch)
  else if (p.type === 'vonage') provider = vonageInsight(p, globalFetch)
  else if (simulator) provider = simulatorLookup((n) => simulator.scenarioOf(n))
  else throw new Error('lookup.provider is the simulator, but the simulator is off (VERIGATE_SIMULATOR=true)')
  return new CarrierLookup({
    provider,
    clock,
    logger,
    cacheTtlSeconds: config.lookup.cacheTtlSeconds,
    timeoutMs: config.lookup.timeoutMs,
  })
}

/** The configured providers, then the built-in carrier simulator when it is on. */
function buildProviders(
  config: Readonly<Config>,
  overrides: DepsOverrides,
  clock: Clock,
  onReceipt: (report: DeliveryReport) => void,
): { providers: MessageProvider[]; simulator: CarrierSimulator | undefined } {
  const providerDeps = { fetch: globalFetch, clock, onReceipt }
  const providers: MessageProvider[] = [...(overrides.providers?.(onReceipt) ?? [])]
  const inbox = new PhoneInbox(config.simulator.inboxSize)
  const simulatorOn = simulatorEnabled(config)
  const simulatorSettings = {
    deliveryDelayMs: config.simulator.deliveryDelayMs,
    longDelayMs: config.simulator.longDelayMs,
  }
  for (const p of config.providers) {
    if (p.type !== 'simulator') providers.push(createProvider(p, providerDeps))
    else if (simulatorOn)
      providers.push(carrierSimulator({ ...simulatorSettings, ...p }, { ...providerDeps, inbox }))
    else
      throw new Error(
        `Provider "${p.id}" is a simulator, but the simulator is off (production needs VERIGATE_SIMULATOR=true)`,
      )
  }
  const simulator = simulatorOn ? carrierSimulator(simulatorSettings, { ...providerDeps, inbox }) : undefined
  if (simulator) providers.push(simulator)
  return { providers, simulator }
}

function buildWebhooks(
  config: Readonly<Config>,
  overrides: DepsOverrides,
  db: Kysely<Database>,
  caps: StorageCapabilities,
  keyring: Keyring,
  clock: Clock,
  logger: Logger,
  verifications: VerificationStore,
): { webhooks: Webhooks; webhookStore: WebhookStore; webhookWorker: WebhookWorker } {
  const webhookStore = new KyselyWebhookStore(db, caps)
  const kick = new Relay<void>()
  const allowPrivateNetworks = config.webhooks.allowPrivateNetworks ?? config.env !== 'production'
  const webhooks = new Webhooks({
    store: webhookStore,
    verifications,
    keyring,
    clock,
    notify: () => kick.emit(),
    allowPrivateNetworks,
  })
  const webhookWorker = new WebhookWorker({
    store: webhookStore,
    webhooks,
    clock,
    logger,
    fetch: overrides.webhookFetch ?? publicOnlyFetch({ allowPrivateNetworks }),
    config: config.webhooks,
  })
  kick.listen(() => webhookWorker.kick())
  return { webhooks, webhookStore, webhookWorker }
}

/** Authenticator-app factors, recovery codes, passkeys and support-approved account recovery. */
function buildAuthenticators(
  config: Readonly<Config>,
  db: Kysely<Database>,
  keyring: Keyring,
  clock: Clock,
  logger: Logger,
  services: Services,
  router: Router,
) {
  const factors = new TotpFactors({ store: new KyselyTotpFactorStore(db), keyring, clock, services })
  const recoveryCodeStore = new KyselyRecoveryCodeStore(db)
  const recoveryCodes = new RecoveryCodes({ store: recoveryCodeStore, keyring, clock, services })
  const passkeys = new Passkeys(
    {
      store: new KyselyPasskeyStore(db),
      challenges: new KyselyPasskeyChallengeStore(db),
      clock,
      services,
      logger,
    },
    config.webauthn,
  )
  const accountRecovery = new AccountRecovery(
    {
      store: new KyselyAccountRecoveryStore(db),
      clock,
      notifier: new RouterNotifier(router, { sendTimeoutMs: config.dispatcher.sendTimeoutMs }),
      services,
      totpFactors: factors,
      passkeys,
      recoveryCodes: recoveryCodeStore,
    },
    config.recovery,
  )
  return { factors, recoveryCodes, passkeys, accountRecovery }
}

/**
 * A fictional number (Ofcom's drama ranges, the simulator's test numbers) that only the carrier
 * simulator would carry, on every channel a code can fall back to: it costs nothing and reaches
 * nobody, so the fraud guard does not refuse it (docs/fraud.md). The same number routed to a real
 * provider is judged like any other.
 */
function isSimulatorTestNumber(router: Router, destination: string, country: string | null): boolean {
  if (fictionalType(destination) === undefined) return false
  const routes = CHANNELS.filter((c) => c !== 'email').flatMap((c) => router.candidates(c, country))
  return routes.length > 0 && routes.every((r) => r.provider.type === 'simulator')
}
