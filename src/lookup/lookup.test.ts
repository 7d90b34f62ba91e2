/** @module The lookup adapters against wire-format mocks, the cache and time-box, and the line checks. */
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type LookupMock,
  type NumberProfile,
  startTwilioLookupMock,
  startVonageInsightMock,
} from '../../test/mocks/lookup-mocks.js'
import { ManualClock } from '../shared/clock.js'
import { globalFetch } from '../shared/http-client.js'
import { CarrierLookup } from './carrier-lookup.js'
import { applyLineChecks, LINE_CHECK_DEFAULTS } from './line-checks.js'
import { swappedWithin } from './line-facts.js'
import { twilioLookup } from './twilio-lookup.js'
import { vonageInsight } from './vonage-insight.js'

const SID = `AC${'0'.repeat(32)}`
const NUMBERS: Record<string, NumberProfile> = {
  '+442079460001': { twilioType: 'landline', vonageType: 'landline', carrier: 'BT' },
  '+447700900010': { twilioType: 'nonFixedVoip', vonageType: 'virtual', carrier: 'VoIP Co' },
  '+447700900009': {
    twilioType: 'mobile',
    vonageType: 'mobile',
    carrier: 'Vodafone UK',
    lastSimSwap: {
      last_sim_swap_date: '2026-12-04T10:00:00Z',
      swapped_period: 'PT48H',
      swapped_in_period: true,
    },
  },
  '+447700900011': {
    twilioType: 'mobile',
    vonageType: 'mobile',
    carrier: 'EE',
    lastSimSwap: { last_sim_swap_date: null, swapped_period: 'PT24H', swapped_in_period: false },
  },
}
const NOW = Date.parse('2026-12-05T10:00:00Z')
const opts = () => ({ signal: AbortSignal.timeout(2000), now: NOW })

