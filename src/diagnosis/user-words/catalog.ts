/**
 * @module The shape of a user-words catalog: for one language, the title, explanation and next
 * actions of every diagnosis cause, the phone-number problems, and the channel names. Strings take
 * `{placeholders}`; a sentence (split on `|`) or an action whose placeholder has no value is left
 * out, so one catalog entry serves causes with and without, say, a known sender ID.
 */
import type { PhoneProblem } from '../../phone/index.js'
import type { CauseId } from '../diagnosis.js'

export interface CauseWords {
  readonly title: string
  /** Sentences separated by `|`. */
  readonly explanation: string
  readonly actions: readonly string[]
}

export interface UserWordsCatalog {
  readonly causes: Readonly<Record<CauseId, CauseWords>>
  readonly phone: Readonly<Record<PhoneProblem, string>>
  /** "Did you mean {number}?" */
  readonly didYouMean: string
  readonly channels: Readonly<Record<'sms' | 'call' | 'whatsapp' | 'email', string>>
}

/** The placeholders a string may use. */
export const PLACEHOLDERS = ['wait', 'sender', 'number', 'attempts', 'sends', 'channel', 'problem'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]
