/** @module What the retention sweep and subject requests need from storage (src/storage/personal-data-store.ts). */

/** How many rows one pseudonymisation changed, per table. */
export type PseudonymisedCounts = Readonly<Record<string, number>>

/** Everything held about one destination, table by table, as stored (pseudonymised rows excluded). */
export type SubjectRows = Readonly<Record<string, readonly Record<string, unknown>[]>>

export interface PersonalDataStore {
  /**
   * Destinations still in clear in rows that are due: verifications finished before `cutoff`,
   * refused-start events, ended client sessions and finished recovery cases older than it.
   */
  dueDestinations(cutoff: number, limit: number): Promise<string[]>
  /**
   * Replaces `destination` with `pseudonym` in every row that holds it (and drops client IPs,
   * idempotency keys and prefills with it); with `before`, only in rows ended before that time.
   * Pending verifications are never touched: the caller cancels them first when it must.
   */
  pseudonymise(
    destination: string,
    pseudonym: string,
    opts: { before?: number },
  ): Promise<PseudonymisedCounts>
  /** Every row that holds `destination` in clear, or a pseudonym of it. */
  rowsOf(destination: string, pseudonyms: readonly string[]): Promise<SubjectRows>
  /** Removes `destination` from the safe list. */
  removeFromSafeList(destination: string): Promise<boolean>
}
