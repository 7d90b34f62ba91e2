import { describe, expect, it } from 'vitest'
import type { Cause, Diagnosis } from '../../../diagnosis/index.js'
import {
  causeButtons,
  type DiagnosisView,
  diagnosisHtml,
  relativeTime,
  relativeTimeHtml,
  staffLocale,
} from './console-diagnosis.js'

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)

function cause(patch: Partial<Cause>): Cause {
  return {
    id: 'rate_limited',
    likelihood: 'confirmed',
    rank: 1,
    title_user: 'Too many codes were asked for',
    title_support: 'Too many codes sent to this number',
    explanation_user: 'Wait a few minutes.',
    next_actions_user: [],
    explanation_support: 'Limit sends_per_destination refuses requests for another 7 min 46 sec.',
    next_actions_support: ['If the person is genuine, use Lift limits on the person page'],
    evidence: [
      {
        event_id: 7,
        at: new Date(NOW - 240_000).toISOString(),
        fact: 'limit sends_per_destination hit; refused for 7 min 46 sec',
        raw: { limit: 'sends_per_destination', retry_after_ms: 466_000 },
      },
    ],
    wait_seconds: 466,
    limit: 'sends_per_destination',
    sends_left: 2,
    ...patch,
  }
}

function diagnosis(causes: Cause[]): Diagnosis {
  return {
    verification_id: 'ver_abc123',
    status: 'pending',
    summary_user: '',
    summary_support: 'ver_abc123: SMS to +44******0123, pending. Most likely rate_limited (confirmed).',
    causes,
  }
}

const verification = {
  id: 'ver_abc123',
  status: 'pending',
  channel: 'sms' as const,
  createdAt: NOW - 300_000,
  expiresAt: NOW + 300_000,
  sendCount: 1,
  maxSends: 5,
  checkAttempts: 0,
  maxCheckAttempts: 5,
}

function view(patch: Partial<DiagnosisView> = {}): DiagnosisView {
  return {
    now: NOW,
    locale: 'en',
    redact: (t) => t,
    headingId: 'verdict',
    title: 'What went wrong with the latest code',
    verification,
    actions: { csrf: 'tok', ref: 'r1', everyService: true, safeListed: false, otherChannels: ['call'] },
    ...patch,
  }
}

