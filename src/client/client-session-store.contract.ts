/**
 * @module The ClientSessionStore contract, run once per storage implementation (SQLite always,
 * PostgreSQL when TEST_POSTGRES_URL is set) by `src/storage/client-session-store.contract.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SERVICE_DEFAULTS, type ServiceStore } from '../services/service.js'
import { newId } from '../shared/ids.js'
import {
  type ClientSessionStore,
  clientSecretMatches,
  mintClientSession,
  parseClientToken,
} from './client-session.js'

export interface ClientSessionStoreUnderTest {
  readonly sessions: ClientSessionStore
  readonly services: ServiceStore
  close(): Promise<void>
}

export function runClientSessionStoreContract(
  name: string,
  create: () => Promise<ClientSessionStoreUnderTest>,
): void {
  describe(`client session store contract: ${name}`, () => {
    let s: ClientSessionStoreUnderTest
    const serviceId = newId('service')
    // Past 2^31 ms and beyond 32-bit integers: timestamps must survive as numbers.
    const t0 = Date.UTC(2026, 5, 1)

    beforeAll(async () => {
      s = await create()
      await s.services.insert({
        id: serviceId,
        name: 'contract',
        codeLength: SERVICE_DEFAULTS.codeLength,
        codeTtlSeconds: SERVICE_DEFAULTS.codeTtlSeconds,
        maxCheckAttempts: SERVICE_DEFAULTS.maxCheckAttempts,
        maxSends: SERVICE_DEFAULTS.maxSends,
        brandName: null,
        messageTemplate: null,
        channels: SERVICE_DEFAULTS.channels,
        defaultLocale: 'en',
        webotpDomain: null,
        createdAt: t0,
        updatedAt: t0,
      })
    })
    afterAll(async () => s.close())

    const fresh = (patch: Partial<Parameters<typeof mintClientSession>[0]> = {}) =>
      mintClientSession({
        serviceId,
        entityId: 'user-1',
        locale: 'en-GB',
        defaultCountry: 'GB',
        prefillTo: '+447700900123',
        prefillChannel: 'sms',
        allowEnrolment: true,
        expiresAt: t0 + 1_800_000,
        createdAt: t0,
        ...patch,
      })

    it('round-trips every field, and finds the session from its token', async () => {
      const { session, token } = fresh()
      await s.sessions.insert(session)
      const parsed = parseClientToken(token)!
      expect(parsed.id).toBe(session.id)
      const got = await s.sessions.get(parsed.id)
      expect(got).toEqual(session)
      expect(clientSecretMatches(got!, parsed.secret)).toBe(true)
      expect(
        clientSecretMatches(got!, `${parsed.secret.slice(0, -1)}${parsed.secret.endsWith('A') ? 'B' : 'A'}`),
      ).toBe(false)
    })

    it('keeps absent optional fields as null, and false as false', async () => {
      const { session } = fresh({
        entityId: null,
        locale: null,
        defaultCountry: null,
        prefillTo: null,
        prefillChannel: null,
        allowEnrolment: false,
      })
      await s.sessions.insert(session)
      expect(await s.sessions.get(session.id)).toEqual(session)
      expect(await s.sessions.get(newId('clientSession'))).toBeUndefined()
    })

    it('points the session at its current verification', async () => {
      const { session } = fresh()
      await s.sessions.insert(session)
      await s.sessions.setVerification(session.id, 'ver_a', true)
      expect(await s.sessions.get(session.id)).toMatchObject({
        verificationId: 'ver_a',
        ownsVerification: true,
      })
      await s.sessions.setVerification(session.id, 'ver_b', false)
      expect(await s.sessions.get(session.id)).toMatchObject({
        verificationId: 'ver_b',
        ownsVerification: false,
      })
    })

    it('finds the session that started a verification, only while it points at it', async () => {
      const starter = fresh()
      const joiner = fresh()
      await s.sessions.insert(starter.session)
      await s.sessions.insert(joiner.session)
      const verificationId = newId('verification')
      expect(await s.sessions.findStarter(verificationId)).toBeUndefined()
      await s.sessions.setVerification(joiner.session.id, verificationId, false)
      expect(await s.sessions.findStarter(verificationId)).toBeUndefined()
      await s.sessions.setVerification(starter.session.id, verificationId, true)
      expect((await s.sessions.findStarter(verificationId))?.id).toBe(starter.session.id)
      await s.sessions.setVerification(starter.session.id, newId('verification'), true)
      expect(await s.sessions.findStarter(verificationId)).toBeUndefined()
    })

    it('records the result once: the first approval wins', async () => {
      const { session } = fresh()
      await s.sessions.insert(session)
      expect(await s.sessions.setResult(session.id, 'totp', t0 + 5000)).toBe(true)
      expect(await s.sessions.setResult(session.id, 'sms', t0 + 9000)).toBe(false)
      const got = await s.sessions.get(session.id)
      expect(got).toMatchObject({ resultFactor: 'totp', resultAt: t0 + 5000 })
      expect(await s.sessions.setResult(newId('clientSession'), 'sms', t0)).toBe(false)
    })

    it('records concurrent results exactly once', async () => {
      const { session } = fresh()
      await s.sessions.insert(session)
      const results = await Promise.all(
        (['sms', 'totp', 'passkey', 'recovery_code'] as const).map((f, i) =>
          s.sessions.setResult(session.id, f, t0 + i),
        ),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
    })

    it('deletes sessions that expired before a time, in batches, and nothing newer', async () => {
      const day = 24 * 3600 * 1000
      const old = [fresh({ expiresAt: t0 - 10 * day }), fresh({ expiresAt: t0 - 9 * day })]
      const recent = fresh({ expiresAt: t0 - day })
      for (const m of [...old, recent]) await s.sessions.insert(m.session)
      expect(await s.sessions.deleteExpired(t0 - 5 * day, 1)).toBe(1)
      expect(await s.sessions.deleteExpired(t0 - 5 * day, 100)).toBe(1)
      expect(await s.sessions.deleteExpired(t0 - 5 * day, 100)).toBe(0)
      for (const m of old) expect(await s.sessions.get(m.session.id)).toBeUndefined()
      expect(await s.sessions.get(recent.session.id)).toEqual(recent.session)
    })
  })
}
