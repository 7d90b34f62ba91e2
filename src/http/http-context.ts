/**
 * @module HttpContext: what the native API, the pages and the console may use. Use-cases and
 * read models only, built once in `createDeps`: never a store or the database (a lint rule forbids
 * importing `storage/` from `http/`). Each route module takes the few members it needs.
 */
import type { Analytics } from '../analytics/index.js'
import type { ApiKeys } from '../auth/api-keys.js'
import type { ClientSessions } from '../client/client-sessions.js'
import type { Config } from '../config/schema.js'
import type { DeliveryReport, MessageProvider } from '../delivery/providers/provider.js'
import type { RouteHealth } from '../delivery/routing/route-health.js'
import type { Router } from '../delivery/routing/router.js'
import type { Diagnostician } from '../diagnosis/diagnostician.js'
import type { ChangeFeed } from '../events/change-feed.js'
import type { AccountRecovery } from '../factors/account-recovery.js'
import type { Passkeys } from '../factors/passkeys.js'
import type { RecoveryCodes } from '../factors/recovery-codes.js'
import type { TotpFactors } from '../factors/totp-factors.js'
import type { Readiness } from '../health/readiness.js'
import type { Metrics } from '../metrics/metrics.js'
import type { PersonalData } from '../privacy/personal-data.js'
import type { Keyring } from '../secrets/keyring.js'
import type { Services } from '../services/services.js'
import type { Clock } from '../shared/clock.js'
import type { CarrierSimulator } from '../simulator/carrier-simulator.js'
import type { Support } from '../support/support.js'
import type { Verifier } from '../verification/verifier.js'
import type { Webhooks } from '../webhooks/webhooks.js'
import type { ApiKeyAuth } from './auth.js'

/** The settings HTTP surfaces read. */
export type HttpSettings = Pick<Config, 'env' | 'publicUrl' | 'console' | 'metrics' | 'fraud'>

/** Receipt webhooks: which provider a path names, and where its verified reports go. */
export interface ReceiptIntake {
  provider(id: string): MessageProvider | undefined
  /** Resolves once the receipt is stored; rejects (the provider is answered 503 and retries) when it cannot be. */
  accept(report: DeliveryReport): Promise<void>
}

export interface HttpContext {
  readonly config: HttpSettings
  readonly clock: Clock
  /** API-key authentication, over the process's one `ApiKeys`. */
  readonly auth: ApiKeyAuth
  readonly apiKeys: ApiKeys
  readonly services: Services
  readonly verifier: Verifier
  readonly diagnostician: Diagnostician
  readonly factors: TotpFactors
  readonly recoveryCodes: RecoveryCodes
  readonly passkeys: Passkeys
  readonly accountRecovery: AccountRecovery
  readonly clientSessions: ClientSessions
  readonly analytics: Analytics
  readonly webhooks: Webhooks
  readonly metrics: Metrics
  readonly changes: ChangeFeed
  /** Routes per channel and country (read-only use here). */
  readonly router: Pick<Router, 'candidates' | 'channels'>
  readonly health: Pick<RouteHealth, 'snapshot'>
  readonly receipts: ReceiptIntake
  /** `/readyz`: each dependency and its state (docs/operations.md). */
  readonly readiness: Readiness
  /** Present when the carrier simulator is enabled. */
  readonly simulator: CarrierSimulator | undefined
  /** The support console's use-cases. */
  readonly support: Support
  /** Subject requests: export and erase one number or email (docs/privacy.md). */
  readonly personalData: Pick<PersonalData, 'export' | 'erase'>
  /** Keys for the console's CSRF tokens and encrypted person references. */
  readonly keyring: Keyring
}
