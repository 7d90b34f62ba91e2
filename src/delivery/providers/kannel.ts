/**
 * @module Kannel provider: sends through smsbox's `/cgi-bin/sendsms` and takes Kannel's delivery
 * reports on verigate's receipt endpoint. Kannel's reply carries no message id, so the outbox message
 * id travels in the `dlr-url` together with an HMAC token that authenticates the callback; the SMSC's
 * own receipt text (`%A`: `id:... stat:... err:...`) says why a message failed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { encodingFor, segmentCount } from '../gsm7.js'
import type { DeliveryOutcome } from '../outcome.js'
import type { KannelConfig } from './kannel-config.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, providerRequest } from './provider-http.js'
import { smppStatusHex, smppStatusOutcome } from './smpp-command-status.js'
import { parseSmppReceiptText, smppReceiptOutcome } from './smpp-receipt.js'

/** Kannel DLR values (`%d`, gw/dlr.h). */
export const KANNEL_DLR = {
  delivered: 1,
  failed: 2,
  buffered: 4,
  smscAccepted: 8,
  smscRejected: 16,
  intermediate: 32,
} as const

/**
 * The escape codes Kannel fills in when it calls the dlr-url: DLR value, the SMSC's answer (the raw
 * receipt or the NACK), Unix time, the handset, our sender, SMSC id and the SMSC's message id.
 * In a DLR, Kannel 1.4.5 puts the handset in `%p` and our sender in `%P` (the reverse of the
 * user guide's "sender"/"receiver" wording; seen in the integration test).
 */
const DLR_ESCAPES = 'status=%d&answer=%A&ts=%T&to=%p&from=%P&smscid=%i&fid=%F'

/** Builds the Kannel provider. Sends go over HTTP through `deps.fetch`; receipts come back over HTTP too. */
export function kannel(config: KannelConfig, deps: ProviderDeps) {
  const receiptUrl = `${config.receiptBaseUrl.replace(/\/+$/, '')}/v1/receipts/${config.id}`
  const tokenFor = (mid: string) =>
    createHmac('sha256', config.receiptSecret).update(`${config.id}:${mid}`).digest('base64url')

  /** Our id and its token are URL-safe, so nothing in them can be mistaken for a Kannel escape. */
  const dlrUrl = (mid: string) =>
    `${receiptUrl}?mid=${encodeURIComponent(mid)}&token=${tokenFor(mid)}&${DLR_ESCAPES}`

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'kannel', channels: config.channels } as const

  return {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      if (!/^\+\d{6,15}$/.test(msg.to))
        throw final('invalid_number', `Destination is not an E.164 number: ${msg.to}`)
      if (!/^[A-Za-z0-9_-]+$/.test(msg.id))
        throw final('provider_error', `Message id "${msg.id}" cannot travel in a dlr-url`)
      const ucs2 = encodingFor(msg.body) === 'ucs2'
      const params: Record<string, string> = {
        username: config.username,
        password: config.password,
        from: msg.from ?? config.from,
        // With the `+`, Kannel's SMPP link sends TON 1 (international) and the digits.
        to: msg.to,
        text: msg.body,
        // The text is always UTF-8 here; Kannel converts it to GSM-7 (coding 0) or UCS-2 (coding 2).
        charset: 'UTF-8',
        coding: ucs2 ? '2' : '0',
        'dlr-mask': String(config.dlrMask),
        'dlr-url': dlrUrl(msg.id),
      }
      if (config.smsc) params.smsc = config.smsc
      if (config.validityMinutes !== undefined) params.validity = String(config.validityMinutes)

      const res =
        config.method === 'GET'
          ? await providerRequest(deps.fetch, {
              method: 'GET',
              url: `${config.sendsmsUrl}?${new URLSearchParams(params).toString()}`,
              signal: opts.signal,
            })
          : await providerRequest(deps.fetch, {
              method: 'POST',
              url: config.sendsmsUrl,
              ...postForm(params),
              signal: opts.signal,
            })
      const text = res.text.trim()
      if (res.status < 200 || res.status >= 300)
        throw errorForStatus(res, String(res.status), text || undefined)
      // `0: Accepted for delivery` or `3: Queued for later delivery` (the SMSC link is down; Kannel
      // holds it in its store and sends when the link is back).
      return {
        providerMessageId: msg.id,
        rawStatus: text.startsWith('3:') ? 'queued' : 'accepted',
        segments: segmentCount(msg.body),
      }
    },

    receipts: {
      verify(req: InboundRequest): boolean {
        const mid = req.query.mid
        const token = req.query.token
        if (!mid || !token) return false
        const expected = Buffer.from(tokenFor(mid))
        const got = Buffer.from(token)
        return got.length === expected.length && timingSafeEqual(got, expected)
      },

      parse(req: InboundRequest): DeliveryReport[] {
        const mid = req.query.mid
        const status = Number(req.query.status)
        if (!mid || !Number.isInteger(status)) return []
        const read = readDlr(status, req.query.answer ?? '')
        if (!read) return []
        const ts = Number(req.query.ts)
        return [
          {
            providerId: config.id,
            providerMessageId: mid,
            ...read,
            at: Number.isFinite(ts) && ts > 0 ? ts * 1000 : deps.clock.now(),
          },
        ]
      },
    },
  } satisfies MessageProvider
}

