/**
 * @module SMPP 3.4 provider: one bind_transceiver session to an SMSC that submits messages and
 * receives their delivery receipts, kept alive with enquire_link and re-bound with backoff when it
 * drops. Receipts arrive over the session (not HTTP), so they are pushed through `deps.onReceipt`.
 *
 * Long texts go out as UDH-concatenated parts by default (`05 00 03 ref total seq`, esm_class 0x40),
 * which every SMSC accepts; `longMessages: 'payload'` sends one submit_sm with the whole text in the
 * `message_payload` TLV instead, for SMSCs that segment themselves.
 */
import { randomInt } from 'node:crypto'
import type { DecodedMessage, Pdu, PduFields, Session } from 'smpp'
import smppLib from 'smpp'
import { withTimeoutSignal } from '../../shared/timeout-signal.js'
import { encodingFor, splitSegments } from '../gsm7.js'
import type {
  DeliveryReport,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { smppStatusError, smppStatusName } from './smpp-command-status.js'
import type { SmppConfig } from './smpp-config.js'
import { MESSAGE_STATE_STAT, parseSmppReceiptText, smppReceiptOutcome } from './smpp-receipt.js'

/** Where the SMPP session is: bound and usable, (re)connecting, waiting to reconnect, or closed. */
export type SmppSessionState = 'connecting' | 'bound' | 'waiting' | 'closed'

/** The SMPP provider: a MessageProvider with a session that must be closed on shutdown. */
export interface SmppProvider extends MessageProvider {
  readonly type: 'smpp'
  /** Current session state (health checks). */
  state(): SmppSessionState
  /** Unbinds (waits up to 1 s for unbind_resp), closes the socket and stops reconnecting. */
  close(): Promise<void>
}

const INTERFACE_VERSION_34 = 0x34
const ESM_CLASS_TYPE_MASK = 0x3c
const ESM_CLASS_RECEIPT = 0x04
const ESM_CLASS_INTERMEDIATE = 0x20
const DATA_CODING = { gsm7: 0x00, ucs2: 0x08 } as const
/** Receipt tracking is bounded: the oldest entries go first (their receipts then pass through unmatched). */
const MAX_TRACKED = 50_000

/** What a sender's shape says about its TON/NPI (SMPP 3.4 §5.2.5/§5.2.6). */
export function sourceAddress(from: string): { addr: string; ton: number; npi: number } {
  if (/^\+\d{1,20}$/.test(from)) return { addr: from.slice(1), ton: 1, npi: 1 }
  // A bare short number is a short code; a long one is an international number written without `+`.
  if (/^\d{1,8}$/.test(from)) return { addr: from, ton: 3, npi: 0 }
  if (/^\d{9,20}$/.test(from)) return { addr: from, ton: 1, npi: 1 }
  return { addr: from, ton: 5, npi: 0 }
}

/** `000000001000000R` for 600 s: SMPP relative time YYMMDDhhmmss t nn R. */
export function relativeValidity(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0')
  const days = Math.floor(seconds / 86_400)
  const hours = Math.floor((seconds % 86_400) / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  return `0000${two(days)}${two(hours)}${two(minutes)}${two(seconds % 60)}000R`
}

/** One sent message awaiting receipts; a long message's parts all point at the same entry. */
interface Tracked {
  /** The first part's id: what `send` returned and what receipts are reported under. */
  primaryId: string
  readonly total: number
  readonly partIds: string[]
  readonly delivered: Set<string>
  pendingReported: boolean
  done: boolean
}

/** Builds the SMPP provider and starts connecting at once, so receipts queued at the SMSC flow in early. */
export function smpp(config: SmppConfig, deps: ProviderDeps): SmppProvider {
  const where = `${config.host}:${config.port}`
  let state: SmppSessionState = 'connecting'
  let session: Session | undefined
  let lastError: ProviderError | undefined
  let failures = 0
  let lastConnectAt = 0
  const timers = new Set<NodeJS.Timeout>()
  let reconnectTimer: NodeJS.Timeout | undefined
  /** Sends waiting for a bind. */
  const waiters = new Set<{ resolve: (s: Session) => void; reject: (e: ProviderError) => void }>()
  /** Submits waiting for their submit_sm_resp; failed together when the session drops. */
  const inFlight = new Set<(e: ProviderError) => void>()
  const tracked = new Map<string, Tracked>()

  /** Session timers of the current session (enquire_link, connect deadline); cleared when it drops. */
  const sessionTimers = new Set<NodeJS.Timeout>()

  const timer = (
    ms: number,
    fn: () => void,
    opts: { repeat?: boolean; session?: boolean } = {},
  ): NodeJS.Timeout => {
    const t = opts.repeat
      ? setInterval(fn, ms)
      : setTimeout(() => {
          timers.delete(t)
          sessionTimers.delete(t)
          fn()
        }, ms)
    t.unref()
    timers.add(t)
    if (opts.session) sessionTimers.add(t)
    return t
  }
  const cancel = (t: NodeJS.Timeout | undefined) => {
    if (!t) return
    clearTimeout(t)
    timers.delete(t)
    sessionTimers.delete(t)
  }
  const cancelSessionTimers = () => {
    for (const t of [...sessionTimers]) cancel(t)
  }

  const lostError = (why: string) =>
    new ProviderError({
      message: `SMPP session to ${where} lost: ${why}`,
      retryable: true,
      outcome: 'provider_error',
      rawCode: 'NETWORK',
      rawText: why,
    })

  function connect(): void {
    if (state === 'closed') return
    cancel(reconnectTimer)
    reconnectTimer = undefined
    state = 'connecting'
    lastConnectAt = Date.now()
    const s = smppLib.connect({ host: config.host, port: config.port })
    session = s
    // Events of a session that was already replaced are stale and change nothing.
    const drop = (err: ProviderError) => {
      if (session === s) fail(s, err)
    }

    timer(
      config.connectTimeoutMs,
      () =>
        drop(
          new ProviderError({
            message: `SMSC ${where} did not complete connect + bind within ${config.connectTimeoutMs} ms`,
            retryable: true,
            outcome: 'provider_error',
            rawCode: 'TIMEOUT',
          }),
        ),
      { session: true },
    )

    s.on('connect', () => {
      s.bind_transceiver(
        {
          system_id: config.systemId,
          password: config.password,
          system_type: config.systemType,
          interface_version: INTERFACE_VERSION_34,
        },
        (pdu) => {
          if (session !== s) return
          cancelSessionTimers()
          if (pdu.command_status !== 0) {
            drop(bindError(pdu.command_status))
            return
          }
          state = 'bound'
          failures = 0
          lastError = undefined
          timer(config.enquireLinkMs, () => enquireLink(s, drop), { repeat: true, session: true })
          for (const w of waiters) w.resolve(s)
          waiters.clear()
        },
      )
    })
    s.on('error', (err) =>
      drop(
        new ProviderError({
          message: `SMSC ${where} unreachable: ${err.message}`,
          retryable: true,
          outcome: 'provider_error',
          rawCode: 'NETWORK',
          rawText: err.message,
          cause: err,
        }),
      ),
    )
    s.on('close', () => drop(lostError('connection closed')))
    s.on('enquire_link', (pdu) => {
      s.send(pdu.response())
    })
    s.on('unbind', (pdu) => {
      s.send(pdu.response())
      drop(lostError('SMSC sent unbind'))
    })
    s.on('deliver_sm', (pdu) => {
      // Answer first and fast: a late deliver_sm_resp makes the SMSC send the receipt again.
      s.send(pdu.response())
      handleDeliver(pdu)
    })
    s.on('pdu', (pdu) => {
      if (pdu.command === 'unknown') s.send(pdu.response())
    })
  }

  function enquireLink(s: Session, drop: (e: ProviderError) => void): void {
    const deadline = timer(
      config.enquireLinkTimeoutMs,
      () => drop(lostError(`enquire_link not answered within ${config.enquireLinkTimeoutMs} ms`)),
      { session: true },
    )
    const sent = s.enquire_link({}, () => cancel(deadline))
    if (!sent) drop(lostError('socket not writable'))
  }

  function bindError(status: number): ProviderError {
    const { retryable, rawCode } = smppStatusError(status, 'bind_transceiver')
    const name = smppStatusName(status)
    return new ProviderError({
      message: `SMSC ${where} refused bind_transceiver as "${config.systemId}": ${name} (${rawCode}); check systemId, password and systemType`,
      retryable,
      outcome: 'provider_error',
      rawCode,
      rawText: name,
    })
  }

  function fail(s: Session, err: ProviderError): void {
    session = undefined
    cancelSessionTimers()
    lastError = err
    s.destroy()
    // A submit without its resp may or may not have been accepted; retrying risks a duplicate SMS,
    // which beats losing the code.
    for (const reject of [...inFlight]) reject(lostError(err.rawText ?? err.message))
    inFlight.clear()
    if (!err.retryable) {
      // Waiting will not fix a refused bind: fail the queued sends now.
      for (const w of waiters) w.reject(copy(err))
      waiters.clear()
    }
    if (state === 'closed') return
    state = 'waiting'
    const base = Math.min(config.reconnectMaxMs, config.reconnectInitialMs * 2 ** failures)
    failures++
    // Half fixed, half random: many gateways restarting together do not rebind in lockstep.
    const delay = Math.round(base / 2 + Math.random() * (base / 2))
    reconnectTimer = timer(delay, connect)
  }

  /** Resolves with a bound session, or fails at the deadline (retryable) or on a refused bind (not). */
  function whenBound(signal: AbortSignal): Promise<Session> {
    if (state === 'closed') return Promise.reject(closedError())
    if (state === 'bound' && session) return Promise.resolve(session)
    if (state === 'waiting' && lastError && !lastError.retryable) return Promise.reject(copy(lastError))
    // A send while waiting out a backoff retries now, at most once per reconnectInitialMs.
    if (state === 'waiting' && Date.now() - lastConnectAt >= config.reconnectInitialMs) connect()
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (s: Session) => {
          signal.removeEventListener('abort', onAbort)
          resolve(s)
        },
        reject: (e: ProviderError) => {
          signal.removeEventListener('abort', onAbort)
          reject(e)
        },
      }
      const onAbort = () => {
        waiters.delete(waiter)
        const why = lastError ? `: ${lastError.message}` : ''
        reject(
          new ProviderError({
            message: `SMPP session to ${where} not bound in time${why}`,
            retryable: true,
            outcome: 'provider_error',
            rawCode: 'TIMEOUT',
            rawText: lastError?.rawText,
          }),
        )
      }
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      waiters.add(waiter)
    })
  }

  /**
   * Sends one submit_sm. `entry` learns the message id inside the response callback itself, before
   * any later PDU is read: the SMSC may send the receipt in the same TCP read as the response.
   */
  function submit(
    s: Session,
    fields: PduFields,
    signal: AbortSignal,
    entry: Tracked,
    fallbackId: string,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      let settled = false
      const settle = (fn: () => void) => {
        if (settled) return
        settled = true
        signal.removeEventListener('abort', onAbort)
        inFlight.delete(onLost)
        fn()
      }
      const onLost = (e: ProviderError) => settle(() => reject(e))
      const onAbort = () =>
        settle(() =>
          reject(
            new ProviderError({
              message: `SMSC ${where} did not answer submit_sm within ${config.submitTimeoutMs} ms`,
              retryable: true,
              outcome: 'provider_error',
              rawCode: 'TIMEOUT',
            }),
          ),
        )
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      inFlight.add(onLost)
      const sent = s.submit_sm(fields, (pdu) =>
        settle(() => {
          if (pdu.command_status !== 0) {
            reject(smppStatusError(pdu.command_status))
            // The SMSC says we are not bound: rebind rather than keep submitting into a dead session.
            if (pdu.command_status === smppLib.ESME_RINVBNDSTS && session === s)
              fail(s, lostError('SMSC says the session is not bound'))
            return
          }
          // An SMSC that accepts without an id leaves nothing to match receipts on; fall back to ours.
          const messageId = pdu.message_id || fallbackId
          track(entry, messageId)
          resolve(messageId)
        }),
      )
      if (!sent) onLost(lostError('socket not writable'))
    })
  }

  function track(entry: Tracked, partId: string): void {
    if (entry.partIds.length === 0) entry.primaryId = partId
    entry.partIds.push(partId)
    tracked.set(partId, entry)
    while (tracked.size > MAX_TRACKED) {
      const oldest = tracked.keys().next().value
      if (oldest === undefined) break
      tracked.delete(oldest)
    }
  }

  /** Finds the tracked message; SMSCs may write the id in hex in one place and decimal in the other. */
  function lookup(rawId: string): { partId: string; entry: Tracked } | undefined {
    const candidates = [rawId]
    if (/^\d+$/.test(rawId)) {
      const hex = BigInt(rawId).toString(16)
      candidates.push(hex.toUpperCase(), hex)
    }
    if (/^[0-9a-f]+$/i.test(rawId))
      candidates.push(BigInt(`0x${rawId}`).toString(10), rawId.toUpperCase(), rawId.toLowerCase())
    for (const c of candidates) {
      const entry = tracked.get(c)
      if (entry) return { partId: c, entry }
    }
    return undefined
  }

  function handleDeliver(pdu: Pdu): void {
    const type = (pdu.esm_class ?? 0) & ESM_CLASS_TYPE_MASK
    // Anything else is a mobile-originated message; verigate takes no replies over SMPP.
    if (type !== ESM_CLASS_RECEIPT && type !== ESM_CLASS_INTERMEDIATE) return
    const text = messageText(pdu.short_message) || messageText(pdu.message_payload)
    const parsed = parseSmppReceiptText(text)
    const rawId = pdu.receipted_message_id || parsed.id
    if (!rawId) return
    // The TLVs, when present, are the structured form of the same facts; prefer them.
    const stat =
      (pdu.message_state !== undefined ? MESSAGE_STATE_STAT[pdu.message_state] : undefined) ?? parsed.stat
    const err = parsed.err ?? networkErrorCode(pdu.network_error_code)
    const outcome = smppReceiptOutcome(stat, err)
    const report = (providerMessageId: string): void =>
      deps.onReceipt({
        providerId: config.id,
        providerMessageId,
        outcome,
        rawStatus: stat,
        rawCode: err,
        rawText: text || undefined,
        // The receipt's done date has minute precision and the SMSC's own time zone; arrival time is
        // both more precise and unambiguous.
        at: deps.clock.now(),
      } satisfies DeliveryReport)

    const found = lookup(rawId)
    if (!found) {
      report(rawId)
      return
    }
    const { partId, entry } = found
    if (entry.done) return
    if (outcome === 'pending') {
      if (!entry.pendingReported) report(entry.primaryId)
      entry.pendingReported = true
      return
    }
    if (outcome === 'delivered') {
      // A long message is delivered when every part is; the first failed part decides otherwise.
      entry.delivered.add(partId)
      if (entry.delivered.size < entry.total) return
    }
    entry.done = true
    for (const p of entry.partIds) tracked.delete(p)
    report(entry.primaryId)
  }

  const closedError = () =>
    new ProviderError({
      message: `SMPP provider ${config.id} is closed`,
      retryable: true,
      outcome: 'provider_error',
      rawCode: 'CLOSED',
    })

  connect()

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'smpp', channels: config.channels } as const

  /** One submit (or the parts of a long message) within `signal`. */
  async function submitMessage(msg: OutgoingMessage, signal: AbortSignal): Promise<SendResult> {
    assertServes(identity, msg.channel)
    if (!/^\+\d{6,15}$/.test(msg.to))
      throw invalid('invalid_number', `Destination is not an E.164 number: ${msg.to}`)
    const from = msg.from ?? config.from
    const source = sourceAddress(from)
    if (source.ton === 5 && !/^[\x20-\x7e]{1,11}$/.test(from)) {
      throw invalid('provider_error', `Alphanumeric sender "${from}" must be 1-11 printable ASCII characters`)
    }
    const s = await whenBound(signal)

    const encoding = encodingFor(msg.body)
    const parts = splitSegments(msg.body, encoding)
    const base: PduFields = {
      service_type: '',
      source_addr_ton: config.sourceAddrTon ?? source.ton,
      source_addr_npi: config.sourceAddrNpi ?? source.npi,
      source_addr: source.addr,
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: msg.to.slice(1),
      esm_class: 0,
      registered_delivery: 1,
      data_coding: DATA_CODING[encoding],
      ...(config.validitySeconds === undefined
        ? {}
        : { validity_period: relativeValidity(config.validitySeconds) }),
    }

    const udhParts = parts.length > 1 && config.longMessages === 'udh'
    const entry: Tracked = {
      primaryId: msg.attemptKey,
      total: udhParts ? parts.length : 1,
      partIds: [],
      delivered: new Set(),
      pendingReported: false,
      done: false,
    }
    try {
      if (parts.length === 1) {
        await submit(s, { ...base, short_message: msg.body }, signal, entry, msg.attemptKey)
      } else if (!udhParts) {
        await submit(
          s,
          { ...base, short_message: '', message_payload: msg.body },
          signal,
          entry,
          msg.attemptKey,
        )
      } else {
        // Parts go one after another: some SMSCs reassemble only when parts arrive in order.
        const ref = randomInt(256)
        for (const [i, part] of parts.entries()) {
          const udh = Buffer.from([0x05, 0x00, 0x03, ref, parts.length, i + 1])
          await submit(
            s,
            { ...base, short_message: { udh, message: part } },
            signal,
            entry,
            `${msg.attemptKey}#${i + 1}`,
          )
        }
      }
    } catch (err) {
      // Parts already accepted will get receipts for a message we report as failed; forget them.
      entry.done = true
      for (const p of entry.partIds) tracked.delete(p)
      throw err
    }
    return { providerMessageId: entry.primaryId, rawStatus: 'ESME_ROK', segments: parts.length }
  }

  const provider = {
    ...identity,
    // deliver_sm receipts arrive over the bound session (see onReceipt), not over HTTP.
    reportsDelivery: true,
    state: () => state,

    send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      // The submit's own deadline joins the caller's; its timer is cleared once the submit answers.
      return withTimeoutSignal(
        config.submitTimeoutMs,
        (deadline) => submitMessage(msg, deadline.signal),
        opts.signal,
      )
    },

    async close(): Promise<void> {
      if (state === 'closed') return
      const wasBound = state === 'bound'
      state = 'closed'
      for (const t of timers) clearTimeout(t)
      timers.clear()
      sessionTimers.clear()
      for (const w of waiters) w.reject(closedError())
      waiters.clear()
      const s = session
      if (!s) return
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(giveUp)
          if (session === s) fail(s, closedError())
          resolve()
        }
        const giveUp = setTimeout(done, 1000)
        s.socket.once('close', done)
        // Unbind politely when bound, so the SMSC stops routing receipts to us at once.
        if (!wasBound || !s.unbind({}, () => s.close())) done()
      })
    },
  } satisfies SmppProvider
  return provider
}

function invalid(outcome: 'invalid_number' | 'provider_error', message: string): ProviderError {
  return new ProviderError({ message, retryable: false, outcome, rawText: message })
}

function copy(e: ProviderError): ProviderError {
  return new ProviderError({
    message: e.message,
    retryable: e.retryable,
    outcome: e.outcome,
    rawCode: e.rawCode,
    rawText: e.rawText,
  })
}

function messageText(m: DecodedMessage | undefined): string {
  if (!m) return ''
  return typeof m.message === 'string' ? m.message : m.message.toString('latin1')
}

/** network_error_code TLV: network type (1 octet) + error code (2 octets), as a 3-digit err field. */
function networkErrorCode(buf: Buffer | undefined): string | undefined {
  if (!buf || buf.length < 3) return undefined
  return String(buf.readUInt16BE(1)).padStart(3, '0')
}
