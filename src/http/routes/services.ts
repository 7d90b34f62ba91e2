/** @module /v1/services: create, list, fetch, update and delete services (admin scope). */
import type { FastifyInstance } from 'fastify'
import { CHANNELS, type Channel } from '../../channels/channel.js'
import { returnOriginsProblem, returnUrlSecret } from '../../client/return-url.js'
import { ANDROID_APP_HASH_PATTERN } from '../../delivery/templates/verification-code.js'
import { AppError } from '../../errors/app-error.js'
import { parseServiceFraudSettings } from '../../fraud/service-fraud-settings.js'
import { LINE_CHECK_DEFAULTS, type LineChecks, type LineTypeAction } from '../../lookup/line-checks.js'
import type { Service } from '../../services/service.js'
import type { ServiceSettings } from '../../services/services.js'
import { type ApiKeyAuth, servicesOf } from '../auth.js'
import type { HttpContext } from '../http-context.js'
import { fraudSettingsJson, serviceJson } from '../representations.js'
import {
  describedResponses,
  noContent,
  responses,
  returnUrlSecretSchema,
  serviceListSchema,
  serviceResponseSchema,
} from '../response-schemas.js'

const settings = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  code_length: { type: 'integer', minimum: 4, maximum: 10 },
  code_ttl_seconds: { type: 'integer', minimum: 60, maximum: 86_400 },
  max_check_attempts: { type: 'integer', minimum: 1, maximum: 20 },
  max_sends: { type: 'integer', minimum: 1, maximum: 10 },
  brand_name: { type: ['string', 'null'], minLength: 1, maxLength: 40 },
  message_template: { type: ['string', 'null'], minLength: 6, maxLength: 320 },
  channels: { type: 'array', items: { type: 'string', enum: CHANNELS }, minItems: 1, uniqueItems: true },
  default_locale: { type: 'string', pattern: '^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$' },
  webotp_domain: { type: ['string', 'null'], pattern: '^[a-z0-9.-]{1,253}$' },
  /** Channels to try, in order, when every route of the verification's channel failed. */
  fallback_channels: {
    type: ['array', 'null'],
    items: { type: 'string', enum: CHANNELS },
    uniqueItems: true,
  },
  /** Android SMS Retriever app hash (11 base64 characters), added on its own line to SMS. */
  android_app_hash: { type: ['string', 'null'], pattern: ANDROID_APP_HASH_PATTERN.source },
  /** Origins the hosted page may send the person back to (`?return_url=`), with a signed result. */
  return_url_origins: {
    type: ['array', 'null'],
    items: { type: 'string', minLength: 8, maxLength: 200 },
    maxItems: 20,
    uniqueItems: true,
  },
  /** Origins whose pages may call the client API (the widget) with this service's tokens; null: any. */
  client_origins: {
    type: ['array', 'null'],
    items: { type: 'string', minLength: 8, maxLength: 200 },
    maxItems: 50,
    uniqueItems: true,
  },
  /** What a carrier lookup's answer does before the first send (docs/providers.md, "Carrier lookup"). */
  line_checks: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: {
      landline: { type: 'string', enum: ['allow', 'reroute', 'refuse'] },
      non_fixed_voip: { type: 'string', enum: ['allow', 'reroute', 'refuse'] },
      sim_swap_days: { type: 'integer', minimum: 0, maximum: 365 },
      sim_swap_policy: { type: 'string', enum: ['flag', 'require_factor'] },
    },
  },
  /** The Android app a WhatsApp one-tap autofill button hands the code to. */
  whatsapp_one_tap: {
    type: ['object', 'null'],
    additionalProperties: false,
    required: ['package_name', 'signature_hash'],
    properties: {
      package_name: {
        type: 'string',
        pattern: '^[a-zA-Z][a-zA-Z0-9_]*(\\.[a-zA-Z][a-zA-Z0-9_]*)+$',
        maxLength: 224,
      },
      signature_hash: { type: 'string', pattern: ANDROID_APP_HASH_PATTERN.source },
    },
  },
  /**
   * The fraud guard for this service (docs/fraud.md). Values are checked by the guard's own rules
   * (422 FRAUD_SETTINGS_INVALID names the one at fault), not by enums here, so a wrong mode or
   * country gets an answer that says what to send instead.
   */
  fraud: {
    type: ['object', 'null'],
    additionalProperties: false,
    description:
      "The fraud guard's settings for this service; null (or a field set to null) falls back to the server's configuration (`fraud.mode`, `fraud.countryDailyCaps`). A PATCH changes only the fields it sends. Unusable values answer 422 FRAUD_SETTINGS_INVALID.",
    properties: {
      mode: {
        type: ['string', 'null'],
        description:
          '`enforce` (refuse suspect starts with FRAUD_SUSPECTED), `shadow` (decide and record, but send), `off` (judge nothing), or null for the configured mode.',
        examples: ['shadow'],
      },
      country_daily_caps: {
        type: ['object', 'null'],
        description:
          'Starts per country (ISO 3166-1 code) per day for this service, e.g. {"GB": 5000}; replaces the configured caps ({} for none), or null for the configured caps. Each cap: a whole number from 1 to 10,000,000.',
        additionalProperties: { type: 'number' },
      },
    },
  },
} as const

