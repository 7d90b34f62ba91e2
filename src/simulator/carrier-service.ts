/**
 * @module The carrier simulator as a service of its own (`verigate simulator`): an HTTP provider that
 * workers reach like any vendor (verigate's generic `http` adapter), with the same test numbers and
 * scenarios as the built-in simulator. Because it runs outside verigate, a worker's death is like a
 * real one: the carrier still delivers what it accepted and still posts the signed receipts to the
 * API (`/v1/receipts/{providerId}`), retrying them, as carriers do, until an API answers 2xx.
 *
 * Submits carry the message's attempt key (the `Idempotency-Key` header, else the body's
 * `reference`); a submit whose key was seen gets the first answer back and sends nothing, so a send
 * repeated after a worker crash reaches the handset once (docs/operations.md, "Duplicates").
 */
import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CHANNELS, type Channel } from '../channels/channel.js'
import type { HttpConfig } from '../delivery/providers/http-config.js'
import { type DeliveryReport, ProviderError, type SendResult } from '../delivery/providers/provider.js'
import { type Clock, systemClock } from '../shared/clock.js'
import { type FetchFn, globalFetch } from '../shared/http-client.js'
import { carrierSimulator } from './carrier-simulator.js'
import { PhoneInbox } from './phone-inbox.js'

export interface CarrierServiceOptions {
  /** TCP port; 0 picks a free one. @default 8090 */
  readonly port?: number
  /** @default '127.0.0.1' (a simulator is for tests and drills; never expose it). */
  readonly host?: string
  /**
   * Where receipts are posted: each API's `/v1/receipts/{providerId}` URL. A receipt goes to the
   * first that answers 2xx, so one dead API does not hold it up.
   */
  readonly receiptUrls: readonly string[]
  /** HMAC-SHA256 secret receipts are signed with (the worker's `receipts.secret`, 16+ characters). */
  readonly receiptSecret: string
  /** Delay before a normal number is delivered and its receipt sent. */
  readonly deliveryDelayMs: number
  /** Delay for the "delivered late" test number. */
  readonly longDelayMs: number
  /**
   * How long a submit's answer takes after the carrier has accepted the message (a real API's
   * latency). A worker that dies in this time has handed the message over without knowing it: the
   * window in which a repeated send duplicates it, unless deduplicated. @default 0
   */
  readonly answerDelayMs?: number
  /** Deduplicate submits by their attempt key. @default true */
  readonly dedup?: boolean
  /** Messages kept in the phone inbox. @default 100_000 */
  readonly inboxSize?: number
  /** A receipt no API has taken within this time is dropped. @default 600_000 */
  readonly receiptMaxAgeMs?: number
  readonly clock?: Clock
  readonly fetch?: FetchFn
}

/** Counters, served at `GET /stats`. */
export interface CarrierServiceStats {
  readonly submits: number
  /** Submits answered from the dedup memory: a repeated attempt, not sent again. */
  readonly duplicates: number
  readonly refused: number
  readonly delivered: number
  readonly receiptsSent: number
  /** Receipt posts that failed (each is tried again, on the next URL or later). */
  readonly receiptFailures: number
  readonly receiptsDropped: number
  /** Receipts waiting for an API to take them. */
  readonly receiptsPending: number
}

export interface CarrierService {
  readonly port: number
  readonly url: string
  readonly inbox: PhoneInbox
  stats(): CarrierServiceStats
  close(): Promise<void>
}

/** Attempt keys remembered for dedup (oldest forgotten first): hours of traffic at a few hundred/s. */
const DEDUP_CAPACITY = 1_000_000
const RECEIPT_CONCURRENCY = 32
const RECEIPT_RETRY_MS = [250, 500, 1_000, 2_000, 5_000]

interface PendingReceipt {
  readonly body: string
  readonly firstAt: number
  tries: number
}

/**
 * The `providers` entry a worker uses to reach this service, receipts included. `url` is the
 * service's base URL; `id` names the provider in routes and in the receipt URL.
 */
