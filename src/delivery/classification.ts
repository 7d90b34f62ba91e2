/**
 * @module The one classification of delivery outcomes: for every outcome a provider or a receipt can
 * report, whether it is worth retrying, whose fault it is (the route's or the destination's), what
 * it rules out, and whether it counts against the route's health. The dispatcher decides every
 * next step from this table (docs/delivery.md shows it), and nowhere else.
 */
import type { DeliveryOutcome } from './outcome.js'

/**
 * - `route`: this route cannot carry this message now; another route of the channel may.
 * - `channel`: this channel cannot reach the destination; another channel may (a landline takes a
 *   call; a handset that is off may get WhatsApp over Wi-Fi).
 * - `destination`: nothing can reach it (the number does not exist).
 */
export type RulesOut = 'route' | 'channel' | 'destination'

export interface OutcomeClass {
  /**
   * A passing state of the route (busy, down): the same route may take the message later. The
   * dispatcher keeps such messages going with capped backoff for the code's whole life.
   */
  readonly retryable: boolean
  /** Whose fault: the route's (counts against its health) or the destination's (never does). */
  readonly level: 'route' | 'destination'
  readonly rulesOut: RulesOut
  /** In plain words, for docs/delivery.md and the support console. */
  readonly meaning: string
}

export const OUTCOME_CLASSES: Readonly<
  Record<Exclude<DeliveryOutcome, 'delivered' | 'pending'>, OutcomeClass>
> = {
  provider_throttled: {
    retryable: true,
    level: 'route',
    rulesOut: 'route',
    meaning:
      'The provider is up but busy (HTTP 429 or its throttle code): the same route again after Retry-After.',
  },
  provider_error: {
    retryable: true,
    level: 'route',
    rulesOut: 'route',
    meaning:
      'The provider did not take the message (5xx, timeout, connection refused): the next route at once, this one again later.',
  },
  carrier_blocked: {
    retryable: false,
    level: 'route',
    rulesOut: 'route',
    meaning:
      "The carrier's filter refused the sender: another route (another sender) or a call, which text filters do not stop.",
  },
  geo_blocked: {
    retryable: false,
    level: 'route',
    rulesOut: 'route',
    meaning: 'This route does not carry messages to this country: the next route.',
  },
  unknown: {
    retryable: false,
    level: 'route',
    rulesOut: 'route',
    meaning: 'The provider failed it without a reason it shares: the next route.',
  },
  unreachable: {
    retryable: false,
    level: 'destination',
    rulesOut: 'channel',
    meaning:
      'The handset is off or out of coverage (the carrier already retried): another channel, else the person resends later.',
  },
  expired: {
    retryable: false,
    level: 'destination',
    rulesOut: 'channel',
    meaning:
      'The carrier held the message until its validity ran out: the handset never came back; another channel.',
  },
  not_mobile: {
    retryable: false,
    level: 'destination',
    rulesOut: 'channel',
    meaning: 'A landline cannot take text messages: a voice call.',
  },
  no_account: {
    retryable: false,
    level: 'destination',
    rulesOut: 'channel',
    meaning:
      'The number has no account on the app this channel delivers through (no Telegram): the next channel at once.',
  },
  opted_out: {
    retryable: false,
    level: 'destination',
    rulesOut: 'channel',
    meaning: 'The person opted out of messages from this sender: another channel, never this one again.',
  },
  invalid_number: {
    retryable: false,
    level: 'destination',
    rulesOut: 'destination',
    meaning: 'Not a number the network knows: nothing can reach it; the person checks the number.',
  },
  unknown_subscriber: {
    retryable: false,
    level: 'destination',
    rulesOut: 'destination',
    meaning: 'No subscriber has this number: nothing can reach it; the person checks the number.',
  },
}

export function classify(outcome: DeliveryOutcome): OutcomeClass {
  if (outcome === 'delivered' || outcome === 'pending') {
    throw new Error(`"${outcome}" is not a failure to classify`)
  }
  return OUTCOME_CLASSES[outcome]
}

/**
 * No receipt within the receipt timeout: the message is *unconfirmed*, not failed. It may still be
 * delivered (a late receipt marks it so), so it stays open while the same code goes out on the next
 * route or channel. Across many numbers, missing receipts are a route's problem: it counts against
 * the route's health.
 */
export const UNCONFIRMED: Pick<OutcomeClass, 'level' | 'rulesOut' | 'meaning'> = {
  level: 'route',
  rulesOut: 'route',
  meaning: 'No receipt in time: the next route or channel with the same code; this message stays open.',
}
