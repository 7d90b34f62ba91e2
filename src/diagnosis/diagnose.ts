/**
 * @module `diagnose(facts)`: why a code did not reach (or was not accepted from) the person, as
 * ranked causes worded twice: plainly for the user, with providers, routes and raw codes for
 * support. Pure: the same facts always give the same diagnosis.
 *
 * The engine is small on purpose: it reads the facts, runs the rule modules of rules/index.ts in
 * their order, merges and ranks what they find, and has the catalogs word it. The top cause is
 * the headline of both summaries.
 */
import type { CauseId, Diagnosis, DiagnosisInput } from './diagnosis.js'
import { readFacts } from './facts.js'
import type { Finding } from './finding.js'
import { mergeFindings, rankFindings } from './ranking.js'
import { RULES } from './rules/index.js'
import { summarySupport, summaryUser, toCause } from './wording.js'

export { DEFAULT_DELIVERY_MS } from './rules/pending.js'

/**
 * Ranks the causes the facts support, most likely first. An approved verification has none.
 *
 * ```ts
 * const d = diagnose({ now: Date.now(), verification, events, messages, phone: analyzePhoneNumber(verification.destination) })
 * d.causes[0]?.id // 'carrier_filtered'
 * ```
 */
export function diagnose(input: DiagnosisInput): Diagnosis {
  const facts = readFacts(input)
  const findings: Finding[] = []
  if (facts.status !== 'approved') {
    const found = new Set<CauseId>()
    for (const rule of RULES) {
      for (const f of rule.find(facts, found)) {
        findings.push(f)
        found.add(f.id)
      }
    }
  }
  const causes = rankFindings(mergeFindings(findings)).map((f, i) => toCause(f, i + 1))
  return {
    verification_id: facts.verification?.id ?? null,
    status: facts.status,
    summary_user: summaryUser(facts.status, causes),
    summary_support: summarySupport(facts, causes),
    causes,
  }
}