export function carrierServiceProviderConfig(
  url: string,
  receiptSecret: string,
  id = 'carrier',
  channels: readonly Channel[] = ['sms'],
): Omit<HttpConfig, 'bodyTemplate' | 'from'> {
  return {
    type: 'http',
    id,
    url: `${url.replace(/\/$/, '')}/messages`,
    method: 'POST',
    contentType: 'application/json',
    // The attempt key as the vendor's idempotency key: a repeated attempt is not sent twice.
    headers: { 'Idempotency-Key': '{{attemptKey}}' },
    messageIdPath: '/id',
    errorCodePath: '/error/code',
    errorTextPath: '/error/message',
    errorOutcomes: { NOT_MOBILE: 'not_mobile' },
    channels: [...channels],
    receipts: {
      secret: receiptSecret,
      signatureHeader: 'x-signature',
      signaturePrefix: 'sha256=',
      signatureEncoding: 'hex',
      toleranceSeconds: 300,
      messageIdPath: '/id',
      statusPath: '/status',
      codePath: '/code',
      textPath: '/text',
      timestampPath: '/timestamp',
      statusMap: {},
    },
  }
}

export async function startCarrierService(opts: CarrierServiceOptions): Promise<CarrierService> {
  if (opts.receiptSecret.length < 16) throw new Error('The receipt secret must have 16 characters or more.')
  const clock = opts.clock ?? systemClock
  const doFetch = opts.fetch ?? globalFetch
  const dedup = opts.dedup ?? true
  const maxAge = opts.receiptMaxAgeMs ?? 600_000
  const inbox = new PhoneInbox(opts.inboxSize ?? 100_000)
  const counts = {
    submits: 0,
    duplicates: 0,
    refused: 0,
    delivered: 0,
    receiptsSent: 0,
    receiptFailures: 0,
    receiptsDropped: 0,
  }
  /** Attempt key → the first answer (a promise, so a repeat arriving mid-submit waits for it). */
  const answers = new Map<string, Promise<SendResult>>()
  const pending: PendingReceipt[] = []
  const timers = new Set<NodeJS.Timeout>()
  let inFlight = 0
  let closed = false

  const post = (report: DeliveryReport) => {
    if (report.outcome === 'delivered') counts.delivered++
    pending.push({
      body: JSON.stringify({
        id: report.providerMessageId,
        // The simulator's status words are verigate's outcome names, so no status map is needed.
        status: report.outcome,
        code: report.rawCode ?? null,
        text: report.rawText ?? null,
        timestamp: report.at,
      }),
      firstAt: clock.now(),
      tries: 0,
    })
    pump()
  }

  const carrier = carrierSimulator(
    { id: 'carrier', deliveryDelayMs: opts.deliveryDelayMs, longDelayMs: opts.longDelayMs },
    { fetch: doFetch, clock, inbox, onReceipt: post },
  )

  /** Sends queued receipts, a few at a time; each goes to the first URL that takes it. */
  function pump(): void {
    while (!closed && inFlight < RECEIPT_CONCURRENCY && pending.length > 0) {
      const receipt = pending.shift()!
      inFlight++
      deliverReceipt(receipt)
        .then((ok) => {
          if (ok) counts.receiptsSent++
          else retryLater(receipt)
        })
        .finally(() => {
          inFlight--
          pump()
        })
    }
  }

  async function deliverReceipt(receipt: PendingReceipt): Promise<boolean> {
    const signature = createHmac('sha256', opts.receiptSecret).update(receipt.body, 'utf8').digest('hex')
    // Start at a different URL each try, so the receipts of a dead API's share move to the others.
    const urls = opts.receiptUrls
    for (let i = 0; i < urls.length; i++) {
      const url = urls[(receipt.tries + i) % urls.length]!
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-signature': `sha256=${signature}` },
          body: receipt.body,
          signal: AbortSignal.timeout(5_000),
        })
        await res.arrayBuffer().catch(() => undefined)
        if (res.ok) return true
      } catch {
        // unreachable or too slow: the next URL
      }
      counts.receiptFailures++
    }
    return false
  }

  function retryLater(receipt: PendingReceipt): void {
    if (clock.now() - receipt.firstAt > maxAge) {
      counts.receiptsDropped++
      return
    }
    const delay = RECEIPT_RETRY_MS[Math.min(receipt.tries, RECEIPT_RETRY_MS.length - 1)]!
    receipt.tries++
    const t = setTimeout(() => {
      timers.delete(t)
      pending.push(receipt)
      pump()
    }, delay)
    t.unref()
    timers.add(t)
  }

  async function submit(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw) as Record<string, unknown>
    } catch {
      return reply(res, 400, { error: { code: 'BAD_JSON', message: 'The body is not JSON.' } })
    }
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined)
    const to = str('to')
    const text = str('body')
    const channel = str('channel') ?? 'sms'
    if (!to || text === undefined || !(CHANNELS as readonly string[]).includes(channel))
      return reply(res, 400, {
        error: { code: 'MISSING_PARAMS', message: 'to, body and channel are required.' },
      })
    const header = req.headers['idempotency-key']
    const key = (typeof header === 'string' && header) || str('reference') || undefined
    counts.submits++
    const seen = dedup && key !== undefined ? answers.get(key) : undefined
    if (seen) {
      counts.duplicates++
      const first = await seen.catch(() => undefined)
      // The first try was refused: this one is a new try, not a repeat.
      if (first) return reply(res, 200, { id: first.providerMessageId, status: 'accepted', duplicate: true })
    }
    const sending = carrier.send(
      {
        id: str('id') ?? key ?? '',
        attemptKey: key ?? '',
        channel: channel as Channel,
        to,
        from: str('from') || undefined,
        body: text,
        subject: str('subject'),
        locale: 'en',
      },
      { signal: AbortSignal.timeout(5_000) },
    )
    if (dedup && key !== undefined) {
      answers.set(key, sending)
      if (answers.size > DEDUP_CAPACITY) answers.delete(answers.keys().next().value!)
    }
    try {
      const result = await sending
      if (opts.answerDelayMs) await new Promise((r) => setTimeout(r, opts.answerDelayMs))
      reply(res, 200, { id: result.providerMessageId, status: 'accepted' })
    } catch (err) {
      if (key !== undefined) answers.delete(key)
      counts.refused++
      const pe = err instanceof ProviderError ? err : undefined
      reply(
        res,
        pe?.httpStatus ?? 500,
        { error: { code: pe?.rawCode ?? 'INTERNAL', message: pe?.rawText ?? String(err) } },
        pe?.httpStatus === 429 ? { 'retry-after': '1' } : {},
      )
    }
  }

  const server = createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      raw += chunk
    })
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://simulator')
      const route = `${req.method} ${url.pathname}`
      if (route === 'POST /messages') {
        submit(req, raw, res).catch((err: unknown) =>
          reply(res, 500, { error: { code: 'INTERNAL', message: String(err) } }),
        )
      } else if (route === 'GET /messages') {
        const to = url.searchParams.get('to') ?? undefined
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, 1_000_000)
        reply(res, 200, { messages: inbox.list({ to, limit }) })
      } else if (route === 'GET /stats') {
        reply(res, 200, stats())
      } else if (route === 'GET /healthz') {
        reply(res, 200, { status: 'ok' })
      } else {
        reply(res, 404, { error: { code: 'NOT_FOUND', message: `No route ${route}.` } })
      }
    })
  })
  // Keep-alive sockets from workers stay open between submits.
  server.keepAliveTimeout = 30_000

  const stats = (): CarrierServiceStats => ({ ...counts, receiptsPending: pending.length + inFlight })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 8090, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const host = opts.host ?? '127.0.0.1'
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    inbox,
    stats,
    async close() {
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      await carrier.close?.()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}
