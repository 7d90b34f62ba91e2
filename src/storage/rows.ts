/** @module Row <-> entity mapping shared by the Kysely stores. */

import type { Insertable, Selectable } from 'kysely'
import type { ApiKey, ApiKeyScope } from '../auth/api-key.js'
import type { Channel } from '../channels/channel.js'
import type {
  DeliveryPlan,
  Hop,
  HopState,
  NewOutboxMessage,
  OutboxMessage,
  OutboxStatus,
} from '../delivery/outbox.js'
import type { DeliveryOutcome } from '../delivery/outcome.js'
import type { EventType, NewVerificationEvent, VerificationEvent } from '../events/verification-event.js'
import { isDefaultFraudSettings, type ServiceFraudSettings } from '../fraud/service-fraud-settings.js'
import type { LineChecks, VerificationRisk } from '../lookup/line-checks.js'
import type { Service, WhatsappOneTap } from '../services/service.js'
import type { Verification, VerificationStatus } from '../verification/verification.js'
import type {
  ApiKeyTable,
  OutboxTable,
  ProviderMessageTable,
  ServiceTable,
  VerificationEventTable,
  VerificationTable,
} from './schema.js'

export function pendingKey(serviceId: string, destination: string): string {
  return `${serviceId}|${destination}`
}

export function toVerification(r: Selectable<VerificationTable>): Verification {
  return {
    id: r.id,
    serviceId: r.service_id,
    channel: r.channel as Channel,
    destination: r.destination,
    country: r.country,
    status: r.status as VerificationStatus,
    codeHmac: r.code_hmac,
    codeCiphertext: r.code_ciphertext,
    codeLength: r.code_length,
    locale: r.locale,
    checkAttempts: r.check_attempts,
    maxCheckAttempts: r.max_check_attempts,
    sendCount: r.send_count,
    maxSends: r.max_sends,
    lastSentAt: r.last_sent_at,
    expiresAt: r.expires_at,
    clientIp: r.client_ip,
    idempotencyKey: r.idempotency_key,
    idempotencyFingerprint: r.idempotency_fingerprint,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    // Only bound verifications carry the key, so unbound ones read back as they were written.
    ...(r.transaction_amount !== null && r.transaction_payee !== null
      ? { transaction: { amount: r.transaction_amount, payee: r.transaction_payee } }
      : {}),
    // Absent rather than null when none, so a verification reads back as it was written.
    ...(r.risk ? { risk: JSON.parse(r.risk) as VerificationRisk } : {}),
  }
}

export function fromVerification(v: Verification): Selectable<VerificationTable> {
  return {
    id: v.id,
    service_id: v.serviceId,
    channel: v.channel,
    destination: v.destination,
    country: v.country,
    status: v.status,
    code_hmac: v.codeHmac,
    code_ciphertext: v.codeCiphertext,
    code_length: v.codeLength,
    locale: v.locale,
    check_attempts: v.checkAttempts,
    max_check_attempts: v.maxCheckAttempts,
    send_count: v.sendCount,
    max_sends: v.maxSends,
    last_sent_at: v.lastSentAt,
    expires_at: v.expiresAt,
    client_ip: v.clientIp,
    idempotency_key: v.idempotencyKey,
    idempotency_fingerprint: v.idempotencyFingerprint,
    pending_key: v.status === 'pending' ? pendingKey(v.serviceId, v.destination) : null,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    finished_at: v.finishedAt,
    transaction_amount: v.transaction?.amount ?? null,
    transaction_payee: v.transaction?.payee ?? null,
    risk: v.risk ? JSON.stringify(v.risk) : null,
  }
}

export function fromEvent(e: NewVerificationEvent) {
  return {
    verification_id: e.verificationId,
    service_id: e.serviceId,
    destination: e.destination,
    type: e.type,
    at: e.at,
    data: JSON.stringify(e.data),
  }
}

export function toEvent(r: Selectable<VerificationEventTable>): VerificationEvent {
  return {
    id: Number(r.id),
    verificationId: r.verification_id,
    serviceId: r.service_id,
    destination: r.destination,
    type: r.type as EventType,
    at: r.at,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }
}

