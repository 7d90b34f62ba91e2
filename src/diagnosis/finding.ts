/**
 * @module What a diagnosis rule returns: findings. A finding names its cause, how sure it is, the
 * evidence and the public facts (wait, sender, what is left), and asks for its words by situation
 * and values. It never holds a sentence: the words come from the catalogs (user-words/ for the
 * person, in their language; support-words/ for staff), so rules stay logic only.
 */
import type { Cause, CauseId, Evidence, Likelihood } from './diagnosis.js'
import type { DiagnosisFacts } from './facts.js'
import type { supportEn } from './support-words/en.js'
import type { en } from './user-words/locales/en.js'
import type { Wording, WordValues } from './word-values.js'

// The values and wording a catalog is filled with live in word-values.ts (the catalogs' formatter
// uses them without the rules); the rules take them from here too.
export * from './word-values.js'

type SituationsOf<W> = W extends { readonly situations: infer S } ? keyof S & string : never
/** The situations the English user words have for a cause: the ones its rules may name. */
export type UserSituation<Id extends CauseId> = SituationsOf<(typeof en)['causes'][Id]>
/** The situations the support words have for a cause. */
export type SupportSituation<Id extends CauseId> = SituationsOf<(typeof supportEn)['causes'][Id]>

/** The facts of a cause that clients read besides its words. */
export type CauseFacts = Pick<
  Cause,
  | 'wait_seconds'
  | 'limit'
  | 'sender_id'
  | 'suggested_number'
  | 'suggested_channel'
  | 'sends_left'
  | 'attempts_left'
>

export interface Finding {
  readonly id: CauseId
  readonly likelihood: Likelihood
  /** Overrides the cause's rank among causes of the same likelihood (see ranking.ts). */
  readonly weight?: number
  readonly evidence: readonly Evidence[]
  /** Words for the person waiting for the code (user-words catalogs). */
  readonly user: Wording
  /** Words for support staff (support-words catalog). */
  readonly support: Wording
  readonly facts?: CauseFacts
}

/**
 * One rule module: reads the recorded facts and returns the causes it finds. `found` holds the
 * causes earlier rules found (rules run in the order of rules/index.ts), for the rules that only
 * speak when nothing more specific did.
 */
export interface DiagnosisRule {
  readonly name: string
  find(facts: DiagnosisFacts, found: ReadonlySet<CauseId>): readonly Finding[]
}

interface TypedWording<S extends string> {
  readonly situation?: S | undefined
  readonly values?: WordValues
}

/** A finding whose situations are checked against the catalogs at compile time. */
export function finding<Id extends CauseId>(
  f: Omit<Finding, 'id' | 'user' | 'support'> & {
    readonly id: Id
    readonly user: TypedWording<UserSituation<Id>>
    readonly support: TypedWording<SupportSituation<Id>>
  },
): Finding {
  return f
}
