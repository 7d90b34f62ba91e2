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

/**
 * `services`: the services the reader may see (a support member limited to some), or null for
 * all. The lists are narrowed in the query, before their limits: narrowed after, a busy other
 * service's newest verifications would push the reader's own off the page.
 */
export async function loadPerson(
  deps: PersonLoaderDeps,
  destination: string,
  services: readonly string[] | null = null,
): Promise<PersonFacts> {
  const only = services ?? undefined
  const [safe, latest, destinationEvents] = await Promise.all([
    deps.store.getSafe(destination),
    deps.verifications.listByDestination(destination, PERSON_VERIFICATION_LIMIT, only),
    deps.store.listEventsByDestination(destination, 500, only),
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
  // With one service in view, the number's diagnosis also has that service's check counter and
  // fraud-guard block; the send limit per number is shared by every service, so it is always there.
  const numberDiagnosis = destination.startsWith('+')
    ? (
        await deps.diagnostician.diagnoseNumber(destination, {
          limit: 0,
          serviceId: services?.length === 1 ? services[0] : undefined,
        })
      ).diagnosis
    : undefined
  return {
    destination,
    safe,
    verifications,
    refusals: destinationEvents.filter((e) => e.verificationId === null),
    numberDiagnosis,
  }
}
