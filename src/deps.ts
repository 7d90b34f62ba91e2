/**
 * @module createDeps(config): opens storage, builds providers and limiter once, and wires the
 * domain objects. Everything the HTTP app and the CLI use comes from here.
 */
import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type pg from 'pg'
import { type AlertMonitor, type Analytics, createAnalytics } from './analytics/index.js'
import type { ApiKeyStore } from './auth/api-key.js'
import { ClientSessions } from './client/client-sessions.js'
import { simulatorEnabled } from './config/load.js'
import type { Config } from './config/schema.js'
import { Dispatcher } from './delivery/dispatcher.js'
import type { OutboxStore } from './delivery/outbox.js'
import { createProvider } from './delivery/providers/index.js'
import type { DeliveryReport, MessageProvider } from './delivery/providers/provider.js'
import { RouteHealth } from './delivery/routing/route-health.js'
import { Router } from './delivery/routing/router.js'
import { Diagnostician } from './diagnosis/diagnostician.js'
import { type ChangeFeed, createChangeFeed } from './events/change-feed.js'
import { EventBus } from './events/event-bus.js'
import { AccountRecovery } from './factors/account-recovery.js'
import { RouterNotifier } from './factors/notifier.js'
import { Passkeys } from './factors/passkeys.js'
import { RecoveryCodes } from './factors/recovery-codes.js'
import { TotpFactors } from './factors/totp-factors.js'
import { VerificationLimits } from './limits/verification-limits.js'
import { createMetrics, type Metrics } from './metrics/metrics.js'
import { countDueOutbox } from './metrics/outbox-due.js'
import { createRateLimiter, type RateLimiter } from './ratelimit/index.js'
import { loadOrCreateDevKeys } from './secrets/dev-secrets.js'
import { Keyring } from './secrets/keyring.js'
import type { ServiceStore } from './services/service.js'
import { ServiceDirectory } from './services/service-directory.js'
import { type Clock, systemClock } from './shared/clock.js'
import { type FetchFn, globalFetch } from './shared/http-client.js'
import { createLogger, type Logger } from './shared/logger.js'
import { publicOnlyFetch } from './shared/private-network-guard.js'
import { type CarrierSimulator, carrierSimulator } from './simulator/carrier-simulator.js'
import { PhoneInbox } from './simulator/phone-inbox.js'
import { KyselyAccountRecoveryStore } from './storage/account-recovery-store.js'
import { KyselyApiKeyStore } from './storage/api-key-store.js'
import type { StorageCapabilities } from './storage/capabilities.js'
import { KyselyClientSessionStore } from './storage/client-session-store.js'
import { KyselyTotpFactorStore } from './storage/factor-store.js'
import { openAndMigrate, resolveDatabaseUrl } from './storage/open-database.js'
import { KyselyOutboxStore } from './storage/outbox-store.js'
import { KyselyPasskeyChallengeStore } from './storage/passkey-challenge-store.js'
import { KyselyPasskeyStore } from './storage/passkey-store.js'
import { KyselyRecoveryCodeStore } from './storage/recovery-code-store.js'
import type { Database } from './storage/schema.js'
import { KyselyServiceStore } from './storage/service-store.js'
import { KyselySupportStore } from './storage/support-store.js'
import { KyselyVerificationStore } from './storage/verification-store.js'
import { KyselyWebhookStore } from './storage/webhook-store.js'
import { SafeList } from './support/safe-list.js'
import type { VerificationStore } from './verification/store.js'
import { Verifier } from './verification/verifier.js'
import type { WebhookStore } from './webhooks/webhook.js'
import { WebhookWorker } from './webhooks/webhook-worker.js'
import { Webhooks } from './webhooks/webhooks.js'