interface ServiceBody {
  name?: string
  code_length?: number
  code_ttl_seconds?: number
  max_check_attempts?: number
  max_sends?: number
  brand_name?: string | null
  message_template?: string | null
  channels?: Channel[]
  default_locale?: string
  webotp_domain?: string | null
  fallback_channels?: Channel[] | null
  android_app_hash?: string | null
  return_url_origins?: string[] | null
  client_origins?: string[] | null
  line_checks?: {
    landline?: LineTypeAction
    non_fixed_voip?: LineTypeAction
    sim_swap_days?: number
    sim_swap_policy?: LineChecks['simSwapPolicy']
  } | null
  whatsapp_one_tap?: { package_name: string; signature_hash: string } | null
  fraud?: { mode?: string | null; country_daily_caps?: Record<string, number> | null } | null
}

/** The body's settings in the domain's names; absent fields stay absent (defaults or current values). */
/** @throws AppError VALIDATION_FAILED for an entry that is not a bare https (or loopback http) origin */
function returnOrigins(
  origins: readonly string[] | null | undefined,
  field = 'return_url_origins',
): readonly string[] | null | undefined {
  if (!origins) return origins
  const problem = returnOriginsProblem(origins)
  if (problem) {
    throw new AppError('VALIDATION_FAILED', {
      message: `${field}: ${problem}`,
      details: { field },
    })
  }
  // `https://app.example.com/` and `https://app.example.com` are one origin: keep the bare form.
  return origins.length ? origins.map((o) => o.replace(/\/$/, '')) : null
}

/**
 * The body's settings in the domain's names; `current` is the service a PATCH changes (its fraud
 * fields not sent are kept).
 */
