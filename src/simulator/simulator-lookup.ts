/**
 * @module The carrier simulator's answer to a carrier lookup: its landline is a landline, its VoIP
 * number a non-fixed VoIP number, its SIM-swapped number was swapped a day before the lookup, and
 * every other number is a mobile on the "Simulated Mobile" network.
 */
import type { LineFacts, LineLookupProvider } from '../lookup/line-facts.js'
import type { SimulatorScenario } from './scenarios.js'

export function simulatorLookup(scenarioOf: (number: string) => SimulatorScenario): LineLookupProvider {
  return {
    id: 'simulator',
    async lookup(e164, { now }): Promise<LineFacts> {
      const scenario = scenarioOf(e164)
      const base = {
        carrier: 'Simulated Mobile',
        simSwap: null,
        source: 'simulator',
        lookedUpAt: now,
      } as const
      switch (scenario) {
        case 'fixed_line':
          return { ...base, lineType: 'landline', carrier: 'Simulated Fixed' }
        case 'voip':
          return { ...base, lineType: 'non_fixed_voip', carrier: 'Simulated VoIP' }
        case 'sim_swapped':
          return { ...base, lineType: 'mobile', simSwap: { lastSwapAt: now - 86_400_000, period: null } }
        case 'provider_outage':
          throw new Error('Simulated lookup outage')
        default:
          return { ...base, lineType: 'mobile' }
      }
    },
  }
}
