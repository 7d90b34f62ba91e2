/**
 * The official `twilio` SDK pointed at a running test app, as docs/twilio-compat.md tells apps to do:
 * the SDK's own `RequestClient` with only the origin of each URL rewritten, so encoding, auth and
 * error handling are the SDK's.
 */
import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import { expect } from 'vitest'
import { parseToken } from '../../src/auth/api-key.js'
import { twilioAccountSid, twilioApiKeySid } from '../../src/twilio-compat/sids.js'
import { buildTestApp, eventually } from './test-deps.js'

/** What an app adds: the SDK's own client, with only the origin of each URL rewritten. */
export class VerigateRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super()
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: opts.uri.replace(/^https:\/\/verify\.twilio\.com/, this.origin) })
  }
}

export type TwilioRestException = InstanceType<typeof twilio.RestException>

/** A Twilio sid with this prefix: 2 letters and 32 hex digits. */
export const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`)

/** The Twilio error an SDK call rejected with (failing the test if it resolved). */
export async function restError(promise: Promise<unknown>): Promise<TwilioRestException> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(twilio.RestException)
  return err as TwilioRestException
}

export type SdkTestApp = Awaited<ReturnType<typeof startSdkTestApp>>

/** A test app listening on a real port, with SDK clients for its admin and verify keys. */
export async function startSdkTestApp(opts: Parameters<typeof buildTestApp>[0] = {}) {
  const t = await buildTestApp(opts)
  t.deps.dispatcher.start()
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  const origin = `http://127.0.0.1:${address.port}`

  const sdkFor = (key: string, o: { apiKeySid?: boolean } = {}) => {
    const keyId = parseToken(key)!.id
    const httpClient = new VerigateRequestClient(origin)
    return o.apiKeySid
      ? twilio(twilioApiKeySid(keyId), key, { accountSid: twilioAccountSid(keyId), httpClient })
      : twilio(twilioAccountSid(keyId), key, { httpClient })
  }

  /** A raw form request with a key's Basic credentials (for what the SDK cannot send). */
  const form = async (key: string, method: string, path: string, params?: Record<string, string>) => {
    const keyId = parseToken(key)!.id
    const auth = Buffer.from(`${twilioAccountSid(keyId)}:${key}`).toString('base64')
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: {
        authorization: `Basic ${auth}`,
        ...(params ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: params ? new URLSearchParams(params).toString() : undefined,
    })
    const text = await res.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {}
    return { status: res.status, body: body as Record<string, unknown> }
  }

  /** The messages the simulator received for `to`, newest first. */
  const inbox = (to: string) => t.deps.simulator!.inbox.list({ to })

  /** The code in the newest simulator message to `to` (call messages speak it digit by digit). */
  const codeFor = async (to: string, after = 0) =>
    eventually(() => {
      const messages = inbox(to)
      if (messages.length <= after) return undefined
      const body = messages[0]!.body
      return (body.match(/\b(\d{4,10})\b/)?.[1] ?? body.match(/\b(\d(?: \d){3,9})\b/)?.[1])?.replaceAll(
        ' ',
        '',
      )
    })

  return {
    t,
    origin,
    sdkFor,
    form,
    inbox,
    codeFor,
    admin: sdkFor(t.adminKey),
    client: sdkFor(t.verifyKey),
    close: () => t.close(),
  }
}
