/**
 * @module A small real HTTP server on 127.0.0.1:0 that vendor mocks build on: it records every
 * request exactly as received (raw body included, so signatures can be checked against it) and lets
 * the mock answer, hang, or drop the connection.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the mock received it. Shaped like the adapters' `InboundRequest`, so a receiver's record can be handed to `receipts.verify` as is. */
export interface RecordedRequest {
  readonly method: string
  /** Path without the query string. */
  readonly path: string
  /** Full URL the request was sent to, query included. */
  readonly url: string
  /** Lower-cased header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly query: Readonly<Record<string, string | undefined>>
  readonly rawBody: string
}

/** What the mock answers. An object body is sent as JSON. */
export interface MockResponse {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: string | object
}

/** `'hang'` never answers (timeout tests); `'drop'` destroys the socket (network-error tests). */
export type MockAction = MockResponse | 'hang' | 'drop'

export type MockHandler = (req: RecordedRequest) => MockAction | Promise<MockAction>

export interface MockServer {
  /** Origin, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[]
  /** Stops listening and ends open connections, including hanging ones. */
  close(): Promise<void>
}

/** Starts a server on an ephemeral port; `handler` decides every answer. */
export async function startMockServer(handler: MockHandler): Promise<MockServer> {
  const requests: RecordedRequest[] = []
  let origin = ''
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const recorded = record(req, origin, Buffer.concat(chunks).toString('utf8'))
      requests.push(recorded)
      Promise.resolve()
        .then(() => handler(recorded))
        .then((action) => {
          if (action === 'hang') return
          if (action === 'drop') {
            req.socket.destroy()
            return
          }
          const isText = typeof action.body === 'string' || action.body === undefined
          const body =
            action.body === undefined
              ? ''
              : typeof action.body === 'string'
                ? action.body
                : JSON.stringify(action.body)
          const headers: Record<string, string> = isText ? {} : { 'content-type': 'application/json' }
          res.writeHead(action.status, { ...headers, ...action.headers })
          res.end(body)
        })
        .catch((err: unknown) => {
          // A bug in a mock should fail the test loudly, not look like a vendor outage.
          res.writeHead(599, { 'content-type': 'text/plain' })
          res.end(`mock handler threw: ${String(err)}`)
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A receiver for webhooks: answers 200 to everything and records what arrived. */
export function startWebhookReceiver(): Promise<MockServer> {
  return startMockServer(() => ({ status: 200, body: '' }))
}

/** The last request a server received (a receiver's last webhook, say); throws when there is none. */
export function lastRequest(server: { readonly requests: readonly RecordedRequest[] }): RecordedRequest {
  const req = server.requests.at(-1)
  if (!req) throw new Error('no request arrived')
  return req
}

/** Sends a webhook the way a vendor would (mocks call this to deliver receipts). Returns the HTTP status. */
export async function sendWebhook(
  url: string,
  req: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<number> {
  const res = await fetch(url, { method: req.method ?? 'POST', headers: req.headers, body: req.body })
  await res.arrayBuffer()
  return res.status
}

function record(req: IncomingMessage, origin: string, rawBody: string): RecordedRequest {
  const url = new URL(req.url ?? '/', origin)
  const headers: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(req.headers))
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  const query: Record<string, string | undefined> = {}
  for (const [k, v] of url.searchParams) query[k] = v
  return { method: req.method ?? 'GET', path: url.pathname, url: url.toString(), headers, query, rawBody }
}
