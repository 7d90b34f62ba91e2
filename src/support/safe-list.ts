/** @module The safe list: numbers support vouched for, exempt from the SMS-pumping guard and the per-destination send limit. */
import type { SafeListLookup } from '../limits/verification-limits.js'
import type { SupportStore } from './store.js'

/** The lookup `VerificationLimits` uses; it is only consulted when a limit would refuse. */
export class SafeList implements SafeListLookup {
  constructor(private readonly store: Pick<SupportStore, 'getSafe'>) {}

  async isSafe(destination: string): Promise<boolean> {
    return (await this.store.getSafe(destination)) !== undefined
  }
}
