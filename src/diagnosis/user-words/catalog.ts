/**
 * @module The shape of a user-words catalog: for one language, the title, explanation and next
 * actions of every diagnosis cause, the phone-number problems, the channel names and the summaries
 * of a diagnosis without a cause. Strings are ICU MessageFormat with `{placeholders}`; a sentence
 * (split on `|`) or an action whose placeholder has no value is left out, so one catalog entry
 * serves causes with and without, say, a known sender ID (see ../message-format.ts).
 */
import type { Channel } from '../../channels/channel.js'
import type { PhoneProblem } from '../../phone/index.js'
import type { CauseId } from '../diagnosis.js'

/** The words of one cause, or the finer words of one of its situations. */
export interface Words {
  readonly title: string
  /** Sentences separated by `|`. */
  readonly explanation: string
  readonly actions: readonly string[]
}

export interface CauseWords extends Words {
  /**
   * Finer words for the situations the diagnosis rules name (for `rate_limited`, which limit
   * refused: `resend_cooldown`, `starts_per_ip`...), filled with the rule's values (durations,
   * counts with plurals, the sender, `x_known` flags to `select` on). A field left out is the
   * cause's own. Optional: English has every situation; a language without one tells the cause
   * with the words above, from the cause's public facts.
   */
  readonly situations?: Readonly<Record<string, Partial<Words>>>
}

/** What a diagnosis says when it names no cause. */
export interface SummaryWords {
  /** The code was accepted. */
  readonly approved: string
  /** A number diagnosed on its own with nothing wrong. */
  readonly numberFine: string
  /** A verification with no cause found. */
  readonly noProblem: string
}

export interface UserWordsCatalog {
  readonly causes: Readonly<Record<CauseId, CauseWords>>
  readonly phone: Readonly<Record<PhoneProblem, string>>
  /** "Did you mean {number}?" */
  readonly didYouMean: string
  /** How a message on each channel is named: "text message", "phone call"... */
  readonly channels: Readonly<Record<Channel, string>>
  readonly summaries: SummaryWords
}

/** The placeholders a cause's own words may use (situations may use more). */
export const PLACEHOLDERS = ['wait', 'sender', 'number', 'attempts', 'sends', 'channel', 'problem'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]
