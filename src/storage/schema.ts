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
  /** JSON array of the service ids the key is limited to; NULL: every service (migration 0025). */
  service_ids: string | null
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
  /** JSON array of channels to fall back to when the verification's own channel has no route left. */
  fallback_channels: string | null
  /** Android SMS Retriever app hash (11 base64 characters), when set. */
  android_app_hash: string | null
  /** JSON array of origins the hosted page may return to; null: none. */
  return_url_origins: string | null
  /** JSON array of origins that may call the client API (CORS); null: any origin. */
  client_origins: string | null
  /** JSON LineChecks; null: the defaults. */
  line_checks: string | null
  /** JSON { packageName, signatureHash }; null: no one-tap autofill. */
  whatsapp_one_tap: string | null
  /** JSON ServiceFraudSettings (migration 0042); null: the configured fraud guard settings. */
  fraud_settings: string | null
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
  /** The payment the code is bound to (PSD2), as the app wrote it; both or neither. */
  transaction_amount: string | null
  transaction_payee: string | null
  /** JSON VerificationRisk from the carrier lookup; null: none. */
  risk: string | null
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
  /** `OutboxStatus`: `queued` -> `sending` -> `sent` -> `delivered`, or `unconfirmed`, `failed`, `expired`, `canceled`. */
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
  /** Route the message is on (`provider:channel:country`). */
  route_id: string | null
  /** Sender ID / number used on that route, shown to the user so they can allow it. */
  sender: string | null
  /** JSON array of route ids already tried for this message. */
  tried_routes: Generated<string>
  /** Submits on any route or channel so far. */
  hops: Generated<number>
  /** JSON `DeliveryPlan`: what is ruled out and the retry in progress. */
  plan: Generated<string>
}

/** One authenticator-app (TOTP) factor of an app's user (`entity_id`). */
export interface TotpFactorTable {
  id: string
  service_id: string
  entity_id: string
  friendly_name: string
  /** `unverified` until the first good code, then `verified`. */
  status: string
  issuer: string
  /** HMAC algorithm of the codes; only `SHA1` today (what every authenticator app supports). */
  algorithm: string
  digits: number
  period_seconds: number
  skew: number
  /** AES-256-GCM of the base32 secret with the factor id as AAD. The secret is never stored in clear. */
  secret_ciphertext: string
  /** Newest time step a code was accepted for; codes for it or older steps are replays. */
  last_used_step: number | null
  /** Tries since the last success or lock, counted before each comparison. */
  failed_attempts: number
  /** Locks since the last success; each lock lasts twice as long as the one before (capped). */
  lock_count: number
  locked_until: number | null
  created_at: number
  updated_at: number
}

/** One single-use recovery code of the current set of an entity (slot 0-9). */
export interface RecoveryCodeTable {
  service_id: string
  entity_id: string
  slot: number
  /** `keyId:hmac` of the code bound to service and entity. The code itself is never stored. */
  code_hmac: string
  created_at: number
  used_at: number | null
}

/** A registered passkey (WebAuthn credential) of an app's user (`entity_id`). */
export interface PasskeyTable {
  /** Credential id, base64url; unique across services (the RP id is one per installation). */
  id: string
  service_id: string
  entity_id: string
  /** WebAuthn `user.id`, base64url: random, never the entity id itself. */
  user_handle: string
  /** COSE public key, base64url. */
  public_key: string
  /** Signature counter last seen; only ever moves forward. */
  counter: number
  /** JSON array of transport hints. */
  transports: string
  aaguid: string
  /** `singleDevice` | `multiDevice`. */
  device_type: string
  /** 0 or 1: an integer in both dialects, so rows have the same shape. */
  backed_up: number
  friendly_name: string
  created_at: number
  last_used_at: number | null
}

/** A pending passkey ceremony challenge: single-use (deleted when answered) and short-lived. */
export interface PasskeyChallengeTable {
  /** base64url of 32 random bytes. */
  challenge: string
  service_id: string
  /** `registration` | `authentication`. */
  ceremony: string
  /** Null for a discoverable sign-in. */
  entity_id: string | null
  user_handle: string | null
  created_at: number
  expires_at: number
}

