/** `diagnose` as a pure function: facts in, ranked causes out. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../delivery/outbox.js'
import type { EventType, VerificationEvent } from '../events/verification-event.js'
import { analyzePhoneNumber } from '../phone/index.js'
import type { Verification } from '../verification/verification.js'
import { DEFAULT_DELIVERY_MS, diagnose } from './diagnose.js'
import { CAUSE_IDS, type Cause, type CauseId, type DiagnosisInput } from './diagnosis.js'

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0)
const TO = '+447700900123'

function verification(patch: Partial<Verification> = {}): Verification {
  return {
    id: 'ver_test',
    serviceId: 'svc_test',
    channel: 'sms',
    destination: TO,
    country: 'GB',
    status: 'pending',
    codeHmac: 'k:h',
    codeCiphertext: 'k:c',
    codeLength: 6,
    locale: 'en',
    checkAttempts: 0,
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
    ...patch,
  }
}

/** A timeline builder: ids and times in order, like the store gives them. */
function timeline() {
  const events: VerificationEvent[] = []
  const add = (type: EventType, atOffset: number, data: Record<string, unknown> = {}) => {
    events.push({
      id: events.length + 1,
      verificationId: 'ver_test',
      serviceId: 'svc_test',
      destination: TO,
      type,
      at: T0 + atOffset,
      data,
    })
    return add
  }
  return { events, add }
}

function message(patch: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: 'msg_1',
    verificationId: 'ver_test',
    serviceId: 'svc_test',
    channel: 'sms',
    destination: TO,
    sendNumber: 1,
    createdAt: T0,
    status: 'sent',
    attempts: 1,
    availableAt: T0 + 20_000,
    leaseUntil: null,
    providerId: 'simulator',
    providerMessageId: 'SM1',
    deliveryOutcome: 'pending',
    lastErrorCode: null,
    lastErrorText: null,
    sentAt: T0,
    deliveredAt: null,
    routeId: 'simulator:sms:*',
    sender: 'ACMEUK',
    triedRoutes: ['simulator:sms:*'],
    hops: 1,
    plan: {},
    ...patch,
  }
}

const handed = (route = 'simulator:sms:*', pmid = 'SM1', from: string | null = 'ACMEUK') => ({
  message_id: 'msg_1',
  route,
  provider: route.split(':')[0],
  provider_message_id: pmid,
  from,
  channel: 'sms',
  hop: 1,
})

const ids = (causes: readonly Cause[]) => causes.map((c) => c.id)
const cause = (causes: readonly Cause[], id: CauseId) => {
  const c = causes.find((x) => x.id === id)
  if (!c) throw new Error(`no ${id} in ${ids(causes).join(', ')}`)
  return c
}

