/**
 * @module The shape of the support-words catalog: how a diagnosis reads for staff (the console,
 * `verigate doctor`, the `*_support` fields of the API). Same conventions as the user words (ICU
 * MessageFormat, `|` between sentences, a sentence or action without its values left out). Staff
 * tools are English-only today, so there is one catalog; its strings name routes, providers, raw
 * codes and settings, but no record ids or timestamps: those are in the evidence.
 */
import type { Channel } from '../../channels/channel.js'
import type { EventType } from '../../events/verification-event.js'
import type { CauseId } from '../diagnosis.js'

export interface SupportWords {
  /**
   * The cause as a short headline a support person reads at a glance ("Too many codes sent to
   * this number"): plain words, no setting, limit or error-code names (those are in the rest).
   */
  readonly title: string
  /** Sentences separated by `|`. */
  readonly explanation: string
  readonly actions: readonly string[]
}

export interface SupportCauseWords extends SupportWords {
  /** Finer words for the situations the rules name; a field left out is the cause's own. */
  readonly situations?: Readonly<Record<string, Partial<SupportWords>>>
}

export interface SupportWordsCatalog {
  readonly causes: Readonly<Record<CauseId, SupportCauseWords>>
  /** One line per recorded event, for the evidence list. */
  readonly events: Readonly<Record<EventType, string>>
  /** Evidence lines for facts that are not events (the phone analysis, a counter...). */
  readonly evidence: {
    readonly phoneProblem: string
    readonly phoneType: string
    readonly geo: string
    readonly noRoute: string
    readonly counter: string
    readonly expiresPassed: string
  }
  /** Phrases the sentences above are built with. */
  readonly phrases: {
    /** `route ... (provider ...)` */
    readonly where: string
    /** The provider, or "the provider" when unknown. */
    readonly provider: string
    /** Where an event happened, with the sender: `route (provider, sender)`. */
    readonly on: string
    /** A provider's raw answer: `raw UNDELIV/045: "filtered"`. */
    readonly raw: string
    /** One limit counter: `sends_per_destination 0/5 left`. */
    readonly counter: string
    /** The time of day of an event. */
    readonly clock: string
  }
  readonly channels: Readonly<Record<Channel, string>>
  /** The one-paragraph summary of a diagnosis. */
  readonly summary: {
    readonly verification: string
    readonly counts: string
    readonly number: string
    readonly messages: string
    readonly message: string
    readonly top: string
    readonly also: string
    /** A cause named in the list of the others. */
    readonly cause: string
    readonly none: string
  }
}
