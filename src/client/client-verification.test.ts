/** The browser's timeline: each recorded delivery fact in the user's terms, and nothing for support only. */
import { describe, expect, it } from 'vitest'
import type { VerificationEvent } from '../events/verification-event.js'
import type { Verification } from '../verification/verification.js'
import { clientTimeline, clientVerification, failureReason } from './client-verification.js'

const T0 = Date.UTC(2026, 0, 1)
const verification: Verification = {
  id: 'ver_1',
  serviceId: 'svc_1',
  channel: 'sms',
  destination: '+447700900123',
  country: 'GB',
  status: 'pending',
  codeHmac: 'h',
  codeCiphertext: 'c',
  codeLength: 6,
  locale: 'en',
  checkAttempts: 1,
  maxCheckAttempts: 5,
  sendCount: 1,
  maxSends: 5,
  lastSentAt: T0,
  expiresAt: T0 + 600_000,
  clientIp: null,
  idempotencyKey: null,
  idempotencyFingerprint: null,
  createdAt: T0,
  updatedAt: T0,
  finishedAt: null,
}

let nextId = 1
function ev(
  type: VerificationEvent['type'],
  atS: number,
  data: Record<string, unknown> = {},
): VerificationEvent {
  return {
    id: nextId++,
    verificationId: 'ver_1',
    serviceId: 'svc_1',
    destination: '+447700900123',
    type,
    at: T0 + atS * 1000,
    data,
  }
}
const steps = (events: VerificationEvent[]) =>
  clientTimeline(verification, events).map((s) => `${s.step}:${s.channel}`)
const handed = (atS: number, extra: Record<string, unknown> = {}) =>
  ev('handed_to_provider', atS, {
    message_id: 'msg_1',
    channel: 'sms',
    route: 'twilio:sms:GB',
    provider: 'twilio',
    provider_message_id: 'SM123',
    from: 'ACME',
    raw_status: 'queued',
    ...extra,
  })

