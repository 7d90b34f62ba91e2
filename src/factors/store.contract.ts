/**
 * @module The TotpFactorStore + RecoveryCodeStore contract, run once per storage implementation
 * (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set) by
 * `src/storage/factor-stores.contract.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServiceStore } from '../services/service.js'
import { newId } from '../shared/ids.js'
import type { RecoveryCodeRecord, RecoveryCodeStore, TotpFactorRecord, TotpFactorStore } from './store.js'
import { newFactorId } from './totp-factors.js'

export interface FactorStoresUnderTest {
  readonly factors: TotpFactorStore
  readonly recoveryCodes: RecoveryCodeStore
  readonly services: ServiceStore
  close(): Promise<void>
}

export function runFactorStoreContract(name: string, create: () => Promise<FactorStoresUnderTest>): void {
  describe(`factor store contract: ${name}`, () => {
    let s: FactorStoresUnderTest
    const serviceId = newId('service')
    const t0 = Date.UTC(2026, 5, 1)
    const MAX = 5

    beforeAll(async () => {
      s = await create()
      await s.services.insert({
        id: serviceId,
        name: 'contract',
        codeLength: 6,
        codeTtlSeconds: 600,
        maxCheckAttempts: 3,
        maxSends: 5,
        brandName: null,
        messageTemplate: null,
        channels: ['sms'],
        defaultLocale: 'en',
        webotpDomain: null,
        createdAt: t0,
        updatedAt: t0,
      })
    })
    afterAll(async () => s.close())

    let n = 0
    const make = (patch: Partial<TotpFactorRecord> = {}): TotpFactorRecord => {
      n += 1
      return {
        id: newFactorId(),
        serviceId,
        entityId: `user-${n}`,
        friendlyName: 'Phone',
        status: 'unverified',
        issuer: 'Acme',
        algorithm: 'SHA1',
        digits: 6,
        periodSeconds: 30,
        skew: 1,
        secretCiphertext: 'k1:iv:ct:tag',
        lastUsedStep: null,
        failedAttempts: 0,
        lockCount: 0,
        lockedUntil: null,
        createdAt: t0 + n,
        updatedAt: t0 + n,
        ...patch,
      }
    }

    describe('totp factors', () => {
      it('inserts and reads back a factor, scoped to its service and entity', async () => {
        const f = make({ lastUsedStep: 666_666_666, lockedUntil: t0 + 1 })
        await s.factors.insert(f)
        expect(await s.factors.get(serviceId, f.entityId, f.id)).toEqual(f)
        expect(await s.factors.get(serviceId, 'someone-else', f.id)).toBeUndefined()
        expect(await s.factors.get(newId('service'), f.entityId, f.id)).toBeUndefined()
      })

      it('lists the factors of one entity, oldest first, and deletes one', async () => {
        const a = make()
        const b = make({ entityId: a.entityId, createdAt: a.createdAt + 10 })
        const other = make()
        for (const f of [b, a, other]) await s.factors.insert(f)
        expect((await s.factors.list(serviceId, a.entityId)).map((f) => f.id)).toEqual([a.id, b.id])
        expect(await s.factors.delete(serviceId, 'someone-else', a.id)).toBe(false)
        expect(await s.factors.delete(serviceId, a.entityId, a.id)).toBe(true)
        expect(await s.factors.delete(serviceId, a.entityId, a.id)).toBe(false)
        expect((await s.factors.list(serviceId, a.entityId)).map((f) => f.id)).toEqual([b.id])
      })

      it('counts tries up to the maximum, never beyond, even in parallel', async () => {
        const f = make()
        await s.factors.insert(f)
        const counted = await Promise.all(
          Array.from({ length: 9 }, () => s.factors.countAttempt(f.id, t0 + 1, MAX)),
        )
        expect(counted.filter(Boolean)).toHaveLength(MAX)
        expect(
          counted
            .map((c) => c?.failedAttempts)
            .filter(Boolean)
            .sort(),
        ).toEqual([1, 2, 3, 4, 5])
        expect((await s.factors.get(serviceId, f.entityId, f.id))?.failedAttempts).toBe(MAX)
        expect(await s.factors.countAttempt('fac_missing', t0, MAX)).toBeUndefined()
      })

      it('locks once per round, refuses tries while locked, and starts a fresh round after', async () => {
        const f = make({ failedAttempts: MAX, lockCount: 2 })
        await s.factors.insert(f)
        const locks = await Promise.all([1, 2, 3].map(() => s.factors.lock(f.id, t0, t0 + 30_000, MAX)))
        expect(locks.filter(Boolean)).toHaveLength(1)
        const locked = await s.factors.get(serviceId, f.entityId, f.id)
        expect(locked).toMatchObject({ lockedUntil: t0 + 30_000, lockCount: 3, failedAttempts: 0 })
        expect(await s.factors.countAttempt(f.id, t0 + 29_999, MAX)).toBeUndefined()
        expect((await s.factors.countAttempt(f.id, t0 + 30_000, MAX))?.failedAttempts).toBe(1)
        // Not enough tries used: no lock.
        expect(await s.factors.lock(f.id, t0 + 30_000, t0 + 90_000, MAX)).toBe(false)
      })

      it('accepts a time step once: of racing callers exactly one wins, and older steps are refused', async () => {
        const f = make({ failedAttempts: 3, lockCount: 2 })
        await s.factors.insert(f)
        const results = await Promise.all(
          [1, 2, 3, 4].map(() => s.factors.acceptStep(f.id, 100, t0 + 5, true)),
        )
        const winners = results.filter((r): r is TotpFactorRecord => r !== undefined)
        expect(winners).toHaveLength(1)
        expect(winners[0]).toMatchObject({
          status: 'verified',
          lastUsedStep: 100,
          failedAttempts: 0,
          lockCount: 0,
          lockedUntil: null,
        })
        expect(await s.factors.acceptStep(f.id, 99, t0 + 6, false)).toBeUndefined()
        expect(await s.factors.acceptStep(f.id, 100, t0 + 6, false)).toBeUndefined()
        expect((await s.factors.acceptStep(f.id, 101, t0 + 7, false))?.lastUsedStep).toBe(101)
      })

      it('leaves the status alone when not asked to verify', async () => {
        const f = make()
        await s.factors.insert(f)
        expect((await s.factors.acceptStep(f.id, 5, t0, false))?.status).toBe('unverified')
      })

      it('deletes factors with their service', async () => {
        const svc = newId('service')
        await s.services.insert({ ...(await s.services.get(serviceId))!, id: svc })
        const f = make({ serviceId: svc })
        await s.factors.insert(f)
        await s.services.delete(svc)
        expect(await s.factors.get(svc, f.entityId, f.id)).toBeUndefined()
      })
    })

    describe('recovery codes', () => {
      const set = (entityId: string, tag: string, at = t0): RecoveryCodeRecord[] =>
        Array.from({ length: 10 }, (_, slot) => ({
          serviceId,
          entityId,
          slot,
          codeHmac: `k1:${tag}-${slot}`,
          createdAt: at,
          usedAt: null,
        }))

      it('replaces the whole set and lists it by slot', async () => {
        await s.recoveryCodes.replaceSet(serviceId, 'rc-1', set('rc-1', 'a'))
        await s.recoveryCodes.markUsed(serviceId, 'rc-1', 3, 'k1:a-3', t0 + 1)
        await s.recoveryCodes.replaceSet(serviceId, 'rc-1', set('rc-1', 'b', t0 + 2))
        const rows = await s.recoveryCodes.list(serviceId, 'rc-1')
        expect(rows.map((r) => r.codeHmac)).toEqual(set('rc-1', 'b').map((r) => r.codeHmac))
        expect(rows.every((r) => r.usedAt === null && r.createdAt === t0 + 2)).toBe(true)
        expect(await s.recoveryCodes.list(serviceId, 'rc-other')).toEqual([])
      })

      it('marks a code used once, even when callers race', async () => {
        await s.recoveryCodes.replaceSet(serviceId, 'rc-2', set('rc-2', 'a'))
        const results = await Promise.all(
          Array.from({ length: 10 }, () => s.recoveryCodes.markUsed(serviceId, 'rc-2', 4, 'k1:a-4', t0 + 9)),
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        const rows = await s.recoveryCodes.list(serviceId, 'rc-2')
        expect(rows.find((r) => r.slot === 4)?.usedAt).toBe(t0 + 9)
        expect(rows.filter((r) => r.usedAt !== null)).toHaveLength(1)
      })

      it('does not mark a slot whose code was replaced meanwhile', async () => {
        await s.recoveryCodes.replaceSet(serviceId, 'rc-3', set('rc-3', 'a'))
        await s.recoveryCodes.replaceSet(serviceId, 'rc-3', set('rc-3', 'b'))
        expect(await s.recoveryCodes.markUsed(serviceId, 'rc-3', 0, 'k1:a-0', t0)).toBe(false)
        expect(await s.recoveryCodes.markUsed(serviceId, 'rc-3', 0, 'k1:b-0', t0)).toBe(true)
      })

      it('leaves exactly one complete set when replacements race', async () => {
        await Promise.all(
          ['a', 'b', 'c', 'd'].map((tag) => s.recoveryCodes.replaceSet(serviceId, 'rc-4', set('rc-4', tag))),
        )
        const rows = await s.recoveryCodes.list(serviceId, 'rc-4')
        expect(rows).toHaveLength(10)
        const tags = new Set(rows.map((r) => r.codeHmac.slice(3, 4)))
        expect(tags.size).toBe(1)
      })
    })
  })
}
