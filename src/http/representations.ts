/** @module Public JSON shapes (snake_case) of domain objects, with their JSON schemas for OpenAPI. */

import type { ApiKey } from '../auth/api-key.js'
import { twilioAccountSid } from '../auth/twilio-aliases.js'
import type { Hop, OutboxMessage } from '../delivery/outbox.js'
import type { VerificationEvent } from '../events/verification-event.js'
import type { ServiceFraudSettings } from '../fraud/service-fraud-settings.js'
import type { NextSend } from '../limits/verification-limits.js'
import { LINE_CHECK_DEFAULTS, type LineChecks, type VerificationRisk } from '../lookup/line-checks.js'
import type { PhoneAnalysis } from '../phone/index.js'
import type { Service } from '../services/service.js'
import type { Verification } from '../verification/verification.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function serviceJson(s: Service) {
  return {
    id: s.id,
    name: s.name,
    code_length: s.codeLength,
    code_ttl_seconds: s.codeTtlSeconds,
    max_check_attempts: s.maxCheckAttempts,
    max_sends: s.maxSends,
    brand_name: s.brandName,
    message_template: s.messageTemplate,
    channels: s.channels,
    default_locale: s.defaultLocale,
    webotp_domain: s.webotpDomain,
    fallback_channels: s.fallbackChannels ?? null,
    android_app_hash: s.androidAppHash ?? null,
    return_url_origins: s.returnUrlOrigins?.length ? s.returnUrlOrigins : null,
    client_origins: s.clientOrigins?.length ? s.clientOrigins : null,
    line_checks: lineChecksJson(s.lineChecks ?? LINE_CHECK_DEFAULTS),
    whatsapp_one_tap: s.whatsappOneTap
      ? { package_name: s.whatsappOneTap.packageName, signature_hash: s.whatsappOneTap.signatureHash }
      : null,
    fraud: fraudSettingsJson(s.fraud),
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  }
}

/** A service's own fraud settings as the API shows them (null fields: the configuration decides). */
export function fraudSettingsJson(f: ServiceFraudSettings | null | undefined) {
  return { mode: f?.mode ?? null, country_daily_caps: f?.countryDailyCaps ?? null }
}

/** A service's line checks in the API's names. */
export function lineChecksJson(c: LineChecks) {
  return {
    landline: c.landline,
    non_fixed_voip: c.nonFixedVoip,
    sim_swap_days: c.simSwapDays,
    sim_swap_policy: c.simSwapPolicy,
  }
}

/** The risk the carrier lookup found, in the API's (and webhooks') names; null when none. */
export function riskJson(risk: VerificationRisk | null | undefined) {
  if (!risk) return null
  return {
    sim_swap: {
      swapped_within_days: risk.simSwap.withinDays,
      last_swap_at: iso(risk.simSwap.lastSwapAt),
    },
    carrier: risk.carrier,
    source: risk.source,
  }
}

export function verificationJson(
  v: Verification,
  opts: { next?: NextSend; messages?: OutboxMessage[] } = {},
) {
  return {
    id: v.id,
    service_id: v.serviceId,
    to: v.destination,
    channel: v.channel,
    status: v.status,
    country: v.country,
    locale: v.locale,
    code_length: v.codeLength,
    check_attempts: v.checkAttempts,
    attempts_left: Math.max(0, v.maxCheckAttempts - v.checkAttempts),
    send_count: v.sendCount,
    sends_left: opts.next ? opts.next.sendsLeft : Math.max(0, v.maxSends - v.sendCount),
    next_resend_at: v.status === 'pending' && opts.next?.at != null ? iso(opts.next.at) : null,
    expires_at: iso(v.expiresAt),
    created_at: iso(v.createdAt),
    updated_at: iso(v.updatedAt),
    finished_at: iso(v.finishedAt),
    risk: riskJson(v.risk),
    ...(opts.messages ? { messages: opts.messages.map((m) => messageJson(m)) } : {}),
  }
}

/** One hand-over of a message to a provider, with its own state (docs/delivery.md). */
export function handOverJson(hop: Hop) {
  return {
    channel: hop.channel,
    route: hop.routeId,
    provider: hop.providerId,
    provider_message_id: hop.providerMessageId,
    state: hop.state,
    outcome: hop.outcome,
    sent_at: iso(hop.sentAt),
    settled_at: iso(hop.settledAt),
  }
}

export function messageJson(m: OutboxMessage, hops?: readonly Hop[]) {
  return {
    id: m.id,
    channel: m.channel,
    send_number: m.sendNumber,
    status: m.status,
    delivery: m.deliveryOutcome,
    attempts: m.attempts,
    provider: m.providerId,
    route: m.routeId,
    /** The sender ID the user sees; they can save it so their phone does not filter it. */
    sender: m.sender,
    hops: m.hops,
    provider_message_id: m.providerMessageId,
    last_error_code: m.lastErrorCode,
    last_error_text: m.lastErrorText,
    queued_at: iso(m.createdAt),
    sent_at: iso(m.sentAt),
    delivered_at: iso(m.deliveredAt),
    ...(hops ? { hand_overs: hops.map(handOverJson) } : {}),
  }
}

export function eventJson(e: VerificationEvent) {
  return { id: e.id, type: e.type, at: iso(e.at), data: e.data }
}

export function apiKeyJson(k: ApiKey) {
  return {
    id: k.id,
    name: k.name,
    scopes: k.scopes,
    /** The services the key is limited to; null: every service. */
    services: k.services,
    created_at: iso(k.createdAt),
    revoked_at: iso(k.revokedAt),
    last_used_at: iso(k.lastUsedAt),
    /** Username for the Twilio-compatible API (`/v2`), with this key as the password. */
    twilio_account_sid: twilioAccountSid(k.id),
  }
}

export function phoneJson(a: PhoneAnalysis) {
  return {
    input: a.input,
    valid: a.valid,
    e164: a.e164 ?? null,
    country: a.country ?? null,
    country_calling_code: a.countryCallingCode ?? null,
    national_format: a.nationalFormat ?? null,
    international_format: a.internationalFormat ?? null,
    type: a.type,
    can_receive_sms: a.canReceiveSms,
    can_receive_voice: a.canReceiveVoice,
    problem: a.problem ?? null,
    suggestion: a.suggestion ?? null,
  }
}
