/**
 * @module The browser side of verigate's one error model: every non-2xx answer is
 * `{"error": {"code", "message", "request_id", ...}}` (docs/errors.md). Pages show `message` (it is
 * written for a person) and switch on `code` (it is stable).
 */

export interface ApiErrorBody {
  readonly code: string
  readonly message: string
  readonly request_id?: string
  /** Seconds until the refused action is allowed again (rate limits). */
  readonly retry_after?: number
  readonly [extra: string]: unknown
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message)
    this.name = 'ApiError'
  }
  get code(): string {
    return this.body.code
  }
}

/** JSON request to the verigate API; throws ApiError with the server's envelope on a non-2xx. */
export async function requestJson<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers)
  headers.set('accept', 'application/json')
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  let res: Response
  try {
    res = await fetch(url, { ...init, headers, body })
  } catch {
    throw new ApiError(0, {
      code: 'network_error',
      message: 'The connection failed. Check your internet connection and try again.',
    })
  }
  const text = await res.text()
  const parsed: unknown = text ? safeParse(text) : undefined
  if (!res.ok) {
    const envelope = (parsed as { error?: ApiErrorBody } | undefined)?.error
    throw new ApiError(
      res.status,
      envelope ?? { code: 'http_error', message: `The server answered ${res.status}.` },
    )
  }
  return parsed as T
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
