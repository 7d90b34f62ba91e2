/**
 * Twilio Verify's documented behaviour, driven through the official `twilio` SDK against a running
 * verigate (issue 13): check and send attempts, channel switch, ended verifications, approval by
 * update. Each case names the Twilio page it follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import { eventually } from '../../test/helpers/test-deps.js'
import { restError, type SdkTestApp, startSdkTestApp } from '../../test/helpers/twilio-sdk.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import { idFromSid } from './sids.js'

describe.each(DIALECTS)('Twilio Verify fidelity through the official SDK (%s)', (dialect) => {
  let s: SdkTestApp
  let serviceSid: string
  const events: NewVerificationEvent[] = []
  const service = () => s.client.verify.v2.services(serviceSid)

  beforeAll(async () => {
    s = await startSdkTestApp({ dialect })
    s.t.deps.events.subscribe((e) => {
      events.push(e)
    })
    serviceSid = (await s.admin.verify.v2.services.create({ friendlyName: 'Acme', codeLength: 6 })).sid
  })
  afterAll(async () => s.close())

  // https://www.twilio.com/docs/verify/api/verification-check: "You have 5 attempts to check a code"
  it('answers five wrong codes with 200 pending and the 6th check with 429 / 60202', async () => {
    const to = '+447700900401'
    const started = await service().verifications.create({ to, channel: 'sms' })
    const code = await s.codeFor(to)
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 1; i <= 5; i++) {
      const checked = await service().verificationChecks.create({ to, code: wrong })
      expect(checked).toMatchObject({ sid: started.sid, status: 'pending', valid: false })
    }
    // The 6th, even with the right code, by To or by sid.
    const sixth = await restError(service().verificationChecks.create({ to, code }))
    expect(sixth).toMatchObject({ status: 429, code: 60202, message: 'Max check attempts reached' })
    const bySid = await restError(service().verificationChecks.create({ verificationSid: started.sid, code }))
    expect(bySid).toMatchObject({ status: 429, code: 60202 })
    // Out of attempts, the verification is gone for a fetch.
    expect(await restError(service().verifications(started.sid).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    })
    // Once it has expired, checks are 20404 too.
    s.t.clock.advance(10 * 60_000)
    expect(await restError(service().verificationChecks.create({ to, code }))).toMatchObject({
      status: 404,
      code: 20404,
    })
  })

  // https://www.twilio.com/docs/verify/api/verification ("Max send attempts"), errors/60203
  it('re-sends the same code on every start, counts each send, and refuses the 6th with 60203', async () => {
    const to = '+447700900402'
    const first = await service().verifications.create({ to, channel: 'sms' })
    const code = await s.codeFor(to)
    for (let n = 2; n <= 5; n++) {
      const again = await service().verifications.create({ to, channel: 'sms' })
      expect(again.sid).toBe(first.sid)
      expect(again.sendCodeAttempts).toHaveLength(n)
      expect(await s.codeFor(to, n - 1)).toBe(code)
    }
    const refused = await restError(service().verifications.create({ to, channel: 'sms' }))
    expect(refused).toMatchObject({ status: 429, code: 60203, message: 'Max send attempts reached' })
    const fetched = await service().verifications(first.sid).fetch()
    expect(fetched.sendCodeAttempts).toHaveLength(5)
    expect((await service().verificationChecks.create({ to, code })).status).toBe('approved')
  })

  // https://www.twilio.com/docs/verify/api/verification: a start with another channel for a pending
  // verification sends the same code on that channel.
  it('sends the pending SMS code by call when a start asks for Channel=call', async () => {
    const to = '+447700900403'
    const sms = await service().verifications.create({ to, channel: 'sms' })
    const code = await s.codeFor(to)
    const call = await service().verifications.create({ to, channel: 'call' })
    expect(call).toMatchObject({ sid: sms.sid, channel: 'call', status: 'pending' })
    expect(call.sendCodeAttempts.map((a) => (a as { channel: string }).channel)).toEqual(['sms', 'call'])
    expect(await s.codeFor(to, 1)).toBe(code)
    expect(s.inbox(to)[0]!.channel).toBe('call')
  })

  it('answers 20404 when fetching an approved, canceled or expired verification', async () => {
    const approvedTo = '+447700900404'
    const approved = await service().verifications.create({ to: approvedTo, channel: 'sms' })
    await service().verificationChecks.create({ to: approvedTo, code: await s.codeFor(approvedTo) })
    const canceled = await service().verifications.create({ to: '+447700900405', channel: 'sms' })
    await service().verifications(canceled.sid).update({ status: 'canceled' })
    const expired = await service().verifications.create({ to: '+447700900406', channel: 'sms' })
    expect((await service().verifications(expired.sid).fetch()).status).toBe('pending')
    s.t.clock.advance(10 * 60_000)
    for (const sid of [approved.sid, canceled.sid, expired.sid]) {
      const gone = await restError(service().verifications(sid).fetch())
      expect(gone).toMatchObject({
        status: 404,
        code: 20404,
        message: `The requested resource /Services/${serviceSid}/Verifications/${sid} was not found`,
      })
    }
  })

  it('publishes an approval by update like a code check: event, webhooks and native status see it', async () => {
    const to = '+447700900407'
    const started = await service().verifications.create({ to, channel: 'sms' })
    const approved = await service().verifications(started.sid).update({ status: 'approved' })
    expect(approved).toMatchObject({ sid: started.sid, status: 'approved', valid: true })
    const id = idFromSid('VE', started.sid)!
    const published = events.find((e) => e.verificationId === id && e.type === 'approved')
    expect(published?.data).toMatchObject({ manual: true, via: 'twilio_compat' })
    const native = await s.t.app.inject({
      method: 'GET',
      url: `/v1/verifications/${id}`,
      headers: s.t.auth(),
    })
    expect(native.json()).toMatchObject({ id, status: 'approved' })
    // Approved: a second approval, a cancel or a check find nothing.
    expect(
      await restError(service().verifications(started.sid).update({ status: 'approved' })),
    ).toMatchObject({
      status: 404,
      code: 20404,
    })
  })

  it("applies verigate's resend cooldown only to services that opt in (VerigateResendCooldown)", async () => {
    const opted = await s.admin.verify.v2.services.create({ friendlyName: 'Cooldown' })
    const set = await s.form(s.t.adminKey, 'POST', `/v2/Services/${opted.sid}`, {
      VerigateResendCooldown: 'true',
    })
    expect(set.status).toBe(200)
    const verifications = s.client.verify.v2.services(opted.sid).verifications
    const to = '+447700900408'
    const first = await verifications.create({ to, channel: 'sms' })
    const again = await verifications.create({ to, channel: 'sms' })
    expect(again.sid).toBe(first.sid)
    expect(again.sendCodeAttempts).toHaveLength(1)
    s.t.clock.advance(30_000)
    expect((await verifications.create({ to, channel: 'sms' })).sendCodeAttempts).toHaveLength(2)
  })

  // https://www.twilio.com/docs/verify/api/verifying-transactions-psd2 , /docs/api/errors/60206
  it("binds a PSD2 service's code to Amount and Payee, names them in the message, and requires them", async () => {
    const psd2 = await s.admin.verify.v2.services.create({ friendlyName: 'Acme Pay', psd2Enabled: true })
    expect(psd2.psd2Enabled).toBe(true)
    const svc = s.client.verify.v2.services(psd2.sid)
    const to = '+447700900411'
    const missing = await restError(svc.verifications.create({ to, channel: 'sms', amount: '€39.99' }))
    expect(missing).toMatchObject({
      status: 400,
      code: 60206,
      message: "'Amount' & 'Payee' params are required",
    })

    const started = await svc.verifications.create({
      to,
      channel: 'sms',
      amount: '€39.99',
      payee: 'Acme Inc.',
    })
    expect(started).toMatchObject({ amount: '€39.99', payee: 'Acme Inc.', status: 'pending' })
    const code = await s.codeFor(to)
    expect(s.inbox(to)[0]!.body).toContain('Acme Inc.: €39.99')

    const noPayee = await restError(svc.verificationChecks.create({ to, code, amount: '€39.99' }))
    expect(noPayee).toMatchObject({ status: 400, code: 60206 })
    // Dynamic linking: the right digits for another payment are a wrong code.
    const otherAmount = await svc.verificationChecks.create({ to, code, amount: '€3999', payee: 'Acme Inc.' })
    expect(otherAmount).toMatchObject({ status: 'pending', valid: false })
    const otherPayee = await svc.verificationChecks.create({ to, code, amount: '€39.99', payee: 'Evil Ltd' })
    expect(otherPayee).toMatchObject({ status: 'pending', valid: false })
    const right = await svc.verificationChecks.create({ to, code, amount: '€39.99', payee: 'Acme Inc.' })
    expect(right).toMatchObject({ status: 'approved', valid: true, amount: '€39.99', payee: 'Acme Inc.' })

    // A service without PSD2 refuses the parameters rather than ignoring them.
    const plain = await restError(
      service().verifications.create({ to: '+447700900412', channel: 'sms', amount: '1', payee: 'x' }),
    )
    expect(plain).toMatchObject({ status: 403, code: 60204 })
  })

  it('starts a new PSD2 verification when a start names another payment', async () => {
    const psd2 = await s.admin.verify.v2.services.create({ friendlyName: 'Acme Pay 2', psd2Enabled: true })
    const svc = s.client.verify.v2.services(psd2.sid)
    const to = '+447700900413'
    const first = await svc.verifications.create({ to, channel: 'sms', amount: '10 EUR', payee: 'Shop A' })
    const second = await svc.verifications.create({ to, channel: 'sms', amount: '20 EUR', payee: 'Shop A' })
    expect(second.sid).not.toBe(first.sid)
    expect(await restError(svc.verifications(first.sid).fetch())).toMatchObject({ status: 404 })
    // The first code may never go out (its verification ended before the dispatcher got to it).
    const message = await eventually(() => s.inbox(to).find((m) => m.body.includes('Shop A: 20 EUR')))
    const code = message.body.match(/\b(\d{6})\b/)![1]!
    const checked = await svc.verificationChecks.create({ to, code, amount: '20 EUR', payee: 'Shop A' })
    expect(checked).toMatchObject({ sid: second.sid, status: 'approved' })
  })

  // https://www.twilio.com/docs/verify/api/customization-options , /docs/api/errors/60204
  it('sends a CustomCode on a service with CustomCodeEnabled; the app approves or cancels by update', async () => {
    const refused = await restError(
      service().verifications.create({ to: '+447700900421', channel: 'sms', customCode: '482913' }),
    )
    expect(refused).toMatchObject({
      status: 403,
      code: 60204,
      message: 'Service does not support this feature',
    })

    const custom = await s.admin.verify.v2.services.create({
      friendlyName: 'Own codes',
      customCodeEnabled: true,
    })
    expect(custom.customCodeEnabled).toBe(true)
    const svc = s.client.verify.v2.services(custom.sid)
    const to = '+447700900422'
    const started = await svc.verifications.create({ to, channel: 'sms', customCode: '48291375' })
    expect(await s.codeFor(to)).toBe('48291375')
    // Same send rules: a start re-sends the same code and counts.
    const again = await svc.verifications.create({ to, channel: 'call' })
    expect(again).toMatchObject({ sid: started.sid, channel: 'call' })
    expect(again.sendCodeAttempts).toHaveLength(2)
    expect(await s.codeFor(to, 1)).toBe('48291375')
    const approved = await svc.verifications(started.sid).update({ status: 'approved' })
    expect(approved).toMatchObject({ status: 'approved', valid: true })

    const other = '+447700900423'
    const second = await svc.verifications.create({ to: other, channel: 'sms', customCode: '1234' })
    expect((await svc.verifications(second.sid).update({ status: 'canceled' })).status).toBe('canceled')
    const bad = await restError(svc.verifications.create({ to: other, channel: 'sms', customCode: 'abc' }))
    expect(bad).toMatchObject({ status: 400, code: 60200, message: 'Invalid parameter: CustomCode' })
    // Same lifetime: the custom code expires with the service's code lifetime.
    const third = await svc.verifications.create({ to: other, channel: 'sms', customCode: '5678' })
    s.t.clock.advance(10 * 60_000)
    expect(await restError(svc.verificationChecks.create({ to: other, code: '5678' }))).toMatchObject({
      status: 404,
    })
    expect(await restError(svc.verifications(third.sid).fetch())).toMatchObject({ status: 404 })
  })

  // https://www.twilio.com/docs/verify/api/list-verification-attempts
  it("lists a verification's send attempts at /v2/Attempts, converted once approved", async () => {
    const to = '+447700900431'
    const started = await service().verifications.create({ to, channel: 'sms' })
    await service().verifications.create({ to, channel: 'call' })
    const attempts = await s.client.verify.v2.verificationAttempts.list({ verificationSid: started.sid })
    expect(attempts.map((a) => a.channel)).toEqual(['sms', 'call'])
    expect(attempts[0]).toMatchObject({
      verificationSid: started.sid,
      serviceSid,
      conversionStatus: 'unconverted',
      price: null,
      channelData: { to },
    })
    const fetched = await service().verifications(started.sid).fetch()
    expect(attempts.map((a) => a.sid)).toEqual(
      fetched.sendCodeAttempts.map((a) => (a as { attempt_sid: string }).attempt_sid),
    )
    const calls = await s.client.verify.v2.verificationAttempts.list({
      verificationSid: started.sid,
      channel: 'call',
    })
    expect(calls).toHaveLength(1)
    await service().verificationChecks.create({ to, code: await s.codeFor(to) })
    const converted = await s.client.verify.v2.verificationAttempts.list({ verificationSid: started.sid })
    expect(converted.every((a) => a.conversionStatus === 'converted')).toBe(true)

    // What verigate cannot answer is refused with Twilio's error, never faked.
    const unfiltered = await restError(s.client.verify.v2.verificationAttempts.list())
    expect(unfiltered).toMatchObject({
      status: 400,
      code: 60200,
      message: 'Invalid parameter: VerificationSid',
    })
    const summary = await restError(s.client.verify.v2.verificationAttemptsSummary().fetch())
    expect(summary).toMatchObject({ status: 403, code: 60204 })
    const one = await restError(s.client.verify.v2.verificationAttempts(attempts[0]!.sid).fetch())
    expect(one).toMatchObject({ status: 403, code: 60204 })
  })

  // https://www.twilio.com/docs/verify/api/templates
  it('lists no Verification Templates and refuses a TemplateSid and other unavailable features', async () => {
    expect(await s.client.verify.v2.templates.list()).toEqual([])
    const to = '+447700900432'
    const cases: Array<[Record<string, unknown>, number, number]> = [
      [{ templateSid: `HJ${'0'.repeat(32)}` }, 403, 60204],
      [{ customFriendlyName: 'Other brand' }, 403, 60204],
      [{ customMessage: 'Your code is {code}' }, 400, 60243],
      [{ sendDigits: 'ww1' }, 403, 60204],
      [{ appHash: 'FA+9qCX9VSu' }, 403, 60204],
    ]
    for (const [extra, status, code] of cases) {
      const refused = await restError(service().verifications.create({ to, channel: 'sms', ...extra }))
      expect(refused, JSON.stringify(extra)).toMatchObject({ status, code })
    }
    const dtmf = await restError(
      s.admin.verify.v2.services.create({ friendlyName: 'x', dtmfInputRequired: true }),
    )
    expect(dtmf).toMatchObject({ status: 403, code: 60204 })
    const push = await restError(
      s.admin.verify.v2.services.create({ friendlyName: 'x', 'push.includeDate': true }),
    )
    expect(push).toMatchObject({ status: 403, code: 60204 })
    // A switch set to what verigate does anyway is accepted.
    expect(
      (await s.admin.verify.v2.services.create({ friendlyName: 'x', dtmfInputRequired: false })).sid,
    ).toBeTruthy()
  })

  it('answers Verify resources verigate does not have with 60204, not a bare 404', async () => {
    const v2 = s.client.verify.v2
    const calls: Array<Promise<unknown>> = [
      v2.services(serviceSid).messagingConfigurations.list(),
      v2.services(serviceSid).messagingConfigurations('GB').fetch(),
      v2.services(serviceSid).webhooks.list(),
      v2.services(serviceSid).accessTokens.create({ identity: 'u', factorType: 'push' }),
      v2.services(serviceSid).entities.list(),
      v2.forms('form-push').fetch(),
      v2.safelist('+447700900441').fetch(),
    ]
    for (const call of calls) expect(await restError(call)).toMatchObject({ status: 403, code: 60204 })
  })
})