/** The provider `kannel()` builds. */
export type KannelProvider = ReturnType<typeof kannel>

type DlrReading = Pick<DeliveryReport, 'outcome' | 'rawStatus' | 'rawCode' | 'rawText'>

/**
 * One Kannel DLR as an outcome. 1 and 2 carry the SMSC's receipt text in `answer`, whose `stat`/`err`
 * give the reason; 16 carries `NACK/0x0000000b/Invalid Destination Address` (the submit_sm_resp
 * status) or `NACK/Retries Exceeded` (Kannel gave up resending, e.g. after throttling).
 */
export function readDlr(status: number, answer: string): DlrReading | undefined {
  const rawText = answer || undefined
  const receipt = parseSmppReceiptText(answer)
  switch (status) {
    case KANNEL_DLR.delivered:
      return { outcome: 'delivered', rawStatus: receipt.stat ?? 'DELIVRD', rawCode: receipt.err, rawText }
    case KANNEL_DLR.failed: {
      let outcome: DeliveryOutcome = smppReceiptOutcome(receipt.stat, receipt.err)
      // Kannel said failed; a contradicting stat word does not make it delivered.
      if (outcome === 'delivered' || outcome === 'pending') outcome = 'unknown'
      return { outcome, rawStatus: receipt.stat ?? 'FAILED', rawCode: receipt.err, rawText }
    }
    case KANNEL_DLR.buffered:
    case KANNEL_DLR.intermediate:
      return { outcome: 'pending', rawStatus: receipt.stat ?? 'BUFFERED', rawCode: receipt.err, rawText }
    case KANNEL_DLR.smscAccepted:
      return { outcome: 'pending', rawStatus: 'ACK', rawText }
    case KANNEL_DLR.smscRejected: {
      const nack = /^NACK\/(0x[0-9a-f]+)/i.exec(answer)
      if (nack?.[1]) {
        const code = Number.parseInt(nack[1], 16)
        return {
          outcome: smppStatusOutcome(code).outcome,
          rawStatus: 'NACK',
          rawCode: smppStatusHex(code),
          rawText,
        }
      }
      return { outcome: 'provider_error', rawStatus: 'NACK', rawText }
    }
    default:
      return undefined
  }
}

/**
 * smsbox's POST form (smsbox.c `smsbox_sendsms_post`): the text is the body, its charset in the
 * content type, every other parameter an `X-Kannel-*` header. smsbox 1.4.5 answers a form-encoded
 * body with 400 "Invalid content-type" (seen in the integration test).
 */
function postForm(params: Record<string, string>): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    'content-type': `text/plain; charset=${params.charset ?? 'UTF-8'}`,
  }
  for (const [name, value] of Object.entries(params)) {
    const header = POST_HEADERS[name]
    if (header) headers[header] = value
  }
  return { headers, body: params.text ?? '' }
}

const POST_HEADERS: Readonly<Record<string, string>> = {
  username: 'X-Kannel-Username',
  password: 'X-Kannel-Password',
  from: 'X-Kannel-From',
  to: 'X-Kannel-To',
  coding: 'X-Kannel-Coding',
  'dlr-mask': 'X-Kannel-DLR-Mask',
  'dlr-url': 'X-Kannel-DLR-URL',
  smsc: 'X-Kannel-SMSC',
  validity: 'X-Kannel-Validity',
}

function final(outcome: DeliveryOutcome, message: string): ProviderError {
  return new ProviderError({ message, retryable: false, outcome, rawText: message })
}