describe('diagnose: the number as typed', () => {
  it('an extra 0 after the country code is confirmed, with the corrected number', () => {
    const d = diagnose({ now: T0, phone: analyzePhoneNumber('+44 07700 900123') })
    expect(d).toMatchObject({ verification_id: null, status: 'no_verification' })
    const c = d.causes[0]!
    expect(c).toMatchObject({
      id: 'number_mistyped',
      likelihood: 'confirmed',
      rank: 1,
      suggested_number: '+447700900123',
    })
    expect(c.title_user).toMatch(/extra 0/)
    expect(c.next_actions_user[0]).toBe('Use +44 7700 900123 instead')
    expect(c.explanation_support).toContain('trunk_prefix_after_country_code')
    expect(d.summary_user).toContain('+44 7700 900123')
  })

  it('a missing country code, too short and too long each name the problem', () => {
    const missing = diagnose({ now: T0, phone: analyzePhoneNumber('447700900123') }).causes[0]!
    expect(missing).toMatchObject({ id: 'number_mistyped', suggested_number: '+447700900123' })
    expect(missing.title_user).toMatch(/country code/)
    const short = diagnose({ now: T0, phone: analyzePhoneNumber('+44 7700 9001') }).causes[0]!
    expect(short.title_user).toBe('The number is too short')
    const long = diagnose({ now: T0, phone: analyzePhoneNumber('+44 7700 900123 4567') }).causes[0]!
    expect(long.title_user).toBe('The number is too long')
  })

  it('a landline cannot take a text: suggests a call', () => {
    const d = diagnose({ now: T0, phone: analyzePhoneNumber('+442079460001') })
    expect(d.causes[0]).toMatchObject({
      id: 'number_not_sms_capable',
      likelihood: 'confirmed',
      suggested_channel: 'call',
    })
    expect(d.causes[0]!.title_user).toBe('This looks like a landline')
    // Asked for a call, the landline is fine.
    expect(diagnose({ now: T0, phone: analyzePhoneNumber('+442079460001'), channel: 'call' }).causes).toEqual(
      [],
    )
  })

  it('a VoIP number is only a possible cause', () => {
    const d = diagnose({ now: T0, phone: analyzePhoneNumber('+445600000000') })
    expect(d.causes).toHaveLength(1)
    expect(d.causes[0]).toMatchObject({ id: 'voip_number', likelihood: 'possible' })
  })

  it('a country outside the geo permissions is confirmed, naming the country for the user', () => {
    const d = diagnose({
      now: T0,
      phone: analyzePhoneNumber('+33612345678'),
      geo: { blockedCountries: ['FR'] },
    })
    expect(d.causes[0]).toMatchObject({ id: 'country_not_enabled', likelihood: 'confirmed' })
    expect(d.causes[0]!.explanation_user).toContain('France')
    expect(d.causes[0]!.explanation_support).toContain('geo.blockedCountries')
    const allowList = diagnose({
      now: T0,
      phone: analyzePhoneNumber('+33612345678'),
      geo: { allowedCountries: ['GB'], blockedCountries: [] },
    })
    expect(allowList.causes[0]!.explanation_support).toContain('not in geo.allowedCountries')
  })

  it('a fine number has no causes and says so', () => {
    const d = diagnose({ now: T0, phone: analyzePhoneNumber(TO), geo: { blockedCountries: [] } })
    expect(d.causes).toEqual([])
    expect(d.summary_user).toMatch(/looks right/)
  })
})

