/**
 * The official `twilio` npm SDK (a dev dependency, used only here) against verigate's Twilio-compatible
 * API, over a real socket: the SDK's own encoding, auth and error handling, pointed at verigate by the
 * custom `httpClient` docs/twilio-compat.md tells apps to use.
 */
import { Secret, TOTP } from 'otpauth'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import { buildTestApp, createTestKey, eventually } from '../../test/helpers/test-deps.js'
import { restError, SID, VerigateRequestClient } from '../../test/helpers/twilio-sdk.js'
import { parseToken } from '../auth/api-key.js'
import { factorsOf } from './context.js'
import { twilioAccountSid, twilioApiKeySid } from './sids.js'

describe.each(DIALECTS)('Twilio Verify v2 through the official twilio SDK (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let origin: string
  let admin: twilio.Twilio
  let client: twilio.Twilio
  let serviceSid: string

  const sdkFor = (key: string, opts: { apiKeySid?: boolean } = {}) => {
    const keyId = parseToken(key)!.id
    const httpClient = new VerigateRequestClient(origin)
    return opts.apiKeySid
      ? twilio(twilioApiKeySid(keyId), key, { accountSid: twilioAccountSid(keyId), httpClient })
      : twilio(twilioAccountSid(keyId), key, { httpClient })
  }

  /** The code in the newest simulator message to `to` (call messages speak it digit by digit). */
  const codeFor = async (to: string, after = 0) =>
    eventually(() => {
      const messages = t.deps.simulator!.inbox.list({ to })
      if (messages.length <= after) return undefined
      const body = messages[0]!.body
      return (body.match(/\b(\d{4,10})\b/)?.[1] ?? body.match(/\b(\d(?: \d){3,9})\b/)?.[1])?.replaceAll(
        ' ',
        '',
      )
    })

  const service = () => client.verify.v2.services(serviceSid)

  beforeAll(async () => {
    t = await buildTestApp({ dialect })
    t.deps.dispatcher.start()
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const address = t.app.server.address()
    if (!address || typeof address === 'string') throw new Error('no port')
    origin = `http://127.0.0.1:${address.port}`
    admin = sdkFor(t.adminKey)
    client = sdkFor(t.verifyKey)
    const created = await admin.verify.v2.services.create({ friendlyName: 'Acme Exchange', codeLength: 6 })
    serviceSid = created.sid
  })
  afterAll(async () => t.close())

  it('creates, fetches and updates a service with every field the SDK maps', async () => {
    const created = await admin.verify.v2.services.create({
      friendlyName: 'Fetch & update',
      codeLength: 8,
      'totp.issuer': 'Acme Inc',
    })
    expect(created.sid).toMatch(SID('VA'))
    expect(created.accountSid).toBe(twilioAccountSid(parseToken(t.adminKey)!.id))
    expect(created).toMatchObject({
      friendlyName: 'Fetch & update',
      codeLength: 8,
      lookupEnabled: false,
      psd2Enabled: false,
    })
    expect(created.totp).toMatchObject({ issuer: 'Acme Inc', time_step: 30, code_length: 6, skew: 1 })
    expect(created.dateCreated).toBeInstanceOf(Date)
    expect(created.url).toBe(`${origin}/v2/Services/${created.sid}`)
    expect(created.links).toMatchObject({ verifications: `${created.url}/Verifications` })

    const fetched = await admin.verify.v2.services(created.sid).fetch()
    expect(fetched.toJSON()).toEqual(created.toJSON())
    // account_sid is the caller's: each verigate key is its own Twilio account.
    const byOtherKey = await client.verify.v2.services(created.sid).fetch()
    expect(byOtherKey.accountSid).toBe(twilioAccountSid(parseToken(t.verifyKey)!.id))

    const updated = await admin.verify.v2
      .services(created.sid)
      .update({ friendlyName: 'Renamed', codeLength: 4 })
    expect(updated).toMatchObject({ sid: created.sid, friendlyName: 'Renamed', codeLength: 4 })
    expect((await client.verify.v2.services(created.sid).fetch()).friendlyName).toBe('Renamed')

    expect(await admin.verify.v2.services(created.sid).remove()).toBe(true)
    const gone = await restError(client.verify.v2.services(created.sid).fetch())
    expect(gone).toMatchObject({ status: 404, code: 20404 })
  })

  it('starts an SMS verification and approves it with the right code', async () => {
    const to = '+447700900101'
    const started = await service().verifications.create({ to, channel: 'sms' })
    expect(started.sid).toMatch(SID('VE'))
    expect(started).toMatchObject({
      serviceSid,
      to,
      channel: 'sms',
      status: 'pending',
      valid: false,
      amount: null,
      payee: null,
    })
    expect(started.accountSid).toMatch(SID('AC'))
    expect(started.sendCodeAttempts).toHaveLength(1)
    expect(started.sendCodeAttempts[0]).toMatchObject({ channel: 'sms' })
    expect((started.sendCodeAttempts[0] as { attempt_sid: string }).attempt_sid).toMatch(SID('VL'))
    expect(started.lookup).toMatchObject({ carrier: { type: 'mobile' } })
    expect(started.url).toBe(`${origin}/v2/Services/${serviceSid}/Verifications/${started.sid}`)

    const code = await codeFor(to)
    const checked = await service().verificationChecks.create({ to, code })
    expect(checked).toMatchObject({
      sid: started.sid,
      serviceSid,
      to,
      channel: 'sms',
      status: 'approved',
      valid: true,
    })
    expect(checked.dateUpdated).toBeInstanceOf(Date)

    // Approved verifications are gone for Twilio: a second check is a 404.
    const again = await restError(service().verificationChecks.create({ to, code }))
    expect(again).toMatchObject({
      status: 404,
      code: 20404,
      moreInfo: 'https://www.twilio.com/docs/errors/20404',
    })
    expect(again.message).toBe(
      `The requested resource /Services/${serviceSid}/VerificationCheck was not found`,
    )

    // ...and so is a fetch (Twilio deletes approved verifications).
    const fetched = await restError(service().verifications(started.sid).fetch())
    expect(fetched).toMatchObject({ status: 404, code: 20404 })
  })

  it('starts a call verification and checks it by VerificationSid', async () => {
    const to = '+447700900102'
    const started = await service().verifications.create({ to, channel: 'call' })
    expect(started).toMatchObject({ channel: 'call', status: 'pending' })
    const code = await codeFor(to)
    const checked = await service().verificationChecks.create({ verificationSid: started.sid, code })
    expect(checked).toMatchObject({ status: 'approved', valid: true, channel: 'call' })
  })

  it('starts an email verification', async () => {
    const to = 'jane.doe@example.com'
    const started = await service().verifications.create({ to, channel: 'email' })
    expect(started).toMatchObject({ to, channel: 'email', status: 'pending' })
    const checked = await service().verificationChecks.create({ to, code: await codeFor(to) })
    expect(checked).toMatchObject({ to, status: 'approved', valid: true })
  })

  it('names the bad parameter in 60200 errors', async () => {
    const badTo = await restError(service().verifications.create({ to: '12345', channel: 'sms' }))
    expect(badTo).toMatchObject({
      status: 400,
      code: 60200,
      message: 'Invalid parameter: To',
      moreInfo: 'https://www.twilio.com/docs/errors/60200',
    })
    const badChannel = await restError(
      service().verifications.create({ to: '+447700900105', channel: 'pigeon' }),
    )
    expect(badChannel).toMatchObject({ status: 400, code: 60200, message: 'Invalid parameter: Channel' })
    const badCode = await restError(service().verificationChecks.create({ to: '+447700900105', code: '12' }))
    expect(badCode).toMatchObject({ status: 400, code: 60200, message: 'Invalid parameter: Code' })
    const longName = await restError(admin.verify.v2.services.create({ friendlyName: 'x'.repeat(31) }))
    expect(longName).toMatchObject({ status: 400, code: 60200, message: 'Invalid parameter: FriendlyName' })
  })

  it('cancels a verification; a later check is 20404', async () => {
    const to = '+447700900106'
    const started = await service().verifications.create({ to, channel: 'sms' })
    const code = await codeFor(to)
    // verigate extension: a pending verification can be named by its To instead of its sid.
    expect((await service().verifications(to).fetch()).sid).toBe(started.sid)
    const canceled = await service().verifications(started.sid).update({ status: 'canceled' })
    expect(canceled).toMatchObject({ sid: started.sid, status: 'canceled', valid: false })
    const check = await restError(service().verificationChecks.create({ verificationSid: started.sid, code }))
    expect(check).toMatchObject({ status: 404, code: 20404 })
    const fetched = await restError(service().verifications(started.sid).fetch())
    expect(fetched).toMatchObject({ status: 404, code: 20404 })
    const twice = await restError(service().verifications(started.sid).update({ status: 'canceled' }))
    expect(twice).toMatchObject({ status: 404, code: 20404 })
  })

  it('lists services with Twilio paging (PageSize, next_page_url)', async () => {
    for (const n of [1, 2, 3]) await admin.verify.v2.services.create({ friendlyName: `Paged ${n}` })
    const page = await client.verify.v2.services.page({ pageSize: 2 })
    expect(page.instances).toHaveLength(2)
    expect(page.nextPageUrl).toMatch(new RegExp(`^${origin}/v2/Services\\?PageSize=2&Page=1&PageToken=PT`))
    const second = await page.nextPage()
    expect(second?.instances).toHaveLength(2)
    expect(second?.instances[0]?.sid).not.toBe(page.instances[1]?.sid)

    const all = await client.verify.v2.services.list({ pageSize: 2 })
    const names = all.map((s) => s.friendlyName)
    expect(names).toEqual(expect.arrayContaining(['Acme Exchange', 'Paged 1', 'Paged 2', 'Paged 3']))
    expect(new Set(all.map((s) => s.sid)).size).toBe(all.length)
    const limited = await client.verify.v2.services.list({ limit: 3 })
    expect(limited).toHaveLength(3)
  })

  it('manages rate limits and buckets, and enforces them on verification starts', async () => {
    const svc = await admin.verify.v2.services.create({ friendlyName: 'Rate limited' })
    const rateLimits = admin.verify.v2.services(svc.sid).rateLimits
    const rateLimit = await rateLimits.create({
      uniqueName: 'end_user_ip_address',
      description: 'Limit by IP',
    })
    expect(rateLimit).toMatchObject({
      serviceSid: svc.sid,
      uniqueName: 'end_user_ip_address',
      description: 'Limit by IP',
    })
    expect(rateLimit.sid).toMatch(SID('RK'))
    const duplicate = await restError(rateLimits.create({ uniqueName: 'end_user_ip_address' }))
    expect(duplicate).toMatchObject({ status: 400, code: 60208 })

    const buckets = admin.verify.v2.services(svc.sid).rateLimits(rateLimit.sid).buckets
    const bucket = await buckets.create({ max: 2, interval: 60 })
    expect(bucket).toMatchObject({ rateLimitSid: rateLimit.sid, serviceSid: svc.sid, max: 2, interval: 60 })
    expect(bucket.sid).toMatch(SID('BL'))
    expect((await buckets(bucket.sid).fetch()).toJSON()).toEqual(bucket.toJSON())
    expect((await buckets.list()).map((b) => b.sid)).toEqual([bucket.sid])
    expect((await rateLimits.list()).map((r) => r.sid)).toEqual([rateLimit.sid])
    expect((await rateLimits(rateLimit.sid).update({ description: 'Per IP' })).description).toBe('Per IP')

    const verifications = client.verify.v2.services(svc.sid).verifications
    const start = (to: string, ip: string) =>
      verifications.create({ to, channel: 'sms', rateLimits: { end_user_ip_address: ip } })
    await start('+447700900201', '203.0.113.7')
    await start('+447700900202', '203.0.113.7')
    const refused = await restError(start('+447700900203', '203.0.113.7'))
    expect(refused).toMatchObject({ status: 429, code: 20429, message: 'Too Many Requests' })
    await start('+447700900203', '203.0.113.8')
    const unknown = await restError(
      verifications.create({ to: '+447700900204', channel: 'sms', rateLimits: { nope: 'x' } }),
    )
    expect(unknown).toMatchObject({ status: 400, code: 60200, message: 'Invalid parameter: RateLimits' })

    const raised = await buckets(bucket.sid).update({ max: 5 })
    expect(raised).toMatchObject({ max: 5, interval: 60 })
    await start('+447700900205', '203.0.113.7')
    expect(await buckets(bucket.sid).remove()).toBe(true)
    expect(await rateLimits(rateLimit.sid).remove()).toBe(true)
    expect(await rateLimits.list()).toEqual([])
  })

  it('enrols a TOTP factor, verifies it, and approves a challenge', async (ctx) => {
    if (!factorsOf(t.deps)) ctx.skip()
    const entity = service().entities('user-42')
    const factor = await entity.newFactors.create({ friendlyName: "Jane's phone", factorType: 'totp' })
    expect(factor.sid).toMatch(SID('YF'))
    expect(factor.entitySid).toMatch(SID('YE'))
    expect(factor).toMatchObject({
      identity: 'user-42',
      friendlyName: "Jane's phone",
      status: 'unverified',
      factorType: 'totp',
    })
    expect(factor.config).toEqual({ alg: 'sha1', skew: 1, code_length: 6, time_step: 30 })
    const binding = factor.binding as { secret: string; uri: string }
    expect(binding.uri).toMatch(/^otpauth:\/\/totp\//)
    const codeAt = (ms: number) => TOTP.generate({ secret: Secret.fromBase32(binding.secret), timestamp: ms })

    const right = codeAt(t.clock.now())
    const wrong = right === '000000' ? '111111' : '000000'
    expect((await entity.factors(factor.sid).update({ authPayload: wrong })).status).toBe('unverified')
    const verified = await entity.factors(factor.sid).update({ authPayload: right })
    expect(verified).toMatchObject({ sid: factor.sid, status: 'verified' })
    expect(verified.toJSON()).not.toHaveProperty('binding')
    expect((await entity.fetch()).identity).toBe('user-42')
    expect((await entity.factors.list()).map((f) => f.sid)).toEqual([factor.sid])

    // Each time step's code is single-use, so the challenge waits for the next one.
    t.clock.advance(30_000)
    const denied = await entity.challenges.create({ factorSid: factor.sid, authPayload: wrong })
    expect(denied).toMatchObject({ status: 'pending', factorSid: factor.sid, factorType: 'totp' })
    const approved = await entity.challenges.create({
      factorSid: factor.sid,
      authPayload: codeAt(t.clock.now()),
    })
    expect(approved.sid).toMatch(SID('YC'))
    expect(approved).toMatchObject({ status: 'approved', identity: 'user-42', respondedReason: 'none' })
    expect(approved.dateResponded).toBeInstanceOf(Date)
    expect((await entity.challenges(approved.sid).fetch()).status).toBe('approved')

    t.clock.advance(30_000)
    const answered = await entity.challenges(denied.sid).update({ authPayload: codeAt(t.clock.now()) })
    expect(answered.status).toBe('approved')
    expect((await entity.challenges.list({ status: 'approved' })).map((c) => c.sid).sort()).toEqual(
      [approved.sid, denied.sid].sort(),
    )

    expect(await entity.factors(factor.sid).remove()).toBe(true)
    const gone = await restError(entity.fetch())
    expect(gone).toMatchObject({ status: 404, code: 20404 })
  })

  it('answers TOTP misuse with Twilio codes', async (ctx) => {
    if (!factorsOf(t.deps)) ctx.skip()
    const entity = service().entities('user-43')
    const shortCode = await restError(
      entity.newFactors.create({ friendlyName: 'x', factorType: 'totp', 'config.codeLength': 4 }),
    )
    expect(shortCode).toMatchObject({
      status: 400,
      code: 60200,
      message: 'Invalid parameter: Config.CodeLength',
    })
    const push = await restError(entity.newFactors.create({ friendlyName: 'x', factorType: 'push' }))
    expect(push).toMatchObject({ status: 400, code: 60200, message: 'Invalid parameter: FactorType' })

    const factor = await entity.newFactors.create({ friendlyName: 'Phone', factorType: 'totp' })
    const unverified = await restError(
      entity.challenges.create({ factorSid: factor.sid, authPayload: '123456' }),
    )
    expect(unverified).toMatchObject({ status: 403, code: 60318 })
    const secret = Secret.fromBase32((factor.binding as { secret: string }).secret)
    const right = TOTP.generate({ secret, timestamp: t.clock.now() })
    const wrong = right === '000000' ? '111111' : '000000'
    for (let i = 0; i < 4; i++)
      expect((await entity.factors(factor.sid).update({ authPayload: wrong })).status).toBe('unverified')
    const locked = await restError(entity.factors(factor.sid).update({ authPayload: wrong }))
    expect(locked).toMatchObject({ status: 429, code: 60308 })
    const unknown = await restError(entity.factors(`YF${'0'.repeat(32)}`).fetch())
    expect(unknown).toMatchObject({ status: 404, code: 20404 })
  })

  it('authenticates with an API key sid (SK…) and accountSid too', async () => {
    const viaSk = sdkFor(t.verifyKey, { apiKeySid: true })
    expect((await viaSk.verify.v2.services(serviceSid).fetch()).sid).toBe(serviceSid)
  })

  it('answers bad credentials with 401 / 20003 and a missing scope with 403 / 20403', async () => {
    const keyId = parseToken(t.verifyKey)!.id
    const otherKey = await createTestKey(t.deps, ['verify'])
    const wrongPassword = twilio(twilioAccountSid(keyId), otherKey, {
      httpClient: new VerigateRequestClient(origin),
    })
    const refused = await restError(wrongPassword.verify.v2.services(serviceSid).fetch())
    expect(refused).toMatchObject({ status: 401, code: 20003, message: 'Authenticate' })

    const readOnly = sdkFor(t.readKey)
    const forbidden = await restError(
      readOnly.verify.v2.services(serviceSid).verifications.create({ to: '+447700900301', channel: 'sms' }),
    )
    expect(forbidden).toMatchObject({ status: 403, code: 20403 })
  })
})
