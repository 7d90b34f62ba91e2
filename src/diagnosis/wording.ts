/**
 * @module Findings into words: each ranked finding becomes a `Cause` told for the person (the
 * English user words) and for support (the support words), and the diagnosis gets its two
 * summaries, led by the headline cause.
 */
import type { Cause, DiagnosisStatus } from './diagnosis.js'
import type { DiagnosisFacts } from './facts.js'
import { channel, duration, type Finding } from './finding.js'
import { supportCauseWords, supportList, supportSummary } from './support-words/index.js'
import { causeWords, headline, summaryWithoutCause, USER_WORDS } from './user-words/index.js'

/** The engine's own language for the user's words; clients ask `user-words` for the others. */
const USER_LOCALE = 'en'

export function toCause(f: Finding, rank: number): Cause {
  const user = causeWords(USER_WORDS[USER_LOCALE], USER_LOCALE, f.id, f.user)
  const support = supportCauseWords(f.id, f.support)
  return {
    id: f.id,
    likelihood: f.likelihood,
    rank,
    title_user: user.title,
    explanation_user: user.explanation,
    next_actions_user: user.actions,
    title_support: support.title,
    explanation_support: support.explanation,
    next_actions_support: support.actions,
    evidence: f.evidence,
    ...f.facts,
  }
}

export function summaryUser(status: DiagnosisStatus, causes: readonly Cause[]): string {
  const top = causes[0]
  return top
    ? headline({ title: top.title_user, next_actions: top.next_actions_user }, USER_LOCALE)
    : summaryWithoutCause(status, USER_WORDS[USER_LOCALE])
}

/** The state in a line or two, the messages, then the headline cause and the others by name. */
export function summarySupport(facts: DiagnosisFacts, causes: readonly Cause[]): string {
  return [...supportHead(facts), supportMessages(facts), ...supportCauses(causes)]
    .filter((s) => s !== '')
    .join(' ')
}

function supportHead(facts: DiagnosisFacts): string[] {
  const v = facts.verification
  if (!v) {
    const phone = facts.input.phone
    return [
      supportSummary('number', {
        input: phone?.input ?? '?',
        e164: phone?.e164 !== phone?.input ? phone?.e164 : undefined,
        type: phone?.type !== 'unknown' ? phone?.type : undefined,
        country: phone?.country,
      }),
    ]
  }
  return [
    supportSummary('verification', {
      id: v.id,
      channel: channel(v.channel),
      destination: v.destination,
      country: v.country ?? undefined,
      status: facts.status,
      created: duration(facts.now - v.createdAt),
      phase: facts.status === 'pending' || facts.status === 'expired' ? facts.status : 'ended',
      expires: duration(Math.abs(v.expiresAt - facts.now)),
    }),
    supportSummary('counts', {
      sends: v.sendCount,
      max_sends: v.maxSends,
      checks: v.checkAttempts,
      max_checks: v.maxCheckAttempts,
    }),
  ]
}

function supportMessages(facts: DiagnosisFacts): string {
  if (facts.messages.length === 0) return ''
  const lines = facts.messages.map((m) =>
    supportSummary('message', {
      n: m.sendNumber,
      status: m.status,
      route: m.routeId ?? undefined,
      // The outcome only when it says more than the status.
      outcome:
        m.deliveryOutcome && m.deliveryOutcome !== 'pending' && m.deliveryOutcome !== m.status
          ? m.deliveryOutcome
          : undefined,
      hops: m.hops,
    }),
  )
  return supportSummary('messages', { list: lines.join('; ') })
}

function supportCauses(causes: readonly Cause[]): string[] {
  const [top, ...others] = causes
  if (!top) return [supportSummary('none')]
  return [
    supportSummary('top', { id: top.id, likelihood: top.likelihood, explanation: top.explanation_support }),
    others.length > 0
      ? supportSummary('also', {
          list: supportList(
            others.map((c) => supportSummary('cause', { id: c.id, likelihood: c.likelihood })),
          ),
        })
      : '',
  ]
}