export interface Deps {
  readonly config: Readonly<Config>
  readonly clock: Clock
  readonly logger: Logger
  readonly db: Kysely<Database>
  readonly caps: StorageCapabilities
  readonly keyring: Keyring
  readonly stores: {
    readonly verifications: VerificationStore
    readonly outbox: OutboxStore
    readonly services: ServiceStore
    readonly apiKeys: ApiKeyStore
  }
  readonly services: ServiceDirectory
  readonly limiter: RateLimiter
  readonly limits: VerificationLimits
  readonly router: Router
  readonly health: RouteHealth
  /** Present when the carrier simulator is enabled. */
  readonly simulator: CarrierSimulator | undefined
  readonly dispatcher: Dispatcher
  readonly verifier: Verifier
  /** "Didn't get the code?": the cause of a verification's trouble, from its recorded facts. */
  readonly diagnostician: Diagnostician
  /** Authenticator-app (TOTP) factors. */
  readonly factors: TotpFactors
  /** Single-use recovery codes per entity. */
  readonly recoveryCodes: RecoveryCodes
  /** Passkeys (WebAuthn credentials) per entity, and their ceremonies. */
  readonly passkeys: Passkeys
  /** Support-approved resets of every factor of an entity, with cooling-off and notices. */
  readonly accountRecovery: AccountRecovery
  /** Browser tokens (`vct_...`) and the client API's use-cases (docs/client-api.md). */
  readonly clientSessions: ClientSessions
  /** Every stored verification event, once written (metrics and webhooks listen here). */
  readonly events: EventBus
  /** Which verifications changed, on this instance or another (the browsers' status streams). */
  readonly changes: ChangeFeed
  /** This app's Prometheus registry and HTTP observer. */
  readonly metrics: Metrics
  /** Per-service webhook endpoints, and the bridge from events to deliveries. */
  readonly webhooks: Webhooks
  readonly webhookStore: WebhookStore
  /** Sends queued webhooks; started beside the dispatcher. */
  readonly webhookWorker: WebhookWorker
  /** Conversion, delivery rate and timing figures, and the recent rate-drop alerts (docs/analytics.md). */
  readonly analytics: Analytics
  /** Checks rates for sharp drops; started beside the dispatcher. */
  readonly alertMonitor: AlertMonitor
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
}

