/**
 * Passkeys on a real database (every enabled dialect) with a manual clock, against a software
 * authenticator whose responses @simplewebauthn/server verifies for real.
 */
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SoftAuthenticator } from '../../test/helpers/soft-authenticator.js'
import { DIALECTS } from '../../test/helpers/test-database.js'
import { buildTestDeps, createTestService, type TestContext } from '../../test/helpers/test-deps.js'
import { KyselyPasskeyChallengeStore } from '../storage/passkey-challenge-store.js'
import { KyselyPasskeyStore } from '../storage/passkey-store.js'
import { counterAdvances, Passkeys } from './passkeys.js'

describe('counterAdvances (WebAuthn §6.1.1)', () => {
  it.each([
    [0, 0, true],
    [0, 1, true],
    [5, 6, true],
    [5, 5, false],
    [5, 4, false],
    [5, 0, false],
    [1, 0, false],
  ])('stored %i, received %i -> %s', (stored, received, ok) => {
    expect(counterAdvances(stored, received)).toBe(ok)
  })
})

for (const dialect of DIALECTS) {
  describe(`Passkeys (${dialect})`, () => {
    let t: TestContext
    let passkeys: Passkeys
    let serviceId: string
    let n = 0
    const entity = () => `user-${++n}`
    const start = Date.UTC(2026, 2, 1, 12, 0, 0)

    beforeAll(async () => {
      t = await buildTestDeps({ dialect })
      t.clock.set(start)
      serviceId = (await createTestService(t.deps, { name: 'Acme Exchange' })).id
      passkeys = t.deps.passkeys
    })
    afterAll(async () => t.close())

    /** Runs a whole registration ceremony and returns the stored passkey. */
    const register = async (auth: SoftAuthenticator, entityId: string, friendlyName?: string) => {
      const options = await passkeys.startRegistration(serviceId, entityId, {
        userName: `${entityId}@example.com`,
      })
      return passkeys.finishRegistration(serviceId, entityId, auth.create(options), { friendlyName })
    }
    const signIn = async (auth: SoftAuthenticator, entityId?: string) => {
      const options = await passkeys.startAuthentication(serviceId, entityId)
      return passkeys.finishAuthentication(serviceId, auth.get(options))
    }

    describe('registration', () => {
      it('registers a passkey that then signs in, and marks it used', async () => {
        const auth = new SoftAuthenticator()
        const e = entity()
        const pk = await register(auth, e, 'MacBook')
        expect(pk).toMatchObject({
          id: auth.credential.id,
          serviceId,
          entityId: e,
          friendlyName: 'MacBook',
          transports: ['internal', 'hybrid'],
          aaguid: '00000000-0000-0000-0000-000000000000',
          deviceType: 'singleDevice',
          backedUp: false,
          createdAt: start,
          lastUsedAt: null,
        })
        expect(pk).not.toHaveProperty('publicKey')
        expect(pk).not.toHaveProperty('userHandle')

        t.clock.advance(1000)
        const result = await signIn(auth, e)
        expect(result.userVerified).toBe(true)
        expect(result.passkey).toMatchObject({ id: pk.id, entityId: e, lastUsedAt: t.clock.now() })
        expect((await passkeys.list(serviceId, e))[0]?.lastUsedAt).toBe(t.clock.now())
      })

      it('offers rp, user and algorithm options, with a random user handle per entity', async () => {
        const e = entity()
        const options = await passkeys.startRegistration(serviceId, e, {
          userName: 'ada@example.com',
          displayName: 'Ada Lovelace',
        })
        expect(options.rp).toEqual({ id: 'localhost', name: 'Acme Exchange' })
        expect(options.user.name).toBe('ada@example.com')
        expect(options.user.displayName).toBe('Ada Lovelace')
        expect(Buffer.from(options.user.id, 'base64url')).toHaveLength(32)
        expect(Buffer.from(options.user.id, 'base64url').toString('utf8')).not.toContain(e)
        expect(options.pubKeyCredParams.map((p) => p.alg)).toContain(-7)
        expect(options.attestation).toBe('none')
        expect(options.authenticatorSelection?.userVerification).toBe('required')
        expect(options.timeout).toBe(300_000)
        expect(options.excludeCredentials).toEqual([])
        expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32)

        const other = await passkeys.startRegistration(serviceId, entity(), { userName: 'bob' })
        expect(other.user.id).not.toBe(options.user.id)
        expect(other.user.displayName).toBe('bob')
      })

      it('keeps several passkeys per entity under one user handle, excluding those already registered', async () => {
        const e = entity()
        const laptop = new SoftAuthenticator()
        const phone = new SoftAuthenticator({ synced: true, transports: ['hybrid', 'internal'] })
        const a = await register(laptop, e, 'Laptop')
        t.clock.advance(1)
        const options = await passkeys.startRegistration(serviceId, e, { userName: e })
        expect(options.excludeCredentials).toEqual([
          { id: a.id, type: 'public-key', transports: ['internal', 'hybrid'] },
        ])
        expect(options.user.id).toBe(laptop.credential.userHandle)
        // The authenticator that holds an excluded credential refuses, as browsers do.
        expect(() => laptop.create(options)).toThrow(/InvalidStateError/)
        const b = await passkeys.finishRegistration(serviceId, e, phone.create(options), {
          friendlyName: 'Phone',
        })
        expect(b).toMatchObject({ deviceType: 'multiDevice', backedUp: true })

        expect((await passkeys.list(serviceId, e)).map((p) => p.friendlyName)).toEqual(['Laptop', 'Phone'])
        const authOptions = await passkeys.startAuthentication(serviceId, e)
        expect(authOptions.allowCredentials?.map((c) => c.id)).toEqual([a.id, b.id])
        expect((await passkeys.finishAuthentication(serviceId, phone.get(authOptions))).passkey.id).toBe(b.id)
        expect((await signIn(laptop, e)).passkey.id).toBe(a.id)
      })

      it('defaults the friendly name and refuses bad names', async () => {
        expect((await register(new SoftAuthenticator(), entity())).friendlyName).toBe('Passkey')
        const e = entity()
        const options = await passkeys.startRegistration(serviceId, e, { userName: e })
        await expect(
          passkeys.finishRegistration(serviceId, e, new SoftAuthenticator().create(options), {
            friendlyName: 'x'.repeat(65),
          }),
        ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
        await expect(passkeys.startRegistration(serviceId, e, { userName: '  ' })).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
        })
      })

      it('refuses a credential id that is already registered, even to another entity', async () => {
        const first = await register(new SoftAuthenticator(), entity())
        const e = entity()
        const options = await passkeys.startRegistration(serviceId, e, { userName: e })
        const response = new SoftAuthenticator().create(options, { credentialId: first.id })
        await expect(passkeys.finishRegistration(serviceId, e, response)).rejects.toMatchObject({
          code: 'PASSKEY_ALREADY_REGISTERED',
        })
        expect(await passkeys.list(serviceId, e)).toEqual([])
      })

      it('refuses an unknown service', async () => {
        await expect(passkeys.startRegistration('svc_missing', 'u', { userName: 'u' })).rejects.toMatchObject(
          {
            code: 'SERVICE_NOT_FOUND',
          },
        )
        await expect(passkeys.startAuthentication('svc_missing')).rejects.toMatchObject({
          code: 'SERVICE_NOT_FOUND',
        })
      })
    })

    describe('challenges', () => {
      it('are single-use: a replayed registration or sign-in is refused', async () => {
        const auth = new SoftAuthenticator()
        const e = entity()
        const options = await passkeys.startRegistration(serviceId, e, { userName: e })
        const response = auth.create(options)
        await passkeys.finishRegistration(serviceId, e, response)
        await expect(passkeys.finishRegistration(serviceId, e, response)).rejects.toMatchObject({
          code: 'PASSKEY_CHALLENGE_NOT_FOUND',
        })

        const authOptions = await passkeys.startAuthentication(serviceId, e)
        const assertion = auth.get(authOptions)
        await passkeys.finishAuthentication(serviceId, assertion)
        await expect(passkeys.finishAuthentication(serviceId, assertion)).rejects.toMatchObject({
          code: 'PASSKEY_CHALLENGE_NOT_FOUND',
        })
      })

      it('of racing answers, exactly one gets the challenge', async () => {
        const auth = new SoftAuthenticator({ counterStep: 0 })
        const e = entity()
        await register(auth, e)
        const options = await passkeys.startAuthentication(serviceId, e)
        const assertion = auth.get(options)
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, () => passkeys.finishAuthentication(serviceId, assertion)),
        )
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'PASSKEY_CHALLENGE_NOT_FOUND' })
        }
      })

      it('are burnt by a failed answer, so a corrected retry needs new options', async () => {
        const auth = new SoftAuthenticator()
        const e = entity()
        const options = await passkeys.startRegistration(serviceId, e, { userName: e })
        await expect(
          passkeys.finishRegistration(serviceId, e, auth.create(options, { origin: 'https://evil.example' })),
        ).rejects.toMatchObject({ code: 'PASSKEY_VERIFICATION_FAILED' })
        await expect(
          passkeys.finishRegistration(serviceId, e, new SoftAuthenticator().create(options)),
        ).rejects.toMatchObject({ code: 'PASSKEY_CHALLENGE_NOT_FOUND' })
      })

      it('expire after the configured lifetime', async () => {
        const auth = new SoftAuthenticator()
        const e = entity()
        const options = await passkeys.startRegistration(serviceId, e, { userName: e })
        t.clock.advance(300_000)
        await expect(passkeys.finishRegistration(serviceId, e, auth.create(options))).rejects.toMatchObject({
          code: 'PASSKEY_CHALLENGE_EXPIRED',
        })

        const fresh = await passkeys.startRegistration(serviceId, e, { userName: e })
        t.clock.advance(299_999)
        await passkeys.finishRegistration(serviceId, e, auth.create(fresh))

        const authOptions = await passkeys.startAuthentication(serviceId, e)
        t.clock.advance(300_001)
        await expect(passkeys.finishAuthentication(serviceId, auth.get(authOptions))).rejects.toMatchObject({
          code: 'PASSKEY_CHALLENGE_EXPIRED',
        })
      })

      it('are bound to their service, entity and ceremony', async () => {
        const auth = new SoftAuthenticator()
        const a = entity()
        const b = entity()
        const forA = await passkeys.startRegistration(serviceId, a, { userName: a })
        await expect(passkeys.finishRegistration(serviceId, b, auth.create(forA))).rejects.toMatchObject({
          code: 'PASSKEY_CHALLENGE_NOT_FOUND',
        })
        // Not taken by the wrong entity: A can still finish.
        await passkeys.finishRegistration(serviceId, a, auth.create(forA))

        const other = (await createTestService(t.deps, { name: 'Other' })).id
        const authOptions = await passkeys.startAuthentication(serviceId, a)
        await expect(passkeys.finishAuthentication(other, auth.get(authOptions))).rejects.toMatchObject({
          code: 'PASSKEY_CHALLENGE_NOT_FOUND',
        })

        // A sign-in challenge does not answer a registration, and the reverse.
        const signInOptions = await passkeys.startAuthentication(serviceId, a)
        const reg = new SoftAuthenticator().create({ ...forA, challenge: signInOptions.challenge })
        await expect(passkeys.finishRegistration(serviceId, a, reg)).rejects.toMatchObject({
          code: 'PASSKEY_CHALLENGE_NOT_FOUND',
        })
        const regOptions = await passkeys.startRegistration(serviceId, a, { userName: a })
        await expect(
          passkeys.finishAuthentication(
            serviceId,
            auth.get({ ...signInOptions, challenge: regOptions.challenge }),
          ),
        ).rejects.toMatchObject({ code: 'PASSKEY_CHALLENGE_NOT_FOUND' })
      })

      it('refuses a response without a readable challenge', async () => {
        const e = entity()
        const options = await passkeys.startRegistration(serviceId, e, { userName: e })
        const response = new SoftAuthenticator().create(options)
        const broken = { ...response, response: { ...response.response, clientDataJSON: 'not-json' } }
        await expect(passkeys.finishRegistration(serviceId, e, broken)).rejects.toMatchObject({
          code: 'PASSKEY_VERIFICATION_FAILED',
        })
      })
    })

    describe('verification', () => {
      it.each([
        ['an origin not configured', { origin: 'https://evil.example' }, /origin/],
        ['another RP id', { rpId: 'evil.example' }, /RP ID/i],
        ['no user verification while it is required', { userVerified: false }, /verif/],
        ['the wrong ceremony type', { type: 'webauthn.get' }, /type/],
      ])('refuses a registration with %s', async (_, overrides, reason) => {
        const e = entity()
        const options = await passkeys.startRegistration(serviceId, e, { userName: e })
        const err = await passkeys
          .finishRegistration(serviceId, e, new SoftAuthenticator().create(options, overrides))
          .catch((x: unknown) => x)
        expect(err).toMatchObject({ code: 'PASSKEY_VERIFICATION_FAILED' })
        expect((err as { details: { reason: string } }).details.reason).toMatch(reason)
        expect(await passkeys.list(serviceId, e)).toEqual([])
      })

      it.each([
        ['an origin not configured', { origin: 'https://evil.example' }],
        ['another RP id', { rpId: 'evil.example' }],
        ['no user verification while it is required', { userVerified: false }],
      ])('refuses a sign-in with %s', async (_, overrides) => {
        const auth = new SoftAuthenticator()
        const e = entity()
        await register(auth, e)
        const options = await passkeys.startAuthentication(serviceId, e)
        await expect(
          passkeys.finishAuthentication(serviceId, auth.get(options, overrides)),
        ).rejects.toMatchObject({
          code: 'PASSKEY_VERIFICATION_FAILED',
        })
      })

      it('refuses a signature made by another key', async () => {
        const auth = new SoftAuthenticator()
        const e = entity()
        const pk = await register(auth, e)
        // Same credential id, different private key: what a forger without the key could do.
        const forger = new SoftAuthenticator()
        forger.credentials.set(pk.id, {
          ...auth.credential,
          privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
        })
        const options = await passkeys.startAuthentication(serviceId, e)
        await expect(passkeys.finishAuthentication(serviceId, forger.get(options))).rejects.toMatchObject({
          code: 'PASSKEY_VERIFICATION_FAILED',
        })
      })

      it('accepts user presence alone when user verification is only preferred', async () => {
        const relaxed = new Passkeys(
          {
            store: new KyselyPasskeyStore(t.deps.db),
            challenges: new KyselyPasskeyChallengeStore(t.deps.db),
            clock: t.clock,
            services: t.deps.services,
          },
          { ...t.deps.config.webauthn, userVerification: 'preferred' },
        )
        const auth = new SoftAuthenticator({ userVerified: false })
        const e = entity()
        const options = await relaxed.startRegistration(serviceId, e, { userName: e })
        expect(options.authenticatorSelection?.userVerification).toBe('preferred')
        await relaxed.finishRegistration(serviceId, e, auth.create(options))
        const authOptions = await relaxed.startAuthentication(serviceId, e)
        expect((await relaxed.finishAuthentication(serviceId, auth.get(authOptions))).userVerified).toBe(
          false,
        )
      })
    })

    describe('sign-in', () => {
      it('discoverable: the passkey names the entity', async () => {
        const auth = new SoftAuthenticator()
        const e = entity()
        await register(auth, e)
        const options = await passkeys.startAuthentication(serviceId)
        expect(options.allowCredentials).toBeUndefined()
        expect(options.rpId).toBe('localhost')
        expect(options.userVerification).toBe('required')
        const result = await passkeys.finishAuthentication(serviceId, auth.get(options))
        expect(result.passkey.entityId).toBe(e)
      })

      it('discoverable: requires the user handle, and it must match', async () => {
        const auth = new SoftAuthenticator()
        const e = entity()
        await register(auth, e)
        const missing = await passkeys.startAuthentication(serviceId)
        await expect(
          passkeys.finishAuthentication(serviceId, auth.get(missing, { omitUserHandle: true })),
        ).rejects.toMatchObject({ code: 'PASSKEY_VERIFICATION_FAILED' })
        auth.credentials.set(auth.credential.id, { ...auth.credential, userHandle: 'AAAA' })
        const wrong = await passkeys.startAuthentication(serviceId)
        await expect(passkeys.finishAuthentication(serviceId, auth.get(wrong))).rejects.toMatchObject({
          code: 'PASSKEY_VERIFICATION_FAILED',
        })
      })

      it("refuses another entity's passkey for an entity's challenge", async () => {
        const alice = new SoftAuthenticator()
        const mallory = new SoftAuthenticator()
        const a = entity()
        const m = entity()
        await register(alice, a)
        await register(mallory, m)
        const options = await passkeys.startAuthentication(serviceId, a)
        await expect(
          passkeys.finishAuthentication(serviceId, mallory.get({ ...options, allowCredentials: [] })),
        ).rejects.toMatchObject({ code: 'PASSKEY_NOT_FOUND' })
        // The same holds when the caller names the entity for a discoverable challenge.
        const open = await passkeys.startAuthentication(serviceId)
        await expect(
          passkeys.finishAuthentication(serviceId, mallory.get(open), { entityId: a }),
        ).rejects.toMatchObject({ code: 'PASSKEY_NOT_FOUND' })
      })

      it('says when an entity has no passkey to sign in with', async () => {
        await expect(passkeys.startAuthentication(serviceId, entity())).rejects.toMatchObject({
          code: 'PASSKEY_NOT_FOUND',
        })
      })

      it('refuses a deleted passkey', async () => {
        const auth = new SoftAuthenticator()
        const e = entity()
        const pk = await register(auth, e)
        await register(new SoftAuthenticator(), e)
        const options = await passkeys.startAuthentication(serviceId, e)
        expect(await passkeys.delete(serviceId, 'someone-else', pk.id)).toBe(false)
        expect(await passkeys.delete(serviceId, e, pk.id)).toBe(true)
        expect(await passkeys.delete(serviceId, e, pk.id)).toBe(false)
        await expect(passkeys.finishAuthentication(serviceId, auth.get(options))).rejects.toMatchObject({
          code: 'PASSKEY_NOT_FOUND',
        })
        expect(await passkeys.list(serviceId, e)).toHaveLength(1)
      })
    })

    describe('signature counter', () => {
      it('moves forward with every sign-in', async () => {
        const auth = new SoftAuthenticator({ counterStep: 3 })
        const e = entity()
        await register(auth, e)
        for (let i = 0; i < 3; i++) await signIn(auth, e)
        expect(auth.credential.counter).toBe(9)
        const stored = await new KyselyPasskeyStore(t.deps.db).get(serviceId, auth.credential.id)
        expect(stored?.counter).toBe(9)
      })

      it('refuses a counter that goes backwards (a cloned authenticator) and keeps the stored one', async () => {
        const original = new SoftAuthenticator()
        const e = entity()
        await register(original, e)
        const clone = original.clone()
        await signIn(original, e)
        await signIn(original, e)
        // The clone still counts from where it was copied: 1 after the stored 2.
        const err = await signIn(clone, e).catch((x: unknown) => x)
        expect(err).toMatchObject({
          code: 'PASSKEY_COUNTER_INVALID',
          details: { credential_id: original.credential.id },
        })
        const stored = await new KyselyPasskeyStore(t.deps.db).get(serviceId, original.credential.id)
        expect(stored?.counter).toBe(2)
        // The genuine authenticator carries on.
        expect((await signIn(original, e)).passkey.id).toBe(original.credential.id)
      })

      it('refuses a counter that stays the same once non-zero', async () => {
        const original = new SoftAuthenticator()
        const e = entity()
        await register(original, e)
        const clone = original.clone()
        await signIn(original, e)
        await expect(signIn(clone, e)).rejects.toMatchObject({ code: 'PASSKEY_COUNTER_INVALID' })
      })

      it('accepts authenticators that never count (always 0)', async () => {
        const auth = new SoftAuthenticator({ counterStep: 0, synced: true })
        const e = entity()
        await register(auth, e)
        for (let i = 0; i < 3; i++) expect((await signIn(auth, e)).passkey.backedUp).toBe(true)
      })
    })
  })
}