describe('diagnose: limits', () => {
  it('an active limit gives the exact wait and what is left; an old one is ignored', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    add('limit_hit', 1_000, { limit: 'sends_per_destination', retry_after_ms: 1_000, retry_at: T0 + 2_000 }) // long past
    add('limit_hit', 10_000, {
      limit: 'sends_per_destination',
      retry_after_ms: 250_000,
      retry_at: T0 + 260_000,
    })
    const d = diagnose({
      now: T0 + 20_000,
      verification: verification({ sendCount: 3, checkAttempts: 1 }),
      events,
      messages: [message({ status: 'delivered', deliveryOutcome: 'delivered' })],
    })
    const c = cause(d.causes, 'rate_limited')
    expect(c).toMatchObject({ likelihood: 'confirmed', wait_seconds: 240, sends_left: 2, attempts_left: 4 })
    expect(c.evidence).toHaveLength(1)
    expect(c.explanation_user).toContain('4 minutes')
    expect(c.explanation_user).toContain('2 more codes')
    expect(c.explanation_support).toContain('sends_per_destination')
  })

  it('a safe-listed number is past the per-number send limit: its hits and counter are history', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    add('limit_hit', 10_000, {
      limit: 'sends_per_destination',
      retry_after_ms: 250_000,
      retry_at: T0 + 260_000,
    })
    add('limit_hit', 11_000, {
      limit: 'checks_per_destination',
      retry_after_ms: 250_000,
      retry_at: T0 + 261_000,
    })
    const exhausted = { remaining: 0, points: 5, windowSeconds: 3600, retryAfterMs: 600_000 }
    const input = {
      now: T0 + 20_000,
      verification: verification({ sendCount: 3 }),
      events,
      messages: [message({ status: 'delivered', deliveryOutcome: 'delivered' })],
    }
    const before = diagnose({ ...input, limits: { sendsPerDestination: exhausted } })
    expect(cause(before.causes, 'rate_limited').explanation_support).toContain('sends_per_destination')
    const after = diagnose({ ...input, limits: { sendsPerDestination: exhausted, safeListed: true } })
    // Only the limit the safe list does not lift is left.
    const left = cause(after.causes, 'rate_limited')
    expect(left.explanation_support).toContain('checks_per_destination')
    expect(left.explanation_support).toMatch(/^Limit checks_per_destination refuses/)
    expect(left.evidence.map((e) => e.fact)).toEqual([expect.stringContaining('checks_per_destination')])
  })

  it('a limit lifted by support since its hit was recorded is over: the counter read now decides', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    add('limit_hit', 10_000, {
      limit: 'sends_per_destination',
      retry_after_ms: 250_000,
      retry_at: T0 + 260_000,
    })
    const input = {
      now: T0 + 20_000,
      verification: verification({ sendCount: 1 }),
      events,
      messages: [message({ status: 'delivered', deliveryOutcome: 'delivered' })],
    }
    const lifted = { remaining: 5, points: 5, windowSeconds: 600, retryAfterMs: 0 }
    const d = diagnose({ ...input, limits: { sendsPerDestination: lifted } })
    expect(d.causes.map((c) => c.id)).not.toContain('rate_limited')
    // Without a counter to read (the CLI without the limit store), the recorded hit still counts.
    expect(cause(diagnose(input).causes, 'rate_limited').limit).toBe('sends_per_destination')
  })

  it('an exhausted counter read with peek is a limit even without an event', () => {
    const d = diagnose({
      now: T0,
      phone: analyzePhoneNumber(TO),
      limits: { sendsPerDestination: { remaining: 0, points: 5, windowSeconds: 600, retryAfterMs: 90_500 } },
    })
    expect(d.causes[0]).toMatchObject({ id: 'rate_limited', likelihood: 'confirmed', wait_seconds: 91 })
    expect(d.causes[0]!.evidence[0]!.fact).toContain('0/5 left')
  })

  it('a resend cooldown ranks below a delivered code: the code already sent works', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 100, handed())
    add('delivered', 900, {
      message_id: 'msg_1',
      route: 'simulator:sms:*',
      provider: 'simulator',
      provider_message_id: 'SM1',
      raw_status: 'DELIVRD',
      raw_code: '000',
    })
    add('limit_hit', 5_000, { limit: 'resend_cooldown', retry_after_ms: 25_000, retry_at: T0 + 30_000 })
    const d = diagnose({
      now: T0 + 5_000,
      verification: verification(),
      events,
      messages: [message({ status: 'delivered' })],
    })
    expect(ids(d.causes)).toEqual(['delivered_not_entered', 'rate_limited'])
    expect(d.causes[1]).toMatchObject({ wait_seconds: 25, title_user: 'A code was sent a moment ago' })
  })
})

