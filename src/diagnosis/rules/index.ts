/**
 * @module The diagnosis rules, in the order they run. Order matters twice: when two rules find the
 * same cause, the first one's words stay (so the more specific rule comes first), and a rule may
 * stay silent when an earlier one found a cause that explains more (`pending` says nothing of a
 * queued message when `delivery` found the provider down). docs/diagnosis.md tells how to add one.
 */
import type { DiagnosisRule } from '../finding.js'
import { checkRule } from './check.js'
import { deliveryRule } from './delivery.js'
import { limitsRule } from './limits.js'
import { numberRule } from './number.js'
import { pendingRule } from './pending.js'
import { stateRule } from './state.js'

export const RULES: readonly DiagnosisRule[] = [
  numberRule,
  limitsRule,
  deliveryRule,
  pendingRule,
  checkRule,
  stateRule,
]