/** An account-recovery case: a support-approved reset of every sign-in method of an entity. */
export interface AccountRecoveryCaseTable {
  /** `rec_...` */
  id: string
  service_id: string
  entity_id: string
  /** `pending_approval` | `cooling_off` | `canceled` | `completed`. */
  status: string
  reason: string
  requested_by: string
  /** JSON `{phones, emails}`. */
  contacts: string
  approved_by: string | null
  effective_at: number | null
  created_at: number
  updated_at: number
  finished_at: number | null
}

/** Append-only log of a recovery case: rows are inserted, never updated or deleted. */
export interface AccountRecoveryEventTable {
  id: Generated<number>
  case_id: string
  type: string
  actor: string
  reason: string | null
  at: number
  /** JSON object with the facts of the event. */
  data: string
}

/** Twilio-facade settings of a service that verigate's own service has no column for (TOTP defaults). */
export interface TwilioServiceSettingsTable {
  service_id: string
  totp_issuer: string | null
  totp_time_step: number | null
  totp_code_length: number | null
  totp_skew: number | null
  /** 0/1: Twilio's `Psd2Enabled` (Amount and Payee required, the code bound to them). */
  psd2_enabled: Generated<number>
  /** 0/1: Twilio's `CustomCodeEnabled`. */
  custom_code_enabled: Generated<number>
  /** 0/1: verigate's resend cooldown applies to starts on the Twilio API (opt-in). */
  resend_cooldown: Generated<number>
  updated_at: number
}

/** A Twilio Service Rate Limit: a key the app passes in `RateLimits` when starting a verification. */
export interface TwilioRateLimitTable {
  /** `RK…` */
  sid: string
  service_id: string
  unique_name: string
  description: string | null
  created_at: number
  updated_at: number
}

/** One bucket of a rate limit: at most `max` starts per `interval_seconds` per key value. */
export interface TwilioRateLimitBucketTable {
  /** `BL…` */
  sid: string
  rate_limit_sid: string
  service_id: string
  max: number
  interval_seconds: number
  created_at: number
  updated_at: number
}

/** A Twilio Challenge of a TOTP factor (the factor module keeps no challenge rows). */
export interface TwilioChallengeTable {
  /** `YC…` */
  sid: string
  service_id: string
  identity: string
  factor_id: string
  factor_sid: string
  /** `pending` -> `approved` (expiry is computed from `expires_at`). */
  status: string
  /** JSON `{message, fields}` or NULL. */
  details: string | null
  /** JSON object or NULL. */
  hidden_details: string | null
  /** JSON object or NULL. */
  metadata: string | null
  expires_at: number
  responded_at: number | null
  created_at: number
  updated_at: number
}

/** One hand-over of an outbox message to a provider (a hop), with its own state (`HopState`). */
export interface ProviderMessageTable {
  provider_id: string
  provider_message_id: string
  message_id: string
  route_id: string
  sent_at: number
  channel: string | null
  /** ISO country of the destination, when known (route x country health). */
  country: string | null
  state: Generated<string>
  /** The failure outcome of a failed hop (DeliveryOutcome). */
  outcome: string | null
  settled_at: number | null
}

export interface WebhookEndpointTable {
  service_id: string
  url: string
  /** The signing secret, sealed with the keyring. */
  secret_sealed: string
  /** JSON array of webhook event types. */
  events: string
  created_at: number
  updated_at: number
}

export interface WebhookDeliveryTable {
  /** The event id (`evt_...`), stable across attempts. */
  id: string
  service_id: string
  type: string
  /** The exact JSON body that is sent and signed. */
  payload: string
  status: string
  attempts: number
  available_at: number
  last_status_code: number | null
  last_error: string | null
  created_at: number
  updated_at: number
  finished_at: number | null
}

export interface WebhookAttemptTable {
  id: Generated<number>
  delivery_id: string
  attempt: number
  at: number
  status_code: number | null
  error: string | null
  duration_ms: number
  next_attempt_at: number | null
}

/** A client session: one browser token's scope (`vct_...`, only its hash here) and its outcome. */
/** A key this database's values are sealed with: its id and check value, never the secret. */
export interface KeyFingerprintTable {
  key_id: string
  /** HKDF-derived check value (base64url, 128 bits): equal for equal secrets. */
  check_value: string
  first_seen_at: number
  /** When a process last started sealing new values with this key; null if none did. */
  last_current_at: number | null
}

