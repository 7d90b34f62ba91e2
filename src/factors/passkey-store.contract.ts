/**
 * @module The PasskeyStore + PasskeyChallengeStore contract, run once per storage implementation
 * (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set) by
 * `src/storage/passkey-stores.contract.test.ts`.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Service, ServiceStore } from '../services/service.js'
import { newId } from '../shared/ids.js'
import type {
  PasskeyChallengeRecord,
  PasskeyChallengeStore,
  PasskeyRecord,
  PasskeyStore,
} from './passkey-store.js'

export interface PasskeyStoresUnderTest {
  readonly passkeys: PasskeyStore
  readonly challenges: PasskeyChallengeStore
  readonly services: ServiceStore
  close(): Promise<void>
}

export function runPasskeyStoreContract(name: string, create: () => Promise<PasskeyStoresUnderTest>): void {
  describe(`passkey store contract: ${name}`, () => {
    let s: PasskeyStoresUnderTest
    const serviceId = newId('service')
    const t0 = Date.UTC(2026, 5, 1)
    const service = (id: string): Service => ({
      id,
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

    beforeAll(async () => {
      s = await create()
      await s.services.insert(service(serviceId))
    })
    afterAll(async () => s.close())

    let n = 0
    const b64 = (bytes: number) => randomBytes(bytes).toString('base64url')
    const make = (patch: Partial<PasskeyRecord> = {}): PasskeyRecord => {
      n += 1
      return {
        id: b64(16),
        serviceId,
        entityId: `user-${n}`,
        userHandle: b64(32),
        publicKey: b64(77),
        counter: 0,
        transports: ['internal', 'hybrid'],
        aaguid: '00000000-0000-0000-0000-000000000000',
        deviceType: 'singleDevice',
        backedUp: false,
        friendlyName: 'Laptop',
        createdAt: t0 + n,
        lastUsedAt: null,
        ...patch,
      }
    }
    const challenge = (patch: Partial<PasskeyChallengeRecord> = {}): PasskeyChallengeRecord => ({
      challenge: b64(32),
      serviceId,
      ceremony: 'registration',
      entityId: `user-${++n}`,
      userHandle: b64(32),
      createdAt: t0,
      expiresAt: t0 + 300_000,
      ...patch,
    })

    describe('passkeys', () => {
      it('inserts and reads back every field, scoped to the service', async () => {
        const p = make({
          counter: 2 ** 32 - 1,
          deviceType: 'multiDevice',
          backedUp: true,
          transports: [],
          lastUsedAt: t0 + 99,
        })
        expect(await s.passkeys.insert(p)).toBe(true)
        expect(await s.passkeys.get(serviceId, p.id)).toEqual(p)
        expect(await s.passkeys.get(newId('service'), p.id)).toBeUndefined()
        expect(await s.passkeys.get(serviceId, b64(16))).toBeUndefined()
      })

      it('refuses a credential id already registered, to any service or entity, and keeps the first', async () => {
        const p = make()
        expect(await s.passkeys.insert(p)).toBe(true)
        expect(await s.passkeys.insert(make({ id: p.id }))).toBe(false)
        const other = newId('service')
        await s.services.insert(service(other))
        expect(await s.passkeys.insert(make({ id: p.id, serviceId: other }))).toBe(false)
        expect(await s.passkeys.get(serviceId, p.id)).toEqual(p)
        expect(await s.passkeys.get(other, p.id)).toBeUndefined()
      })

      it('lists the passkeys of one entity, oldest first, and deletes one', async () => {
        const a = make()
        const b = make({ entityId: a.entityId, createdAt: a.createdAt + 10 })
        const other = make()
        for (const p of [b, a, other]) await s.passkeys.insert(p)
        expect((await s.passkeys.list(serviceId, a.entityId)).map((p) => p.id)).toEqual([a.id, b.id])
        expect(await s.passkeys.delete(serviceId, 'someone-else', a.id)).toBe(false)
        expect(await s.passkeys.delete(serviceId, a.entityId, a.id)).toBe(true)
        expect(await s.passkeys.delete(serviceId, a.entityId, a.id)).toBe(false)
        expect((await s.passkeys.list(serviceId, a.entityId)).map((p) => p.id)).toEqual([b.id])
        expect(await s.passkeys.list(serviceId, 'nobody')).toEqual([])
      })

      it('records a use only when the counter moves forward', async () => {
        const p = make({ counter: 5 })
        await s.passkeys.insert(p)
        expect(await s.passkeys.recordUse(p.id, 5, false, t0 + 1)).toBeUndefined()
        expect(await s.passkeys.recordUse(p.id, 4, false, t0 + 1)).toBeUndefined()
        expect(await s.passkeys.recordUse(p.id, 0, false, t0 + 1)).toBeUndefined()
        expect(await s.passkeys.recordUse(p.id, 6, true, t0 + 2)).toEqual({
          ...p,
          counter: 6,
          backedUp: true,
          lastUsedAt: t0 + 2,
        })
        expect(await s.passkeys.recordUse(b64(16), 7, false, t0)).toBeUndefined()
      })

      it('records every use of an authenticator that does not count', async () => {
        const p = make()
        await s.passkeys.insert(p)
        expect((await s.passkeys.recordUse(p.id, 0, false, t0 + 1))?.lastUsedAt).toBe(t0 + 1)
        expect((await s.passkeys.recordUse(p.id, 0, false, t0 + 2))?.lastUsedAt).toBe(t0 + 2)
        expect((await s.passkeys.recordUse(p.id, 1, false, t0 + 3))?.counter).toBe(1)
        expect(await s.passkeys.recordUse(p.id, 0, false, t0 + 4)).toBeUndefined()
      })

      it('of racing uses with the same counter, exactly one is recorded', async () => {
        const p = make({ counter: 1 })
        await s.passkeys.insert(p)
        const results = await Promise.all([1, 2, 3, 4, 5].map(() => s.passkeys.recordUse(p.id, 2, false, t0)))
        expect(results.filter(Boolean)).toHaveLength(1)
      })

      it('deletes passkeys and challenges with their service', async () => {
        const svc = newId('service')
        await s.services.insert(service(svc))
        const p = make({ serviceId: svc })
        const c = challenge({ serviceId: svc })
        await s.passkeys.insert(p)
        await s.challenges.insert(c)
        await s.services.delete(svc)
        expect(await s.passkeys.get(svc, p.id)).toBeUndefined()
        expect(
          await s.challenges.take({ serviceId: svc, ceremony: 'registration', challenge: c.challenge }),
        ).toBeUndefined()
      })
    })

    describe('challenges', () => {
      it('are taken once, with every field', async () => {
        const c = challenge()
        await s.challenges.insert(c)
        const key = { serviceId, ceremony: 'registration' as const, challenge: c.challenge }
        expect(await s.challenges.take(key)).toEqual(c)
        expect(await s.challenges.take(key)).toBeUndefined()
      })

      it('of racing takes, exactly one gets the challenge', async () => {
        const c = challenge({ ceremony: 'authentication', entityId: null, userHandle: null })
        await s.challenges.insert(c)
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            s.challenges.take({ serviceId, ceremony: 'authentication', challenge: c.challenge }),
          ),
        )
        expect(results.filter(Boolean)).toEqual([c])
      })

      it('match service, ceremony and (when given) entity, and a mismatch leaves them in place', async () => {
        const c = challenge()
        await s.challenges.insert(c)
        const base = { serviceId, ceremony: 'registration' as const, challenge: c.challenge }
        expect(await s.challenges.take({ ...base, serviceId: newId('service') })).toBeUndefined()
        expect(await s.challenges.take({ ...base, ceremony: 'authentication' })).toBeUndefined()
        expect(await s.challenges.take({ ...base, entityId: 'someone-else' })).toBeUndefined()
        expect(await s.challenges.take({ ...base, entityId: c.entityId! })).toEqual(c)
      })

      it('are returned even when expired, and purged once expired', async () => {
        const now = t0 + 10_000_000
        const expired = challenge({ expiresAt: now - 1 })
        const atLimit = challenge({ expiresAt: now })
        const live = challenge({ expiresAt: now + 1 })
        const expiredToo = challenge({ expiresAt: now - 5 })
        for (const c of [expired, atLimit, live, expiredToo]) await s.challenges.insert(c)
        expect(
          await s.challenges.take({ serviceId, ceremony: 'registration', challenge: expiredToo.challenge }),
        ).toEqual(expiredToo)
        expect(await s.challenges.deleteExpired(now)).toBeGreaterThanOrEqual(2)
        const take = (c: PasskeyChallengeRecord) =>
          s.challenges.take({ serviceId, ceremony: 'registration', challenge: c.challenge })
        expect(await take(expired)).toBeUndefined()
        expect(await take(atLimit)).toBeUndefined()
        expect(await take(live)).toEqual(live)
      })
    })
  })
}
