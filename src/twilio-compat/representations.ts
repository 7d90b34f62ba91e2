/**
 * @module The snake_case JSON Twilio answers with, one function per resource, carrying every key the
 * official SDK maps (see docs/twilio-compat.md; keys the SDK does not list are ignored by it, so none
 * are added). Dates are `YYYY-MM-DDTHH:mm:ssZ` like Twilio's.
 */
import type { OutboxMessage } from '../delivery/outbox.js'
import type { TotpEnrolment, TotpFactor } from '../factors/factors.js'
import { analyzePhoneNumber } from '../phone/index.js'
import type { Service } from '../services/service.js'
import type { Verification } from '../verification/verification.js'
import { hashedSid, sidFor } from './sids.js'
import type { Challenge, RateLimit, RateLimitBucket, TwilioServiceSettings } from './store.js'

/** What every answer needs besides the object: where the API is, and whose account answers. */
export interface RenderContext {
  /** `http(s)://host[:port]` the request came to; `url` fields and paging links use it. */
  readonly origin: string
  readonly accountSid: string
}

/** TOTP defaults when a service has no `Totp.*` settings (Twilio's defaults). */
export const TOTP_DEFAULTS = { timeStep: 30, codeLength: 6, skew: 1 } as const

/** Twilio's date format: ISO 8601 in UTC without milliseconds. */
export function twilioDate(ms: number): string
export function twilioDate(ms: number | null): string | null
export function twilioDate(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export const serviceSid = (serviceId: string) => sidFor('VA', serviceId)
export const verificationSid = (verificationId: string) => sidFor('VE', verificationId)
export const entitySid = (serviceId: string, identity: string) => hashedSid('YE', serviceId, identity)
export const factorSid = (serviceId: string, identity: string, factorId: string) =>
  hashedSid('YF', serviceId, identity, factorId)

const servicePath = (serviceId: string) => `/v2/Services/${serviceSid(serviceId)}`

export function serviceJson(ctx: RenderContext, s: Service, settings: TwilioServiceSettings | undefined) {
  const url = `${ctx.origin}${servicePath(s.id)}`
  return {
    sid: serviceSid(s.id),
    account_sid: ctx.accountSid,
    friendly_name: s.name,
    code_length: s.codeLength,
    lookup_enabled: false,
    psd2_enabled: settings?.psd2Enabled ?? false,
    // verigate refuses SMS to numbers that cannot receive it (60205), which is this setting's effect.
    skip_sms_to_landlines: true,
    dtmf_input_required: false,
    tts_name: null,
    do_not_share_warning_enabled: true,
    custom_code_enabled: settings?.customCodeEnabled ?? false,
    push: { include_date: false, apn_credential_sid: null, fcm_credential_sid: null },
    totp: {
      issuer: settings?.totpIssuer ?? s.brandName ?? s.name,
      time_step: settings?.totpTimeStep ?? TOTP_DEFAULTS.timeStep,
      code_length: settings?.totpCodeLength ?? TOTP_DEFAULTS.codeLength,
      skew: settings?.totpSkew ?? TOTP_DEFAULTS.skew,
    },
    default_template_sid: null,
    whatsapp: { msg_service_sid: null, from: null },
    passkeys: null,
    verify_event_subscription_enabled: false,
    date_created: twilioDate(s.createdAt),
    date_updated: twilioDate(s.updatedAt),
    url,
    links: {
      verification_checks: `${url}/VerificationCheck`,
      verifications: `${url}/Verifications`,
      rate_limits: `${url}/RateLimits`,
      entities: `${url}/Entities`,
    },
  }
}

/** Twilio's status for a verigate verification: `failed` is the exhausted one; time expires pending. */
export function twilioStatus(v: Verification, now: number): string {
  if (v.status === 'pending') return now >= v.expiresAt ? 'expired' : 'pending'
  if (v.status === 'failed') return 'max_attempts_reached'
  return v.status
}

const CARRIER_TYPES: Partial<Record<string, string>> = {
  mobile: 'mobile',
  fixed_line_or_mobile: 'mobile',
  fixed_line: 'landline',
  voip: 'voip',
}

function lookupJson(v: Verification) {
  if (v.channel === 'email') return {}
  const type = analyzePhoneNumber(v.destination).type
  return {
    carrier: {
      error_code: null,
      name: null,
      mobile_country_code: null,
      mobile_network_code: null,
      type: CARRIER_TYPES[type] ?? null,
    },
  }
}

/** The latest channel a code went out on (a start may switch an SMS verification to a call). */
function latestChannel(v: Verification, attempts: readonly OutboxMessage[]): string {
  return attempts.at(-1)?.channel ?? v.channel
}

export function verificationJson(
  ctx: RenderContext,
  v: Verification,
  attempts: readonly OutboxMessage[],
  now: number,
) {
  return {
    sid: verificationSid(v.id),
    service_sid: serviceSid(v.serviceId),
    account_sid: ctx.accountSid,
    to: v.destination,
    channel: latestChannel(v, attempts),
    status: twilioStatus(v, now),
    valid: v.status === 'approved',
    lookup: lookupJson(v),
    amount: v.transaction?.amount ?? null,
    payee: v.transaction?.payee ?? null,
    send_code_attempts: attempts.map((m) => ({
      attempt_sid: sidFor('VL', m.id),
      channel: m.channel,
      time: twilioDate(m.createdAt),
    })),
    date_created: twilioDate(v.createdAt),
    date_updated: twilioDate(v.updatedAt),
    sna: null,
    url: `${ctx.origin}${servicePath(v.serviceId)}/Verifications/${verificationSid(v.id)}`,
  }
}

export function verificationCheckJson(
  ctx: RenderContext,
  v: Verification,
  attempts: readonly OutboxMessage[],
  now: number,
) {
  return {
    sid: verificationSid(v.id),
    service_sid: serviceSid(v.serviceId),
    account_sid: ctx.accountSid,
    to: v.destination,
    channel: latestChannel(v, attempts),
    status: twilioStatus(v, now),
    valid: v.status === 'approved',
    amount: v.transaction?.amount ?? null,
    payee: v.transaction?.payee ?? null,
    date_created: twilioDate(v.createdAt),
    date_updated: twilioDate(v.updatedAt),
    sna_attempts_error_codes: [],
  }
}

export function rateLimitJson(ctx: RenderContext, r: RateLimit) {
  const url = `${ctx.origin}${servicePath(r.serviceId)}/RateLimits/${r.sid}`
  return {
    sid: r.sid,
    service_sid: serviceSid(r.serviceId),
    account_sid: ctx.accountSid,
    unique_name: r.uniqueName,
    description: r.description,
    date_created: twilioDate(r.createdAt),
    date_updated: twilioDate(r.updatedAt),
    url,
    links: { buckets: `${url}/Buckets` },
  }
}

export function bucketJson(ctx: RenderContext, b: RateLimitBucket) {
  return {
    sid: b.sid,
    rate_limit_sid: b.rateLimitSid,
    service_sid: serviceSid(b.serviceId),
    account_sid: ctx.accountSid,
    max: b.max,
    interval: b.intervalSeconds,
    date_created: twilioDate(b.createdAt),
    date_updated: twilioDate(b.updatedAt),
    url: `${ctx.origin}${servicePath(b.serviceId)}/RateLimits/${b.rateLimitSid}/Buckets/${b.sid}`,
  }
}

const entityPath = (serviceId: string, identity: string) =>
  `${servicePath(serviceId)}/Entities/${encodeURIComponent(identity)}`

/** An entity exists through its factors; its dates are those of its oldest and newest factor. */
export function entityJson(
  ctx: RenderContext,
  serviceId: string,
  identity: string,
  factors: readonly TotpFactor[],
  now: number,
) {
  const url = `${ctx.origin}${entityPath(serviceId, identity)}`
  const created = factors.length ? Math.min(...factors.map((f) => f.createdAt)) : now
  const updated = factors.length ? Math.max(...factors.map((f) => f.updatedAt)) : now
  return {
    sid: entitySid(serviceId, identity),
    identity,
    account_sid: ctx.accountSid,
    service_sid: serviceSid(serviceId),
    date_created: twilioDate(created),
    date_updated: twilioDate(updated),
    url,
    links: { factors: `${url}/Factors`, challenges: `${url}/Challenges`, new_factors: `${url}/Factors` },
  }
}

export function factorJson(ctx: RenderContext, f: TotpFactor, identity: string, enrolment?: TotpEnrolment) {
  const sid = factorSid(f.serviceId, identity, f.id)
  return {
    sid,
    account_sid: ctx.accountSid,
    service_sid: serviceSid(f.serviceId),
    entity_sid: entitySid(f.serviceId, identity),
    identity,
    // The secret is shown once, in the creation answer, as Twilio does.
    ...(enrolment ? { binding: { secret: enrolment.secret, uri: enrolment.uri }, options: null } : {}),
    date_created: twilioDate(f.createdAt),
    date_updated: twilioDate(f.updatedAt),
    friendly_name: f.friendlyName,
    status: f.status,
    factor_type: 'totp',
    config: { alg: 'sha1', skew: f.skew, code_length: f.digits, time_step: f.periodSeconds },
    metadata: null,
    url: `${ctx.origin}${entityPath(f.serviceId, identity)}/Factors/${sid}`,
  }
}

/** Twilio's status of a stored challenge at `now`. */
export function challengeStatus(c: Challenge, now: number): 'pending' | 'approved' | 'expired' {
  if (c.status === 'approved') return 'approved'
  return now >= c.expiresAt ? 'expired' : 'pending'
}

export function challengeJson(ctx: RenderContext, c: Challenge, now: number) {
  const url = `${ctx.origin}${entityPath(c.serviceId, c.identity)}/Challenges/${c.sid}`
  return {
    sid: c.sid,
    account_sid: ctx.accountSid,
    service_sid: serviceSid(c.serviceId),
    entity_sid: entitySid(c.serviceId, c.identity),
    identity: c.identity,
    factor_sid: c.factorSid,
    date_created: twilioDate(c.createdAt),
    date_updated: twilioDate(c.updatedAt),
    date_responded: twilioDate(c.respondedAt),
    expiration_date: twilioDate(c.expiresAt),
    status: challengeStatus(c, now),
    responded_reason: 'none',
    details: c.details
      ? { message: c.details.message, fields: c.details.fields, date: twilioDate(c.createdAt) }
      : null,
    hidden_details: c.hiddenDetails,
    metadata: c.metadata,
    factor_type: 'totp',
    url,
    links: { notifications: `${url}/Notifications` },
  }
}

/** Twilio's list answer: the items under `key` and the `meta` paging object. */
export function pageJson<T>(
  ctx: RenderContext,
  key: string,
  path: string,
  items: readonly T[],
  paging: {
    readonly page: number
    readonly pageSize: number
    /** The token that asked for this page, if any. */
    readonly pageToken?: string | undefined
    readonly nextPageToken: string | null
  },
) {
  const link = (page: number, token?: string) =>
    `${ctx.origin}${path}?PageSize=${paging.pageSize}&Page=${page}${token ? `&PageToken=${encodeURIComponent(token)}` : ''}`
  return {
    [key]: items,
    meta: {
      page: paging.page,
      page_size: paging.pageSize,
      first_page_url: link(0),
      // Pages are keyset pages (a token names the last item seen), which only go forwards.
      previous_page_url: null,
      url: link(paging.page, paging.pageToken),
      next_page_url: paging.nextPageToken ? link(paging.page + 1, paging.nextPageToken) : null,
      key,
    },
  }
}