function settingsOf(b: ServiceBody, current?: Service): ServiceSettings {
  return {
    fraud:
      b.fraud === undefined
        ? undefined
        : b.fraud === null
          ? null
          : parseServiceFraudSettings(b.fraud, current?.fraud ?? null),
    name: b.name,
    codeLength: b.code_length,
    codeTtlSeconds: b.code_ttl_seconds,
    maxCheckAttempts: b.max_check_attempts,
    maxSends: b.max_sends,
    brandName: b.brand_name,
    messageTemplate: b.message_template,
    channels: b.channels,
    defaultLocale: b.default_locale,
    webotpDomain: b.webotp_domain,
    fallbackChannels: b.fallback_channels,
    androidAppHash: b.android_app_hash,
    returnUrlOrigins: returnOrigins(b.return_url_origins),
    clientOrigins: returnOrigins(b.client_origins, 'client_origins'),
    lineChecks:
      b.line_checks === undefined
        ? undefined
        : b.line_checks === null
          ? null
          : {
              landline: b.line_checks.landline ?? LINE_CHECK_DEFAULTS.landline,
              nonFixedVoip: b.line_checks.non_fixed_voip ?? LINE_CHECK_DEFAULTS.nonFixedVoip,
              simSwapDays: b.line_checks.sim_swap_days ?? LINE_CHECK_DEFAULTS.simSwapDays,
              simSwapPolicy: b.line_checks.sim_swap_policy ?? LINE_CHECK_DEFAULTS.simSwapPolicy,
            },
    whatsappOneTap:
      b.whatsapp_one_tap === undefined
        ? undefined
        : b.whatsapp_one_tap === null
          ? null
          : {
              packageName: b.whatsapp_one_tap.package_name,
              signatureHash: b.whatsapp_one_tap.signature_hash,
            },
  }
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const

export function registerServiceRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const read = auth.require('read')

  app.post<{ Body: ServiceBody }>(
    '/v1/services',
    {
      onRequest: auth.require('admin', { audit: 'service.create', global: true }),
      ...describedResponses,
      schema: {
        tags: ['services'],
        summary: "Create a service (one app's verification settings)",
        response: responses({ 201: serviceResponseSchema }),
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: settings },
      },
    },
    async (request, reply) => {
      const b = request.body
      const service = await deps.services.create({ ...settingsOf(b), name: b.name! })
      if (request.apiAudit) {
        request.apiAudit.target = service.id
        request.apiAudit.serviceId = service.id
      }
      return reply.code(201).send(serviceJson(service))
    },
  )

  app.get<{ Querystring: { limit?: string; after?: string } }>(
    '/v1/services',
    {
      onRequest: read,
      ...describedResponses,
      schema: {
        tags: ['services'],
        summary: 'List services',
        response: responses({ 200: serviceListSchema }),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' },
            after: { type: 'string', maxLength: 64 },
          },
        },
      },
    },
    async (request) => {
      const limit = Math.min(100, Number(request.query.limit ?? 50))
      const items = await deps.services.list({ limit, after: request.query.after, only: servicesOf(request) })
      return {
        data: items.map(serviceJson),
        next_after: items.length === limit ? (items.at(-1)?.id ?? null) : null,
      }
    },
  )

  app.get<{ Params: { id: string } }>(
    '/v1/services/:id',
    {
      onRequest: read,
      ...describedResponses,
      schema: {
        tags: ['services'],
        summary: 'Fetch a service',
        response: responses({ 200: serviceResponseSchema }),
        params: idParams,
      },
    },
    async (request) => serviceJson(await deps.services.load(request.params.id)),
  )

  app.patch<{ Params: { id: string }; Body: ServiceBody }>(
    '/v1/services/:id',
    {
      onRequest: auth.require('admin', { audit: 'service.update' }),
      ...describedResponses,
      schema: {
        tags: ['services'],
        summary: 'Update a service',
        response: responses({ 200: serviceResponseSchema }),
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: settings },
      },
    },
    async (request) => {
      const current = await deps.services.load(request.params.id)
      const next = await deps.services.update(request.params.id, settingsOf(request.body, current))
      if (request.apiAudit && request.body.fraud !== undefined) {
        // The guard's settings are security settings: the log keeps what they became.
        request.apiAudit.details = { fraud: fraudSettingsJson(next.fraud) }
      }
      return serviceJson(next)
    },
  )

  app.get<{ Params: { id: string } }>(
    '/v1/services/:id/return-url-secret',
    {
      onRequest: auth.require('admin', { audit: 'service.return_url_secret_read' }),
      ...describedResponses,
      schema: {
        tags: ['services'],
        summary: "The secret that signs the hosted page's return_url results (verify them on your server)",
        response: responses({ 200: returnUrlSecretSchema }),
        description:
          'The HMAC-SHA256 key of the `verigate_sig` parameter the hosted page appends to an allowed `return_url` (docs/widget.md). It is derived from the server keys: after a rotation of `secrets.keys`, read it again.',
        params: idParams,
      },
    },
    async (request, reply) => {
      const service = await deps.services.load(request.params.id)
      reply.header('cache-control', 'no-store')
      return { service_id: service.id, secret: returnUrlSecret(deps.keyring, service.id) }
    },
  )

  app.delete<{ Params: { id: string } }>(
    '/v1/services/:id',
    {
      onRequest: auth.require('admin', { audit: 'service.delete' }),
      ...describedResponses,
      schema: {
        tags: ['services'],
        summary: 'Delete a service and its verifications',
        response: responses({ 204: noContent }),
        params: idParams,
      },
    },
    async (request, reply) => {
      await deps.services.delete(request.params.id)
      return reply.code(204).send()
    },
  )
}
