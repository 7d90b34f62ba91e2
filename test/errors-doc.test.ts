/** Keeps docs/errors.md and the error catalog in sync, and pins the released code list. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_CODE_LIST, ERROR_CODES } from '../src/errors/codes.js'

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')
const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => ({
  code: m[1]!,
  status: Number(m[2]),
}))

describe('docs/errors.md', () => {
  it('documents every code with its status', () => {
    for (const code of ERROR_CODE_LIST) {
      const row = rows.find((r) => r.code === code)
      expect(row, `${code} has no row in docs/errors.md`).toBeDefined()
      expect(row?.status, `${code} status in docs/errors.md`).toBe(ERROR_CODES[code].status)
    }
  })

  it('documents only real codes, once each', () => {
    const codes = rows.map((r) => r.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes)
      expect(ERROR_CODE_LIST, `${code} is in the doc but not in the catalog`).toContain(code)
  })

  it('never loses a released code (add new ones here; never remove)', () => {
    const released = [
      'API_KEY_NOT_FOUND',
      'BODY_MALFORMED',
      'BODY_TOO_LARGE',
      'CHANNEL_NOT_ALLOWED',
      'CHANNEL_UNAVAILABLE',
      'CODE_INCORRECT',
      'COUNTRY_NOT_ALLOWED',
      'FRAUD_SUSPECTED',
      'FRAUD_SETTINGS_INVALID',
      'CODE_MALFORMED',
      'EMAIL_INVALID',
      'FORBIDDEN',
      'IDEMPOTENCY_KEY_INVALID',
      'IDEMPOTENCY_KEY_REUSED',
      'INTERNAL',
      'MAX_CHECK_ATTEMPTS_REACHED',
      'MAX_SENDS_REACHED',
      'METHOD_NOT_ALLOWED',
      'PHONE_NUMBER_INVALID',
      'PHONE_NUMBER_NOT_SMS_CAPABLE',
      'PROVIDER_UNAVAILABLE',
      'RATE_LIMITED',
      'ROUTE_NOT_FOUND',
      'SERVICE_NOT_FOUND',
      'SERVICE_UNAVAILABLE',
      'SIMULATOR_DISABLED',
      'UNAUTHORIZED',
      'UNSUPPORTED_MEDIA_TYPE',
      'VALIDATION_FAILED',
      'VERIFICATION_EXPIRED',
      'VERIFICATION_NOT_FOUND',
      'VERIFICATION_NOT_PENDING',
      'VERIFICATION_PENDING_ELSEWHERE',
      'FACTOR_NOT_FOUND',
      'FACTOR_NOT_VERIFIED',
      'FACTOR_ALREADY_VERIFIED',
      'FACTOR_CODE_INCORRECT',
      'FACTOR_CODE_REUSED',
      'FACTOR_LOCKED',
      'RECOVERY_CODE_INCORRECT',
      'PASSKEY_NOT_FOUND',
      'PASSKEY_ALREADY_REGISTERED',
      'PASSKEY_CHALLENGE_NOT_FOUND',
      'PASSKEY_CHALLENGE_EXPIRED',
      'PASSKEY_VERIFICATION_FAILED',
      'PASSKEY_COUNTER_INVALID',
      'RECOVERY_NOT_FOUND',
      'RECOVERY_NOT_PENDING',
      'RECOVERY_COOLING_OFF',
      'WEBHOOK_NOT_FOUND',
      'WEBHOOK_URL_NOT_PUBLIC',
      'CLIENT_TOKEN_INVALID',
      'CLIENT_TOKEN_EXPIRED',
      'CLIENT_SESSION_NOT_FOUND',
      'ENROLMENT_NOT_ALLOWED',
      'ENTITY_REQUIRED',
      'CONSOLE_LOGIN_FAILED',
      'CONSOLE_LOGIN_THROTTLED',
      'CONSOLE_SESSION_INVALID',
      'CONSOLE_ROLE_FORBIDDEN',
      'CSRF_TOKEN_INVALID',
      'CSRF_ORIGIN_INVALID',
      'STAFF_NOT_FOUND',
      'STAFF_EMAIL_TAKEN',
    ]
    for (const code of released) expect(ERROR_CODE_LIST).toContain(code)
  })
})