describe('diagnose: delivery', () => {
  it('a carrier block names the sender ID to allow, with the raw codes for support', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 100, handed())
    add('delivery_failed', 900, {
      message_id: 'msg_1',
      route: 'simulator:sms:*',
      provider: 'simulator',
      provider_message_id: 'SM1',
      outcome: 'carrier_blocked',
      raw_status: 'UNDELIV',
      raw_code: '045',
      raw_text: 'filtered',
    })
    add('gave_up', 901, { message_id: 'msg_1', reason: 'carrier_blocked', hops: 1, channel: 'sms' })
    const d = diagnose({
      now: T0 + 10_000,
      verification: verification(),
      events,
      messages: [message({ status: 'failed', deliveryOutcome: 'carrier_blocked' })],
    })
    const c = d.causes[0]!
    expect(c).toMatchObject({ id: 'carrier_filtered', likelihood: 'confirmed', sender_id: 'ACMEUK', rank: 1 })
    expect(c.next_actions_user[0]).toContain('"ACMEUK"')
    expect(c.explanation_support).toContain('UNDELIV/045')
    expect(c.explanation_support).toContain('simulator:sms:*')
    expect(c.evidence.map((e) => e.event_id)).toEqual([4, 5])
  })

  it('a give-up for "no route left" after a failed receipt is filed with that failure', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 100, handed())
    add('delivery_failed', 900, {
      message_id: 'msg_1',
      route: 'simulator:sms:*',
      provider: 'simulator',
      provider_message_id: 'SM1',
      outcome: 'unreachable',
      raw_code: '027',
    })
    add('gave_up', 901, { message_id: 'msg_1', reason: 'no_route', hops: 1, channel: 'sms' })
    const d = diagnose({
      now: T0 + 1_000,
      verification: verification(),
      events,
      messages: [message({ status: 'failed' })],
      routes: { receiptTimeoutMs: 1, covering: ['simulator:sms:*'], channelConfigured: true },
    })
    expect(ids(d.causes)).toEqual(['handset_unreachable'])
    expect(d.causes[0]!.evidence.map((e) => e.event_id)).toEqual([4, 5])
  })

  it('a failure that a later hop delivered is history, not a cause', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })(
      'handed_to_provider',
      100,
      handed('twilio:sms:*', 'SMa'),
    )
    add('delivery_failed', 900, {
      message_id: 'msg_1',
      route: 'twilio:sms:*',
      provider: 'twilio',
      provider_message_id: 'SMa',
      outcome: 'carrier_blocked',
      raw_code: '30007',
    })
    add('handed_to_provider', 1_000, { ...handed('simulator:sms:*', 'SMb'), hop: 2 })
    add('delivered', 1_500, {
      message_id: 'msg_1',
      route: 'simulator:sms:*',
      provider: 'simulator',
      provider_message_id: 'SMb',
    })
    const d = diagnose({
      now: T0 + 60_000,
      verification: verification(),
      events,
      messages: [message({ status: 'delivered', providerMessageId: 'SMb' })],
    })
    expect(ids(d.causes)).toEqual(['delivered_not_entered'])
    expect(d.causes[0]!.explanation_user).toContain('59 seconds ago')
    expect(d.summary_support).toContain('delivered_not_entered')
  })

  it('a provider outage routed around is confirmed; the pending hop is a likely delay', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    add('submit_failed', 50, {
      message_id: 'msg_1',
      route: 'sms-a:sms:*',
      provider: 'sms-a',
      outcome: 'provider_error',
      raw_code: '503',
      http_status: 503,
      raw_text: 'down',
    })
    add('handed_to_provider', 60, handed('simulator:sms:*', 'SM1', null))
    const d = diagnose({
      now: T0 + 3_000,
      verification: verification(),
      events,
      messages: [message({ sentAt: T0 + 60, availableAt: T0 + 20_060, sender: null })],
      routes: {
        receiptTimeoutMs: 20_000,
        health: [
          {
            route: 'simulator:sms:*',
            state: 'closed',
            samples: 4,
            failures: 0,
            failureRate: 0,
            receiptLatencyP50Ms: 8_000,
            openedAt: null,
          },
        ],
      },
    })
    expect(ids(d.causes)).toEqual(['provider_outage_rerouted', 'delivery_delayed'])
    expect(d.causes[0]!.explanation_support).toContain('sms-a:sms:*')
    expect(d.causes[1]).toMatchObject({ likelihood: 'likely', wait_seconds: 6 })
    expect(d.causes[1]!.explanation_support).toContain('8000 ms')
  })

  it('a delay past the typical time waits for the receipt timeout; the default applies without p50', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 0, handed())
    const early = diagnose({ now: T0 + 4_000, verification: verification(), events, messages: [message()] })
    expect(cause(early.causes, 'delivery_delayed').wait_seconds).toBe((DEFAULT_DELIVERY_MS - 4_000) / 1000)
    const late = diagnose({
      now: T0 + 15_000,
      verification: verification(),
      events,
      messages: [message()],
      limits: { nextResendAt: T0 + 30_000 },
    })
    const c = cause(late.causes, 'delivery_delayed')
    expect(c.wait_seconds).toBe(5)
    expect(c.next_actions_user.at(-1)).toContain('15 seconds')
    expect(c.sender_id).toBe('ACMEUK')
  })

  it('every route down with a retry due: the wait until the retry', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    add('submit_failed', 10, {
      message_id: 'msg_1',
      route: 'simulator:sms:*',
      provider: 'simulator',
      outcome: 'provider_error',
      raw_code: '503',
      final: false,
      next_attempt_at: T0 + 7_010,
    })
    const d = diagnose({
      now: T0 + 10,
      verification: verification(),
      events,
      messages: [
        message({ status: 'queued', availableAt: T0 + 7_010, providerMessageId: null, sentAt: null }),
      ],
    })
    expect(ids(d.causes)).toEqual(['provider_outage'])
    expect(d.causes[0]).toMatchObject({ wait_seconds: 7 })
  })

  it('opted out, unknown subscriber, unreachable and geo-blocked outcomes map to their causes', () => {
    const outcome = (o: string) => {
      const { events, add } = timeline()
      add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
      add('submit_failed', 10, {
        message_id: 'msg_1',
        route: 'twilio:sms:*',
        provider: 'twilio',
        outcome: o,
        raw_code: 'X',
      })
      add('gave_up', 11, { message_id: 'msg_1', reason: o })
      return diagnose({
        now: T0 + 100,
        verification: verification(),
        events,
        messages: [message({ status: 'failed' })],
        routes: { receiptTimeoutMs: 20_000, senders: { 'twilio:sms:*': 'ACME' } },
      }).causes[0]!
    }
    expect(outcome('opted_out')).toMatchObject({ id: 'opted_out', sender_id: 'ACME' })
    expect(outcome('opted_out').next_actions_user[0]).toBe('Text START (or UNSTOP) to "ACME"')
    expect(outcome('unknown_subscriber').id).toBe('unknown_subscriber')
    expect(outcome('invalid_number').id).toBe('unknown_subscriber')
    expect(outcome('unreachable').id).toBe('handset_unreachable')
    expect(outcome('geo_blocked').id).toBe('country_not_enabled')
    expect(outcome('not_mobile').id).toBe('number_not_sms_capable')
    expect(outcome('unknown').id).toBe('delivery_failed')
  })

  it('no route: a country the routes leave out, or a channel nobody serves', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('gave_up', 1, {
      message_id: 'msg_1',
      reason: 'no_route',
      channel: 'sms',
    })
    const input: DiagnosisInput = {
      now: T0 + 5,
      verification: verification({ country: 'US', destination: '+16502530000' }),
      events,
      messages: [message({ status: 'failed' })],
    }
    expect(
      diagnose({ ...input, routes: { receiptTimeoutMs: 1, covering: [], channelConfigured: true } })
        .causes[0]!.id,
    ).toBe('country_not_enabled')
    expect(
      diagnose({ ...input, routes: { receiptTimeoutMs: 1, covering: [], channelConfigured: false } })
        .causes[0]!.id,
    ).toBe('no_route')
  })
})

