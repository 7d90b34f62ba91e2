import type { Pdu, PduFields, Session } from 'smpp'
import smppLib from 'smpp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../shared/clock.js'
import { PhoneInbox } from '../phone-inbox.js'
import type { SimulatorScenario } from '../scenarios.js'
import { type SimulatorSmsc, startSimulatorSmsc } from './simulator-smsc.js'

let inbox: PhoneInbox
let smsc: SimulatorSmsc
const overrides = new Map<string, SimulatorScenario>()
const clock = new ManualClock(Date.UTC(2026, 10, 25, 17, 17))
const sessions: Session[] = []

beforeEach(async () => {
  inbox = new PhoneInbox(50)
  overrides.clear()
  smsc = await startSimulatorSmsc({
    port: 0,
    systemId: 'esme',
    password: 'pw',
    inbox,
    deliveryDelayMs: 10,
    longDelayMs: 50,
    clock,
    overrides,
  })
})

afterEach(async () => {
  for (const s of sessions.splice(0)) s.destroy()
  await smsc.close()
})

/** A raw SMPP client session with its deliver_sm receipts collected. */
async function client() {
  const received: Pdu[] = []
  const session = await new Promise<Session>((resolve, reject) => {
    const s = smppLib.connect({ host: '127.0.0.1', port: smsc.port }, () => resolve(s))
    s.on('error', reject)
  })
  sessions.push(session)
  session.on('deliver_sm', (pdu) => {
    received.push(pdu)
    session.send(pdu.response())
  })
  const call = (command: 'bind_transceiver' | 'submit_sm' | 'enquire_link', fields: PduFields = {}) =>
    new Promise<Pdu>((resolve) => {
      session[command](fields, resolve)
    })
  const closed = new Promise<void>((resolve) => session.on('close', () => resolve()))
  return { session, received, call, closed }
}

const submit = (to: string, extra: PduFields = {}): PduFields => ({
  source_addr: 'VERIGATE',
  source_addr_ton: 5,
  destination_addr: to,
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  registered_delivery: 1,
  data_coding: 0,
  short_message: 'Your code is 123456',
  ...extra,
})

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = probe()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('simulator SMSC', () => {
  it('refuses a wrong password with ESME_RBINDFAIL and hangs up', async () => {
    const c = await client()
    const resp = await c.call('bind_transceiver', { system_id: 'esme', password: 'nope' })
    expect(resp.command_status).toBe(smppLib.ESME_RBINDFAIL)
    await c.closed
    expect(smsc.stats()).toMatchObject({ binds: 0, bindFailures: 1 })
  })

  it('refuses submit_sm before a bind', async () => {
    const c = await client()
    expect((await c.call('submit_sm', submit('447700900001'))).command_status).toBe(smppLib.ESME_RINVBNDSTS)
  })

  it('delivers to the inbox and sends a DELIVRD receipt with the TLVs', async () => {
    const c = await client()
    await c.call('bind_transceiver', { system_id: 'esme', password: 'pw' })
    expect((await c.call('enquire_link')).command_status).toBe(0)
    const resp = await c.call('submit_sm', submit('447700900001'))
    expect(resp.command_status).toBe(0)
    const id = resp.message_id!
    const receipt = await waitFor(() => c.received[0])
    expect(receipt).toMatchObject({
      esm_class: 0x04,
      source_addr: '447700900001',
      destination_addr: 'VERIGATE',
      receipted_message_id: id,
      message_state: 2,
    })
    expect(receipt.short_message?.message).toBe(
      `id:${id} sub:001 dlvrd:001 submit date:2611251717 done date:2611251717 stat:DELIVRD err:000 text:Your code is 123456`,
    )
    expect(inbox.list({ to: '+447700900001' })[0]).toMatchObject({
      id,
      from: 'VERIGATE',
      body: 'Your code is 123456',
      channel: 'sms',
    })
    expect(smsc.stats()).toMatchObject({ binds: 1, submits: 1, enquireLinks: 1, receiptsSent: 1 })
  })

  it('plays the scenarios by destination number', async () => {
    const c = await client()
    await c.call('bind_transceiver', { system_id: 'esme', password: 'pw' })
    expect((await c.call('submit_sm', submit('447700900006'))).command_status).toBe(0x08)
    expect((await c.call('submit_sm', submit('442079460001'))).command_status).toBe(0x0b)
    const throttled = submit('447700900007')
    expect((await c.call('submit_sm', throttled)).command_status).toBe(0x58)
    expect((await c.call('submit_sm', throttled)).command_status).toBe(0x58)
    expect((await c.call('submit_sm', throttled)).command_status).toBe(0)
    // A different message to the same number starts its own count.
    expect(
      (await c.call('submit_sm', submit('447700900007', { short_message: 'other' }))).command_status,
    ).toBe(0x58)

    await c.call('submit_sm', submit('447700900003'))
    const failed = await waitFor(() => c.received.find((r) => r.message_state === 5))
    expect(failed.short_message?.message).toMatch(/stat:UNDELIV err:045 /)
    expect(inbox.list({ to: '+447700900003' })).toHaveLength(0)
  })

  it('honours the scenario switch shared with the HTTP simulator', async () => {
    overrides.set('+447700900001', 'unreachable')
    const c = await client()
    await c.call('bind_transceiver', { system_id: 'esme', password: 'pw' })
    await c.call('submit_sm', submit('447700900001'))
    expect((await waitFor(() => c.received[0])).short_message?.message).toMatch(/stat:UNDELIV err:027/)
  })

  it('sends no receipt without registered_delivery, and only failures with registered_delivery 2', async () => {
    const c = await client()
    await c.call('bind_transceiver', { system_id: 'esme', password: 'pw' })
    await c.call('submit_sm', submit('447700900001', { registered_delivery: 0 }))
    await c.call('submit_sm', submit('447700900001', { registered_delivery: 2 }))
    await c.call('submit_sm', submit('447700900004', { registered_delivery: 2 }))
    await waitFor(() => c.received[0])
    await new Promise((r) => setTimeout(r, 50))
    expect(c.received.map((r) => r.message_state)).toEqual([5])
    expect(inbox.list({ to: '+447700900001' })).toHaveLength(2)
  })

  it('keeps receipts for a dropped session and sends them on the next bind', async () => {
    const first = await client()
    await first.call('bind_transceiver', { system_id: 'esme', password: 'pw' })
    await first.call('submit_sm', submit('447700900002'))
    first.session.destroy()
    await first.closed
    const second = await client()
    await new Promise((r) => setTimeout(r, 80)) // past the long delay: the receipt is queued
    await second.call('bind_transceiver', { system_id: 'esme', password: 'pw' })
    expect((await waitFor(() => second.received[0])).message_state).toBe(2)
  })

  it('decodes UCS-2 and reassembles UDH-concatenated parts', async () => {
    const c = await client()
    await c.call('bind_transceiver', { system_id: 'esme', password: 'pw' })
    await c.call('submit_sm', submit('447700900001', { data_coding: 8, short_message: 'Ваш код 123456' }))
    for (const [seq, part] of [
      [2, ' world'],
      [1, 'hello'],
    ] as const) {
      await c.call(
        'submit_sm',
        submit('447700900009', { short_message: { udh: Buffer.from([5, 0, 3, 42, 2, seq]), message: part } }),
      )
    }
    await waitFor(() => inbox.list({ to: '+447700900009' })[0])
    expect(inbox.list({ to: '+447700900001' })[0]?.body).toBe('Ваш код 123456')
    expect(inbox.list({ to: '+447700900009' }).map((m) => m.body)).toEqual(['hello world'])
  })
})