export function fromNewOutbox(m: NewOutboxMessage): Insertable<OutboxTable> {
  return {
    id: m.id,
    verification_id: m.verificationId,
    service_id: m.serviceId,
    channel: m.channel,
    destination: m.destination,
    status: m.claimedUntil === undefined ? 'queued' : 'sending',
    send_number: m.sendNumber,
    attempts: m.claimedUntil === undefined ? 0 : 1,
    available_at: m.claimedUntil ?? m.createdAt,
    lease_until: null,
    provider_id: null,
    provider_message_id: null,
    delivery_outcome: null,
    last_error_code: null,
    last_error_text: null,
    created_at: m.createdAt,
    updated_at: m.createdAt,
    sent_at: null,
    delivered_at: null,
    route_id: null,
    sender: null,
    tried_routes: JSON.stringify(m.avoidRoutes ?? []),
  }
}

export function toOutbox(r: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: r.id,
    verificationId: r.verification_id,
    serviceId: r.service_id,
    channel: r.channel as Channel,
    destination: r.destination,
    sendNumber: r.send_number,
    createdAt: r.created_at,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    availableAt: r.available_at,
    leaseUntil: r.lease_until,
    providerId: r.provider_id,
    providerMessageId: r.provider_message_id,
    deliveryOutcome: r.delivery_outcome as DeliveryOutcome | null,
    lastErrorCode: r.last_error_code,
    lastErrorText: r.last_error_text,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    routeId: r.route_id,
    sender: r.sender,
    triedRoutes: JSON.parse(r.tried_routes) as string[],
    hops: r.hops,
    plan: JSON.parse(r.plan) as DeliveryPlan,
  }
}

export function toHop(r: Selectable<ProviderMessageTable>, fallbackChannel: string): Hop {
  return {
    providerId: r.provider_id,
    providerMessageId: r.provider_message_id,
    messageId: r.message_id,
    routeId: r.route_id,
    channel: (r.channel ?? fallbackChannel) as Channel,
    country: r.country,
    sentAt: r.sent_at,
    state: r.state as HopState,
    outcome: r.outcome as DeliveryOutcome | null,
    settledAt: r.settled_at,
  }
}

export function toService(r: Selectable<ServiceTable>): Service {
  return {
    id: r.id,
    name: r.name,
    codeLength: r.code_length,
    codeTtlSeconds: r.code_ttl_seconds,
    maxCheckAttempts: r.max_check_attempts,
    maxSends: r.max_sends,
    brandName: r.brand_name,
    messageTemplate: r.message_template,
    channels: JSON.parse(r.channels) as Channel[],
    defaultLocale: r.default_locale,
    webotpDomain: r.webotp_domain,
    fallbackChannels: r.fallback_channels === null ? null : (JSON.parse(r.fallback_channels) as Channel[]),
    androidAppHash: r.android_app_hash,
    returnUrlOrigins: r.return_url_origins === null ? null : (JSON.parse(r.return_url_origins) as string[]),
    clientOrigins: r.client_origins === null ? null : (JSON.parse(r.client_origins) as string[]),
    lineChecks: r.line_checks ? (JSON.parse(r.line_checks) as LineChecks) : null,
    whatsappOneTap: r.whatsapp_one_tap ? (JSON.parse(r.whatsapp_one_tap) as WhatsappOneTap) : null,
    fraud: r.fraud_settings ? (JSON.parse(r.fraud_settings) as ServiceFraudSettings) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function fromService(s: Service): Selectable<ServiceTable> {
  return {
    id: s.id,
    name: s.name,
    code_length: s.codeLength,
    code_ttl_seconds: s.codeTtlSeconds,
    max_check_attempts: s.maxCheckAttempts,
    max_sends: s.maxSends,
    brand_name: s.brandName,
    message_template: s.messageTemplate,
    channels: JSON.stringify(s.channels),
    default_locale: s.defaultLocale,
    webotp_domain: s.webotpDomain,
    fallback_channels: s.fallbackChannels ? JSON.stringify(s.fallbackChannels) : null,
    android_app_hash: s.androidAppHash ?? null,
    return_url_origins: s.returnUrlOrigins?.length ? JSON.stringify(s.returnUrlOrigins) : null,
    client_origins: s.clientOrigins?.length ? JSON.stringify(s.clientOrigins) : null,
    line_checks: s.lineChecks ? JSON.stringify(s.lineChecks) : null,
    whatsapp_one_tap: s.whatsappOneTap ? JSON.stringify(s.whatsappOneTap) : null,
    fraud_settings: isDefaultFraudSettings(s.fraud) ? null : JSON.stringify(s.fraud),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  }
}

export function toApiKey(r: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: r.id,
    name: r.name,
    secretHash: r.secret_hash,
    scopes: JSON.parse(r.scopes) as ApiKeyScope[],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    services: r.service_ids === null ? null : (JSON.parse(r.service_ids) as string[]),
  }
}