export interface ClientSessionTable {
  /** `cs_...` */
  id: string
  service_id: string
  /** SHA-256 (base64url) of the token's secret. */
  secret_hash: string
  entity_id: string | null
  verification_id: string | null
  /** 0 or 1: whether this session started `verification_id` (only then may it cancel it). */
  owns_verification: number
  locale: string | null
  default_country: string | null
  prefill_to: string | null
  prefill_channel: string | null
  /** 0 or 1. */
  allow_enrolment: number
  /** `sms` | `call` | `whatsapp` | `email` | `totp` | `passkey` | `recovery_code`, once approved. */
  result_factor: string | null
  result_at: number | null
  expires_at: number
  created_at: number
}

/** A support console account (`stf_...`). */
export interface StaffTable {
  id: string
  /** Lower case; unique. */
  email: string
  /** `viewer` | `support` | `admin`. */
  role: string
  /** `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`: the parameters travel with the hash. */
  password_hash: string
  disabled_at: number | null
  last_login_at: number | null
  created_at: number
  updated_at: number
  /** JSON array of the service ids the member is limited to; NULL: every service (migration 0025). */
  service_ids: string | null
}

/** A console session: SHA-256 of the cookie's token, never the token itself. */
export interface StaffSessionTable {
  token_hash: string
  /** Null for a session opened with an admin API key. */
  staff_id: string | null
  /** Who the audit log names: the staff email, or `api-key <id>`. */
  actor: string
  role: string
  created_at: number
  last_seen_at: number
  expires_at: number
  revoked_at: number | null
}

/** Append-only log of console sign-ins and staff actions. */
export interface AuditLogTable {
  id: Generated<number>
  at: number
  actor: string
  actor_role: string
  action: string
  /** What was acted on (`+447700900123`, `ver_...`, `stf_...`, an entity id), when anything. */
  target: string | null
  reason: string | null
  /** JSON object with the facts of the action. */
  details: string
  ip: string | null
  /** The service the entry concerns, when one (migration 0041); null for installation-wide ones. */
  service_id: string | null
}

/** Numbers exempt from the SMS-pumping guard and the per-destination send limit. */
export interface SafeListTable {
  destination: string
  reason: string
  added_by: string
  added_at: number
}

/** A rate-drop alert (src/analytics/alert.ts). */
export interface AlertTable {
  /** `alr_...` */
  id: string
  /** `delivery_rate_drop` | `conversion_rate_drop`. */
  kind: string
  /** `country` | `route` | `channel`. */
  dimension: string
  key: string
  /** `open` | `recovered`. */
  status: string
  /** `kind|dimension|key` while open, NULL after: unique, so one open alert per key. */
  open_key: string | null
  baseline_rate: number
  baseline_samples: number
  recent_rate: number
  recent_samples: number
  recovered_rate: number | null
  /** JSON array of service ids. */
  service_ids: string
  opened_at: number
  recovered_at: number | null
  updated_at: number
}

/** A receipt whose hand-over was not recorded yet (migration 0030-held-receipts). */
export interface HeldReceiptTable {
  id: Generated<number>
  provider_id: string
  provider_message_id: string
  /** The normalised DeliveryReport, JSON. */
  report: string
  received_at: number
}

export interface Database {
  api_keys: ApiKeyTable
  services: ServiceTable
  verifications: VerificationTable
  verification_events: VerificationEventTable
  outbox: OutboxTable
  provider_messages: ProviderMessageTable
  totp_factors: TotpFactorTable
  recovery_codes: RecoveryCodeTable
  passkeys: PasskeyTable
  passkey_challenges: PasskeyChallengeTable
  account_recovery_cases: AccountRecoveryCaseTable
  account_recovery_events: AccountRecoveryEventTable
  twilio_service_settings: TwilioServiceSettingsTable
  twilio_rate_limits: TwilioRateLimitTable
  twilio_rate_limit_buckets: TwilioRateLimitBucketTable
  twilio_challenges: TwilioChallengeTable
  webhook_endpoints: WebhookEndpointTable
  webhook_deliveries: WebhookDeliveryTable
  webhook_attempts: WebhookAttemptTable
  client_sessions: ClientSessionTable
  key_fingerprints: KeyFingerprintTable
  staff: StaffTable
  staff_sessions: StaffSessionTable
  audit_log: AuditLogTable
  safe_list: SafeListTable
  alerts: AlertTable
  held_receipts: HeldReceiptTable
}
