/**
 * @module How findings become ranked causes: findings of the same cause merge, then causes sort by
 * likelihood and, within a likelihood, by how much they block.
 */
import type { CauseId, Likelihood } from './diagnosis.js'
import type { Finding } from './finding.js'

const LIKELIHOOD_ORDER: Readonly<Record<Likelihood, number>> = { confirmed: 0, likely: 1, possible: 2 }

/**
 * Among causes of the same likelihood, the higher weight ranks first. Causes that block every
 * further attempt (a wrong number, a country that is off) come before the ones that explain a
 * delay, and the state of the verification (expired, canceled) comes last: it is what happened,
 * the other causes say why.
 */
export const WEIGHT: Readonly<Record<CauseId, number>> = {
  number_mistyped: 100,
  country_not_enabled: 95,
  number_not_sms_capable: 90,
  unknown_subscriber: 88,
  opted_out: 86,
  rate_limited: 85,
  max_attempts_reached: 84,
  max_sends_reached: 83,
  carrier_filtered: 80,
  handset_unreachable: 78,
  provider_outage: 76,
  spend_cap_reached: 75,
  no_route: 74,
  wrong_code: 70,
  delivered_not_entered: 65,
  delivery_failed: 62,
  sent_by_other_channel: 60,
  delivery_delayed: 55,
  provider_outage_rerouted: 50,
  not_sent_yet: 45,
  expired: 40,
  canceled: 35,
  voip_number: 20,
}

/** A resend refused by the cooldown is a small matter: the code already sent still works. */
export const COOLDOWN_WEIGHT = 62

/**
 * One finding per cause. A second finding of the same cause adds its evidence; the first one's
 * words stay (rules run most specific first), and the stronger likelihood wins.
 */
export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const merged = new Map<CauseId, Finding>()
  for (const f of findings) {
    const prev = merged.get(f.id)
    if (!prev) {
      merged.set(f.id, f)
      continue
    }
    const seen = new Set(prev.evidence.map((e) => e.event_id ?? e.fact))
    merged.set(f.id, {
      ...prev,
      evidence: [...prev.evidence, ...f.evidence.filter((e) => !seen.has(e.event_id ?? e.fact))],
      likelihood:
        LIKELIHOOD_ORDER[f.likelihood] < LIKELIHOOD_ORDER[prev.likelihood] ? f.likelihood : prev.likelihood,
    })
  }
  return [...merged.values()]
}

/** Most likely first; among equals, the one that blocks more. */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  const weight = (f: Finding) => f.weight ?? WEIGHT[f.id]
  return [...findings].sort(
    (a, b) => LIKELIHOOD_ORDER[a.likelihood] - LIKELIHOOD_ORDER[b.likelihood] || weight(b) - weight(a),
  )
}