/** The text a person sees with every <details> closed: tags, attributes and details bodies removed. */
function visible(html: string): string {
  return html
    .replace(/<details[\s\S]*?<\/details>/g, ' ')
    .replace(/<\/?(strong|code|time)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
}

describe('the console diagnosis, for a support person', () => {
  it('reads the staff language from Accept-Language, falling back to English', () => {
    expect(staffLocale('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE')
    expect(staffLocale('*')).toBe('en')
    expect(staffLocale('not a tag!!, fr')).toBe('fr')
    expect(staffLocale(undefined)).toBe('en')
  })

  it('says times relative to now, in the reader language, with the UTC time in the title', () => {
    expect(relativeTime(NOW - 240_000, NOW, 'en')).toBe('4 minutes ago')
    expect(relativeTime(NOW - 299_000, NOW, 'en')).toBe('4 minutes ago')
    expect(relativeTime(NOW + 300_000, NOW, 'en')).toBe('in 5 minutes')
    expect(relativeTime(NOW - 20_000, NOW, 'en')).toBe('20 seconds ago')
    expect(relativeTime(NOW - 2 * 3_600_000, NOW, 'en')).toBe('2 hours ago')
    expect(relativeTime(NOW - 3 * 86_400_000, NOW, 'en')).toBe('3 days ago')
    expect(relativeTime(NOW - 240_000, NOW, 'de')).toBe('vor 4 Minuten')
    expect(relativeTimeHtml(NOW - 240_000, NOW, 'en')).toBe(
      '<time datetime="2026-06-01T11:56:00.000Z" title="1 Jun 2026, 11:56:00 UTC" data-relative>4 minutes ago</time>',
    )
  })

  it('leads with the headline, the wait as a duration and buttons; ids and names only under Technical detail', () => {
    const html = diagnosisHtml(diagnosis([cause({})]), view())
    const shown = visible(html)
    expect(shown).toContain('Too many codes sent to this number')
    expect(shown).toContain('A new code can go out in 7 min 46 sec, then up to 2 more codes')
    expect(shown).toContain(
      'started 5 minutes ago · ends in 5 minutes · 1 of 5 codes sent · 0 of 5 tries used',
    )
    expect(shown).toContain('Waiting for the code')
    expect(shown).toContain('Lift the limit')
    for (const hidden of ['ver_abc123', 'sends_per_destination', 'rate_limited', 'retry_after_ms', '466000'])
      expect(shown).not.toContain(hidden)
    expect(shown).not.toMatch(/\d{4}-\d\d-\d\dT/)
    // ...and all of them are one click away.
    expect(html).toContain('<summary>Technical detail</summary>')
    for (const kept of ['ver_abc123', 'sends_per_destination', 'retry_after_ms&#34;: 466000'])
      expect(html).toContain(kept)
  })

  it('the wait in the reader language', () => {
    expect(visible(diagnosisHtml(diagnosis([cause({})]), view({ locale: 'de' })))).toContain(
      'A new code can go out in 7 Min., 46 Sek.',
    )
    expect(visible(diagnosisHtml(diagnosis([cause({ sends_left: undefined })]), view()))).toContain(
      'This number can get a new code in 7 min 46 sec',
    )
    // A limit that outlasts the verification is not a wait for this verification.
    expect(visible(diagnosisHtml(diagnosis([cause({ sends_left: 0 })]), view()))).toContain(
      'The limit lifts in 7 min 46 sec; this verification can send no more codes',
    )
  })

  it('each button posts to an existing console action, with one reason for the cause', () => {
    const html = diagnosisHtml(diagnosis([cause({})]), view())
    expect(html).toContain('formaction="/console/person/lift-limits"')
    expect(html).toContain('name="reason" required')
    expect(html).toContain('<input type="hidden" name="ref" value="r1">')

    const blocked = cause({
      id: 'carrier_filtered',
      title_support: 'The carrier blocked the SMS',
      limit: undefined,
      wait_seconds: undefined,
      sender_id: 'ACMEUK',
    })
    expect(causeButtons(blocked, view()).map((b) => [b.label, b.action, b.value])).toEqual([
      ['Resend by call', '/console/verifications/ver_abc123/resend', 'call'],
    ])
    expect(visible(diagnosisHtml(diagnosis([blocked]), view()))).toContain('The message comes from ACMEUK')

    const fraud = cause({ limit: 'fraud_guard' })
    expect(causeButtons(fraud, view()).map((b) => b.label)).toEqual(['Put the number on the safe list'])
    // While a limit refuses sends, a resend would only be refused: lift first.
    expect(causeButtons(blocked, view(), [blocked, cause({})])).toEqual([])
    // A limit the console cannot lift gets no button: waiting is the answer.
    expect(causeButtons(cause({ limit: 'resend_cooldown' }), view())).toEqual([])
  })

  it('no buttons for a viewer, for staff limited to some services, or on a verification that ended', () => {
    expect(causeButtons(cause({}), view({ actions: undefined }))).toEqual([])
    const limited = view({
      actions: { csrf: 't', ref: 'r', everyService: false, safeListed: false, otherChannels: ['call'] },
    })
    expect(causeButtons(cause({}), limited)).toEqual([])
    const ended = view({ verification: { ...verification, status: 'canceled' } })
    expect(causeButtons(cause({ id: 'carrier_filtered', limit: undefined }), ended)).toEqual([])
    expect(diagnosisHtml(diagnosis([cause({})]), view({ actions: undefined }))).not.toContain('<form')
  })
})