describe('diagnose: checks and the end of a verification', () => {
  it('a wrong code says how many tries are left', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 10, handed())(
      'delivered',
      20,
      { message_id: 'msg_1', provider_message_id: 'SM1' },
    )
    add('check_failed', 30_000, { attempt: 1, attempts_left: 4 })
    const d = diagnose({
      now: T0 + 31_000,
      verification: verification({ checkAttempts: 1 }),
      events,
      messages: [message({ status: 'delivered' })],
    })
    expect(ids(d.causes)).toEqual(['wrong_code'])
    expect(d.causes[0]).toMatchObject({ attempts_left: 4 })
    expect(d.causes[0]!.explanation_user).toContain('4 tries left')
  })

  it('max attempts: failed verification, no attempts left', () => {
    const { events, add } = timeline()
    add('created', 0)
    for (let i = 1; i <= 5; i++) add('check_failed', i, { attempt: i, attempts_left: 5 - i })
    add('max_attempts_reached', 5, { attempts: 5 })
    const d = diagnose({
      now: T0 + 10,
      verification: verification({ status: 'failed', checkAttempts: 5, finishedAt: T0 + 5 }),
      events,
    })
    expect(d.status).toBe('failed')
    expect(ids(d.causes)).toEqual(['max_attempts_reached'])
    expect(d.causes[0]).toMatchObject({ attempts_left: 0 })
    expect(d.causes[0]!.evidence).toHaveLength(6)
  })

  it('expired after delivery: the delivered code ranks first, the expiry second', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 10, handed())(
      'delivered',
      900,
      { message_id: 'msg_1', provider_message_id: 'SM1' },
    )
    // Pending in storage but past its lifetime: counts as expired.
    const d = diagnose({
      now: T0 + 700_000,
      verification: verification(),
      events,
      messages: [message({ status: 'delivered' })],
    })
    expect(d.status).toBe('expired')
    expect(ids(d.causes)).toEqual(['delivered_not_entered', 'expired'])
    expect(d.causes.map((c) => c.rank)).toEqual([1, 2])
    expect(cause(d.causes, 'expired').explanation_user).toContain('10 minutes')
  })

  it('an approved verification has nothing to diagnose', () => {
    const { events, add } = timeline()
    add('created', 0)('check_failed', 1, { attempts_left: 4 })('approved', 2, { attempt: 2 })
    const d = diagnose({ now: T0 + 10, verification: verification({ status: 'approved' }), events })
    expect(d.causes).toEqual([])
    expect(d.summary_user).toMatch(/accepted/)
  })

  it('canceled verifications say so', () => {
    const { events, add } = timeline()
    add('created', 0)('canceled', 5)
    const d = diagnose({
      now: T0 + 10,
      verification: verification({ status: 'canceled', finishedAt: T0 + 5 }),
      events,
    })
    expect(ids(d.causes)).toEqual(['canceled'])
  })
})

