/**
 * @module The provider contract, run against the carrier simulator: its test numbers play the
 * errors and receipts, which come back through `onReceipt` like an SMSC session's.
 */

import { type ContractFixture, runProviderContract } from '../delivery/providers/provider.contract.js'
import type { DeliveryReport, OutgoingMessage } from '../delivery/providers/provider.js'
import { ManualClock } from '../shared/clock.js'
import { globalFetch } from '../shared/http-client.js'
import { type CarrierSimulator, carrierSimulator } from './carrier-simulator.js'
import { PhoneInbox } from './phone-inbox.js'

const IN_PROCESS = 'the simulator runs in-process: no network, no credentials'

interface SimulatorFixture extends ContractFixture {
  readonly provider: CarrierSimulator
  readonly reports: DeliveryReport[]
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+447700900001',
  body: 'Your verigate code is 123456',
  locale: 'en',
}

async function setup(): Promise<SimulatorFixture> {
  const reports: DeliveryReport[] = []
  const inbox = new PhoneInbox(100)
  const provider = carrierSimulator(
    { deliveryDelayMs: 0, longDelayMs: 50, channels: ['sms', 'call', 'whatsapp'] },
    { fetch: globalFetch, clock: new ManualClock(), onReceipt: (r) => reports.push(r), inbox },
  )
  return {
    provider,
    reports,
    message: SMS,
    // What reached the "network": a delivery lands in the inbox on the next tick.
    submits: async () => {
      await new Promise((r) => setTimeout(r, 20))
      return inbox.list({}).length
    },
    close: () => provider.close?.() ?? Promise.resolve(),
  }
}

runProviderContract<SimulatorFixture>({
  type: 'simulator',
  setup,
  unsupportedChannel: 'email',
  errors: {
    // The first two submits of each message to this number are throttled.
    throttled: () => ({ message: { to: '+447700900007' }, expect: { rawCode: '429', httpStatus: 429 } }),
    outage: () => ({ message: { to: '+447700900006' }, expect: { rawCode: '503', httpStatus: 503 } }),
    timeout: { skip: IN_PROCESS },
    network: { skip: IN_PROCESS },
    invalid_number: {
      skip: 'no test number plays one: verigate refuses invalid numbers before sending (the landline plays not_mobile)',
    },
    auth: { skip: IN_PROCESS },
  },
  vendorErrors: [
    {
      name: 'a landline refused by SMS',
      arrange: () => ({ message: { to: '+442079460001' }, expect: { rawCode: 'NOT_MOBILE' } }),
      outcome: 'not_mobile',
      retryable: false,
    },
  ],
  receipts: {
    via: 'session',
    reports: (f) => f.reports,
    cases: [
      { name: 'delivered', outcome: 'delivered', expect: { rawStatus: 'DELIVRD', rawCode: '000' } },
      {
        name: 'filtered by the carrier',
        message: { to: '+447700900003' },
        outcome: 'carrier_blocked',
        expect: { rawStatus: 'UNDELIV', rawCode: '045' },
      },
      {
        name: 'handset off',
        message: { to: '+447700900004' },
        outcome: 'unreachable',
        expect: { rawStatus: 'UNDELIV', rawCode: '027' },
      },
      {
        name: 'number not in service',
        message: { to: '+447700900005' },
        outcome: 'unknown_subscriber',
        expect: { rawStatus: 'UNDELIV', rawCode: '001' },
      },
    ],
  },
  reference: { skip: IN_PROCESS },
})
