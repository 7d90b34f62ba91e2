/**
 * @module The person page's facts, keyed by destination: every verification with its events, its
 * outbox messages (route, sender, raw provider answers and receipts) and its diagnosis; refused
 * starts; and the safe-list entry.
 */
import type { OutboxMessage, OutboxStore } from '../delivery/outbox.js'
import type { Diagnostician } from '../diagnosis/diagnostician.js'
import type { Diagnosis } from '../diagnosis/index.js'
import type { VerificationEvent } from '../events/verification-event.js'
import type { VerificationStore } from '../verification/store.js'
import type { Verification } from '../verification/verification.js'
import type { SafeListEntry, SupportStore } from './store.js'

export interface VerificationStory {
  readonly verification: Verification
  readonly events: readonly VerificationEvent[]
  readonly messages: readonly OutboxMessage[]
  readonly diagnosis: Diagnosis
}

export interface PersonFacts {
  readonly destination: string
  readonly safe: SafeListEntry | undefined
  /** Newest first. */
  readonly verifications: readonly VerificationStory[]
  /** Events with no verification (starts refused by a limit or the fraud guard), oldest first. */
  readonly refusals: readonly VerificationEvent[]
  /** The diagnosis of the number itself (limits, type, country): the verdict when there is no verification. */
  readonly numberDiagnosis: Diagnosis | undefined
}

export interface PersonLoaderDeps {
  readonly store: Pick<SupportStore, 'getSafe' | 'listEventsByDestination'>
  readonly verifications: Pick<VerificationStore, 'listByDestination' | 'listEvents'>
  readonly outbox: Pick<OutboxStore, 'listForVerification'>
  readonly diagnostician: Pick<Diagnostician, 'diagnoseVerification' | 'diagnoseNumber'>
}

/** How many of a destination's newest verifications the page shows. */
export const PERSON_VERIFICATION_LIMIT = 20

export async function loadPerson(deps: PersonLoaderDeps, destination: string): Promise<PersonFacts> {
  const [safe, latest, destinationEvents] = await Promise.all([
    deps.store.getSafe(destination),
    deps.verifications.listByDestination(destination, PERSON_VERIFICATION_LIMIT),
    deps.store.listEventsByDestination(destination, 500),
  ])
  const verifications: VerificationStory[] = []
  for (const v of latest) {
    const [events, messages, diagnosis] = await Promise.all([
      deps.verifications.listEvents(v.id),
      deps.outbox.listForVerification(v.id),
      deps.diagnostician.diagnoseVerification(v.id),
    ])
    verifications.push({ verification: v, events, messages, diagnosis })
  }
  const numberDiagnosis = destination.startsWith('+')
    ? (await deps.diagnostician.diagnoseNumber(destination, { limit: 0 })).diagnosis
    : undefined
  return {
    destination,
    safe,
    verifications,
    refusals: destinationEvents.filter((e) => e.verificationId === null),
    numberDiagnosis,
  }
}
