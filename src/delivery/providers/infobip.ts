/**
 * @module Infobip SMS adapter: `POST /sms/2/text/advanced` with `Authorization: App <key>`, and the
 * JSON delivery reports Infobip pushes to `notifyUrl`, authenticated by a secret token in that URL
 * (Infobip signs nothing; providers.md §4.3).
 */
import {
  INFOBIP_STATUS_GROUPS,
  type InfobipError,
  type InfobipStatus,
  infobipRejection,
  infobipReportOutcome,
} from './infobip-codes.js'
import type { InfobipConfig } from './infobip-config.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, providerRequest, sameSecret } from './provider-http.js'

interface InfobipSubmitResponse {
  readonly bulkId?: string
  readonly messages?: ReadonlyArray<{
    readonly to?: string
    readonly messageId?: string
    readonly status?: InfobipStatus
  }>
}

interface InfobipReportBody {
  readonly results?: ReadonlyArray<{
    readonly messageId?: string
    readonly to?: string
    readonly doneAt?: string
    readonly sentAt?: string
    readonly smsCount?: number
    readonly status?: InfobipStatus
    readonly error?: InfobipError
    readonly callbackData?: string
  }>
}

interface InfobipErrorBody {
  readonly requestError?: {
    readonly serviceException?: { readonly messageId?: string; readonly text?: string }
  }
}

/**
 * Builds the Infobip adapter.
 *
 * - `send` throws `ProviderError`: HTTP 429 / 5xx / timeouts are retryable; 401/403 are not; a 200 whose
 *   message status is in the REJECTED group is mapped by status id (DND → `opted_out`, bad prefix →
 *   `invalid_number`, ...). `msg.attemptKey` travels as `callbackData` and comes back in reports.
 * - `receipts` verifies the shared-secret token in the query string (Infobip signs nothing) and maps each
 *   result: PENDING and DELIVERED_TO_OPERATOR are `pending`, DELIVERED_TO_HANDSET is `delivered`, other
 *   groups go by error id.
 */
export function infobip(config: InfobipConfig, deps: ProviderDeps) {
  const base = config.baseUrl.replace(/\/+$/, '')
  const notifyUrl = buildNotifyUrl(config)

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'infobip', channels: config.channels } as const

  return {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const message: Record<string, unknown> = {
        from: msg.from ?? config.from,
        // Infobip takes international digits without the leading `+`.
        destinations: [{ to: msg.to.replace(/^\+/, '') }],
        text: msg.body,
        callbackData: msg.attemptKey,
      }
      if (notifyUrl) {
        message.notifyUrl = notifyUrl
        message.notifyContentType = 'application/json'
      }
      if (config.validityPeriodMinutes !== undefined) message.validityPeriod = config.validityPeriodMinutes

      const res = await providerRequest(deps.fetch, {
        url: `${base}/sms/2/text/advanced`,
        headers: { authorization: `App ${config.apiKey}` },
        body: { messages: [message] },
        signal: opts.signal,
      })
      if (res.status < 200 || res.status >= 300) {
        const ex = (res.json as InfobipErrorBody | undefined)?.requestError?.serviceException
        throw errorForStatus(res, ex?.messageId, ex?.text ?? (res.text || undefined))
      }

      const first = (res.json as InfobipSubmitResponse | undefined)?.messages?.[0]
      const status = first?.status
      if (status?.groupId === INFOBIP_STATUS_GROUPS.REJECTED) {
        const mapped = infobipRejection(status)
        throw new ProviderError({
          message: status.description ?? `Infobip rejected the message (${status.name ?? status.id})`,
          retryable: mapped.retryable,
          outcome: mapped.outcome,
          rawCode: status.name ?? String(status.id),
          rawText: status.description,
          httpStatus: res.status,
        })
      }
      if (!first?.messageId) {
        // Accepted but unreadable: not retryable, because the message may well be on its way.
        throw new ProviderError({
          message: 'Infobip answered without a messageId',
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'BAD_RESPONSE',
          rawText: res.text.slice(0, 500),
          httpStatus: res.status,
        })
      }
      return { providerMessageId: first.messageId, rawStatus: status?.name }
    },

    receipts: {
      verify(req: InboundRequest): boolean {
        if (config.receiptSecret === undefined) return false
        const token = req.query[config.receiptSecretParam]
        return token !== undefined && sameSecret(token, config.receiptSecret)
      },

      parse(req: InboundRequest): DeliveryReport[] {
        const body = parseJson(req.rawBody) as InfobipReportBody | undefined
        const reports: DeliveryReport[] = []
        for (const r of body?.results ?? []) {
          if (!r.messageId) continue
          const error = r.error && r.error.id !== 0 ? r.error : undefined
          const detail = error ?? r.status
          reports.push({
            providerId: config.id,
            providerMessageId: r.messageId,
            outcome: infobipReportOutcome(r.status, r.error),
            rawStatus: r.status?.name,
            rawCode: error ? `${error.id}${error.name ? ` ${error.name}` : ''}` : r.status?.id?.toString(),
            rawText: detail?.description,
            at: timestamp(r.doneAt, deps.clock.now()),
          })
        }
        return reports
      },
    },
  } satisfies MessageProvider
}

function buildNotifyUrl(config: InfobipConfig): string | undefined {
  if (config.notifyUrl === undefined || config.receiptSecret === undefined) return undefined
  const url = new URL(config.notifyUrl)
  url.searchParams.set(config.receiptSecretParam, config.receiptSecret)
  return url.toString()
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Infobip timestamps look like `2019-11-09T16:00:00.000+0000`; receipt arrival time when absent or odd. */
function timestamp(value: string | undefined, fallback: number): number {
  const ms = value ? Date.parse(value) : Number.NaN
  return Number.isFinite(ms) ? ms : fallback
}
