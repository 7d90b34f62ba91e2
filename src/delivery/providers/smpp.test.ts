import type { AddressInfo } from 'node:net'
import type { Pdu, Session } from 'smpp'
import smppLib from 'smpp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { PhoneInbox } from '../../simulator/phone-inbox.js'
import { type SimulatorSmsc, startSimulatorSmsc } from '../../simulator/smsc/simulator-smsc.js'
import type { DeliveryReport, OutgoingMessage } from './provider.js'
import { ProviderError } from './provider.js'
import { relativeValidity, type SmppProvider, smpp, sourceAddress } from './smpp.js'
import { type SmppConfig, SmppConfigSchema } from './smpp-config.js'

const CREDENTIALS = { systemId: 'verigate', password: 'secret' }

let inbox: PhoneInbox
let smsc: SimulatorSmsc | undefined
const cleanups: Array<() => Promise<void>> = []

beforeEach(async () => {
  inbox = new PhoneInbox(100)
  smsc = await startSimulatorSmsc({ port: 0, ...CREDENTIALS, inbox, deliveryDelayMs: 20, longDelayMs: 150 })
})

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
  await smsc?.close()
  smsc = undefined
})

function connect(port: number, overrides: Partial<SmppConfig> = {}) {
  const receipts: DeliveryReport[] = []
  const provider = smpp(
    SmppConfigSchema.parse({
      type: 'smpp',
      id: 'smpp-test',
      host: '127.0.0.1',
      port,
      ...CREDENTIALS,
      from: 'VERIGATE',
      reconnectInitialMs: 50,
      reconnectMaxMs: 200,
      submitTimeoutMs: 3000,
      ...overrides,
    }),
    { fetch: globalFetch, clock: systemClock, onReceipt: (r) => receipts.push(r) },
  )
  cleanups.push(() => provider.close())
  return { provider, receipts }
}

let seq = 0
function message(
  to: string,
  body = 'Your verigate code is 123456',
  extra: Partial<OutgoingMessage> = {},
): OutgoingMessage {
  seq++
  return { id: `msg_${seq}`, attemptKey: `msg_${seq}:1`, channel: 'sms', to, body, locale: 'en', ...extra }
}

const send = (provider: SmppProvider, msg: OutgoingMessage) =>
  provider.send(msg, { signal: AbortSignal.timeout(10_000) })

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = probe()
    if (v !== undefined && v !== false) return v
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ProviderError)
  return err as ProviderError
}

