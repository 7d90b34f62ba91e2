/** TotpFactors on a real database (every enabled dialect), with a manual clock. */
import { Secret } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import { buildTestDeps, createTestService, type TestContext } from '../../test/helpers/test-deps.js'
import { AppError } from '../errors/app-error.js'
import { KyselyTotpFactorStore } from '../storage/factor-store.js'
import type { TotpEnrolment } from './factors.js'
import { TotpFactors, totpCode } from './totp-factors.js'

const RFC_SECRET = Secret.fromLatin1('12345678901234567890').base32
// RFC 6238 Appendix B, SHA1 rows: unix seconds -> 8-digit code.
const RFC_VECTORS: ReadonlyArray<readonly [number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
]

describe('totpCode: RFC 6238 SHA1 vectors', () => {
  it.each(RFC_VECTORS)('T=%i -> %s', (t, code) => {
    expect(totpCode(RFC_SECRET, t * 1000, { digits: 8 })).toBe(code)
  })
})

for (const dialect of DIALECTS) {
  describe(`TotpFactors (${dialect})`, () => {
    let t: TestContext
    let factors: TotpFactors
    let serviceId: string
    let n = 0
    const entity = () => `user-${++n}`
    const start = Date.UTC(2026, 2, 1, 12, 0, 0)

    beforeAll(async () => {
      t = await buildTestDeps({ dialect })
      t.clock.set(start)
      serviceId = (await createTestService(t.deps, { name: 'Acme Exchange' })).id
      factors = t.deps.factors
    })
    afterAll(async () => t.close())

    const codeAt = (e: TotpEnrolment, offsetSteps = 0) =>
      totpCode(e.secret, t.clock.now() + offsetSteps * 30_000)
    /** A code that matches no step in the ±2 window around now. */
    const wrongCode = (e: TotpEnrolment) => {
      const near = new Set([-2, -1, 0, 1, 2].map((d) => codeAt(e, d)))
      for (let i = 0; ; i++) {
        const c = String(i).padStart(6, '0')
        if (!near.has(c)) return c
      }
    }
    const enrolVerified = async (): Promise<TotpEnrolment> => {
      const e = await factors.enrol({ serviceId, entityId: entity(), friendlyName: 'Phone' })
      expect((await factors.verify(serviceId, e.factor.entityId, e.factor.id, codeAt(e))).status).toBe(
        'approved',
      )
      // Three steps on, so every code within ±2 steps of now is unused.
      t.clock.advance(90_000)
      return e
    }
    const challenge = (e: TotpEnrolment, code: string) =>
      factors.challenge(serviceId, e.factor.entityId, e.factor.id, code)
    const rejection = async (p: Promise<unknown>): Promise<AppError> => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(AppError)
      return err as AppError
    }

    it('pins the RFC 6238 vectors through enrol, verify and challenge', async () => {
      const rfc = new TotpFactors({
        store: new KyselyTotpFactorStore(t.deps.db),
        keyring: t.deps.keyring,
        clock: t.clock,
        services: t.deps.services,
        randomSecret: () => Buffer.from('12345678901234567890', 'latin1'),
      })
      t.clock.set(0)
      const e = await rfc.enrol({ serviceId, entityId: entity(), friendlyName: 'RFC', digits: 8, skew: 0 })
      expect(e.secret).toBe(RFC_SECRET)
      // The first code verifies the factor; each later (newer) one is a challenge.
      for (const [i, [seconds, code]] of RFC_VECTORS.entries()) {
        t.clock.set(seconds * 1000)
        const check = i === 0 ? rfc.verify.bind(rfc) : rfc.challenge.bind(rfc)
        expect((await check(serviceId, e.factor.entityId, e.factor.id, code)).status, `T=${seconds}`).toBe(
          'approved',
        )
      }
      t.clock.set(start)
    })

    it('enrols an unverified factor with a fresh 160-bit secret and an otpauth URI', async () => {
      const entityId = entity()
      const e = await factors.enrol({ serviceId, entityId, friendlyName: ' Work phone ' })
      expect(e.factor).toMatchObject({
        serviceId,
        entityId,
        friendlyName: 'Work phone',
        status: 'unverified',
        issuer: 'Acme Exchange',
        digits: 6,
        periodSeconds: 30,
        skew: 1,
      })
      expect(e.factor.id).toMatch(/^fac_[0-9a-z]{24}$/)
      expect(Secret.fromBase32(e.secret).bytes).toHaveLength(20)
      const uri = new URL(e.uri)
      expect(uri.protocol).toBe('otpauth:')
      expect(uri.host).toBe('totp')
      expect(decodeURIComponent(uri.pathname)).toBe(`/Acme Exchange:${entityId}`)
      expect(uri.searchParams.get('secret')).toBe(e.secret)
      expect(uri.searchParams.get('issuer')).toBe('Acme Exchange')
      expect(uri.searchParams.get('algorithm')).toBe('SHA1')
      t.clock.advance(1)
      const other = await factors.enrol({ serviceId, entityId, friendlyName: 'Tablet', issuer: 'Acme' })
      expect(other.secret).not.toBe(e.secret)
      expect((await factors.list(serviceId, entityId)).map((f) => f.id)).toEqual([
        e.factor.id,
        other.factor.id,
      ])
    })

    it('stores the secret encrypted, bound to the factor id, and never in clear', async () => {
      const e = await factors.enrol({ serviceId, entityId: entity(), friendlyName: 'Phone' })
      const row = await t.deps.db
        .selectFrom('totp_factors')
        .selectAll()
        .where('id', '=', e.factor.id)
        .executeTakeFirstOrThrow()
      const stored = JSON.stringify(row)
      expect(stored).not.toContain(e.secret)
      expect(stored).not.toContain(Buffer.from(Secret.fromBase32(e.secret).bytes).toString('base64'))
      expect(stored).not.toContain(Buffer.from(Secret.fromBase32(e.secret).bytes).toString('hex'))
      expect(t.deps.keyring.decrypt(row.secret_ciphertext, e.factor.id)).toBe(e.secret)
      expect(() => t.deps.keyring.decrypt(row.secret_ciphertext, 'fac_other')).toThrow()
      // The public view carries none of it.
      expect(JSON.stringify(await factors.get(serviceId, e.factor.entityId, e.factor.id))).not.toContain(
        row.secret_ciphertext,
      )
    })

    it('refuses enrolment for an unknown service or bad settings', async () => {
      expect(
        (await rejection(factors.enrol({ serviceId: 'svc_nope', entityId: 'u', friendlyName: 'x' }))).code,
      ).toBe('SERVICE_NOT_FOUND')
      expect((await rejection(factors.enrol({ serviceId, entityId: 'u', friendlyName: '  ' }))).code).toBe(
        'VALIDATION_FAILED',
      )
      expect(
        (await rejection(factors.enrol({ serviceId, entityId: 'u', friendlyName: 'x', digits: 5 }))).code,
      ).toBe('VALIDATION_FAILED')
      expect(
        (await rejection(factors.enrol({ serviceId, entityId: 'u', friendlyName: 'x', skew: 3 }))).code,
      ).toBe('VALIDATION_FAILED')
    })

    it('turns verified on the first good code; challenge needs a verified factor', async () => {
      const e = await factors.enrol({ serviceId, entityId: entity(), friendlyName: 'Phone' })
      expect((await rejection(challenge(e, codeAt(e)))).code).toBe('FACTOR_NOT_VERIFIED')
      expect(await factors.verify(serviceId, e.factor.entityId, e.factor.id, wrongCode(e))).toMatchObject({
        status: 'denied',
        attemptsLeft: 4,
      })
      const ok = await factors.verify(serviceId, e.factor.entityId, e.factor.id, codeAt(e))
      expect(ok.status).toBe('approved')
      expect(ok.factor.status).toBe('verified')
      expect((await factors.get(serviceId, e.factor.entityId, e.factor.id))?.status).toBe('verified')
      t.clock.advance(30_000)
      expect((await challenge(e, codeAt(e))).status).toBe('approved')
    })

    it('accepts one step of drift either way and refuses two', async () => {
      for (const offset of [-1, 1]) {
        const e = await enrolVerified()
        expect((await challenge(e, codeAt(e, offset))).status, `offset ${offset}`).toBe('approved')
      }
      for (const offset of [-2, 2]) {
        const e = await enrolVerified()
        expect((await challenge(e, codeAt(e, offset))).status, `offset ${offset}`).toBe('denied')
      }
    })

    it('refuses a replayed code, and a code of a step older than the last one used', async () => {
      const e = await enrolVerified()
      const code = codeAt(e)
      expect((await challenge(e, code)).status).toBe('approved')
      const replay = await rejection(challenge(e, code))
      expect(replay.code).toBe('FACTOR_CODE_REUSED')
      expect(replay.details.attempts_left).toBe(4)
      // Accept the step ahead (clock drift), then the current step's code is in the past.
      const e2 = await enrolVerified()
      const current = codeAt(e2)
      expect((await challenge(e2, codeAt(e2, 1))).status).toBe('approved')
      expect((await rejection(challenge(e2, current))).code).toBe('FACTOR_CODE_REUSED')
    })

    it('approves exactly one of several concurrent uses of the same code', async () => {
      const e = await enrolVerified()
      const code = codeAt(e)
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => challenge(e, code)))
      const approved = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'approved')
      expect(approved).toHaveLength(1)
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect((r.reason as AppError).code).toBe('FACTOR_CODE_REUSED')
      }
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4)
    })

    it('locks after 5 wrong codes in a row, says when to retry, and doubles the next lock', async () => {
      const e = await enrolVerified()
      for (const left of [4, 3, 2, 1]) {
        expect(await challenge(e, wrongCode(e))).toMatchObject({ status: 'denied', attemptsLeft: left })
      }
      const locked = await rejection(challenge(e, wrongCode(e)))
      expect(locked.code).toBe('FACTOR_LOCKED')
      expect(locked.status).toBe(429)
      expect(locked.details).toMatchObject({ retry_after: 30, limit: 'factor_wrong_codes' })
      expect(locked.headers['retry-after']).toBe('30')

      // While locked even the right code is refused, and the try is not counted.
      t.clock.advance(10_000)
      const still = await rejection(challenge(e, codeAt(e)))
      expect(still.code).toBe('FACTOR_LOCKED')
      expect(still.details.retry_after).toBe(20)

      // A fresh round after the lock; five more wrong codes lock for twice as long.
      t.clock.advance(20_000)
      for (let i = 0; i < 4; i++) await challenge(e, wrongCode(e))
      expect((await rejection(challenge(e, wrongCode(e)))).details.retry_after).toBe(60)

      // A success resets both the tries and the lock growth.
      t.clock.advance(60_000)
      expect((await challenge(e, codeAt(e))).status).toBe('approved')
      t.clock.advance(30_000)
      for (let i = 0; i < 4; i++) await challenge(e, wrongCode(e))
      expect((await rejection(challenge(e, wrongCode(e)))).details.retry_after).toBe(30)
    })

    it('resets the wrong-try count on success', async () => {
      const e = await enrolVerified()
      for (let i = 0; i < 3; i++) await challenge(e, wrongCode(e))
      expect((await challenge(e, codeAt(e))).status).toBe('approved')
      t.clock.advance(30_000)
      expect(await challenge(e, wrongCode(e))).toMatchObject({ status: 'denied', attemptsLeft: 4 })
    })

    it('refuses malformed codes without using a try, and accepts spaces', async () => {
      const e = await enrolVerified()
      for (const bad of ['12345', '1234567', 'abcdef', '']) {
        expect((await rejection(challenge(e, bad))).code, bad).toBe('CODE_MALFORMED')
      }
      const code = codeAt(e)
      expect((await challenge(e, `${code.slice(0, 3)} ${code.slice(3)}`)).status).toBe('approved')
      t.clock.advance(30_000)
      expect(await challenge(e, wrongCode(e))).toMatchObject({ attemptsLeft: 4 })
    })

    it('answers FACTOR_NOT_FOUND for unknown factors and for factors of another entity', async () => {
      const e = await enrolVerified()
      expect(
        (await rejection(factors.challenge(serviceId, e.factor.entityId, 'fac_nope', '123456'))).code,
      ).toBe('FACTOR_NOT_FOUND')
      expect((await rejection(factors.challenge(serviceId, 'intruder', e.factor.id, codeAt(e)))).code).toBe(
        'FACTOR_NOT_FOUND',
      )
      expect(await factors.delete(serviceId, e.factor.entityId, e.factor.id)).toBe(true)
      expect((await rejection(challenge(e, codeAt(e)))).code).toBe('FACTOR_NOT_FOUND')
    })

    it('gives the enrolment URI again only while unverified', async () => {
      const e = await factors.enrol({ serviceId, entityId: entity(), friendlyName: 'Phone' })
      expect(await factors.enrolmentUri(serviceId, e.factor.entityId, e.factor.id)).toBe(e.uri)
      await factors.verify(serviceId, e.factor.entityId, e.factor.id, codeAt(e))
      expect((await rejection(factors.enrolmentUri(serviceId, e.factor.entityId, e.factor.id))).code).toBe(
        'FACTOR_ALREADY_VERIFIED',
      )
    })
  })
}
