/**
 * @module Rule: the codes entered. Wrong codes with the tries left, or every try used up.
 */
import { attemptsLeft, type DiagnosisFacts, evidenceOf } from '../facts.js'
import { type DiagnosisRule, duration, type Finding, finding } from '../finding.js'
import { maxAttemptsReached } from './limits.js'

export const checkRule: DiagnosisRule = {
  name: 'check',
  find(facts) {
    const failed = facts.events.filter((e) => e.type === 'check_failed')
    if (facts.status === 'failed') {
      const maxed = facts.events.filter((e) => e.type === 'max_attempts_reached')
      return [maxAttemptsReached(facts, [...failed, ...maxed].map(evidenceOf))]
    }
    if (failed.length === 0 || facts.status === 'canceled') return []
    return [wrongCode(facts, failed)]
  },
}

function wrongCode(facts: DiagnosisFacts, failed: Parameters<typeof evidenceOf>[0][]): Finding {
  const left = attemptsLeft(facts)
  const last = failed.at(-1)!
  const v = facts.verification
  return finding({
    id: 'wrong_code',
    likelihood: 'confirmed',
    user: { situation: 'checked', values: { attempts: left } },
    support: {
      values: {
        failed: failed.length,
        ago: duration(facts.now - last.at),
        checks: v?.checkAttempts,
        max_checks: v?.maxCheckAttempts,
      },
    },
    evidence: failed.map(evidenceOf),
    facts: left !== undefined ? { attempts_left: left } : {},
  })
}