describe('diagnose: ranking', () => {
  it('confirmed before likely before possible; ranks are 1..n', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 0, handed())
    add('limit_hit', 1_000, { limit: 'resend_cooldown', retry_at: T0 + 30_000 })
    const d = diagnose({
      now: T0 + 1_000,
      verification: verification({ destination: '+445600000000' }),
      phone: analyzePhoneNumber('+445600000000'),
      events,
      messages: [message()],
    })
    expect(d.causes.map((c) => [c.id, c.likelihood, c.rank])).toEqual([
      ['rate_limited', 'confirmed', 1],
      ['delivery_delayed', 'likely', 2],
      ['voip_number', 'possible', 3],
    ])
  })

  it('gives the same answer for the same facts', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    const input: DiagnosisInput = {
      now: T0,
      verification: verification(),
      events,
      messages: [message({ status: 'queued', sentAt: null })],
    }
    expect(diagnose(input)).toEqual(diagnose(input))
    expect(diagnose(input).causes[0]!.id).toBe('not_sent_yet')
  })
})

describe('docs/diagnosis.md', () => {
  it('lists every cause id, and only real ones', () => {
    const doc = readFileSync(new URL('../../docs/diagnosis.md', import.meta.url), 'utf8')
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1])
    expect([...documented].sort()).toEqual([...CAUSE_IDS].sort())
  })
})

describe('diagnose: reads the next resend and what is left from its input', () => {
  it('sends left come from the limits when they say, else from the verification', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    add('limit_hit', 10_000, { limit: 'sends_per_destination', retry_at: T0 + 260_000 })
    const input = {
      now: T0 + 20_000,
      verification: verification({ sendCount: 3 }),
      events,
      messages: [message({ status: 'delivered', deliveryOutcome: 'delivered' as const })],
    }
    expect(cause(diagnose(input).causes, 'rate_limited').sends_left).toBe(2)
    const told = cause(diagnose({ ...input, limits: { sendsLeft: 1 } }).causes, 'rate_limited')
    expect(told.sends_left).toBe(1)
    expect(told.explanation_user).toContain('you can ask for 1 more code.')
  })

  it('no resend left: the delayed code says to start again once it expires', () => {
    const { events, add } = timeline()
    add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 0, handed())
    const d = diagnose({
      now: T0 + 15_000,
      verification: verification({ sendCount: 5 }),
      events,
      messages: [message()],
      limits: { nextResendAt: null },
    })
    expect(cause(d.causes, 'delivery_delayed').next_actions_user.at(-1)).toBe(
      'If it never arrives, no more codes can be sent for this sign-in; start again once it expires',
    )
  })
})

