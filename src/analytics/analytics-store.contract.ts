/**
 * @module The known-answer history every analytics test reads: verifications and messages with
 * exact timestamps, written straight into the tables (so each dialect's SQL is what is tested),
 * and the figures worked out by hand from them (see the comments next to each row).
 *
 * Window: `[T0, T0 + 24 h)`. Service A sends to GB on `twilio:sms:GB`; service B sends to US on
 * `vonage:sms:*` (one resend on `twilio:sms:US`). Rows just outside the window must never count.
 */
import type { Insertable, Kysely } from 'kysely'
import type { Database, OutboxTable, VerificationTable } from '../storage/schema.js'

export const T0 = Date.UTC(2026, 0, 10, 0, 0, 0)
export const HOUR = 3_600_000
export const MIN = 60_000
export const SEC = 1_000
export const WINDOW = { from: T0, to: T0 + 24 * HOUR } as const

interface V {
  id: string
  service: 'A' | 'B'
  country: string | null
  channel?: string
  created: number
  /** Approved this long after creation (or at this absolute time when `approvedAt`). */
  verifiedAfter?: number
  approvedAt?: number
}

interface M {
  id: string
  v: string
  sendNumber?: number
  created: number
  status: 'queued' | 'sent' | 'delivered' | 'failed'
  route: string | null
  provider: string | null
  channel?: string
  sentAfter?: number
  deliveredAfter?: number
  failedAfter?: number
}

const FROM = WINDOW.from
const TO = WINDOW.to

/** 10 verifications in the window (7 verified by its end), 2 just outside it. */
export const VERIFICATIONS: readonly V[] = [
  // hour 0 (v1 exactly at `from`: inclusive)
  { id: 'ver_v1', service: 'A', country: 'GB', created: FROM, verifiedAfter: 10 * SEC },
  { id: 'ver_v2', service: 'A', country: 'GB', created: FROM + 10 * MIN, verifiedAfter: 20 * SEC },
  { id: 'ver_v3', service: 'A', country: 'GB', created: FROM + 20 * MIN, verifiedAfter: 30 * SEC },
  // hour 1
  { id: 'ver_v4', service: 'A', country: 'GB', created: FROM + HOUR, verifiedAfter: 40 * SEC },
  { id: 'ver_v5', service: 'A', country: 'GB', created: FROM + HOUR + 5 * MIN, verifiedAfter: 50 * SEC },
  // approved only after the window ended: started, not verified
  { id: 'ver_v6', service: 'A', country: 'GB', created: FROM + HOUR + 10 * MIN, approvedAt: TO + SEC },
  // hour 5
  { id: 'ver_v7', service: 'B', country: 'US', created: FROM + 5 * HOUR, verifiedAfter: 60 * SEC },
  {
    id: 'ver_v8',
    service: 'B',
    country: 'US',
    channel: 'whatsapp',
    created: FROM + 5 * HOUR + MIN,
    verifiedAfter: 120 * SEC,
  },
  { id: 'ver_v9', service: 'B', country: 'US', created: FROM + 5 * HOUR + 2 * MIN },
  { id: 'ver_v10', service: 'B', country: 'US', created: FROM + 5 * HOUR + 3 * MIN },
  // outside: 1 ms before `from`, and exactly at `to` (exclusive)
  { id: 'ver_out1', service: 'A', country: 'GB', created: FROM - 1, verifiedAfter: SEC },
  { id: 'ver_out2', service: 'B', country: 'US', created: TO, verifiedAfter: SEC },
]

