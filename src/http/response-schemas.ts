/**
 * @module Response schemas of the native API, for /openapi.json and the typed client generated from
 * it (clients/typescript). They describe what `representations.ts` and the routes return; they do
 * not shape it: routes that declare them use `describedResponses`, whose serializer is plain
 * `JSON.stringify`, because Fastify's schema serializer would drop every field a schema does not
 * list and coerce values to the declared types (a null turned into "" or 0) — a documentation
 * mistake must never change an answer. test/clients/typescript-client.test.ts validates real answers
 * against these schemas, so the documentation cannot drift from the answers unnoticed.
 */
import type { FastifySchema } from 'fastify'
import { CHANNELS } from '../channels/channel.js'
import { ERROR_CODES } from '../errors/codes.js'

/** A reference to a shared schema (registered with `addSchema`, a named component in OpenAPI). */
export const ref = (schema: { readonly $id: string }) => ({ $ref: `${schema.$id}#` })

const dateTime = { type: 'string', format: 'date-time' } as const
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const
const nullableString = { type: ['string', 'null'] } as const
const anyObject = { type: 'object', additionalProperties: true } as const

/** `{"error": {"code", "message", "request_id", ...details}}` (docs/errors.md). */
export const errorEnvelopeSchema = {
  $id: 'ErrorEnvelope',
  description: 'The error envelope: program against `code`, show `message`.',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: true,
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES) },
        message: { type: 'string' },
        request_id: { type: 'string' },
        retry_after: { type: 'integer', description: 'Seconds to wait, when the answer is a wait.' },
      },
    },
  },
} as const

const handOver = {
  type: 'object',
  required: ['channel', 'route', 'provider', 'provider_message_id', 'state', 'sent_at'],
  properties: {
    channel: { type: 'string' },
    route: nullableString,
    provider: { type: 'string' },
    provider_message_id: nullableString,
    state: { type: 'string' },
    outcome: nullableString,
    sent_at: nullableDateTime,
    settled_at: nullableDateTime,
  },
} as const

/** One message (send) of a verification, with its hand-overs when fetched by id. */
export const messageSchema = {
  type: 'object',
  required: ['id', 'channel', 'send_number', 'status', 'attempts', 'queued_at'],
  properties: {
    id: { type: 'string' },
    channel: { type: 'string', enum: [...CHANNELS] },
    send_number: { type: 'integer' },
    status: { type: 'string' },
    delivery: nullableString,
    attempts: { type: 'integer' },
    provider: nullableString,
    route: nullableString,
    sender: { ...nullableString, description: 'The sender ID the person sees.' },
    hops: { type: 'integer' },
    provider_message_id: nullableString,
    last_error_code: nullableString,
    last_error_text: nullableString,
    queued_at: dateTime,
    sent_at: nullableDateTime,
    delivered_at: nullableDateTime,
    hand_overs: { type: 'array', items: handOver },
  },
} as const

/** A verification (`verificationJson`); `messages` when fetched by id. */
export const verificationResponseSchema = {
  $id: 'Verification',
  type: 'object',
  required: [
    'id',
    'service_id',
    'to',
    'channel',
    'status',
    'country',
    'locale',
    'code_length',
    'check_attempts',
    'attempts_left',
    'send_count',
    'sends_left',
    'next_resend_at',
    'expires_at',
    'created_at',
    'updated_at',
    'finished_at',
  ],
  properties: {
    id: { type: 'string' },
    service_id: { type: 'string' },
    to: { type: 'string' },
    channel: { type: 'string', enum: [...CHANNELS] },
    status: { type: 'string', enum: ['pending', 'approved', 'canceled', 'expired', 'failed'] },
    country: nullableString,
    locale: { type: 'string' },
    code_length: { type: 'integer' },
    check_attempts: { type: 'integer' },
    attempts_left: { type: 'integer' },
    send_count: { type: 'integer' },
    sends_left: { type: 'integer' },
    next_resend_at: nullableDateTime,
    expires_at: dateTime,
    created_at: dateTime,
    updated_at: dateTime,
    finished_at: nullableDateTime,
    risk: { type: ['object', 'null'], additionalProperties: true },
    messages: { type: 'array', items: messageSchema },
  },
} as const

export const eventListSchema = {
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type', 'at', 'data'],
        properties: { id: { type: 'integer' }, type: { type: 'string' }, at: dateTime, data: anyObject },
      },
    },
  },
} as const

