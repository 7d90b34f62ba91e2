/**
 * @module The carrier simulator as an SMPP 3.4 SMSC: SMPP clients (verigate's own SMPP adapter, or a
 * real Kannel in front of it) bind to it, submit messages and get deliver_sm receipts back, with the
 * same test numbers and failure scenarios as the HTTP carrier simulator. Delivered texts land in the
 * phone inbox, decoded from GSM-7 or UCS-2 and reassembled from concatenated parts.
 */
import { randomInt } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { DecodedMessage, Pdu, Session } from 'smpp'
import smppLib from 'smpp'
import type { Clock } from '../../shared/clock.js'
import { systemClock } from '../../shared/clock.js'
import type { PhoneInbox } from '../phone-inbox.js'
import { type SimulatorScenario, scenarioFor } from '../scenarios.js'

export interface SimulatorSmscOptions {
  /** TCP port; 0 picks a free one. @default 2775 */
  readonly port?: number
  /** @default '127.0.0.1' (the simulator is for local tests and demos; never expose it). */
  readonly host?: string
  /** Credentials a bind must present; anything else gets ESME_RBINDFAIL and a hang-up. */
  readonly systemId: string
  readonly password: string
  readonly inbox: PhoneInbox
  /** Receipt delay for normal numbers. */
  readonly deliveryDelayMs: number
  /** Receipt delay for the "delivered late" number. */
  readonly longDelayMs: number
  /** Timestamps in receipts and inbox entries. @default systemClock */
  readonly clock?: Clock
  /** Per-number scenario switches shared with the HTTP carrier simulator (the demo's switch). */
  readonly overrides?: ReadonlyMap<string, SimulatorScenario>
}

/** Counters for tests and the simulator page. */
export interface SimulatorSmscStats {
  readonly binds: number
  readonly bindFailures: number
  readonly submits: number
  readonly enquireLinks: number
  readonly receiptsSent: number
}

export interface SimulatorSmsc {
  /** The port actually listened on (useful with port 0). */
  readonly port: number
  stats(): SimulatorSmscStats
  /** Drops every session (like an SMSC restart), cancels pending receipts and stops listening. */
  close(): Promise<void>
}

type BindMode = 'transceiver' | 'transmitter' | 'receiver'

interface Receipt {
  readonly id: string
  readonly submit: Pdu
  readonly stat: 'DELIVRD' | 'UNDELIV'
  readonly err: string
  readonly state: number
  readonly text: string
  readonly submittedAt: number
  /** Session the message came in on; receipts go back on it while it can take them. */
  readonly origin: Session
}

/** Raw `stat`/`err`/`message_state` for each accepted scenario, matching the HTTP carrier simulator. */
const FAILED_RECEIPTS: Partial<Record<SimulatorScenario, { err: string }>> = {
  carrier_blocked: { err: '045' },
  unreachable: { err: '027' },
  unknown_subscriber: { err: '001' },
}
const MESSAGE_STATE_DELIVERED = 2
const MESSAGE_STATE_UNDELIVERABLE = 5
const ESM_CLASS_RECEIPT = 0x04
const THROTTLED_SUBMITS = 2
const MAX_QUEUED_RECEIPTS = 10_000

