/** @module Where facts about verifications are recorded (the events table, through a store). */
import type { NewVerificationEvent } from './verification-event.js'

export interface EventJournal {
  /** Stores the events, in order, in one write. */
  appendEvents(events: readonly NewVerificationEvent[]): Promise<void>
}
