/**
 * @module The carrier simulator's test numbers. Each reproduces one real way a code fails to
 * arrive; any other valid number is delivered after the normal short delay. The UK "drama" ranges
 * (07700 900xxx mobile, 020 7946 0xxx fixed) are reserved by Ofcom for fiction, so they never reach
 * a real person.
 */

export const SIMULATOR_SCENARIOS = [
  'delivered',
  'delivered_late',
  'carrier_blocked',
  'unreachable',
  'unknown_subscriber',
  'provider_outage',
  'provider_throttled',
  'fixed_line',
  'no_telegram',
  'sim_swapped',
  'voip',
] as const
export type SimulatorScenario = (typeof SIMULATOR_SCENARIOS)[number]

export function isSimulatorScenario(value: string): value is SimulatorScenario {
  return (SIMULATOR_SCENARIOS as readonly string[]).includes(value)
}

export interface TestNumber {
  readonly number: string
  readonly scenario: SimulatorScenario
  readonly description: string
}

export const TEST_NUMBERS: readonly TestNumber[] = [
  {
    number: '+447700900001',
    scenario: 'delivered',
    description: 'Delivered after the normal short delay (any unlisted number behaves so too).',
  },
  {
    number: '+447700900002',
    scenario: 'delivered_late',
    description: 'Accepted at once, delivered only after the long delay (45 s by default).',
  },
  {
    number: '+447700900003',
    scenario: 'carrier_blocked',
    description: 'Accepted, then the carrier filters the message as spam: failed receipt.',
  },
  {
    number: '+447700900004',
    scenario: 'unreachable',
    description: 'Accepted, handset off or out of coverage: the receipt says absent subscriber.',
  },
  {
    number: '+447700900005',
    scenario: 'unknown_subscriber',
    description: 'Accepted, then the carrier says the number is not in service.',
  },
  {
    number: '+447700900006',
    scenario: 'provider_outage',
    description: 'Every submit fails with HTTP 503: the provider is down.',
  },
  {
    number: '+447700900007',
    scenario: 'provider_throttled',
    description: 'The first two submits of each message are throttled (HTTP 429), the third is accepted.',
  },
  {
    number: '+442079460001',
    scenario: 'fixed_line',
    description:
      'A landline: SMS is refused as not mobile; a voice call gets through. No Telegram account; the carrier lookup says landline.',
  },
  {
    number: '+12025550100',
    scenario: 'fixed_line',
    description:
      'A US landline whose number range cannot tell (fixed line or mobile): SMS is refused as not mobile unless the carrier lookup, which says landline, re-routes it to a call first.',
  },
  {
    number: '+447700900008',
    scenario: 'no_telegram',
    description:
      'A mobile without a Telegram account: Telegram refuses it at the check (no charge), SMS is delivered. Any other mobile number has Telegram.',
  },
  {
    number: '+447700900009',
    scenario: 'sim_swapped',
    description: 'Delivered on every channel, but the carrier lookup says its SIM was swapped yesterday.',
  },
  {
    number: '+447700900010',
    scenario: 'voip',
    description: 'Delivered, but the carrier lookup says it is a non-fixed VoIP number.',
  },
]

const BY_NUMBER = new Map(TEST_NUMBERS.map((t) => [t.number, t.scenario]))

export function scenarioFor(
  number: string,
  overrides: ReadonlyMap<string, SimulatorScenario>,
): SimulatorScenario {
  return overrides.get(number) ?? BY_NUMBER.get(number) ?? 'delivered'
}