export const MESSAGES: readonly M[] = [
  {
    id: 'msg_m1',
    v: 'ver_v1',
    created: FROM,
    status: 'delivered',
    route: 'twilio:sms:GB',
    provider: 'twilio',
    sentAfter: 100,
    deliveredAfter: 1 * SEC,
  },
  {
    id: 'msg_m2',
    v: 'ver_v2',
    created: FROM + 10 * MIN,
    status: 'delivered',
    route: 'twilio:sms:GB',
    provider: 'twilio',
    sentAfter: 100,
    deliveredAfter: 2 * SEC,
  },
  {
    id: 'msg_m3',
    v: 'ver_v3',
    created: FROM + 20 * MIN,
    status: 'delivered',
    route: 'twilio:sms:GB',
    provider: 'twilio',
    sentAfter: 100,
    deliveredAfter: 3 * SEC,
  },
  {
    id: 'msg_m4',
    v: 'ver_v4',
    created: FROM + HOUR,
    status: 'delivered',
    route: 'twilio:sms:GB',
    provider: 'twilio',
    sentAfter: 100,
    deliveredAfter: 4 * SEC,
  },
  {
    id: 'msg_m5',
    v: 'ver_v5',
    created: FROM + HOUR + 5 * MIN,
    status: 'delivered',
    route: 'twilio:sms:GB',
    provider: 'twilio',
    sentAfter: 100,
    deliveredAfter: 5 * SEC,
  },
  // handed over, then a failed receipt and no route left
  {
    id: 'msg_m6',
    v: 'ver_v6',
    created: FROM + HOUR + 10 * MIN,
    status: 'failed',
    route: 'twilio:sms:GB',
    provider: 'twilio',
    sentAfter: 100,
    failedAfter: 3 * SEC,
  },
  {
    id: 'msg_m7',
    v: 'ver_v7',
    created: FROM + 5 * HOUR,
    status: 'delivered',
    route: 'vonage:sms:*',
    provider: 'vonage',
    sentAfter: 100,
    deliveredAfter: 8 * SEC,
  },
  {
    id: 'msg_m8',
    v: 'ver_v8',
    channel: 'whatsapp',
    created: FROM + 5 * HOUR + MIN,
    status: 'delivered',
    route: 'vonage:sms:*',
    provider: 'vonage',
    sentAfter: 100,
    deliveredAfter: 10 * SEC,
  },
  // in flight (awaiting its receipt): sent, no final outcome
  {
    id: 'msg_m9',
    v: 'ver_v9',
    created: FROM + 5 * HOUR + 2 * MIN,
    status: 'sent',
    route: 'vonage:sms:*',
    provider: 'vonage',
    sentAfter: 100,
  },
  // given up before any provider took it (no route): failed, never sent
  {
    id: 'msg_m10',
    v: 'ver_v10',
    created: FROM + 5 * HOUR + 3 * MIN,
    status: 'failed',
    route: null,
    provider: null,
    failedAfter: 100,
  },
  // resend of v9 on another route (hour 6)
  {
    id: 'msg_m11',
    v: 'ver_v9',
    sendNumber: 2,
    created: FROM + 6 * HOUR,
    status: 'delivered',
    route: 'twilio:sms:US',
    provider: 'twilio',
    sentAfter: 100,
    deliveredAfter: 6 * SEC,
  },
  // resend of v10 at the very end (hour 23): sent inside, delivered only after the window
  {
    id: 'msg_m12',
    v: 'ver_v10',
    sendNumber: 2,
    created: TO - SEC,
    status: 'delivered',
    route: 'vonage:sms:*',
    provider: 'vonage',
    sentAfter: 500,
    deliveredAfter: 1500,
  },
  // outside
  {
    id: 'msg_out1',
    v: 'ver_out1',
    created: FROM - 1,
    status: 'delivered',
    route: 'twilio:sms:GB',
    provider: 'twilio',
    sentAfter: 10,
    deliveredAfter: 100,
  },
  {
    id: 'msg_out2',
    v: 'ver_out2',
    created: TO,
    status: 'failed',
    route: 'vonage:sms:*',
    provider: 'vonage',
    sentAfter: 10,
    failedAfter: 100,
  },
]