export async function createDeps(config: Readonly<Config>, overrides: DepsOverrides = {}): Promise<Deps> {
  const clock = overrides.clock ?? systemClock
  const logger = overrides.logger ?? createLogger(config.logLevel)
  const opened = await openAndMigrate(resolveDatabaseUrl(config.databaseUrl, config.dataDir))
  const { db, caps } = opened
  const keyring = new Keyring(config.secrets.keys ?? loadOrCreateDevKeys(config.dataDir))

  const stores = {
    verifications: new KyselyVerificationStore(db),
    outbox: new KyselyOutboxStore(db, caps),
    services: new KyselyServiceStore(db),
    apiKeys: new KyselyApiKeyStore(db),
  }
  const services = new ServiceDirectory(stores.services, clock)

  const limiterStore =
    config.rateLimitStore !== 'auto'
      ? config.rateLimitStore
      : config.redisUrl
        ? 'redis'
        : caps.dialect === 'postgres'
          ? 'postgres'
          : 'memory'
  const limiter = await createRateLimiter(
    limiterStore === 'redis'
      ? {
          kind: 'redis',
          url: requireValue(config.redisUrl, 'redisUrl (REDIS_URL) is required for the redis limit store'),
        }
      : limiterStore === 'postgres'
        ? {
            kind: 'postgres',
            pool: requireValue(
              (opened as { pool?: pg.Pool }).pool,
              'the postgres limit store needs a PostgreSQL database',
            ),
          }
        : limiterStore === 'sqlite'
          ? {
              kind: 'sqlite',
              db: requireValue(
                (opened as { raw?: BetterSqlite3.Database }).raw,
                'the sqlite limit store needs a SQLite database',
              ),
            }
          : { kind: 'memory' },
  )
  // Safe-listed numbers (support console) skip the SMS-pumping guard and the per-destination send limit.
  const safeList = new SafeList(new KyselySupportStore(db))
  const limits = new VerificationLimits(limiter, config.limits, safeList)

  // The dispatcher is built after the providers, but providers need somewhere to push receipts.
  let dispatcher: Dispatcher | undefined
  const onReceipt = (report: DeliveryReport) => dispatcher?.acceptReceipt(report)
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
  let simulator: CarrierSimulator | undefined
  if (simulatorOn) {
    simulator = carrierSimulator(simulatorSettings, { ...providerDeps, inbox })
    providers.push(simulator)
  }
  const health = new RouteHealth(config.routing.health, clock)
  const router = new Router(providers, config.routing.routes, health)
  const events = new EventBus((err, event) =>
    logger.error({ err, type: event.type }, 'event listener failed'),
  )
  const changes = await createChangeFeed({
    bus: events,
    logger,
    redisUrl: config.redisUrl,
    pgPool: caps.dialect === 'postgres' ? (opened as { pool?: pg.Pool }).pool : undefined,
  })
  const webhookStore = new KyselyWebhookStore(db, caps)
  let webhookWorker: WebhookWorker | undefined
  const webhooks = new Webhooks({
    store: webhookStore,
    verifications: stores.verifications,
    keyring,
    clock,
    notify: () => webhookWorker?.kick(),
  })
  webhookWorker = new WebhookWorker({
    store: webhookStore,
    webhooks,
    clock,
    logger,
    fetch:
      overrides.webhookFetch ??
      publicOnlyFetch({
        allowPrivateNetworks: config.webhooks.allowPrivateNetworks ?? config.env !== 'production',
      }),
    config: config.webhooks,
  })
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
  const { analytics, alertMonitor } = createAnalytics({
    db,
    clock,
    logger,
    config: config.analytics,
    webhookStore,
    notifyWebhooks: () => webhookWorker?.kick(),
    registry: metrics.registry,
  })
  dispatcher = new Dispatcher({
    outbox: stores.outbox,
    codes: { codeToSend: (id, now) => verifier.codeToSend(id, now) },
    journal: stores.verifications,
    services,
    router,
    health,
    limiter,
    clock,
    logger,
    config: config.dispatcher,
    routing: config.routing,
    onEvent: (e) => events.publish(e),
  })
  const d = dispatcher
  const verifier = new Verifier({
    store: stores.verifications,
    services,
    limits,
    keyring,
    clock,
    notifyOutbox: () => d.kick(),
    geo: config.geo,
    onEvent: (e) => events.publish(e),
  })
  const diagnostician = new Diagnostician({
    verifications: stores.verifications,
    outbox: stores.outbox,
    clock,
    receiptTimeoutMs: config.routing.receiptTimeoutMs,
    geo: config.geo,
    limiter,
    limitConfig: config.limits,
    safeList,
    cooldown: limits,
    health,
    router,
  })
  const factors = new TotpFactors({ store: new KyselyTotpFactorStore(db), keyring, clock, services })
  const recoveryCodes = new RecoveryCodes({
    store: new KyselyRecoveryCodeStore(db),
    keyring,
    clock,
    services,
  })
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
      recoveryCodes: new KyselyRecoveryCodeStore(db),
    },
    config.recovery,
  )

  const clientSessions = new ClientSessions({
    store: new KyselyClientSessionStore(db),
    verifier,
    verifications: stores.verifications,
    outbox: stores.outbox,
    limits,
    services,
    diagnostician,
    factors,
    passkeys,
    recoveryCodes,
    clock,
  })

  return {
    config,
    clock,
    logger,
    db,
    caps,
    keyring,
    stores,
    services,
    limiter,
    limits,
    router,
    health,
    simulator,
    dispatcher,
    verifier,
    diagnostician,
    factors,
    recoveryCodes,
    passkeys,
    accountRecovery,
    clientSessions,
    events,
    changes,
    metrics,
    webhooks,
    webhookStore,
    webhookWorker,
    analytics,
    alertMonitor,
    migrationsApplied: opened.applied,
    async close() {
      await d.stop()
      await webhookWorker.stop()
      await alertMonitor.stop()
      metrics.close()
      await router.close()
      await limiter.close()
      await changes.close()
      await opened.close()
    },
  }
}

function requireValue<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message)
  return value
}