describe('clientTimeline', () => {
  it('reads a plain delivery as queued, handed to the carrier (with the sender), delivered', () => {
    const timeline = clientTimeline(verification, [
      ev('created', 0, { channel: 'sms' }),
      ev('send_requested', 0, { message_id: 'msg_1', send_number: 1, channel: 'sms' }),
      handed(1),
      ev('delivered', 4, {
        message_id: 'msg_1',
        route: 'twilio:sms:GB',
        provider: 'twilio',
        raw_status: 'delivered',
        current_hop: true,
      }),
      ev('check_failed', 30, { attempt: 1, attempts_left: 4 }),
    ])
    expect(timeline).toEqual([
      { step: 'queued', at: new Date(T0).toISOString(), channel: 'sms' },
      { step: 'handed_to_carrier', at: new Date(T0 + 1000).toISOString(), channel: 'sms', sender: 'ACME' },
      { step: 'delivered', at: new Date(T0 + 4000).toISOString(), channel: 'sms' },
    ])
  })

  it('issue 12, observation 1: an SMS delivered late while a call was placed reads "delivered by SMS"; the call is announced only once handed over', () => {
    const events = [
      ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
      handed(0),
      ev('receipt_timeout', 20, {
        message_id: 'msg_1',
        route: 'simulator:sms:*',
        provider_message_id: 'SM123',
      }),
      ev('channel_fallback', 20, {
        message_id: 'msg_1',
        from_channel: 'sms',
        to_channel: 'call',
        reason: 'receipt_timeout',
      }),
      handed(20, { channel: 'call', provider_message_id: 'CA1', from: null }),
      ev('receipt_timeout', 40, {
        message_id: 'msg_1',
        route: 'simulator:call:*',
        provider_message_id: 'CA1',
      }),
      ev('delivered', 45, { message_id: 'msg_1', channel: 'sms', current_hop: false, late: true }),
      ev('delivered', 65, { message_id: 'msg_1', channel: 'call', current_hop: false, late: true }),
    ]
    // Before the call is handed over, nothing says "we called you".
    expect(steps(events.slice(0, 4))).toEqual(['queued:sms', 'handed_to_carrier:sms'])
    expect(steps(events.slice(0, 6))).toEqual([
      'queued:sms',
      'handed_to_carrier:sms',
      'channel_switched:call',
      'handed_to_carrier:call',
      'unconfirmed:call',
    ])
    expect(steps(events)).toEqual([
      'queued:sms',
      'handed_to_carrier:sms',
      'channel_switched:call',
      'handed_to_carrier:call',
      'delivered:sms',
    ])
    const cv = clientVerification(verification, events, [], {
      now: T0 + 70_000,
      next: { at: T0 + 30_000, sendsLeft: 4, limit: null, liftsAt: null },
    })
    expect(cv.delivery).toMatchObject({ state: 'delivered', channel: 'sms' })
    expect(cv.timeline.find((st) => st.step === 'delivered')).toMatchObject({ late: true })
  })

  it('issue 12, observation 3: a provider that is down reads as retrying with the next time, never as a call that was not made', () => {
    const failed = (atS: number, next: number, channel = 'sms') =>
      ev('submit_failed', atS, {
        message_id: 'msg_1',
        channel,
        outcome: 'provider_error',
        raw_code: '503',
        retryable: true,
        final: false,
        next_attempt_at: T0 + next * 1000,
      })
    const events = [
      ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
      ev('submit_failed', 0, {
        message_id: 'msg_1',
        outcome: 'provider_error',
        raw_code: '503',
        retryable: true,
      }),
      ev('channel_fallback', 0, {
        message_id: 'msg_1',
        from_channel: 'sms',
        to_channel: 'call',
        reason: 'provider_error',
      }),
      failed(0, 1, 'call'),
      ev('submit_failed', 1, {
        message_id: 'msg_1',
        outcome: 'provider_error',
        raw_code: '503',
        retryable: true,
      }),
      ev('channel_fallback', 1, {
        message_id: 'msg_1',
        from_channel: 'sms',
        to_channel: 'call',
        reason: 'provider_error',
      }),
      failed(1, 3, 'call'),
    ]
    const timeline = clientTimeline(verification, events)
    expect(timeline.map((st) => st.step)).toEqual(['queued', 'retrying'])
    expect(timeline.at(-1)).toMatchObject({ retry_at: new Date(T0 + 3000).toISOString() })
    expect(timeline.some((st) => st.step === 'channel_switched')).toBe(false)
  })

  it('shows a failed submit or a missing receipt followed by another route as rerouted', () => {
    expect(
      steps([
        ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
        ev('submit_failed', 1, {
          message_id: 'msg_1',
          route: 'a',
          provider: 'twilio',
          outcome: 'provider_error',
          raw_code: '503',
        }),
        handed(1, { route: 'b', provider: 'vonage' }),
        ev('receipt_timeout', 21, { message_id: 'msg_1', route: 'b', provider_message_id: 'x' }),
        handed(21, { route: 'c' }),
        ev('delivered', 25, { message_id: 'msg_1', current_hop: true }),
      ]),
    ).toEqual([
      'queued:sms',
      'rerouted:sms',
      'handed_to_carrier:sms',
      'rerouted:sms',
      'handed_to_carrier:sms',
      'delivered:sms',
    ])
  })

  it('shows a channel fallback as channel_switched, and later steps on the new channel', () => {
    expect(
      steps([
        ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
        handed(1),
        ev('delivery_failed', 3, { message_id: 'msg_1', outcome: 'not_mobile', current_hop: true }),
        ev('channel_fallback', 3, {
          message_id: 'msg_1',
          from_channel: 'sms',
          to_channel: 'call',
          reason: 'not_mobile',
        }),
        handed(3, { channel: 'call' }),
        ev('delivered', 9, { message_id: 'msg_1', current_hop: true }),
      ]),
    ).toEqual([
      'queued:sms',
      'handed_to_carrier:sms',
      'channel_switched:call',
      'handed_to_carrier:call',
      'delivered:call',
    ])
  })

  it('ends a given-up message with failed and a reason in plain words, without the rerouted step before it', () => {
    const timeline = clientTimeline(verification, [
      ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
      handed(1),
      ev('delivery_failed', 3, {
        message_id: 'msg_1',
        outcome: 'unknown_subscriber',
        raw_code: '1',
        raw_text: 'Absent subscriber',
        current_hop: true,
      }),
      ev('gave_up', 3, { message_id: 'msg_1', reason: 'unknown_subscriber', hops: 1, channel: 'sms' }),
    ])
    expect(timeline.map((s) => s.step)).toEqual(['queued', 'handed_to_carrier', 'failed'])
    expect(timeline.at(-1)?.reason).toBe("The network says this number isn't in use. Check the number.")
  })

  it('ignores a late failed receipt of an earlier hop and the final submit failure before a give-up', () => {
    expect(
      steps([
        ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
        handed(1),
        ev('delivered', 2, { message_id: 'msg_1', current_hop: true }),
        ev('delivery_failed', 5, { message_id: 'msg_1', outcome: 'expired', current_hop: false }),
      ]),
    ).toEqual(['queued:sms', 'handed_to_carrier:sms', 'delivered:sms'])
    expect(
      steps([
        ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
        ev('submit_failed', 1, { message_id: 'msg_1', outcome: 'provider_error', final: true }),
        ev('gave_up', 1, { message_id: 'msg_1', reason: 'provider_error', channel: 'sms' }),
      ]),
    ).toEqual(['queued:sms', 'failed:sms'])
  })

  it('shows a resend on another channel as channel_switched', () => {
    expect(
      steps([
        ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
        handed(1),
        ev('send_requested', 40, { message_id: 'msg_2', channel: 'whatsapp', resend: true }),
        ev('handed_to_provider', 41, { message_id: 'msg_2', channel: 'whatsapp', route: 'wa' }),
        ev('send_requested', 100, { message_id: 'msg_3', channel: 'whatsapp', resend: true }),
      ]),
    ).toEqual([
      'queued:sms',
      'handed_to_carrier:sms',
      'channel_switched:whatsapp',
      'handed_to_carrier:whatsapp',
      'queued:whatsapp',
    ])
  })
})

