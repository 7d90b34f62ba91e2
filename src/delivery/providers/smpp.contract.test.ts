/**
 * @module The provider contract, run against the SMPP adapter bound to the simulator SMSC (the
 * carrier simulator's test numbers play each error and receipt), plus two scripted SMSCs for what
 * the simulator does not play: silence and a dropped session.
 */
import type { AddressInfo } from 'node:net'
import type { Session } from 'smpp'
import smppLib from 'smpp'
import { expect } from 'vitest'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { PhoneInbox } from '../../simulator/phone-inbox.js'
import { type SimulatorSmsc, startSimulatorSmsc } from '../../simulator/smsc/simulator-smsc.js'
import { type ContractFixture, runProviderContract } from './provider.contract.js'
import type { DeliveryReport, OutgoingMessage } from './provider.js'
import { type SmppProvider, smpp } from './smpp.js'
import { type SmppConfig, SmppConfigSchema } from './smpp-config.js'

const CREDENTIALS = { systemId: 'verigate', password: 'secret' }

interface SmppFixture extends ContractFixture {
  readonly smsc: SimulatorSmsc
  readonly reports: DeliveryReport[]
  build(overrides?: Partial<SmppConfig>): SmppProvider
  /** An SMSC that binds anyone and then answers each submit_sm as `onSubmit` decides. */
  scriptedSmsc(onSubmit: (session: Session) => void): Promise<number>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+447700900001',
  body: 'Your verigate code is 123456',
  locale: 'en',
}

async function setup(): Promise<SmppFixture> {
  const smsc = await startSimulatorSmsc({
    port: 0,
    ...CREDENTIALS,
    inbox: new PhoneInbox(100),
    deliveryDelayMs: 20,
    longDelayMs: 150,
  })
  const reports: DeliveryReport[] = []
  const cleanups: Array<() => Promise<void>> = []
  const build = (overrides: Partial<SmppConfig> = {}) => {
    const provider = smpp(
      SmppConfigSchema.parse({
        type: 'smpp',
        id: 'smpp-test',
        host: '127.0.0.1',
        port: smsc.port,
        ...CREDENTIALS,
        from: 'VERIGATE',
        reconnectInitialMs: 50,
        reconnectMaxMs: 200,
        submitTimeoutMs: 3000,
        ...overrides,
      }),
      { fetch: globalFetch, clock: systemClock, onReceipt: (r) => reports.push(r) },
    )
    cleanups.push(() => provider.close())
    return provider
  }
  const scriptedSmsc = async (onSubmit: (session: Session) => void) => {
    const server = smppLib.createServer((session) => {
      session.on('error', () => session.destroy())
      session.on('bind_transceiver', (pdu) => session.send(pdu.response({ system_id: 'SCRIPTED' })))
      session.on('enquire_link', (pdu) => session.send(pdu.response()))
      session.on('unbind', (pdu) => {
        session.send(pdu.response())
        session.close()
      })
      session.on('submit_sm', () => onSubmit(session))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(async () => {
      for (const s of [...server.sessions]) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    return (server.address() as AddressInfo).port
  }
  return {
    smsc,
    reports,
    build,
    scriptedSmsc,
    provider: build(),
    message: SMS,
    submits: () => smsc.stats().submits,
    close: async () => {
      for (const fn of cleanups.reverse()) await fn()
      await smsc.close()
    },
  }
}

runProviderContract<SmppFixture>({
  type: 'smpp',
  setup,
  unsupportedChannel: 'email',
  errors: {
    // The simulator throttles the first two submits of a message to this number.
    throttled: () => ({
      message: { to: '+447700900007' },
      expect: { rawCode: '0x00000058', message: expect.stringContaining('ESME_RTHROTTLED') },
    }),
    outage: () => ({
      message: { to: '+447700900006' },
      expect: { rawCode: '0x00000008', message: expect.stringContaining('ESME_RSYSERR') },
    }),
    // An SMSC that never answers submit_sm.
    timeout: async (f) => ({ provider: f.build({ port: await f.scriptedSmsc(() => {}) }) }),
    // An SMSC that hangs up on submit_sm: the submit may or may not have been taken.
    network: async (f) => ({
      provider: f.build({ port: await f.scriptedSmsc((session) => session.destroy()) }),
      expect: { rawCode: 'NETWORK' },
    }),
    // A landline: the simulator SMSC refuses it as an invalid destination.
    invalid_number: () => ({ message: { to: '+442079460001' }, expect: { rawCode: '0x0000000b' } }),
    auth: (f) => ({ provider: f.build({ password: 'wrong' }), expect: { rawCode: '0x0000000d' } }),
  },
  receipts: {
    via: 'session',
    reports: (f) => f.reports,
    cases: [
      { name: 'delivered', outcome: 'delivered', expect: { rawStatus: 'DELIVRD', rawCode: '000' } },
      {
        name: 'UNDELIV err 045 (filtered as spam)',
        message: { to: '+447700900003' },
        outcome: 'carrier_blocked',
        expect: { rawStatus: 'UNDELIV', rawCode: '045' },
      },
      {
        name: 'UNDELIV err 027 (absent subscriber)',
        message: { to: '+447700900004' },
        outcome: 'unreachable',
        expect: { rawStatus: 'UNDELIV', rawCode: '027' },
      },
      {
        name: 'UNDELIV err 001 (unknown subscriber)',
        message: { to: '+447700900005' },
        outcome: 'unknown_subscriber',
        expect: { rawStatus: 'UNDELIV', rawCode: '001' },
      },
    ],
  },
  reference: {
    skip: "submit_sm has no client reference field; receipts are matched on the SMSC's message_id",
  },
})
