/**
 * Twilio Verify's documented behaviour, driven through the official `twilio` SDK against a running
 * verigate (issue 13): check and send attempts, channel switch, ended verifications, approval by
 * update. Each case names the Twilio page it follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
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
})
