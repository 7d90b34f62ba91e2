import { describe, expect, it } from 'vitest'
import { EVENT_TYPES } from '../../events/verification-event.js'
import { CAUSE_IDS } from '../diagnosis.js'
import { channel, duration } from '../finding.js'
import { formatMessage } from '../message-format.js'
import { supportEn } from './en.js'
import { describeEvent, rawDetail, supportCauseWords, supportDuration, where } from './index.js'

/** Every string of a catalog, with where it is. */
function strings(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]]
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k))
  return []
}

describe('support words', () => {
  it('every string is well-formed ICU MessageFormat', () => {
    for (const [path, s] of strings(supportEn)) {
      for (const part of s.split('|')) expect(() => formatMessage('en', part, {}), path).not.toThrow()
    }
  })

  it('durations read as minutes and seconds, rounded up', () => {
    expect(supportDuration(466_000)).toBe('7 min 46 sec')
    expect(supportDuration(465_200)).toBe('7 min 46 sec')
    expect(supportDuration(240_000)).toBe('4 min')
    expect(supportDuration(500)).toBe('1 sec')
    expect(supportDuration(7_530_000)).toBe('2 hr 6 min')
    expect(supportDuration(2 * 86_400_000 + 3_600_000)).toBe('2 days 1 hr')
  })

  it("durations follow the staff member's language", () => {
    expect(supportDuration(466_000, 'de')).toBe('7 Min., 46 Sek.')
    expect(supportDuration(466_000, 'fr').replace(/\s/gu, ' ')).toBe('7 min 46 s')
  })

  it('every cause has a short plain headline, even without values', () => {
    for (const id of CAUSE_IDS) {
      const { title } = supportCauseWords(id, {})
      expect(title, id).not.toBe('')
      expect(title.length, id).toBeLessThanOrEqual(60)
      // No limit, setting or error-code names: those are for the technical detail.
      expect(title, id).not.toMatch(/[a-z]+_[a-z]|[A-Z]{2,}_[A-Z]|\.[a-z]+[A-Z]|[{}]/)
    }
  })

  it('a limit gets the headline of what it counts; a carrier block names the channel', () => {
    const limited = (limit: string) => supportCauseWords('rate_limited', { values: { limit } }).title
    expect(limited('sends_per_destination')).toBe('Too many codes sent to this number')
    expect(limited('checks_per_destination')).toBe('Too many codes tried for this number')
    expect(limited('resend_cooldown')).toBe('A new code was asked for too soon')
    expect(limited('fraud_guard')).toBe('The fraud guard is holding back this number')
    expect(limited('something_new')).toBe('A sending limit is holding back this number')
    const blocked = supportCauseWords('carrier_filtered', { values: { channel: channel('sms') } })
    expect(blocked.title).toBe('The carrier blocked the SMS')
    expect(supportCauseWords('carrier_filtered', {}).title).toBe('The carrier blocked the message')
    // The explanation keeps the names for whoever escalates.
    expect(
      supportCauseWords('rate_limited', {
        values: { limit: 'sends_per_destination', wait: duration(60_000) },
      }).explanation,
    ).toContain('sends_per_destination')
  })

  it('names where a message went and what the provider answered', () => {
    expect(where({ route: 'twilio:sms:*', provider: 'twilio' })).toBe('route twilio:sms:* (provider twilio)')
    expect(where({})).toBe('an unknown route')
    expect(rawDetail({ raw_status: 'UNDELIV', raw_code: '045', raw_text: 'filtered' })).toBe(
      'raw UNDELIV/045: "filtered"',
    )
    expect(rawDetail({ raw_code: '503', http_status: 503 })).toBe('raw 503')
    expect(rawDetail({ http_status: 429 })).toBe('raw HTTP 429')
    expect(rawDetail({})).toBe('no raw code')
  })

  it('describes every event type in one line', () => {
    for (const type of EVENT_TYPES) {
      const line = describeEvent({ type, data: {} })
      expect(line, type).not.toBe('')
      expect(line, type).not.toMatch(/[{}]/)
    }
    expect(
      describeEvent({
        type: 'delivery_failed',
        data: {
          route: 'sim:sms:*',
          provider: 'sim',
          from: 'ACME',
          outcome: 'carrier_blocked',
          raw_code: '045',
        },
      }),
    ).toBe('failed receipt from sim:sms:* (provider sim, sender ACME): carrier_blocked (raw 045)')
    expect(
      describeEvent({ type: 'limit_hit', data: { limit: 'resend_cooldown', retry_after_ms: 30_000 } }),
    ).toBe('limit resend_cooldown hit; refused for 30 sec')
  })
})