/** Starts the SMSC and resolves once it listens. */
export async function startSimulatorSmsc(opts: SimulatorSmscOptions): Promise<SimulatorSmsc> {
  const clock = opts.clock ?? systemClock
  const overrides = opts.overrides ?? new Map<string, SimulatorScenario>()
  const stats = { binds: 0, bindFailures: 0, submits: 0, enquireLinks: 0, receiptsSent: 0 }
  const receivers = new Set<Session>()
  const timers = new Set<NodeJS.Timeout>()
  /** Receipts that found no bound receiver; sent on the next bind, as a real SMSC stores them. */
  const queued: Receipt[] = []
  const throttled = new Map<string, number>()
  /** Concatenated messages being reassembled, by sender|destination|reference. */
  const partial = new Map<string, { total: number; parts: Map<number, string>; firstId: string }>()
  // Ids are upper-case hex from a random start, the same string in submit_sm_resp and the receipt,
  // so a Kannel in front needs no msg-id-type and runs after a restart do not reuse ids.
  let nextId = randomInt(0x1000000, 0x7000000)

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    t.unref()
    timers.add(t)
  }

  const server = smppLib.createServer((session) => {
    let mode: BindMode | undefined
    // Peers resetting the connection is normal for an SMSC; without a listener it would crash the process.
    session.on('error', () => session.destroy())
    session.on('close', () => receivers.delete(session))

    const bind = (wanted: BindMode) => (pdu: Pdu) => {
      if (mode) {
        session.send(pdu.response({ command_status: smppLib.ESME_RALYBND }))
        return
      }
      if (pdu.system_id !== opts.systemId || pdu.password !== opts.password) {
        stats.bindFailures++
        session.send(pdu.response({ command_status: smppLib.ESME_RBINDFAIL }))
        // Real SMSCs hang up after a refused bind; end() still flushes the answer first.
        session.close()
        return
      }
      stats.binds++
      mode = wanted
      session.send(pdu.response({ system_id: 'VERIGATESIM' }))
      if (wanted !== 'transmitter') {
        receivers.add(session)
        flushQueued()
      }
    }
    session.on('bind_transceiver', bind('transceiver'))
    session.on('bind_transmitter', bind('transmitter'))
    session.on('bind_receiver', bind('receiver'))
    session.on('enquire_link', (pdu) => {
      stats.enquireLinks++
      session.send(pdu.response())
    })
    session.on('unbind', (pdu) => {
      receivers.delete(session)
      session.send(pdu.response())
      session.close()
    })
    session.on('submit_sm', (pdu) => {
      if (mode !== 'transceiver' && mode !== 'transmitter') {
        session.send(pdu.response({ command_status: smppLib.ESME_RINVBNDSTS }))
        return
      }
      submit(session, pdu)
    })
    session.on('pdu', (pdu) => {
      if (pdu.command === 'unknown') session.send(pdu.response())
    })
  })

  function submit(session: Session, pdu: Pdu): void {
    stats.submits++
    const to = e164(pdu.destination_addr ?? '')
    const scenario = scenarioFor(to, overrides)
    const { text, concat } = decodeSubmit(pdu)
    const refuse = (status: number) => {
      session.send(pdu.response({ command_status: status }))
    }

    if (scenario === 'provider_outage') {
      refuse(smppLib.ESME_RSYSERR)
      return
    }
    if (scenario === 'provider_throttled') {
      // "Of a message": a resubmit carries the same destination and content.
      const key = `${to}|${concat ? `${concat.ref}/${concat.seq}` : ''}|${text}`
      const n = (throttled.get(key) ?? 0) + 1
      throttled.set(key, n)
      if (n <= THROTTLED_SUBMITS) {
        refuse(smppLib.ESME_RTHROTTLED)
        return
      }
      throttled.delete(key)
    }
    if (scenario === 'fixed_line') {
      // A landline cannot take SMS; SMSCs refuse it as an invalid destination.
      refuse(smppLib.ESME_RINVDSTADR)
      return
    }

    const id = (nextId++).toString(16).toUpperCase()
    session.send(pdu.response({ message_id: id }))
    const submittedAt = clock.now()
    const registered = (pdu.registered_delivery ?? 0) & 0x03
    const receipt = (r: Pick<Receipt, 'stat' | 'err' | 'state'>) => {
      // 1: a receipt for success and failure; 2: for failure only.
      if (registered === 1 || (registered === 2 && r.stat !== 'DELIVRD')) {
        sendReceipt({ ...r, id, submit: pdu, text, submittedAt, origin: session })
      }
    }

    const failed = FAILED_RECEIPTS[scenario]
    const delay = scenario === 'delivered_late' ? opts.longDelayMs : opts.deliveryDelayMs
    if (failed) {
      later(delay, () => receipt({ stat: 'UNDELIV', err: failed.err, state: MESSAGE_STATE_UNDELIVERABLE }))
      return
    }
    const whole = concat ? assemble(pdu, to, id, concat, text) : { id, text }
    later(delay, () => {
      if (whole) {
        const from = pdu.source_addr_ton === 1 ? e164(pdu.source_addr ?? '') : (pdu.source_addr ?? '')
        opts.inbox.add({ id: whole.id, to, from, channel: 'sms', body: whole.text, receivedAt: clock.now() })
      }
      receipt({ stat: 'DELIVRD', err: '000', state: MESSAGE_STATE_DELIVERED })
    })
  }

  /** Adds one part; returns the whole message once the last part is in. */
  function assemble(
    pdu: Pdu,
    to: string,
    id: string,
    concat: Concat,
    text: string,
  ): { id: string; text: string } | undefined {
    const key = `${pdu.source_addr ?? ''}|${to}|${concat.ref}`
    const entry = partial.get(key) ?? { total: concat.total, parts: new Map<number, string>(), firstId: id }
    partial.set(key, entry)
    if (concat.seq === 1) entry.firstId = id
    entry.parts.set(concat.seq, text)
    if (entry.parts.size < entry.total) return undefined
    partial.delete(key)
    const ordered = [...entry.parts.entries()].sort(([a], [b]) => a - b).map(([, t]) => t)
    return { id: entry.firstId, text: ordered.join('') }
  }

  function sendReceipt(r: Receipt): void {
    const session = receivers.has(r.origin) ? r.origin : receivers.values().next().value
    if (!session) {
      if (queued.length < MAX_QUEUED_RECEIPTS) queued.push(r)
      return
    }
    const now = clock.now()
    const dlvrd = r.stat === 'DELIVRD' ? '001' : '000'
    const short = `id:${r.id} sub:001 dlvrd:${dlvrd} submit date:${smppDate(r.submittedAt)} done date:${smppDate(now)} stat:${r.stat} err:${r.err} text:${receiptExcerpt(r.text)}`
    const sent = session.deliver_sm({
      // The receipt travels back: the handset is the source, the original sender the destination.
      source_addr_ton: r.submit.dest_addr_ton ?? 1,
      source_addr_npi: r.submit.dest_addr_npi ?? 1,
      source_addr: r.submit.destination_addr ?? '',
      dest_addr_ton: r.submit.source_addr_ton ?? 0,
      dest_addr_npi: r.submit.source_addr_npi ?? 0,
      destination_addr: r.submit.source_addr ?? '',
      esm_class: ESM_CLASS_RECEIPT,
      data_coding: 0,
      short_message: short,
      receipted_message_id: r.id,
      message_state: r.state,
    })
    if (sent) stats.receiptsSent++
    else if (queued.length < MAX_QUEUED_RECEIPTS) queued.push(r)
  }

  function flushQueued(): void {
    for (const r of queued.splice(0)) sendReceipt(r)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 2775, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port

  return {
    port,
    stats: () => ({ ...stats }),
    async close() {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      queued.length = 0
      for (const s of [...server.sessions]) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

interface Concat {
  readonly ref: number
  readonly total: number
  readonly seq: number
}

/** The submitted text (short_message, else message_payload) and its concatenation header, if any. */
function decodeSubmit(pdu: Pdu): { text: string; concat: Concat | undefined } {
  const short = pdu.short_message
  const body = short && messageLength(short) > 0 ? short : (pdu.message_payload ?? short)
  const text = body ? asText(body.message) : ''
  let concat: Concat | undefined
  for (const ie of body?.udh ?? []) {
    // IEI 0x00: 8-bit reference [00 03 ref total seq]; IEI 0x08: 16-bit reference [08 04 hi lo total seq].
    if (ie[0] === 0x00 && ie.length >= 5) concat = { ref: ie[2]!, total: ie[3]!, seq: ie[4]! }
    if (ie[0] === 0x08 && ie.length >= 6) concat = { ref: ie.readUInt16BE(2), total: ie[4]!, seq: ie[5]! }
  }
  return { text, concat: concat && concat.total > 1 ? concat : undefined }
}

function messageLength(m: DecodedMessage): number {
  return m.message.length + (m.udh?.length ?? 0)
}

function asText(message: string | Buffer): string {
  // Codings the library does not decode (8-bit binary) are shown byte for byte.
  return typeof message === 'string' ? message : message.toString('latin1')
}

function e164(addr: string): string {
  const digits = addr.replace(/\D/g, '')
  return digits ? `+${digits}` : addr
}

/** YYMMDDhhmm in UTC, the receipt's date form. */
function smppDate(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`
}

/**
 * The receipt's `text:` field: the first 20 characters, limited to characters that read the same in
 * GSM-7 and ASCII (the receipt is sent as data_coding 0), so no receiver mis-decodes it.
 */
function receiptExcerpt(text: string): string {
  return text.slice(0, 20).replace(/[^A-Za-z0-9 #.,:;!?()+\-/]/g, '.')
}
