/**
 * @module A typed client for verigate's native API: openapi-fetch over the types generated from
 * /openapi.json (schema.ts), with
 * - errors as a typed `VerigateError` (the envelope's `code`, `message`, `request_id`),
 * - retries of 429 and 503 answers after their `Retry-After` (bounded), and
 * - an `Idempotency-Key` on every start, kept across its retries, so a retried start never
 *   sends a second code.
 *
 * ```ts
 * const verigate = createVerigateClient({ baseUrl: 'https://verify.example.com', apiKey: process.env.VERIGATE_API_KEY! })
 * const v = await verigate.startVerification({ service_id: 'svc_...', to: '+447700900123', channel: 'sms' })
 * const checked = await verigate.checkVerification(v.id, { code: '123456' })
 * ```
 */
import createClient, { type Client } from 'openapi-fetch'
import type { components, paths } from './schema.js'

export type { components, paths } from './schema.js'

/** The error envelope every verigate error answers with (its `code` is one of the documented codes). */
export type ErrorEnvelope = components['schemas']['ErrorEnvelope']
/** An error code the API documents (docs/errors.md). */
export type ErrorCode = ErrorEnvelope['error']['code']
/** A verification as the API answers it; `messages` when fetched by id. */
export type Verification = components['schemas']['Verification']
/** A service (one app's verification settings). */
export type Service = components['schemas']['Service']
/** A TOTP factor (never its secret). */
export type Factor = components['schemas']['Factor']
/** A service's webhook endpoint (`secret` only when created or rotated). */
export type WebhookEndpoint = components['schemas']['WebhookEndpoint']

/** A verigate error answer: program against `code`, show `message`. */
export class VerigateError extends Error {
  override readonly name = 'VerigateError'
  /** A documented code, or `HTTP_ERROR` when the answer was not the envelope (a proxy's page). */
  readonly code: ErrorCode | 'HTTP_ERROR'
  readonly requestId: string | undefined
  /** The envelope's other fields (`details`, `retry_after`, `attempts_left`...). */
  readonly details: Record<string, unknown>

  constructor(
    readonly status: number,
    envelope: ErrorEnvelope | undefined,
  ) {
    super(envelope?.error.message ?? `verigate answered HTTP ${status}`)
    const { code, message: _m, request_id, ...rest } = envelope?.error ?? {
      code: 'HTTP_ERROR' as const,
      message: '',
    }
    this.code = code
    this.requestId = request_id
    this.details = rest
  }
}

export interface VerigateClientOptions {
  /** The server's origin, e.g. `https://verify.example.com`. */
  readonly baseUrl: string
  /** A verigate API key (`vgk_...`). */
  readonly apiKey: string
  /** Retries of a 429 or 503 answer. @default 2 */
  readonly retries?: number
  /** The longest `Retry-After` waited for, in seconds; a longer one is answered as the error. @default 30 */
  readonly maxRetryAfterSeconds?: number
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch
  /** @default setTimeout-based sleep (tests pass their own) */
  readonly sleep?: (ms: number) => Promise<void>
}

const RETRIED = new Set([429, 503])

/** Seconds to wait from a Retry-After (seconds or an HTTP date); 1 when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number {
  if (!value) return 1
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const at = Date.parse(value)
  return Number.isNaN(at) ? 1 : Math.max(0, Math.ceil((at - now) / 1000))
}

function retryingFetch(opts: VerigateClientOptions): typeof fetch {
  const base = opts.fetch ?? globalThis.fetch
  const retries = opts.retries ?? 2
  const maxWait = opts.maxRetryAfterSeconds ?? 30
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  return async (input, init) => {
    const request = new Request(input, init)
    // A start always carries an idempotency key, the same on each retry.
    if (
      request.method === 'POST' &&
      new URL(request.url).pathname === '/v1/verifications' &&
      !request.headers.has('idempotency-key')
    )
      request.headers.set('idempotency-key', crypto.randomUUID())
    for (let attempt = 0; ; attempt++) {
      const res = await base(request.clone())
      if (!RETRIED.has(res.status) || attempt >= retries) return res
      const wait = retryAfterSeconds(res.headers.get('retry-after'))
      if (wait > maxWait) return res
      await res.body?.cancel()
      await sleep(wait * 1000)
    }
  }
}

type Body<P extends keyof paths, M extends 'post'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never

/** Creates a client. `raw` is the openapi-fetch client for every endpoint of the API. */
export function createVerigateClient(opts: VerigateClientOptions) {
  const raw: Client<paths> = createClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/$/, ''),
    headers: { authorization: `Bearer ${opts.apiKey}` },
    fetch: retryingFetch(opts),
  })
  /** The data of an answer, or its error thrown as a VerigateError. */
  /** The data of an answer (typed by the OpenAPI document's response schema), or the error thrown. */
  const unwrap = <D>(r: { data?: D; error?: unknown; response: Response }): D => {
    if (r.error !== undefined || !r.response.ok)
      throw new VerigateError(r.response.status, r.error as ErrorEnvelope | undefined)
    return r.data as D
  }
  return {
    raw,
    /** Starts a verification (with an idempotency key, generated unless given). @throws VerigateError */
    async startVerification(
      body: Body<'/v1/verifications', 'post'>,
      init: { idempotencyKey?: string } = {},
    ): Promise<Verification> {
      return unwrap(
        await raw.POST('/v1/verifications', {
          body,
          ...(init.idempotencyKey ? { headers: { 'idempotency-key': init.idempotencyKey } } : {}),
        }),
      )
    },
    /** Checks a code. @throws VerigateError (`CODE_INCORRECT` with `attempts_left`, ...) */
    async checkVerification(id: string, body: Body<'/v1/verifications/{id}/check', 'post'>): Promise<Verification> {
      return unwrap(await raw.POST('/v1/verifications/{id}/check', { params: { path: { id } }, body }))
    },
    /** A verification with its messages and timeline. @throws VerigateError */
    async getVerification(id: string): Promise<Verification> {
      return unwrap(await raw.GET('/v1/verifications/{id}', { params: { path: { id } } }))
    },
  }
}

export type VerigateClient = ReturnType<typeof createVerigateClient>
