/**
 * @module Rule: how the verification ended, when it ended without the code: it expired, or the app
 * canceled it. These rank after the causes that say why.
 */
import type { Verification } from '../../verification/verification.js'
import { iso } from '../describe.js'
import { type DiagnosisFacts, evidenceOf } from '../facts.js'
import { type DiagnosisRule, duration, type Finding, finding, yesNo } from '../finding.js'
import { supportFact } from '../support-words/index.js'

export const stateRule: DiagnosisRule = {
  name: 'state',
  find(facts) {
    const v = facts.verification
    if (!v) return []
    if (facts.status === 'expired') return [expired(facts, v)]
    if (facts.status === 'canceled') return [canceled(facts, v)]
    return []
  },
}

function expired(facts: DiagnosisFacts, v: Verification): Finding {
  const e = facts.events.find((x) => x.type === 'expired')
  const lifetime = v.expiresAt - v.createdAt
  const ago = duration(facts.now - v.expiresAt)
  return finding({
    id: 'expired',
    likelihood: 'confirmed',
    user: {
      situation: 'lifetime',
      values: { minutes: Math.max(1, Math.round(lifetime / 60_000)), ago },
    },
    support: { values: { lifetime: duration(lifetime), ago, swept: yesNo(e !== undefined) } },
    // Past its lifetime before the sweeper recorded it: the expiry time itself is the evidence.
    evidence: e
      ? [evidenceOf(e)]
      : [
          {
            at: iso(v.expiresAt),
            fact: supportFact('expiresPassed', { ago }),
            raw: { expires_at: v.expiresAt },
          },
        ],
  })
}

function canceled(facts: DiagnosisFacts, v: Verification): Finding {
  const e = facts.events.find((x) => x.type === 'canceled')
  return finding({
    id: 'canceled',
    likelihood: 'confirmed',
    user: {},
    support: { values: { ago: v.finishedAt !== null ? duration(facts.now - v.finishedAt) : undefined } },
    evidence: e ? [evidenceOf(e)] : [],
  })
}
