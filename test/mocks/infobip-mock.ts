/**
 * @module A local Infobip SMS API: `POST /sms/2/text/advanced` with `Authorization: App <key>`, Infobip's
 * response and `requestError.serviceException` shapes, scriptable failures, and JSON delivery reports
 * pushed to a `notifyUrl` the way Infobip sends them.
 */
import { randomUUID } from 'node:crypto'
import { type MockAction, type RecordedRequest, sendWebhook, startMockServer } from './mock-server.js'

/** A message the mock accepted. */
export interface InfobipAccepted {
  readonly messageId: string
  readonly to: string
  readonly from: string | undefined
  readonly text: string
  readonly notifyUrl: string | undefined
  readonly callbackData: string | undefined
}

/** Failures Infobip documents: HTTP-level errors, or a 200 whose status is in the REJECTED group. */
export type InfobipFailure =
  | {
      readonly kind: 'http'
      readonly status: 400 | 401 | 403 | 429 | 500 | 503
      /** Sent as the answer's `Retry-After` header. */
      readonly retryAfter?: string
    }
  | { readonly kind: 'rejected'; readonly statusId: keyof typeof REJECTED_STATUSES }
  | { readonly kind: 'hang' }
  /** The connection is dropped without an answer. */
  | { readonly kind: 'drop' }

/** The running mock: what it received and accepted, and how to script it. */
export interface InfobipMock {
  readonly url: string
  readonly requests: RecordedRequest[]
  readonly accepted: InfobipAccepted[]
  /** Queues a failure for the next submit. */
  failNext(failure: InfobipFailure): void
  /** Pushes a delivery report for an accepted message to its `notifyUrl` (or `url`). Returns the HTTP status. */
  sendReport(
    messageId: string,
    report: { status: keyof typeof REPORT_STATUSES; errorId?: keyof typeof REPORT_ERRORS },
    url?: string,
  ): Promise<number>
  close(): Promise<void>
}

const HTTP_ERRORS = {
  400: { messageId: 'BAD_REQUEST', text: 'Bad request' },
  401: { messageId: 'UNAUTHORIZED', text: 'Invalid login details' },
  403: { messageId: 'FORBIDDEN', text: 'Forbidden' },
  429: { messageId: 'TOO_MANY_REQUESTS', text: 'Too many requests' },
  500: { messageId: 'GENERAL_ERROR', text: 'Something went wrong. Please contact support.' },
  503: { messageId: 'SERVICE_UNAVAILABLE', text: 'Service unavailable' },
} as const

const REJECTED_STATUSES = {
  6: { name: 'REJECTED_NETWORK', description: 'Network is forbidden' },
  8: { name: 'REJECTED_PREFIX_MISSING', description: 'Number prefix missing' },
  10: { name: 'REJECTED_DND', description: 'Destination on DND list' },
  12: { name: 'REJECTED_NOT_ENOUGH_CREDITS', description: 'Not enough credits' },
  20: { name: 'REJECTED_FLOODING_FILTER', description: 'Message rejected by flooding filter' },
  21: { name: 'REJECTED_SYSTEM_ERROR', description: 'System error' },
  52: { name: 'REJECTED_DESTINATION', description: 'Invalid destination address' },
} as const

const REPORT_STATUSES = {
  PENDING_ENROUTE: { groupId: 1, groupName: 'PENDING', id: 7, description: 'Message sent to next instance' },
  DELIVERED_TO_OPERATOR: {
    groupId: 3,
    groupName: 'DELIVERED',
    id: 2,
    description: 'Message delivered to operator',
  },
  DELIVERED_TO_HANDSET: {
    groupId: 3,
    groupName: 'DELIVERED',
    id: 5,
    description: 'Message delivered to handset',
  },
  UNDELIVERABLE_NOT_DELIVERED: {
    groupId: 2,
    groupName: 'UNDELIVERABLE',
    id: 9,
    description: 'Message sent not delivered',
  },
  EXPIRED_EXPIRED: { groupId: 4, groupName: 'EXPIRED', id: 15, description: 'Message expired' },
  REJECTED_DND: { groupId: 5, groupName: 'REJECTED', id: 10, description: 'Destination on DND list' },
} as const