describe('diagnose: support words read as written for a person', () => {
  /** Record ids, ISO times, internal names and raw seconds stay out of support's sentences. */
  const machineLike = /\d{4}-\d\d-\d\dT\d\d|\b(ver|msg|svc)_|VerificationLimits|\bWait \d+ s\b|\d+ s from now/

  function scenarios(): DiagnosisInput[] {
    const limited = timeline()
    limited.add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    limited.add('limit_hit', 1_000, { limit: 'sends_per_destination', retry_at: T0 + 467_000 })
    const blocked = timeline()
    blocked.add('created', 0)('send_requested', 0, { message_id: 'msg_1' })(
      'handed_to_provider',
      100,
      handed(),
    )
    blocked.add('delivery_failed', 900, {
      ...handed(),
      outcome: 'carrier_blocked',
      raw_status: 'UNDELIV',
      raw_code: '045',
    })
    const delayed = timeline()
    delayed.add('created', 0)('send_requested', 0, { message_id: 'msg_1' })('handed_to_provider', 0, handed())
    const down = timeline()
    down.add('created', 0)('send_requested', 0, { message_id: 'msg_1' })
    down.add('submit_failed', 10, {
      message_id: 'msg_1',
      route: 'simulator:sms:*',
      provider: 'simulator',
      outcome: 'provider_error',
      raw_code: '503',
      next_attempt_at: T0 + 7_010,
    })
    const failedChecks = timeline()
    failedChecks.add('created', 0)
    for (let i = 1; i <= 5; i++) failedChecks.add('check_failed', i, { attempt: i, attempts_left: 5 - i })
    failedChecks.add('max_attempts_reached', 5, { attempts: 5 })
    return [
      {
        now: T0 + 1_000,
        verification: verification(),
        events: limited.events,
        messages: [message({ status: 'delivered', deliveryOutcome: 'delivered' })],
      },
      {
        now: T0 + 10_000,
        verification: verification(),
        events: blocked.events,
        messages: [message({ status: 'failed' })],
      },
      { now: T0 + 15_000, verification: verification(), events: delayed.events, messages: [message()] },
      {
        now: T0 + 10,
        verification: verification(),
        events: down.events,
        messages: [message({ status: 'queued', availableAt: T0 + 7_010, sentAt: null })],
      },
      {
        now: T0 + 10,
        verification: verification({ status: 'failed', checkAttempts: 5, finishedAt: T0 + 5 }),
        events: failedChecks.events,
      },
      { now: T0 + 700_000, verification: verification(), events: delayed.events, messages: [message()] },
      { now: T0 + 10, verification: verification({ status: 'canceled', finishedAt: T0 + 5 }) },
      {
        now: T0,
        phone: analyzePhoneNumber(TO),
        limits: {
          checksPerDestination: { remaining: 0, points: 5, windowSeconds: 600, retryAfterMs: 90_500 },
        },
      },
    ]
  }

  it('causes name no record ids, ISO times or internal names, and wait in minutes and seconds', () => {
    const diagnoses = scenarios().map(diagnose)
    const causes = diagnoses.flatMap((d) => d.causes)
    expect(new Set(causes.map((c) => c.id)).size).toBeGreaterThanOrEqual(7)
    for (const c of causes) {
      for (const text of [c.explanation_support, ...c.next_actions_support])
        expect(text, `${c.id}: ${text}`).not.toMatch(machineLike)
      expect(c.explanation_support, c.id).not.toBe('')
    }
    const limited = cause(diagnoses[0]!.causes, 'rate_limited')
    expect(limited.explanation_support).toContain('for another 7 min 46 sec')
    expect(limited.next_actions_support).toContain('The limit lifts by itself in 7 min 46 sec')
    expect(limited.next_actions_support.join(' ')).toContain('Lift limits')
  })

  it('the summary keeps the id up front, then says the state with relative times', () => {
    const d = diagnose(scenarios()[2]!)
    expect(d.summary_support).toMatch(/^ver_test: SMS to \+447700900123 \(GB\), pending, created 15 sec ago/)
    expect(d.summary_support.slice('ver_test'.length)).not.toMatch(machineLike)
    expect(d.summary_support).toContain('1 of 5 sends and 0 of 5 checks used.')
  })
})
