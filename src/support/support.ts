/**
 * @module Support: the support console's domain objects in one place (staff, sessions, sign-in,
 * audit log, actions, person pages), built from the stores and use-cases they work through.
 */
import type { ApiKey } from '../auth/api-key.js'
import type { OutboxStore } from '../delivery/outbox.js'
import type { Diagnostician } from '../diagnosis/diagnostician.js'
import type { AccountRecovery } from '../factors/account-recovery.js'
import type { FraudGuard } from '../fraud/fraud-guard.js'
import type { FraudMark } from '../fraud/fraud-store.js'
import type { VerificationLimits } from '../limits/verification-limits.js'
import type { RateLimiter } from '../ratelimit/rate-limiter.js'
import type { Clock } from '../shared/clock.js'
import type { VerificationStore } from '../verification/store.js'
import type { Verifier } from '../verification/verifier.js'
import { SupportActions, type SupportActionsDeps } from './actions.js'
import { AuditLog } from './audit.js'
import { ConsoleLogin } from './login.js'
import { loadPerson, type PersonFacts } from './person.js'
import { ConsoleSessions } from './sessions.js'
import { StaffDirectory } from './staff.js'
import type { SupportStore } from './store.js'

export interface SupportConfig {
  readonly defaultCountry: string
  readonly sessionTtlSeconds: number
  readonly idleTimeoutSeconds: number
  readonly loginAttempts: { readonly points: number; readonly durationSeconds: number }
}

export interface SupportDeps {
  readonly store: SupportStore
  readonly clock: Clock
  readonly limiter: Pick<RateLimiter, 'peek' | 'consume' | 'reset'>
  readonly apiKeys: { authenticate(header: string | undefined): Promise<ApiKey> }
  readonly verifier: Pick<Verifier, 'resend' | 'cancel' | 'get'>
  readonly verifications: Pick<VerificationStore, 'listByDestination' | 'listEvents' | 'get'>
  readonly outbox: Pick<OutboxStore, 'listForVerification'>
  readonly diagnostician: Pick<Diagnostician, 'diagnoseVerification' | 'diagnoseNumber'>
  readonly limits: Pick<VerificationLimits, 'liftForDestination'>
  readonly accountRecovery: Pick<AccountRecovery, 'request'>
  readonly routes: SupportActionsDeps['routes']
  /** The SMS-pumping guard: its live blocks and lifts, and lifting one. */
  readonly fraud?: Pick<FraudGuard, 'lift' | 'marks'> | undefined
}

export class Support {
  readonly staff: StaffDirectory
  readonly sessions: ConsoleSessions
  readonly audit: AuditLog
  readonly login: ConsoleLogin
  readonly actions: SupportActions

  constructor(
    private readonly deps: SupportDeps,
    readonly config: SupportConfig,
  ) {
    const { store, clock } = deps
    this.staff = new StaffDirectory({ store, clock })
    this.sessions = new ConsoleSessions({ store, clock }, config)
    this.audit = new AuditLog({ store, clock })
    this.login = new ConsoleLogin({
      staff: this.staff,
      sessions: this.sessions,
      audit: this.audit,
      limiter: deps.limiter,
      apiKeys: deps.apiKeys,
      attempts: config.loginAttempts,
    })
    this.actions = new SupportActions({
      store,
      audit: this.audit,
      clock,
      verifier: deps.verifier,
      verifications: deps.verifications,
      limits: deps.limits,
      accountRecovery: deps.accountRecovery,
      routes: deps.routes,
      fraud: deps.fraud,
    })
  }

  /** The fraud guard's live blocks and lifts, newest first (the Fraud guard page). */
  fraudMarks(): Promise<FraudMark[]> {
    return this.deps.fraud ? this.deps.fraud.marks() : Promise.resolve([])
  }

  /** What is known of an app's user (`entity_id`): their verifications' destinations and factors. */
  entity(entityId: string) {
    return this.deps.store.findEntity(entityId)
  }

  /** `services`: the services the reader may see, or null for all (see `loadPerson`). */
  person(destination: string, services: readonly string[] | null = null): Promise<PersonFacts> {
    return loadPerson(this.deps, destination, services)
  }
}
