/**
 * @module Webhook signatures, Stripe style: `Verigate-Signature: t=<unix seconds>,v1=<hex>` where
 * the hex is HMAC-SHA256 of `<t>.<raw body>` with the endpoint's secret. The timestamp is signed
 * too, so a captured request cannot be replayed after the tolerance.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'verigate-signature'

/** A new endpoint secret: `whsec_` + 256 random bits. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

/** The `Verigate-Signature` header value for `body` sent at `unixSeconds`. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')
  return `t=${unixSeconds},v1=${v1}`
}

/**
 * Checks a signature header against the raw body, in constant time, and refuses timestamps more
 * than `toleranceSeconds` away from `nowSeconds`. Same logic as the snippet in docs/webhooks.md.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined,
  opts: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false
  const parts = new Map<string, string[]>()
  for (const item of header.split(',')) {
    const eq = item.indexOf('=')
    if (eq <= 0) continue
    const key = item.slice(0, eq).trim()
    parts.set(key, [...(parts.get(key) ?? []), item.slice(eq + 1).trim()])
  }
  const t = Number(parts.get('t')?.[0])
  if (!Number.isInteger(t)) return false
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return false
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'))
  return (parts.get('v1') ?? []).some((sig) => {
    const got = Buffer.from(sig)
    return got.length === expected.length && timingSafeEqual(got, expected)
  })
}
