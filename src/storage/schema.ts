/**
 * @module Table types for the one Kysely query layer. Timestamps are integer milliseconds since the
 * epoch in both dialects; JSON columns are text (parsed by the stores), so SQLite and PostgreSQL
 * rows have the same shape.
 */
import type { Generated } from 'kysely'

export interface ApiKeyTable {
  id: string
  name: string
  /** SHA-256 of the secret part, base64url. Keys are 256-bit random, so a fast hash is enough. */
  secret_hash: string
  /** JSON array of scopes. */
  scopes: string
  created_at: number
  revoked_at: number | null
  last_used_at: number | null
}

export interface ServiceTable {
  id: string
  name: string
  code_length: number
  code_ttl_seconds: number
  max_check_attempts: number
  max_sends: number
  brand_name: string | null
  message_template: string | null
  /** JSON array of allowed channels. */
  channels: string
  default_locale: string
  /** Domain for the WebOTP `@domain #code` line, when set. */
  webotp_domain: string | null
  created_at: number
  updated_at: number
}

export interface VerificationTable {
  id: string
  service_id: string
  channel: string
  /** E.164 number or email address. */
  destination: string
  country: string | null
  status: string
  /** `keyId:hmac` of `id:code`. The code itself is never stored in clear. */
  code_hmac: string
  /** AES-256-GCM of the code, kept only while pending so resends carry the same code. */
  code_ciphertext: string | null
  code_length: number
  locale: string
  check_attempts: number
  max_check_attempts: number
  send_count: number
  max_sends: number
  last_sent_at: number
  expires_at: number
  client_ip: string | null
  idempotency_key: string | null
  idempotency_fingerprint: string | null
  /** `service_id|destination` while pending, NULL after: unique, so one pending per destination. */
  pending_key: string | null
  created_at: number
  updated_at: number
  finished_at: number | null
}

export interface VerificationEventTable {
  id: Generated<number>
  verification_id: string | null
  service_id: string
  /** Present so events of refused starts (no verification yet) are still found by number. */
  destination: string
  type: string
  at: number
  /** JSON object with the facts of the event (raw provider codes, limit names, ...). */
  data: string
}

export interface OutboxTable {
  id: string
  verification_id: string
  service_id: string
  channel: string
  destination: string
  /** `queued` -> `sending` -> `sent` | `failed` | `canceled`. */
  status: string
  /** 1 for the first send of a verification, 2 for the first resend... */
  send_number: number
  attempts: number
  available_at: number
  lease_until: number | null
  provider_id: string | null
  provider_message_id: string | null
  /** Latest receipt outcome (DeliveryOutcome), NULL until one arrives. */
  delivery_outcome: string | null
  last_error_code: string | null
  last_error_text: string | null
  created_at: number
  updated_at: number
  sent_at: number | null
  delivered_at: number | null
}

export interface Database {
  api_keys: ApiKeyTable
  services: ServiceTable
  verifications: VerificationTable
  verification_events: VerificationEventTable
  outbox: OutboxTable
}
