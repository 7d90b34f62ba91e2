/**
 * @module Console sign-in: a staff email and password, or an API key with the admin scope (acting
 * as an admin, audited as `api-key <id>`). Failed attempts are counted per account and per client
 * IP in the shared rate limiter; past the limit every attempt is refused with the time to wait,
 * before any password is even checked.
 */
import type { ApiKey } from '../auth/api-key.js'
import { AppError } from '../errors/app-error.js'
import type { LimitRule, RateLimiter } from '../ratelimit/rate-limiter.js'
import type { AuditLog } from './audit.js'
import type { ConsolePrincipal, ConsoleSessions } from './sessions.js'
import type { StaffDirectory } from './staff.js'

export interface ConsoleLoginDeps {
  readonly staff: Pick<StaffDirectory, 'authenticate'>
  readonly sessions: Pick<ConsoleSessions, 'open'>
  readonly audit: Pick<AuditLog, 'record'>
  readonly limiter: Pick<RateLimiter, 'peek' | 'consume' | 'reset'>
  /** Resolves `Bearer vgk_...`; throws for an unknown or revoked key. */
  readonly apiKeys: { authenticate(header: string | undefined): Promise<ApiKey> }
  /** Failed sign-ins per account and per IP per window (`console.loginAttempts`). */
  readonly attempts: { readonly points: number; readonly durationSeconds: number }
}

export interface LoginResult {
  /** The cookie token: shown to the browser once, only its hash is stored. */
  readonly token: string
  readonly principal: ConsolePrincipal
}

function waitText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000))
  if (s < 90) return `${s} second${s === 1 ? '' : 's'}`
  const m = Math.ceil(s / 60)
  return `${m} minute${m === 1 ? '' : 's'}`
}

export class ConsoleLogin {
  private readonly rule: LimitRule

  constructor(private readonly deps: ConsoleLoginDeps) {
    this.rule = {
      name: 'console-login',
      points: deps.attempts.points,
      durationSeconds: deps.attempts.durationSeconds,
    }
  }

  /**
   * @throws AppError CONSOLE_LOGIN_THROTTLED (with `retry_after`), CONSOLE_LOGIN_FAILED
   */
  async withPassword(email: string, password: string, ip: string | null): Promise<LoginResult> {
    const account = `account:${email.trim().toLowerCase().slice(0, 254)}`
    await this.assertNotThrottled(account, ip)
    const member = email && password ? await this.deps.staff.authenticate(email, password) : undefined
    if (!member) {
      await this.failed(account, ip, email.trim().toLowerCase().slice(0, 254) || '(empty)')
      throw new AppError('CONSOLE_LOGIN_FAILED', {
        message: 'The email or password is not right, or the account is disabled.',
      })
    }
    await this.deps.limiter.reset(this.rule, account)
    const opened = await this.deps.sessions.open({
      staffId: member.id,
      actor: member.email,
      role: member.role,
    })
    await this.deps.audit.record({ name: member.email, role: member.role, ip }, 'console.login', {
      target: member.id,
      details: { method: 'password' },
    })
    return { token: opened.token, principal: { ...opened.session, services: member.services } }
  }

  /**
   * @throws AppError CONSOLE_LOGIN_THROTTLED, CONSOLE_LOGIN_FAILED (unknown, revoked, or not admin)
   */
  async withApiKey(token: string, ip: string | null): Promise<LoginResult> {
    const account = 'account:api-key'
    await this.assertNotThrottled(account, ip)
    let key: ApiKey | undefined
    try {
      key = await this.deps.apiKeys.authenticate(`Bearer ${token.trim()}`)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
    }
    if (!key?.scopes.includes('admin')) {
      await this.failed(account, ip, key ? `api-key ${key.id}` : 'api-key (unknown)')
      throw new AppError('CONSOLE_LOGIN_FAILED', {
        message: key
          ? 'This API key lacks the admin scope; only admin keys can open the console.'
          : 'This API key is not known or has been revoked.',
      })
    }
    if (key.services !== null) {
      // The console reads every service; a key limited to some must not open it.
      await this.failed(account, ip, `api-key ${key.id}`)
      throw new AppError('CONSOLE_LOGIN_FAILED', {
        message:
          'This API key is limited to some services; the console needs a global admin key, or a staff account limited to those services.',
      })
    }
    const actor = `api-key ${key.id}`
    const opened = await this.deps.sessions.open({ staffId: null, actor, role: 'admin' })
    await this.deps.audit.record({ name: actor, role: 'admin', ip }, 'console.login', {
      target: key.id,
      details: { method: 'api_key' },
    })
    return { token: opened.token, principal: { ...opened.session, services: null } }
  }

  private async assertNotThrottled(account: string, ip: string | null): Promise<void> {
    const checks = [this.deps.limiter.peek(this.rule, account)]
    if (ip) checks.push(this.deps.limiter.peek(this.rule, `ip:${ip}`))
    const refused = (await Promise.all(checks)).filter((d) => !d.allowed)
    if (refused.length === 0) return
    const waitMs = Math.max(...refused.map((d) => d.retryAfterMs))
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000))
    throw new AppError('CONSOLE_LOGIN_THROTTLED', {
      message: `Too many failed sign-ins for this account or from this network. Try again in ${waitText(waitMs)}.`,
      details: { retry_after: retryAfter },
      headers: { 'retry-after': String(retryAfter) },
    })
  }

  private async failed(account: string, ip: string | null, who: string): Promise<void> {
    await this.deps.limiter.consume(this.rule, account)
    if (ip) await this.deps.limiter.consume(this.rule, `ip:${ip}`)
    await this.deps.audit.record({ name: who, role: 'anonymous', ip }, 'console.login_failed', {})
  }
}