describe('clientVerification', () => {
  it('projects counters and the latest step, with no provider, route or raw code', () => {
    const events = [
      ev('send_requested', 0, { message_id: 'msg_1', channel: 'sms' }),
      handed(1),
      ev('delivery_failed', 3, {
        message_id: 'msg_1',
        route: 'twilio:sms:GB',
        provider: 'twilio',
        outcome: 'carrier_blocked',
        raw_code: '30007',
        raw_text: 'Carrier violation',
        current_hop: true,
      }),
      ev('gave_up', 3, {
        message_id: 'msg_1',
        reason: 'carrier_blocked',
        hops: 1,
        channel: 'sms',
        message: 'twilio said 30007',
      }),
    ]
    const cv = clientVerification(verification, events, [], {
      now: T0 + 5000,
      next: { at: T0 + 30_000, sendsLeft: 4, limit: 'resend_cooldown', liftsAt: T0 + 30_000 },
    })
    expect(cv).toMatchObject({
      id: 'ver_1',
      status: 'pending',
      to: '+447700900123',
      to_display: '+44 7700 900123',
      attempts_left: 4,
      sends_left: 4,
      next_resend_at: new Date(T0 + 30_000).toISOString(),
      delivery: {
        state: 'failed',
        channel: 'sms',
        sender: 'ACME',
        reason: 'Your mobile network blocked our text message.',
      },
    })
    expect(JSON.stringify(cv)).not.toMatch(/twilio|30007|Carrier violation|SM123|route/i)
  })

  it('reads a pending verification past its lifetime as expired, with no resend offered', () => {
    const cv = clientVerification(verification, [], [], {
      now: T0 + 600_000,
      next: { at: T0 + 30_000, sendsLeft: 4, limit: 'resend_cooldown', liftsAt: T0 + 30_000 },
    })
    expect(cv).toMatchObject({ status: 'expired', next_resend_at: null, delivery: null, timeline: [] })
  })

  it('words every failure for people', () => {
    for (const reason of [
      'carrier_blocked',
      'unreachable',
      'opted_out',
      'provider_error',
      'no_route',
      'spend_cap',
      'whatever',
      undefined,
    ]) {
      const words = failureReason(reason, 'sms')
      expect(words).toMatch(/^[A-Z].*\.$/)
      expect(words).not.toMatch(/_/)
    }
  })
})

describe('failureReason in the verification language', () => {
  it('tells a failure in each SMS-template language, falling back to English words', () => {
    expect(failureReason('carrier_blocked', 'sms', 'de')).toBe(
      'Ihr Mobilfunkanbieter hat unsere SMS blockiert.',
    )
    expect(failureReason('unreachable', 'sms', 'ja-JP')).toBe('電話に届きませんでした。')
    expect(failureReason('whatever', 'sms', 'es')).toBe('No se pudo entregar tu código.')
    expect(failureReason('carrier_blocked', 'sms', 'xx')).toBe(
      'Your mobile network blocked our text message.',
    )
  })

  it('puts the language of the verification on the timeline', () => {
    const steps = clientTimeline({ channel: 'sms', locale: 'fr' }, [
      ev('send_requested', 1, { message_id: 'm1', channel: 'sms' }),
      ev('gave_up', 2, { message_id: 'm1', channel: 'sms', reason: 'carrier_blocked' }),
    ])
    expect(steps.at(-1)).toMatchObject({ step: 'failed', reason: 'Votre opérateur a bloqué notre SMS.' })
  })
})