/** A scriptable SMSC for the cases the simulator does not play: silence, odd ids, recorded PDUs. */
async function scriptedSmsc(handlers: {
  submit?: (s: Session, pdu: Pdu) => void
  enquireLink?: (s: Session, pdu: Pdu) => void
}) {
  const submits: Pdu[] = []
  let binds = 0
  const server = smppLib.createServer((session) => {
    session.on('error', () => session.destroy())
    session.on('bind_transceiver', (pdu) => {
      binds++
      session.send(pdu.response({ system_id: 'SCRIPTED' }))
    })
    session.on('enquire_link', (pdu) =>
      handlers.enquireLink ? handlers.enquireLink(session, pdu) : session.send(pdu.response()),
    )
    session.on('unbind', (pdu) => {
      session.send(pdu.response())
      session.close()
    })
    session.on('submit_sm', (pdu) => {
      submits.push(pdu)
      handlers.submit?.(session, pdu)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = async () => {
    for (const s of [...server.sessions]) s.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  cleanups.unshift(close)
  return { port: (server.address() as AddressInfo).port, submits, binds: () => binds }
}

describe('smpp provider against the simulator SMSC', () => {
  it('binds, submits, and pushes the DELIVRD receipt with the same message id', async () => {
    const { provider, receipts } = connect(smsc!.port)
    const result = await send(provider, message('+447700900001'))
    expect(result.providerMessageId).toMatch(/^[0-9A-F]+$/)
    expect(result.segments).toBe(1)
    expect(provider.state()).toBe('bound')

    const receipt = await waitFor(() => receipts[0])
    expect(receipt).toMatchObject({
      providerId: 'smpp-test',
      providerMessageId: result.providerMessageId,
      outcome: 'delivered',
      rawStatus: 'DELIVRD',
      rawCode: '000',
    })
    expect(receipt.rawText).toContain(`id:${result.providerMessageId}`)
    expect(inbox.list({ to: '+447700900001' })[0]).toMatchObject({
      body: 'Your verigate code is 123456',
      from: 'VERIGATE',
      id: result.providerMessageId,
    })
  })

  it('maps failed receipts to the scenario outcome', async () => {
    const { provider, receipts } = connect(smsc!.port)
    const cases = [
      ['+447700900003', 'carrier_blocked', '045'],
      ['+447700900004', 'unreachable', '027'],
      ['+447700900005', 'unknown_subscriber', '001'],
    ] as const
    const ids = new Map<string, (typeof cases)[number]>()
    for (const c of cases) ids.set((await send(provider, message(c[0]))).providerMessageId, c)
    await waitFor(() => receipts.length === 3)
    for (const r of receipts) {
      const [, outcome, err] = ids.get(r.providerMessageId)!
      expect(r).toMatchObject({ outcome, rawStatus: 'UNDELIV', rawCode: err })
    }
    expect(inbox.list({})).toHaveLength(0)
  })

  it('reports the late number only after the long delay', async () => {
    const { provider, receipts } = connect(smsc!.port)
    const started = Date.now()
    await send(provider, message('+447700900002'))
    await waitFor(() => receipts[0])
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(receipts[0]?.outcome).toBe('delivered')
  })

  it('throttled submits (ESME_RTHROTTLED) are retryable provider_throttled, then the message goes through', async () => {
    const { provider, receipts } = connect(smsc!.port)
    const msg = message('+447700900007')
    for (let i = 0; i < 2; i++) {
      const err = await rejection(send(provider, msg))
      expect(err).toMatchObject({ retryable: true, outcome: 'provider_throttled', rawCode: '0x00000058' })
      expect(err.message).toContain('ESME_RTHROTTLED')
    }
    const ok = await send(provider, msg)
    await waitFor(() =>
      receipts.find((r) => r.providerMessageId === ok.providerMessageId && r.outcome === 'delivered'),
    )
  })

  it('a refused bind fails sends at once, not retryable, and says why', async () => {
    const { provider } = connect(smsc!.port, { password: 'wrong' })
    const started = Date.now()
    const err = await rejection(send(provider, message('+447700900001')))
    expect(err.retryable).toBe(false)
    expect(err.outcome).toBe('provider_error')
    expect(err.rawCode).toBe('0x0000000d')
    expect(err.message).toMatch(
      /refused bind_transceiver as "verigate": ESME_RBINDFAIL .*check systemId, password/,
    )
    expect(Date.now() - started).toBeLessThan(2000)
    expect(smsc!.stats().bindFailures).toBeGreaterThanOrEqual(1)
    // While the bind keeps failing, later sends fail fast the same way.
    const again = await rejection(send(provider, message('+447700900001')))
    expect(again.rawCode).toBe('0x0000000d')
  })

  it('reconnects and rebinds after the SMSC restarts', async () => {
    const { provider, receipts } = connect(smsc!.port)
    const port = smsc!.port
    await send(provider, message('+447700900001'))
    await smsc!.close()
    await waitFor(() => provider.state() !== 'bound')
    smsc = await startSimulatorSmsc({ port, ...CREDENTIALS, inbox, deliveryDelayMs: 20, longDelayMs: 150 })
    // The send waits for the rebind instead of failing.
    const result = await send(provider, message('+447700900001', 'after restart'))
    expect(provider.state()).toBe('bound')
    expect(smsc.stats().binds).toBe(1)
    await waitFor(() => receipts.find((r) => r.providerMessageId === result.providerMessageId))
    expect(inbox.list({ to: '+447700900001' })[0]?.body).toBe('after restart')
  })

  it('fails a send as retryable when the SMSC stays down past the submit timeout', async () => {
    const { provider } = connect(smsc!.port, { submitTimeoutMs: 300 })
    await waitFor(() => provider.state() === 'bound')
    await smsc!.close()
    smsc = undefined
    await waitFor(() => provider.state() !== 'bound')
    const err = await rejection(send(provider, message('+447700900001')))
    expect(err).toMatchObject({ retryable: true, outcome: 'provider_error', rawCode: 'TIMEOUT' })
    expect(err.message).toMatch(/not bound in time/)
  })

  it('keeps the session alive with enquire_link', async () => {
    const { provider } = connect(smsc!.port, { enquireLinkMs: 100 })
    await waitFor(() => provider.state() === 'bound')
    // Counted rather than timed: on a loaded machine 650 ms can hold fewer than four 100 ms ticks.
    await waitFor(() => smsc!.stats().enquireLinks >= 4)
    expect(smsc!.stats().binds).toBe(1)
    expect(provider.state()).toBe('bound')
    await send(provider, message('+447700900001'))
  })

  it('drops and rebinds a session whose enquire_link goes unanswered', async () => {
    const silent = await scriptedSmsc({ enquireLink: () => {} })
    const { provider } = connect(silent.port, { enquireLinkMs: 100, enquireLinkTimeoutMs: 100 })
    await waitFor(() => silent.binds() >= 2, 3000)
    expect(['bound', 'connecting', 'waiting']).toContain(provider.state())
  })

  it('times out a submit_sm that gets no answer', async () => {
    const mute = await scriptedSmsc({ submit: () => {} })
    const { provider } = connect(mute.port, { submitTimeoutMs: 300 })
    const started = Date.now()
    const err = await rejection(send(provider, message('+447700900001')))
    expect(err).toMatchObject({ retryable: true, rawCode: 'TIMEOUT' })
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('UCS-2 text (Russian) arrives intact', async () => {
    const { provider } = connect(smsc!.port)
    const body = 'Ваш код подтверждения: 123456'
    const result = await send(provider, message('+447700900001', body))
    expect(result.segments).toBe(1)
    await waitFor(() => inbox.list({ to: '+447700900001' })[0])
    expect(inbox.list({ to: '+447700900001' })[0]?.body).toBe(body)
  })

  it('long GSM-7 text goes as UDH-concatenated parts and is delivered once, whole', async () => {
    const { provider, receipts } = connect(smsc!.port)
    const body = `Code 123456. ${'Never share it {with} anyone [ever] €. '.repeat(8)}`
    const result = await send(provider, message('+447700900001', body))
    expect(result.segments).toBe(3)
    const got = await waitFor(() => inbox.list({ to: '+447700900001' })[0])
    expect(got.body).toBe(body)
    expect(got.id).toBe(result.providerMessageId)
    await waitFor(() => receipts[0])
    await new Promise((r) => setTimeout(r, 100))
    expect(receipts).toHaveLength(1)
    expect(receipts[0]).toMatchObject({ providerMessageId: result.providerMessageId, outcome: 'delivered' })
  })

  it('long UCS-2 text in message_payload mode is one submit', async () => {
    const { provider, receipts } = connect(smsc!.port, { longMessages: 'payload' })
    const body = `Ваш код 123456. ${'Никому его не сообщайте. '.repeat(5)}`
    const submitsBefore = smsc!.stats().submits
    const result = await send(provider, message('+447700900001', body))
    expect(result.segments).toBe(3)
    expect(smsc!.stats().submits - submitsBefore).toBe(1)
    expect((await waitFor(() => inbox.list({ to: '+447700900001' })[0])).body).toBe(body)
    await waitFor(() => receipts[0])
  })

  it('sends TON/NPI from the sender shape, data_coding by alphabet, registered_delivery 1', async () => {
    const rec = await scriptedSmsc({
      submit: (s, pdu) => s.send(pdu.response({ message_id: `M${pdu.sequence_number}` })),
    })
    const { provider } = connect(rec.port, { validitySeconds: 600 })
    await send(provider, message('+447700900001', 'Code 123456'))
    await send(provider, message('+447700900001', 'Код 123456', { from: '+15550001111' }))
    const [alpha, intl] = rec.submits
    expect(alpha).toMatchObject({
      source_addr: 'VERIGATE',
      source_addr_ton: 5,
      source_addr_npi: 0,
      destination_addr: '447700900001',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      registered_delivery: 1,
      data_coding: 0,
    })
    expect(intl).toMatchObject({
      source_addr: '15550001111',
      source_addr_ton: 1,
      source_addr_npi: 1,
      data_coding: 8,
    })
    expect(alpha?.short_message?.message).toBe('Code 123456')
    expect(intl?.short_message?.message).toBe('Код 123456')
  })

  it('matches a receipt whose id is the decimal form of a hex submit_sm_resp id', async () => {
    const rec = await scriptedSmsc({
      submit: (s, pdu) => {
        s.send(pdu.response({ message_id: '5F5E101' }))
        s.deliver_sm({
          source_addr: pdu.destination_addr,
          destination_addr: pdu.source_addr,
          esm_class: 0x04,
          data_coding: 0,
          short_message:
            'id:100000001 sub:001 dlvrd:000 submit date:2601011200 done date:2601011201 stat:EXPIRED err:027 text:x',
        })
      },
    })
    const { provider, receipts } = connect(rec.port)
    const result = await send(provider, message('+447700900001'))
    const r = await waitFor(() => receipts[0])
    expect(r).toMatchObject({
      providerMessageId: result.providerMessageId,
      outcome: 'unreachable',
      rawStatus: 'EXPIRED',
      rawCode: '027',
    })
  })

  it('refuses non-E.164 destinations and over-long senders without touching the SMSC', async () => {
    const { provider } = connect(smsc!.port)
    expect(await rejection(send(provider, message('07700900001')))).toMatchObject({
      retryable: false,
      outcome: 'invalid_number',
    })
    expect(
      await rejection(send(provider, message('+447700900001', 'x', { from: 'A-VERY-LONG-SENDER' }))),
    ).toMatchObject({ retryable: false })
    expect(smsc!.stats().submits).toBe(0)
  })

  it('close() unbinds and later sends fail', async () => {
    const { provider } = connect(smsc!.port)
    await waitFor(() => provider.state() === 'bound')
    await provider.close()
    expect(provider.state()).toBe('closed')
    expect(await rejection(send(provider, message('+447700900001')))).toMatchObject({ rawCode: 'CLOSED' })
  })
})

describe('smpp helpers', () => {
  it('picks TON/NPI from the sender', () => {
    expect(sourceAddress('VERIGATE')).toEqual({ addr: 'VERIGATE', ton: 5, npi: 0 })
    expect(sourceAddress('+447700900000')).toEqual({ addr: '447700900000', ton: 1, npi: 1 })
    expect(sourceAddress('447700900000')).toEqual({ addr: '447700900000', ton: 1, npi: 1 })
    expect(sourceAddress('12345')).toEqual({ addr: '12345', ton: 3, npi: 0 })
  })

  it('writes relative validity periods', () => {
    expect(relativeValidity(600)).toBe('000000001000000R')
    expect(relativeValidity(90_061)).toBe('000001010101000R')
  })

  it('config defaults', () => {
    const c = SmppConfigSchema.parse({
      type: 'smpp',
      id: 's',
      host: 'h',
      systemId: 'a',
      password: 'b',
      from: 'X',
    })
    expect(c).toMatchObject({
      port: 2775,
      systemType: '',
      enquireLinkMs: 30_000,
      submitTimeoutMs: 10_000,
      longMessages: 'udh',
      channels: ['sms'],
    })
    expect(() => SmppConfigSchema.parse({ ...c, extra: 1 })).toThrow()
  })
})