const REPORT_ERRORS = {
  0: { groupId: 0, groupName: 'OK', name: 'NO_ERROR', description: 'No Error', permanent: false },
  1: {
    groupId: 1,
    groupName: 'HANDSET_ERRORS',
    name: 'EC_UNKNOWN_SUBSCRIBER',
    description: 'Unknown Subscriber',
    permanent: true,
  },
  6: {
    groupId: 1,
    groupName: 'HANDSET_ERRORS',
    name: 'EC_ABSENT_SUBSCRIBER_SM',
    description: 'Absent Subscriber',
    permanent: false,
  },
  11: {
    groupId: 1,
    groupName: 'HANDSET_ERRORS',
    name: 'EC_TELESERVICE_NOT_PROVISIONED',
    description: 'Teleservice not provisioned',
    permanent: true,
  },
  13: {
    groupId: 1,
    groupName: 'HANDSET_ERRORS',
    name: 'EC_CALL_BARRED',
    description: 'Call barred',
    permanent: false,
  },
  603: {
    groupId: 2,
    groupName: 'USER_ERRORS',
    name: 'EC_CONTENT_BLOCKED',
    description: 'Content blocked by user opt-out',
    permanent: true,
  },
} as const

/** Starts the mock; `apiKey` is the only key it accepts. */
export async function startInfobipMock(opts: { apiKey: string }): Promise<InfobipMock> {
  const failures: InfobipFailure[] = []
  const accepted: InfobipAccepted[] = []

  const handle = (req: RecordedRequest): MockAction => {
    if (req.method !== 'POST' || req.path !== '/sms/2/text/advanced') {
      return { status: 404, body: serviceException('NOT_FOUND', 'Resource not found') }
    }
    if (req.headers.authorization !== `App ${opts.apiKey}`) {
      return { status: 401, body: serviceException(HTTP_ERRORS[401].messageId, HTTP_ERRORS[401].text) }
    }
    const failure = failures.shift()
    if (failure?.kind === 'hang' || failure?.kind === 'drop') return failure.kind
    if (failure?.kind === 'http') {
      const e = HTTP_ERRORS[failure.status]
      const headers = failure.retryAfter === undefined ? undefined : { 'retry-after': failure.retryAfter }
      return { status: failure.status, headers, body: serviceException(e.messageId, e.text) }
    }
    let parsed: { messages?: Array<Record<string, unknown>> }
    try {
      parsed = JSON.parse(req.rawBody)
    } catch {
      return { status: 400, body: serviceException('BAD_REQUEST', 'Invalid JSON') }
    }
    const m = parsed.messages?.[0]
    const destinations = m?.destinations as Array<{ to?: string }> | undefined
    const to = destinations?.[0]?.to
    if (!m || typeof m.text !== 'string' || !to) {
      return { status: 400, body: serviceException('BAD_REQUEST', 'Bad request') }
    }
    const messageId = randomUUID().replaceAll('-', '')
    if (failure?.kind === 'rejected') {
      const s = REJECTED_STATUSES[failure.statusId]
      return {
        status: 200,
        body: {
          bulkId: `bulk-${messageId}`,
          messages: [
            { to, messageId, status: { groupId: 5, groupName: 'REJECTED', id: failure.statusId, ...s } },
          ],
        },
      }
    }
    accepted.push({
      messageId,
      to,
      from: typeof m.from === 'string' ? m.from : undefined,
      text: m.text,
      notifyUrl: typeof m.notifyUrl === 'string' ? m.notifyUrl : undefined,
      callbackData: typeof m.callbackData === 'string' ? m.callbackData : undefined,
    })
    return {
      status: 200,
      body: {
        bulkId: `bulk-${messageId}`,
        messages: [
          {
            to,
            messageId,
            status: {
              groupId: 1,
              groupName: 'PENDING',
              id: 26,
              name: 'PENDING_ACCEPTED',
              description: 'Message sent to next instance',
            },
          },
        ],
      },
    }
  }

  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    accepted,
    failNext: (f) => void failures.push(f),
    async sendReport(messageId, report, url) {
      const m = accepted.find((a) => a.messageId === messageId)
      const target = url ?? m?.notifyUrl
      if (!target) throw new Error(`no notifyUrl for ${messageId}`)
      const { groupId, groupName, id, description } = REPORT_STATUSES[report.status]
      const error = REPORT_ERRORS[report.errorId ?? 0]
      const body = JSON.stringify({
        results: [
          {
            bulkId: `bulk-${messageId}`,
            messageId,
            to: m?.to ?? '41793026727',
            sentAt: '2026-01-01T00:00:00.000+0000',
            doneAt: '2026-01-01T00:00:05.000+0000',
            smsCount: 1,
            price: { pricePerMessage: 0.01, currency: 'EUR' },
            status: { groupId, groupName, id, name: report.status, description },
            error: { id: report.errorId ?? 0, ...error },
            callbackData: m?.callbackData,
          },
        ],
      })
      return sendWebhook(target, { headers: { 'content-type': 'application/json' }, body })
    },
    close: server.close,
  }
}

function serviceException(messageId: string, text: string) {
  return { requestError: { serviceException: { messageId, text } } }
}
