/** RecoveryCodes on a real database (every enabled dialect). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import { buildTestDeps, createTestService, type TestContext } from '../../test/helpers/test-deps.js'
import { AppError } from '../errors/app-error.js'
import { Keyring } from '../secrets/keyring.js'
import { KyselyRecoveryCodeStore } from '../storage/recovery-code-store.js'
import { normalizeRecoveryCode, RECOVERY_CODE_ALPHABET, RecoveryCodes } from './recovery-codes.js'

describe('recovery code format', () => {
  it('is xxxx-xxxx-xxxx from an unambiguous alphabet, with at least 50 bits', () => {
    expect(RECOVERY_CODE_ALPHABET).not.toMatch(/[01ilou]/)
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(RECOVERY_CODE_ALPHABET.length)
    expect(12 * Math.log2(RECOVERY_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50)
  })

  it('normalizes case, spaces and dashes, and refuses anything else', () => {
    expect(normalizeRecoveryCode(' ABCD-efgh 2345 ')).toBe('abcdefgh2345')
    expect(normalizeRecoveryCode('abcd-efgh-234')).toBeUndefined()
    expect(normalizeRecoveryCode('abcd-efgh-2340')).toBeUndefined()
    expect(normalizeRecoveryCode('')).toBeUndefined()
  })
})

for (const dialect of DIALECTS) {
  describe(`RecoveryCodes (${dialect})`, () => {
    let t: TestContext
    let codes: RecoveryCodes
    let serviceId: string
    let n = 0
    const entity = () => `user-${++n}`

    beforeAll(async () => {
      t = await buildTestDeps({ dialect })
      serviceId = (await createTestService(t.deps)).id
      codes = t.deps.recoveryCodes
    })
    afterAll(async () => t.close())

    const rejection = async (p: Promise<unknown>): Promise<AppError> => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(AppError)
      return err as AppError
    }

    it('generates ten distinct codes, shown once and stored only as HMACs', async () => {
      const entityId = entity()
      const { codes: plain } = await codes.generate(serviceId, entityId)
      expect(plain).toHaveLength(10)
      expect(new Set(plain).size).toBe(10)
      for (const c of plain)
        expect(c).toMatch(/^[2-9a-hjkmnp-tv-z]{4}-[2-9a-hjkmnp-tv-z]{4}-[2-9a-hjkmnp-tv-z]{4}$/)
      const rows = await t.deps.db
        .selectFrom('recovery_codes')
        .selectAll()
        .where('entity_id', '=', entityId)
        .execute()
      expect(rows).toHaveLength(10)
      const stored = JSON.stringify(rows)
      for (const c of plain) {
        expect(stored).not.toContain(c)
        expect(stored).not.toContain(c.replaceAll('-', ''))
      }
      for (const r of rows) expect(r.code_hmac).toMatch(/^t1:[A-Za-z0-9_-]{43}$/)
      expect(await codes.status(serviceId, entityId)).toMatchObject({ total: 10, remaining: 10, used: 0 })
    })

    it('binds codes to their entity', async () => {
      const a = entity()
      const { codes: plain } = await codes.generate(serviceId, a)
      await codes.generate(serviceId, entity())
      expect((await rejection(codes.use(serviceId, `${a}-other`, plain[0]!))).code).toBe(
        'RECOVERY_CODE_INCORRECT',
      )
      expect(await codes.use(serviceId, a, plain[0]!)).toEqual({ remaining: 9 })
    })

    it('uses each code once, accepting it in any case and spacing', async () => {
      const entityId = entity()
      const { codes: plain } = await codes.generate(serviceId, entityId)
      expect(
        await codes.use(serviceId, entityId, ` ${plain[3]!.toUpperCase().replaceAll('-', ' ')} `),
      ).toEqual({ remaining: 9 })
      expect((await rejection(codes.use(serviceId, entityId, plain[3]!))).code).toBe(
        'RECOVERY_CODE_INCORRECT',
      )
      expect((await rejection(codes.use(serviceId, entityId, 'not a code'))).code).toBe(
        'RECOVERY_CODE_INCORRECT',
      )
      expect(await codes.use(serviceId, entityId, plain[4]!)).toEqual({ remaining: 8 })
      expect(await codes.status(serviceId, entityId)).toMatchObject({ total: 10, remaining: 8, used: 2 })
    })

    it('lets exactly one of ten concurrent uses of the same code succeed', async () => {
      const entityId = entity()
      const { codes: plain } = await codes.generate(serviceId, entityId)
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => codes.use(serviceId, entityId, plain[0]!)),
      )
      const ok = results.filter((r) => r.status === 'fulfilled')
      expect(ok).toHaveLength(1)
      for (const r of results) {
        if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('RECOVERY_CODE_INCORRECT')
      }
      expect((await codes.status(serviceId, entityId)).remaining).toBe(9)
    })

    it('revokes the previous set on regeneration', async () => {
      const entityId = entity()
      const { codes: old } = await codes.generate(serviceId, entityId)
      await codes.use(serviceId, entityId, old[0]!)
      t.clock.advance(1000)
      const { codes: fresh, generatedAt } = await codes.generate(serviceId, entityId)
      for (const c of old.slice(1, 4))
        expect((await rejection(codes.use(serviceId, entityId, c))).code).toBe('RECOVERY_CODE_INCORRECT')
      expect(await codes.status(serviceId, entityId)).toEqual({
        total: 10,
        remaining: 10,
        used: 0,
        generatedAt,
      })
      expect(await codes.use(serviceId, entityId, fresh[9]!)).toEqual({ remaining: 9 })
    })

    it('keeps codes working after a key rotation', async () => {
      const entityId = entity()
      const { codes: plain } = await codes.generate(serviceId, entityId)
      const rotated = new RecoveryCodes({
        store: new KyselyRecoveryCodeStore(t.deps.db),
        keyring: new Keyring([
          't2:a-newer-secret-a-newer-secret-a-newer',
          't1:test-secret-test-secret-test-secret-0001',
        ]),
        clock: t.clock,
        services: t.deps.services,
      })
      expect(await rotated.use(serviceId, entityId, plain[1]!)).toEqual({ remaining: 9 })
    })

    it('reports no set as zero counts and refuses unknown services', async () => {
      expect(await codes.status(serviceId, entity())).toEqual({
        total: 0,
        remaining: 0,
        used: 0,
        generatedAt: null,
      })
      expect((await rejection(codes.generate('svc_nope', entity()))).code).toBe('SERVICE_NOT_FOUND')
    })
  })
}
