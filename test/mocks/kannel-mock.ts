/**
 * @module A stand-in for Kannel's smsbox (providers.md §5): `/cgi-bin/sendsms` by GET (parameters in
 * the query) or POST (text as the body, the rest as `X-Kannel-*` headers), answering
 * `202 0: Accepted for delivery` or a scripted reply, refusing other credentials with 403 as smsbox
 * does, and calling a message's dlr-url the way Kannel does, with the escape codes filled in.
 */
import { type MockAction, type RecordedRequest, sendWebhook, startMockServer } from './mock-server.js'

/** The answer to the next sendsms request: an HTTP status and body, or no answer at all. */
export type KannelReply = { readonly status: number; readonly body: string } | 'hang' | 'drop'

/** The dlr-url escape codes Kannel fills in (`%d` DLR value, `%A` SMSC answer, `%T` time...). */
export type KannelEscape = '%d' | '%A' | '%T' | '%p' | '%P' | '%i' | '%F'

/** A running smsbox stand-in: what it received, and the levers tests pull. */
export interface KannelMock {
  /** The sendsms URL, for the adapter's `sendsmsUrl`. */
  readonly sendsmsUrl: string
  readonly requests: RecordedRequest[]
  /** The sendsms parameters of request `i`, from the query (GET) or the `X-Kannel-*` headers (POST). */
  params(i?: number): Record<string, string | undefined>
  /** The next sendsms request gets this answer instead of `202 0: Accepted for delivery`. */
  replyNext(reply: KannelReply): void
  /** Calls a dlr-url as Kannel does (GET, every escape code URL-encoded in place, absent ones empty). */
  sendReport(dlrUrl: string, fill: Partial<Record<KannelEscape, string>>): Promise<number>
  close(): Promise<void>
}

const ACCEPTED = { status: 202, body: '0: Accepted for delivery' }
const ESCAPE_RE = /%[dATpPiF]/g
const POST_PARAMS: Readonly<Record<string, string>> = {
  'x-kannel-username': 'username',
  'x-kannel-password': 'password',
  'x-kannel-from': 'from',
  'x-kannel-to': 'to',
  'x-kannel-coding': 'coding',
  'x-kannel-dlr-mask': 'dlr-mask',
  'x-kannel-dlr-url': 'dlr-url',
  'x-kannel-smsc': 'smsc',
  'x-kannel-validity': 'validity',
}

/** Starts the stand-in; with credentials, any other username or password is refused with 403. */
export async function startKannelMock(
  opts: { username?: string; password?: string } = {},
): Promise<KannelMock> {
  const replies: KannelReply[] = []

  const handle = (req: RecordedRequest): MockAction => {
    const next = replies.shift()
    if (next === 'hang' || next === 'drop') return next
    const reply = (r: { status: number; body: string }): MockAction => ({
      status: r.status,
      headers: { 'content-type': 'text/html' },
      body: r.body,
    })
    if (req.path !== '/cgi-bin/sendsms') return reply({ status: 404, body: 'Unknown service' })
    const p = paramsOf(req)
    if (
      (opts.username !== undefined && p.username !== opts.username) ||
      (opts.password !== undefined && p.password !== opts.password)
    ) {
      return reply({ status: 403, body: 'Authorization failed for sendsms' })
    }
    return reply(next ?? ACCEPTED)
  }

  const server = await startMockServer(handle)
  return {
    sendsmsUrl: `${server.url}/cgi-bin/sendsms`,
    requests: server.requests,
    params(i = -1) {
      const req = server.requests.at(i)
      if (!req) throw new Error(`no request at ${i}`)
      return paramsOf(req)
    },
    replyNext: (reply) => void replies.push(reply),
    sendReport(dlrUrl, fill) {
      // One pass, as Kannel does: a filled-in value is never read as an escape code itself.
      const url = dlrUrl.replace(ESCAPE_RE, (code) => encodeURIComponent(fill[code as KannelEscape] ?? ''))
      return sendWebhook(url, { method: 'GET' })
    },
    close: () => server.close(),
  }
}

function paramsOf(req: RecordedRequest): Record<string, string | undefined> {
  if (req.method !== 'POST') return { ...req.query }
  const out: Record<string, string | undefined> = { text: req.rawBody }
  for (const [header, name] of Object.entries(POST_PARAMS)) out[name] = req.headers[header]
  return out
}