/** A service (`serviceJson`). */
export const serviceResponseSchema = {
  $id: 'Service',
  type: 'object',
  required: ['id', 'name', 'code_length', 'code_ttl_seconds', 'channels', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    code_length: { type: 'integer' },
    code_ttl_seconds: { type: 'integer' },
    max_check_attempts: { type: 'integer' },
    max_sends: { type: 'integer' },
    brand_name: nullableString,
    message_template: nullableString,
    channels: { type: 'array', items: { type: 'string', enum: [...CHANNELS] } },
    default_locale: { type: 'string' },
    webotp_domain: nullableString,
    fallback_channels: { type: ['array', 'null'], items: { type: 'string', enum: [...CHANNELS] } },
    android_app_hash: nullableString,
    return_url_origins: { type: ['array', 'null'], items: { type: 'string' } },
    client_origins: { type: ['array', 'null'], items: { type: 'string' } },
    line_checks: anyObject,
    whatsapp_one_tap: {
      type: ['object', 'null'],
      properties: { package_name: { type: 'string' }, signature_hash: { type: 'string' } },
    },
    fraud: {
      type: 'object',
      description:
        "The service's own fraud-guard settings; a null field means the server's configuration decides (docs/fraud.md).",
      properties: {
        mode: { type: ['string', 'null'], enum: ['enforce', 'shadow', 'off', null] },
        country_daily_caps: { type: ['object', 'null'], additionalProperties: { type: 'integer' } },
      },
    },
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const

export const serviceListSchema = {
  type: 'object',
  required: ['data', 'next_after'],
  properties: {
    data: { type: 'array', items: ref(serviceResponseSchema) },
    next_after: { ...nullableString, description: 'Pass as `after` for the next page; null on the last.' },
  },
} as const

/** A TOTP factor (`factorJson`): never its secret. */
export const factorResponseSchema = {
  $id: 'Factor',
  type: 'object',
  required: ['id', 'service_id', 'entity_id', 'type', 'friendly_name', 'status', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'string' },
    service_id: { type: 'string' },
    entity_id: { type: 'string' },
    type: { type: 'string', enum: ['totp'] },
    friendly_name: { type: 'string' },
    status: { type: 'string' },
    issuer: { type: 'string' },
    digits: { type: 'integer' },
    period_seconds: { type: 'integer' },
    skew: { type: 'integer' },
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const

/** The enrolment answer: the factor, and once only its secret, otpauth URI and QR code. */
export const factorEnrolmentSchema = {
  type: 'object',
  required: [...factorResponseSchema.required, 'secret', 'uri', 'qr'],
  properties: {
    ...factorResponseSchema.properties,
    secret: { type: 'string' },
    uri: { type: 'string' },
    qr: { type: 'string', description: 'The otpauth URI as an SVG QR code.' },
  },
} as const

export const factorListSchema = {
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: ref(factorResponseSchema) } },
} as const

export const factorApprovalSchema = {
  type: 'object',
  required: ['status', 'factor'],
  properties: { status: { type: 'string', enum: ['approved'] }, factor: ref(factorResponseSchema) },
} as const

const recoveryCounts = {
  total: { type: 'integer' },
  remaining: { type: 'integer' },
  used: { type: 'integer' },
  generated_at: nullableDateTime,
} as const

export const recoveryCodesSchema = {
  type: 'object',
  required: ['codes', 'total', 'remaining', 'used', 'generated_at'],
  properties: { codes: { type: 'array', items: { type: 'string' } }, ...recoveryCounts },
} as const

export const recoveryCodeStatusSchema = {
  type: 'object',
  required: ['total', 'remaining', 'used', 'generated_at'],
  properties: recoveryCounts,
} as const

export const recoveryCodeApprovalSchema = {
  type: 'object',
  required: ['status', 'remaining'],
  properties: { status: { type: 'string', enum: ['approved'] }, remaining: { type: 'integer' } },
} as const

/** A service's webhook endpoint; `secret` only in the answer that created it or rotated it. */
export const webhookEndpointSchema = {
  $id: 'WebhookEndpoint',
  type: 'object',
  required: ['service_id', 'url', 'events', 'created_at', 'updated_at'],
  properties: {
    service_id: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    created_at: dateTime,
    updated_at: dateTime,
    secret: { type: 'string', description: 'Only when created or rotated: store it now.' },
  },
} as const

export const webhookEndpointWithDeliveriesSchema = {
  type: 'object',
  required: [...webhookEndpointSchema.required, 'deliveries'],
  properties: {
    ...webhookEndpointSchema.properties,
    deliveries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type', 'status', 'attempts', 'created_at'],
        properties: {
          id: { type: 'string' },
          type: { type: 'string' },
          status: { type: 'string' },
          attempts: { type: 'integer' },
          next_attempt_at: nullableDateTime,
          last_status_code: { type: ['integer', 'null'] },
          last_error: nullableString,
          created_at: dateTime,
          finished_at: nullableDateTime,
        },
      },
    },
  },
} as const

export const returnUrlSecretSchema = {
  type: 'object',
  required: ['service_id', 'secret'],
  properties: { service_id: { type: 'string' }, secret: { type: 'string' } },
} as const

/** The schemas registered once with `app.addSchema`: named components in /openapi.json. */
export const SHARED_RESPONSE_SCHEMAS = [
  errorEnvelopeSchema,
  verificationResponseSchema,
  serviceResponseSchema,
  factorResponseSchema,
  webhookEndpointSchema,
] as const

/** 204: nothing. */
export const noContent = { type: 'null', description: 'No content' } as const

/**
 * The `response` part of a route schema: the given success answers, and the error envelope for
 * every 4xx and 5xx.
 */
export function responses(success: Record<number, unknown>): NonNullable<FastifySchema['response']> {
  const shared = new Set<unknown>(SHARED_RESPONSE_SCHEMAS)
  const named = Object.fromEntries(
    Object.entries(success).map(([code, schema]) => [
      code,
      shared.has(schema) ? ref(schema as { $id: string }) : schema,
    ]),
  )
  return { ...named, '4xx': ref(errorEnvelopeSchema), '5xx': ref(errorEnvelopeSchema) }
}

/**
 * Route options for a route with documented responses: the answer is serialized as it is
 * (`JSON.stringify`), never filtered or coerced by the schema (see the module comment).
 */
export const describedResponses = {
  serializerCompiler: () => (data: unknown) => JSON.stringify(data),
} as const