describe('carrier lookup', () => {
  let mock: LookupMock | undefined
  afterEach(async () => {
    await mock?.close()
    mock = undefined
  })

  it('Twilio Lookup v2: line type, carrier and SIM swap, asked for in one request', async () => {
    mock = await startTwilioLookupMock({ accountSid: SID, authToken: 'tok', numbers: NUMBERS })
    const p = twilioLookup(
      { accountSid: SID, authToken: 'tok', baseUrl: mock.url, simSwap: true },
      globalFetch,
    )
    expect(await p.lookup('+442079460001', opts())).toMatchObject({
      lineType: 'landline',
      carrier: 'BT',
      simSwap: null,
    })
    expect(await p.lookup('+447700900010', opts())).toMatchObject({ lineType: 'non_fixed_voip' })
    expect(await p.lookup('+447700900009', opts())).toMatchObject({
      lineType: 'mobile',
      carrier: 'Vodafone UK',
      simSwap: { lastSwapAt: Date.parse('2026-12-04T10:00:00Z'), period: { hours: 48, swapped: true } },
    })
    expect(await p.lookup('+447700900011', opts())).toMatchObject({
      simSwap: { lastSwapAt: null, period: { hours: 24, swapped: false } },
    })
    expect(mock.requests[0]?.query.Fields).toBe('line_type_intelligence,sim_swap')
    expect(decodeURIComponent(mock.requests[0]?.path ?? '')).toBe('/v2/PhoneNumbers/+442079460001')
    const wrong = twilioLookup(
      { accountSid: SID, authToken: 'nope', baseUrl: mock.url, simSwap: false },
      globalFetch,
    )
    await expect(wrong.lookup('+442079460001', opts())).rejects.toThrow(/401.*20003/)
  })

  it('Vonage Number Insight Advanced: network type and carrier; no SIM swap data', async () => {
    mock = await startVonageInsightMock({ apiKey: 'k', apiSecret: 's', numbers: NUMBERS })
    const p = vonageInsight({ apiKey: 'k', apiSecret: 's', baseUrl: mock.url }, globalFetch)
    expect(await p.lookup('+442079460001', opts())).toMatchObject({
      lineType: 'landline',
      carrier: 'BT',
      simSwap: null,
    })
    expect(await p.lookup('+447700900010', opts())).toMatchObject({
      lineType: 'non_fixed_voip',
      carrier: 'VoIP Co',
    })
    expect(mock.requests[0]?.query).toMatchObject({ number: '442079460001', api_key: 'k' })
    const wrong = vonageInsight({ apiKey: 'k', apiSecret: 'x', baseUrl: mock.url }, globalFetch)
    await expect(wrong.lookup('+442079460001', opts())).rejects.toThrow(/status 4/)
  })

  it('caches answers per number for the TTL, and a slow or failing lookup gives way (counted)', async () => {
    mock = await startTwilioLookupMock({ accountSid: SID, authToken: 'tok', numbers: NUMBERS })
    const clock = new ManualClock(NOW)
    const lookup = new CarrierLookup({
      provider: twilioLookup(
        { accountSid: SID, authToken: 'tok', baseUrl: mock.url, simSwap: true },
        globalFetch,
      ),
      clock,
      logger: pino({ level: 'silent' }),
      cacheTtlSeconds: 60,
      // Long enough for a loaded machine to answer the lookups that do answer.
      timeoutMs: 1000,
    })
    expect((await lookup.facts('+442079460001'))?.lineType).toBe('landline')
    expect((await lookup.facts('+442079460001'))?.lineType).toBe('landline')
    expect(mock.requests).toHaveLength(1)
    clock.advance(61_000)
    await lookup.facts('+442079460001')
    expect(mock.requests).toHaveLength(2)
    mock.failNext('hang')
    const began = Date.now()
    expect(await lookup.facts('+447700900010')).toBeUndefined()
    expect(Date.now() - began).toBeLessThan(3000)
    mock.failNext('error')
    expect(await lookup.facts('+447700900010')).toBeUndefined()
    expect(lookup.counters).toEqual({ answered: 2, cached: 1, failed: 2 })
  })

  it('line checks: landline re-routed to a call (or refused without one), SIM swap flagged or requiring a factor', () => {
    const facts = (lineType: 'landline' | 'mobile' | 'non_fixed_voip', swapAt: number | null = null) => ({
      lineType,
      carrier: 'X',
      simSwap: swapAt === null ? null : { lastSwapAt: swapAt, period: null },
      source: 'test',
      lookedUpAt: NOW,
    })
    const all = ['sms', 'call'] as const
    expect(applyLineChecks(LINE_CHECK_DEFAULTS, facts('landline'), 'sms', all, NOW)).toMatchObject({
      kind: 'send',
      channel: 'call',
      rerouted: { from: 'sms', lineType: 'landline' },
    })
    expect(applyLineChecks(LINE_CHECK_DEFAULTS, facts('landline'), 'sms', ['sms'], NOW)).toMatchObject({
      kind: 'refuse_line',
      callAllowed: false,
    })
    expect(applyLineChecks(LINE_CHECK_DEFAULTS, facts('landline'), 'call', all, NOW)).toMatchObject({
      kind: 'send',
      channel: 'call',
    })
    expect(applyLineChecks(LINE_CHECK_DEFAULTS, facts('non_fixed_voip'), 'sms', all, NOW)).toMatchObject({
      kind: 'send',
      channel: 'sms',
    })
    expect(
      applyLineChecks(
        { ...LINE_CHECK_DEFAULTS, nonFixedVoip: 'refuse' },
        facts('non_fixed_voip'),
        'sms',
        all,
        NOW,
      ),
    ).toMatchObject({ kind: 'refuse_line', lineType: 'non_fixed_voip' })
    const swapped = facts('mobile', NOW - 2 * 86_400_000)
    expect(applyLineChecks(LINE_CHECK_DEFAULTS, swapped, 'sms', all, NOW)).toMatchObject({
      kind: 'send',
      risk: { simSwap: { withinDays: 7 } },
    })
    expect(
      applyLineChecks({ ...LINE_CHECK_DEFAULTS, simSwapDays: 1 }, swapped, 'sms', all, NOW),
    ).toMatchObject({ risk: null })
    expect(
      applyLineChecks({ ...LINE_CHECK_DEFAULTS, simSwapPolicy: 'require_factor' }, swapped, 'sms', all, NOW),
    ).toMatchObject({
      kind: 'require_factor',
    })
    expect(applyLineChecks(LINE_CHECK_DEFAULTS, undefined, 'sms', all, NOW)).toEqual({
      kind: 'send',
      channel: 'sms',
      risk: null,
    })
    // A period answer counts only when it fits the window.
    expect(swappedWithin({ lastSwapAt: null, period: { hours: 48, swapped: true } }, 7, NOW)).toBe(true)
    expect(swappedWithin({ lastSwapAt: null, period: { hours: 240, swapped: true } }, 7, NOW)).toBe(false)
  })
})
