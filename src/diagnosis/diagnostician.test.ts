/**
 * The Diagnostician on real event sequences: the real Verifier, dispatcher, limits, router and
 * carrier simulator (or a wire-format provider mock) produce the timeline, then it is diagnosed.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  buildTestDeps,
  codeFromInbox,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'
import { startTwilioMock, type TwilioMock } from '../../test/mocks/twilio-mock.js'
import { AppError } from '../errors/app-error.js'
import type { EventType } from '../events/verification-event.js'
import type { Service } from '../services/service.js'
import type { Cause, CauseId, Diagnosis } from './diagnosis.js'

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected the call to fail')
}

const ids = (d: Diagnosis) => d.causes.map((c) => c.id)
function cause(d: Diagnosis, id: CauseId): Cause {
  const c = d.causes.find((x) => x.id === id)
  if (!c) throw new Error(`no ${id} in [${ids(d).join(', ')}]`)
  return c
}

describe('Diagnostician on real event sequences', () => {
  let ctx: TestContext | undefined
  let twilio: TwilioMock | undefined
  let service: Service
  afterEach(async () => {
    await ctx?.close()
    await twilio?.close()
    ctx = undefined
    twilio = undefined
  })

  async function setup(config: Record<string, unknown> = {}, patch: Partial<Service> = {}) {
    ctx = await buildTestDeps({ config: { dispatcher: { pollIntervalMs: 20 }, ...config } })
    ctx.deps.dispatcher.start()
    service = await createTestService(ctx.deps, patch)
    return ctx
  }
  const deps = () => ctx!.deps
  const start = async (to: string, extra: { defaultCountry?: string } = {}) =>
    (await deps().verifier.start({ serviceId: service.id, to, channel: 'sms', ...extra })).verification
  const types = async (id: string) => (await deps().stores.verifications.listEvents(id)).map((e) => e.type)
  const until = (id: string, type: EventType) => eventually(async () => (await types(id)).includes(type))
  const diagnose = (id: string) => deps().diagnostician.diagnoseVerification(id)
  const wrongCode = (right: string) => (right === '000000' ? '111111' : '000000')

  it('a mistyped number: the start is refused, the number diagnosis names the fix', async () => {
    await setup()
    const refused = await rejection(start('+44 07700 900123'))
    expect(refused.code).toBe('PHONE_NUMBER_INVALID')
    const result = await deps().diagnostician.diagnoseNumber('+44 07700 900123')
    expect(result.phone.problem?.reason).toBe('trunk_prefix_after_country_code')
    expect(result.diagnosis.causes[0]).toMatchObject({
      id: 'number_mistyped',
      likelihood: 'confirmed',
      suggested_number: '+447700900123',
    })
    expect(result.verifications).toEqual([])

    const national = await deps().diagnostician.diagnoseNumber('07700 900123')
    expect(national.diagnosis.causes[0]).toMatchObject({ id: 'number_mistyped' })
    expect(national.diagnosis.causes[0]!.title_user).toMatch(/country code/)
    // With the country, the same input is fine, and its verifications are found.
    const v = await start('07700 900123', { defaultCountry: 'GB' })
    const fine = await deps().diagnostician.diagnoseNumber('07700 900123', { defaultCountry: 'GB' })
    expect(fine.diagnosis.causes).toEqual([])
    expect(fine.verifications.map((d) => d.verification_id)).toEqual([v.id])
  })

  it('a landline: SMS refused by analysis; a carrier that says not_mobile is diagnosed the same', async () => {
    await setup()
    expect((await rejection(start('+442079460001'))).code).toBe('PHONE_NUMBER_NOT_SMS_CAPABLE')
    const landline = await deps().diagnostician.diagnoseNumber('+442079460001')
    expect(landline.diagnosis.causes[0]).toMatchObject({
      id: 'number_not_sms_capable',
      suggested_channel: 'call',
    })
    expect(landline.diagnosis.causes[0]!.title_user).toBe('This looks like a landline')

    const to = '+447700900010'
    deps().simulator!.setScenario(to, 'fixed_line')
    const v = await start(to)
    await until(v.id, 'gave_up')
    const d = await diagnose(v.id)
    expect(d.causes[0]).toMatchObject({
      id: 'number_not_sms_capable',
      likelihood: 'confirmed',
      suggested_channel: 'call',
    })
    expect(d.causes[0]!.explanation_support).toContain('NOT_MOBILE')
  })

  it('a VoIP number is a possible cause before anything is delivered', async () => {
    await setup()
    const d = await deps().diagnostician.diagnoseNumber('+44 56 0000 0000')
    expect(d.diagnosis.causes.map((c) => [c.id, c.likelihood])).toEqual([['voip_number', 'possible']])
  })

  it('rate limits: the resend cooldown, then the per-number send limit, with exact waits and what is left', async () => {
    await setup({
      limits: { resendCooldownSeconds: [30], sendsPerDestination: { points: 2, durationSeconds: 600 } },
    })
    const to = '+447700900020'
    const v = await start(to)
    await until(v.id, 'delivered')
    expect((await rejection(deps().verifier.resend(v.id))).code).toBe('RATE_LIMITED')
    const cooling = await diagnose(v.id)
    expect(cause(cooling, 'rate_limited')).toMatchObject({
      likelihood: 'confirmed',
      wait_seconds: 30,
      // One more send fits the per-number limit (2 per 10 min); the verification alone would allow 4.
      sends_left: 1,
      attempts_left: 5,
    })
    expect(cause(cooling, 'rate_limited').title_user).toBe('A code was sent a moment ago')

    ctx!.clock.advance(30_000)
    await deps().verifier.resend(v.id)
    ctx!.clock.advance(30_000)
    const refused = await rejection(deps().verifier.resend(v.id))
    expect(refused.details.limit).toBe('sends_per_destination')
    const d = await diagnose(v.id)
    const c = d.causes[0]!
    // The per-number window reopens only when this code expires: no other send in its life.
    expect(c).toMatchObject({ id: 'rate_limited', likelihood: 'confirmed', sends_left: 0 })
    expect(c.wait_seconds).toBeGreaterThan(590)
    expect(c.wait_seconds).toBeLessThanOrEqual(600)
    expect(c.explanation_support).toContain('sends_per_destination 0/2 left')
    expect(c.explanation_user).toMatch(/10 minutes/)
    // The number diagnosis reads the same counter with peek.
    const byNumber = await deps().diagnostician.diagnoseNumber(to)
    expect(byNumber.diagnosis.causes[0]).toMatchObject({ id: 'rate_limited' })
  })

  it('carrier filtering: the sender ID to allow comes from the route', async () => {
    await setup({ routing: { routes: [{ provider: 'simulator', senderIds: { GB: 'ACMEUK' } }] } })
    const v = await start('+447700900003')
    await until(v.id, 'gave_up')
    const d = await diagnose(v.id)
    // The give-up that follows names the block as its reason and is filed with it.
    expect(ids(d)).toEqual(['carrier_filtered'])
    expect(d.causes[0]!.evidence.map((e) => (e.raw as { reason?: string }).reason ?? null)).toEqual([
      null,
      'carrier_blocked',
    ])
    expect(d.causes[0]).toMatchObject({
      id: 'carrier_filtered',
      likelihood: 'confirmed',
      sender_id: 'ACMEUK',
      rank: 1,
    })
    expect(d.causes[0]!.explanation_support).toContain('UNDELIV/045')
    expect(d.summary_user).toContain('ACMEUK')
  })

  it('handset unreachable and unknown subscriber', async () => {
    await setup()
    const off = await start('+447700900004')
    const gone = await start('+447700900005')
    await until(off.id, 'gave_up')
    await until(gone.id, 'gave_up')
    const offD = await diagnose(off.id)
    expect(ids(offD)).toEqual(['handset_unreachable'])
    expect(offD.causes[0]).toMatchObject({ id: 'handset_unreachable', likelihood: 'confirmed' })
    expect(offD.causes[0]!.explanation_support).toContain('027')
    const goneD = await diagnose(gone.id)
    expect(ids(goneD)).toEqual(['unknown_subscriber'])
    expect(goneD.causes[0]).toMatchObject({ id: 'unknown_subscriber', likelihood: 'confirmed' })
    expect(goneD.causes[0]!.explanation_support).toContain('001')
  })

  it('a provider outage routed around, and the code still on its way', async () => {
    await setup({
      providers: [{ type: 'simulator', id: 'sms-a', channels: ['sms'], outage: true }],
      routing: { routes: [{ provider: 'sms-a' }, { provider: 'simulator' }] },
    })
    const v = await start('+447700900002') // accepted at once, delivered only after 45 s
    await until(v.id, 'handed_to_provider')
    expect(await types(v.id)).toEqual(['created', 'send_requested', 'submit_failed', 'handed_to_provider'])
    const d = await diagnose(v.id)
    expect(ids(d)).toEqual(['provider_outage_rerouted', 'delivery_delayed'])
    expect(d.causes[0]!.explanation_support).toContain('sms-a:sms:*')
    expect(d.causes[0]!.explanation_support).toContain('simulator:sms:*')
    expect(d.causes[1]).toMatchObject({ likelihood: 'likely', wait_seconds: 10 })
  })

  it('every route down: the automatic retry and its time', async () => {
    await setup()
    const v = await start('+447700900006')
    await until(v.id, 'submit_failed')
    const d = await diagnose(v.id)
    expect(d.causes[0]).toMatchObject({ id: 'provider_outage', likelihood: 'confirmed' })
    expect(d.causes[0]!.wait_seconds).toBeGreaterThanOrEqual(0)
    expect(d.causes[0]!.explanation_support).toContain('Automatic retry at')
    expect(d.causes[0]!.explanation_support).toContain('503')
  })

  it('delivery delayed: the typical time comes from the route p50, the wait shrinks as time passes', async () => {
    // The receipt comes 1 s (real time) after hand-over, long enough to move the manual clock first.
    await setup({ simulator: { deliveryDelayMs: 1_000 } })
    // One delivery measured at 6 s sets the route's receipt latency.
    const first = await start('+447700900011')
    await until(first.id, 'handed_to_provider')
    ctx!.clock.advance(6_000)
    await until(first.id, 'delivered')
    expect(
      deps()
        .health.all()
        .find((h) => h.route === 'simulator:sms:*')?.receiptLatencyP50Ms,
    ).toBe(6_000)

    const v = await start('+447700900002')
    await until(v.id, 'handed_to_provider')
    const now = await diagnose(v.id)
    expect(now.causes[0]).toMatchObject({ id: 'delivery_delayed', likelihood: 'likely', wait_seconds: 6 })
    expect(now.causes[0]!.explanation_user).toContain('usually arrive within 6 seconds')
    expect(now.causes[0]!.explanation_support).toContain('6000 ms')
    ctx!.clock.advance(10_000)
    const later = await diagnose(v.id)
    // Past the typical time: the receipt timeout (20 s after hand-over) re-sends on the next route.
    expect(later.causes[0]).toMatchObject({ id: 'delivery_delayed', wait_seconds: 10 })
    expect(later.causes[0]!.explanation_user).toContain('10 seconds ago')
  })

  it('country not enabled: by the geo lists, and by routes that leave the country out', async () => {
    await setup({
      geo: { blockedCountries: ['FR'] },
      routing: { routes: [{ provider: 'simulator', countries: ['GB', 'US'] }] },
    })
    expect((await rejection(start('+33612345678'))).code).toBe('COUNTRY_NOT_ALLOWED')
    const fr = await deps().diagnostician.diagnoseNumber('+33612345678')
    expect(fr.diagnosis.causes[0]).toMatchObject({ id: 'country_not_enabled', likelihood: 'confirmed' })
    expect(fr.diagnosis.causes[0]!.explanation_user).toContain('France')

    const v = await start('+4915123456789') // Germany: allowed, but no route serves it
    await until(v.id, 'gave_up')
    const d = await diagnose(v.id)
    expect(d.causes[0]).toMatchObject({ id: 'country_not_enabled', likelihood: 'confirmed' })
    expect(d.causes[0]!.explanation_support).toContain('routing.routes')
    expect(d.causes[0]!.explanation_user).toContain('Germany')
  })

  it('opted out with STOP: the provider refuses, the sender to text START to comes from the route', async () => {
    twilio = await startTwilioMock()
    await setup({
      providers: [
        {
          type: 'twilio',
          id: 'twilio',
          baseUrl: twilio.url,
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: '+15005550006',
        },
      ],
      routing: { routes: [{ provider: 'twilio', senderIds: { GB: 'ACMEUK' } }] },
    })
    twilio.failNext({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' })
    const v = await start('+447700900030')
    await until(v.id, 'gave_up')
    const d = await diagnose(v.id)
    expect(d.causes[0]).toMatchObject({ id: 'opted_out', likelihood: 'confirmed', sender_id: 'ACMEUK' })
    expect(d.causes[0]!.next_actions_user[0]).toBe('Text START (or UNSTOP) to "ACMEUK"')
    expect(d.causes[0]!.explanation_support).toContain('21610')
    expect(d.causes[0]!.explanation_support).toContain('twilio:sms:*')
  })

  it('delivered but not entered: other devices, spam folder, the sender ID', async () => {
    await setup({ routing: { routes: [{ provider: 'simulator', senderIds: { GB: 'ACMEUK' } }] } })
    const v = await start('+447700900040')
    await until(v.id, 'delivered')
    const d = await diagnose(v.id)
    expect(ids(d)).toEqual(['delivered_not_entered'])
    const c = d.causes[0]!
    expect(c).toMatchObject({ likelihood: 'confirmed', sender_id: 'ACMEUK' })
    expect(c.next_actions_user.join(' ')).toMatch(/spam/i)
    expect(c.next_actions_user.join(' ')).toMatch(/another device/)
    expect(c.explanation_support).toContain('DELIVRD')
  })

  it('wrong code, then expired', async () => {
    await setup()
    const to = '+447700900050'
    const v = await start(to)
    await until(v.id, 'delivered')
    const right = await eventually(() => codeFromInbox(deps(), to))
    expect(
      (await rejection(deps().verifier.check({ verificationId: v.id, code: wrongCode(right) }))).code,
    ).toBe('CODE_INCORRECT')
    const wrong = await diagnose(v.id)
    expect(ids(wrong)).toEqual(['wrong_code'])
    expect(wrong.causes[0]).toMatchObject({ attempts_left: 4 })

    ctx!.clock.advance(600_001)
    await deps().verifier.expireDue()
    const expired = await diagnose(v.id)
    expect(expired.status).toBe('expired')
    expect(ids(expired)).toEqual(['wrong_code', 'expired'])
    expect(cause(expired, 'expired').evidence[0]!.event_id).toBeDefined()
  })

  it('expired without a check: the code was delivered, then ran out', async () => {
    await setup()
    const v = await start('+447700900051')
    await until(v.id, 'delivered')
    ctx!.clock.advance(700_000)
    const d = await diagnose(v.id) // before the sweeper: still counts as expired
    expect(d.status).toBe('expired')
    expect(ids(d)).toEqual(['delivered_not_entered', 'expired'])
  })

  it('max attempts reached', async () => {
    await setup()
    const to = '+447700900052'
    const v = await start(to)
    const right = await eventually(() => codeFromInbox(deps(), to))
    for (let i = 0; i < 5; i++)
      await rejection(deps().verifier.check({ verificationId: v.id, code: wrongCode(right) }))
    const d = await diagnose(v.id)
    expect(d.status).toBe('failed')
    expect(d.causes[0]).toMatchObject({
      id: 'max_attempts_reached',
      likelihood: 'confirmed',
      attempts_left: 0,
    })
  })

  it('all SMS routes fail: the code goes out as a call, and the diagnosis says so', async () => {
    await setup(
      {
        providers: [
          { type: 'simulator', id: 'sms-a', channels: ['sms'], outage: true },
          { type: 'simulator', id: 'sms-b', channels: ['sms'], carrierBlocks: true },
        ],
        routing: {
          routes: [{ provider: 'sms-a' }, { provider: 'sms-b' }, { provider: 'simulator', channel: 'call' }],
        },
      },
      { fallbackChannels: ['sms', 'call'] },
    )
    const v = await start('+447700900060')
    await until(v.id, 'delivered')
    const d = await diagnose(v.id)
    // The carrier block on sms-b is history (the call got through); the outage on sms-a was routed around.
    expect(ids(d)).toEqual(['delivered_not_entered', 'sent_by_other_channel', 'provider_outage_rerouted'])
    expect(d.causes[0]!.title_user).toBe('We called you with the code')
    expect(d.causes[1]).toMatchObject({ suggested_channel: 'call' })
  })

  it('a number lists its latest verifications, newest first; an unknown id is VERIFICATION_NOT_FOUND', async () => {
    await setup()
    const to = '+447700900070'
    const first = await start(to)
    await deps().verifier.cancel(first.id)
    ctx!.clock.advance(1)
    const second = await start(to)
    const result = await deps().diagnostician.diagnoseNumber(to, { serviceId: service.id })
    expect(result.verifications.map((d) => [d.verification_id, d.status])).toEqual([
      [second.id, 'pending'],
      [first.id, 'canceled'],
    ])
    expect(cause(result.verifications[1]!, 'canceled').likelihood).toBe('confirmed')
    expect((await deps().diagnostician.diagnoseNumber(to, { serviceId: 'svc_other' })).verifications).toEqual(
      [],
    )
    expect((await rejection(diagnose('ver_unknown'))).code).toBe('VERIFICATION_NOT_FOUND')
  })
})