/** Worked out by hand from the rows above. */
export const KNOWN = {
  totals: {
    started: 10,
    verified: 7,
    conversion_rate: 0.7,
    // m1-m12: every send asked for, whatever became of it (= delivered + failed + pending)
    messages_sent: 12,
    // m1-m9, m11, m12 (m10 never reached a provider)
    messages_handed_over: 11,
    // m1-m5, m7, m8, m11
    messages_delivered: 8,
    // m6, m10
    messages_failed: 2,
    // m9 (awaiting its receipt), m12 (delivered only after the window)
    messages_pending: 2,
    delivery_rate: 0.8,
    // two resends (m11, m12) over ten verifications
    sends_per_verification: 1.2,
    // queued -> delivered, sorted: 1,2,3,4,5,6,8,10 s; nearest rank: p50 = 4th, p90 = 8th
    time_to_delivery_ms: { p50: 4_000, p90: 10_000 },
    // created -> approved, sorted: 10,20,30,40,50,60,120 s; p50 = 4th (ceil 3.5), p90 = 7th (ceil 6.3)
    time_to_verify_ms: { p50: 40_000, p90: 120_000 },
  },
  country: {
    GB: {
      started: 6,
      verified: 5,
      conversion_rate: 0.8333,
      messages_sent: 6,
      messages_handed_over: 6,
      messages_delivered: 5,
      messages_failed: 1,
      messages_pending: 0,
      delivery_rate: 0.8333,
      sends_per_verification: 1,
      time_to_delivery_ms: { p50: 3_000, p90: 5_000 },
      time_to_verify_ms: { p50: 30_000, p90: 50_000 },
    },
    US: {
      started: 4,
      verified: 2,
      conversion_rate: 0.5,
      messages_sent: 6,
      messages_handed_over: 5,
      messages_delivered: 3,
      messages_failed: 1,
      messages_pending: 2,
      delivery_rate: 0.75,
      sends_per_verification: 1.5,
      // 6, 8, 10 s
      time_to_delivery_ms: { p50: 8_000, p90: 10_000 },
      time_to_verify_ms: { p50: 60_000, p90: 120_000 },
    },
  },
  /** series points with anything in them: hour offset -> counts. */
  series: {
    0: { started: 3, verified: 3, sent: 3, delivered: 3 },
    1: { started: 3, verified: 2, sent: 3, delivered: 2 },
    5: { started: 4, verified: 2, sent: 4, delivered: 2 },
    6: { started: 0, verified: 0, sent: 1, delivered: 1 },
    23: { started: 0, verified: 0, sent: 1, delivered: 0 },
  } as Record<number, { started: number; verified: number; sent: number; delivered: number }>,
} as const

/** Writes the history. `services` maps A and B to real service ids (verifications reference services). */
export async function seedKnownHistory(
  db: Kysely<Database>,
  services: { A: string; B: string },
): Promise<void> {
  const vById = new Map(VERIFICATIONS.map((v) => [v.id, v]))
  const verifications: Insertable<VerificationTable>[] = VERIFICATIONS.map((v) => {
    const approvedAt = v.approvedAt ?? (v.verifiedAfter === undefined ? null : v.created + v.verifiedAfter)
    return {
      id: v.id,
      service_id: services[v.service],
      channel: v.channel ?? 'sms',
      destination: `+1555000${v.id.length}${v.created % 1000}`,
      country: v.country,
      status: approvedAt === null ? 'pending' : 'approved',
      code_hmac: 't1:x',
      code_ciphertext: null,
      code_length: 6,
      locale: 'en',
      check_attempts: approvedAt === null ? 0 : 1,
      max_check_attempts: 5,
      send_count: 1,
      max_sends: 5,
      last_sent_at: v.created,
      expires_at: v.created + 10 * MIN,
      client_ip: null,
      idempotency_key: null,
      idempotency_fingerprint: null,
      pending_key: null,
      created_at: v.created,
      updated_at: approvedAt ?? v.created,
      finished_at: approvedAt,
    }
  })
  const messages: Insertable<OutboxTable>[] = MESSAGES.map((m) => {
    const v = vById.get(m.v)!
    const sentAt = m.sentAfter === undefined ? null : m.created + m.sentAfter
    const deliveredAt = m.deliveredAfter === undefined ? null : m.created + m.deliveredAfter
    const failedAt = m.failedAfter === undefined ? null : m.created + m.failedAfter
    return {
      id: m.id,
      verification_id: m.v,
      service_id: services[v.service],
      channel: m.channel ?? 'sms',
      destination: 'x',
      status: m.status,
      send_number: m.sendNumber ?? 1,
      attempts: 1,
      available_at: m.created,
      lease_until: null,
      provider_id: m.provider,
      provider_message_id: sentAt === null ? null : `p-${m.id}`,
      delivery_outcome:
        m.status === 'delivered'
          ? 'delivered'
          : m.status === 'sent'
            ? 'pending'
            : m.status === 'failed'
              ? 'unreachable'
              : null,
      last_error_code: null,
      last_error_text: null,
      created_at: m.created,
      updated_at: failedAt ?? deliveredAt ?? sentAt ?? m.created,
      sent_at: sentAt,
      delivered_at: deliveredAt,
      route_id: m.route,
      sender: null,
      tried_routes: JSON.stringify(m.route ? [m.route] : []),
      hops: sentAt === null ? 0 : 1,
    }
  })
  await db.insertInto('verifications').values(verifications).execute()
  await db.insertInto('outbox').values(messages).execute()
}
