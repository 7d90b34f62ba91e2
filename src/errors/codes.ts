/**
 * @module The one catalog of error codes. A code's HTTP status is decided here and nowhere else.
 * Codes are public API: never rename or remove one once released (docs/errors.md lists them all,
 * and `test/errors-doc.test.ts` keeps that page and this table in sync).
 */

export interface ErrorCodeSpec {
  readonly status: number
  readonly title: string
}

export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'The request body, query or path is invalid.' },
  BODY_MALFORMED: { status: 400, title: 'The request body is not valid JSON or form data.' },
  BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request Content-Type is not supported.' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No endpoint exists at this method and path.' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'This endpoint does not accept that method.' },
  UNAUTHORIZED: { status: 401, title: 'The API key is missing, malformed, unknown or revoked.' },
  FORBIDDEN: { status: 403, title: 'The API key lacks the scope this endpoint needs.' },
  API_KEY_SERVICE_SCOPED: {
    status: 403,
    title: 'This endpoint administers the whole installation; a key limited to services cannot use it.',
  },
  PHONE_NUMBER_INVALID: { status: 400, title: 'The phone number cannot be used as written.' },
  PHONE_NUMBER_NOT_SMS_CAPABLE: {
    status: 422,
    title: 'The number cannot receive SMS (for example a fixed line).',
  },
  LINE_TYPE_NOT_ALLOWED: {
    status: 422,
    title:
      "The carrier lookup says the number's line type is one the service does not text (non-fixed VoIP).",
  },
  SIM_SWAP_FACTOR_REQUIRED: {
    status: 403,
    title: "The number's SIM was swapped recently; the service requires another factor instead of a code.",
  },
  EMAIL_INVALID: { status: 400, title: 'The email address is not valid.' },
  COUNTRY_NOT_ALLOWED: { status: 403, title: 'Sending to this country is not enabled.' },
  FRAUD_SUSPECTED: { status: 403, title: 'The request looks like SMS pumping and was blocked.' },
  FRAUD_BLOCK_NOT_FOUND: { status: 404, title: 'There is no live fraud block on this key.' },
  FRAUD_SETTINGS_INVALID: {
    status: 422,
    title: "A service's fraud-guard settings (mode, per-country daily caps) are not ones the guard can use.",
  },
  CHANNEL_NOT_ALLOWED: { status: 422, title: 'The service does not allow this channel.' },
  CHANNEL_UNAVAILABLE: { status: 422, title: 'No provider is configured for this channel.' },
  SERVICE_NOT_FOUND: { status: 404, title: 'No service with this id.' },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'The service has no webhook endpoint.' },
  WEBHOOK_URL_NOT_PUBLIC: {
    status: 422,
    title: 'The webhook URL points at a loopback, private or link-local address.',
  },
  VERIFICATION_NOT_FOUND: {
    status: 404,
    title: 'No verification with this id, or none pending for this destination.',
  },
  VERIFICATION_PENDING_ELSEWHERE: {
    status: 409,
    title: 'The destination already has a pending verification that this client session may not join.',
  },
  VERIFICATION_NOT_PENDING: {
    status: 409,
    title: 'The verification is already approved, canceled, expired or failed.',
  },
  VERIFICATION_EXPIRED: { status: 410, title: 'The code has expired; start a new verification.' },
  CODE_INCORRECT: { status: 422, title: 'The code does not match.' },
  CODE_MALFORMED: { status: 400, title: 'The code is not the right length or contains non-digits.' },
  MAX_CHECK_ATTEMPTS_REACHED: {
    status: 429,
    title: 'Too many wrong codes for this verification; start a new one.',
  },
  MAX_SENDS_REACHED: { status: 429, title: 'This verification has been sent the maximum number of times.' },
  RATE_LIMITED: { status: 429, title: 'A rate limit was hit; retry after the given number of seconds.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'The Idempotency-Key was already used with a different request.',
  },
  IDEMPOTENCY_KEY_INVALID: { status: 400, title: 'The Idempotency-Key header is empty or too long.' },
  API_KEY_NOT_FOUND: { status: 404, title: 'No API key with this id.' },
  FACTOR_NOT_FOUND: { status: 404, title: 'No factor with this id for this service and entity.' },
  FACTOR_NOT_VERIFIED: { status: 409, title: 'The factor has not been verified yet; verify it first.' },
  FACTOR_ALREADY_VERIFIED: { status: 409, title: 'The factor is verified; its secret is no longer shown.' },
  FACTOR_CODE_INCORRECT: { status: 422, title: 'The authenticator code does not match.' },
  FACTOR_CODE_REUSED: {
    status: 422,
    title: 'This authenticator code was already used; wait for the next one.',
  },
  FACTOR_LOCKED: { status: 429, title: 'Too many wrong codes in a row; the factor is locked for a while.' },
  RECOVERY_CODE_INCORRECT: {
    status: 422,
    title: 'The recovery code does not match an unused recovery code.',
  },
  RECOVERY_NOT_FOUND: { status: 404, title: 'No account recovery case with this id.' },
  RECOVERY_NOT_PENDING: {
    status: 409,
    title: 'The account recovery case is not in a state that allows this step.',
  },
  RECOVERY_COOLING_OFF: {
    status: 409,
    title: 'The account recovery is still cooling off; retry after the given number of seconds.',
  },
  PASSKEY_NOT_FOUND: {
    status: 404,
    title: 'No passkey with this credential id for this service and entity.',
  },
  PASSKEY_ALREADY_REGISTERED: { status: 409, title: 'This passkey (credential id) is already registered.' },
  PASSKEY_CHALLENGE_NOT_FOUND: {
    status: 404,
    title: 'The passkey response answers no pending challenge; it was never issued here or was already used.',
  },
  PASSKEY_CHALLENGE_EXPIRED: {
    status: 410,
    title: 'The passkey challenge has expired; ask for new options.',
  },
  PASSKEY_VERIFICATION_FAILED: { status: 422, title: 'The passkey response could not be verified.' },
  PASSKEY_COUNTER_INVALID: {
    status: 422,
    title: 'The authenticator signature counter went backwards; the passkey may be cloned.',
  },
  CLIENT_TOKEN_INVALID: { status: 401, title: 'The client token is missing, malformed or unknown.' },
  CLIENT_TOKEN_EXPIRED: { status: 401, title: 'The client token has expired; the app must mint a new one.' },
  RETURN_URL_NOT_ALLOWED: {
    status: 400,
    title: "The return_url is not on one of the service's allowed origins.",
  },
  CLIENT_SESSION_NOT_FOUND: { status: 404, title: 'No client session with this id.' },
  ENROLMENT_NOT_ALLOWED: { status: 403, title: 'This client token may not enrol new factors.' },
  ENTITY_REQUIRED: {
    status: 409,
    title: 'The client session names no entity, so it has no authenticator factors.',
  },
  CONSOLE_LOGIN_FAILED: {
    status: 401,
    title:
      'The console sign-in was refused: wrong email or password, a disabled account, or an API key without the admin scope.',
  },
  CONSOLE_LOGIN_THROTTLED: {
    status: 429,
    title: 'Too many failed console sign-ins; retry after the given number of seconds.',
  },
  CONSOLE_SESSION_INVALID: {
    status: 401,
    title: 'No console session, or it has expired or been signed out.',
  },
  CONSOLE_ROLE_FORBIDDEN: {
    status: 403,
    title: 'The console role of this staff member does not allow this action.',
  },
  CSRF_TOKEN_INVALID: {
    status: 403,
    title: "The form's CSRF token is missing or does not match this session.",
  },
  CSRF_ORIGIN_INVALID: {
    status: 403,
    title: 'The request did not come from a page of this server (Origin or Referer mismatch).',
  },
  STAFF_NOT_FOUND: { status: 404, title: 'No staff member with this id or email.' },
  STAFF_EMAIL_TAKEN: { status: 409, title: 'A staff member with this email already exists.' },
  SIMULATOR_DISABLED: { status: 404, title: 'The carrier simulator is not enabled on this server.' },
  PROVIDER_UNAVAILABLE: { status: 503, title: 'No provider could accept the message right now.' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The server is shutting down or a dependency is down.' },
  SERVER_OVERLOADED: { status: 503, title: 'The server is overloaded; retry after Retry-After seconds.' },
  INTERNAL: { status: 500, title: 'An unexpected error; it has been logged with the request id.' },
} as const satisfies Record<string, ErrorCodeSpec>

export type ErrorCode = keyof typeof ERROR_CODES

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES).sort() as ErrorCode[]

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value)
}
