import { describe, expect, it } from 'vitest'
import { generateWebhookSecret, signWebhook, verifyWebhookSignature } from './signature.js'
import { webhookBackoffMs } from './webhook-worker.js'

describe('webhook signatures', () => {
  const secret = generateWebhookSecret()
  const body = '{"id":"evt_1","type":"verification.approved"}'

  it('signs t.body with HMAC-SHA256 and verifies within the tolerance', () => {
    const header = signWebhook(secret, body, 1_700_000_000)
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/)
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: 1_700_000_000 + 299 })).toBe(true)
  })

  it('refuses another body, another secret, an old timestamp and garbage', () => {
    const header = signWebhook(secret, body, 1_700_000_000)
    const now = { nowSeconds: 1_700_000_000 }
    expect(verifyWebhookSignature(secret, `${body} `, header, now)).toBe(false)
    expect(verifyWebhookSignature(generateWebhookSecret(), body, header, now)).toBe(false)
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: 1_700_000_000 + 301 })).toBe(false)
    expect(verifyWebhookSignature(secret, body, header.replace('t=1700000000', 't=1700000001'), now)).toBe(
      false,
    )
    expect(verifyWebhookSignature(secret, body, undefined, now)).toBe(false)
    expect(verifyWebhookSignature(secret, body, 'v1=abc', now)).toBe(false)
  })

  it('secrets are whsec_ + 256 bits and never repeat', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(generateWebhookSecret()).not.toBe(secret)
  })
})

describe('webhook backoff', () => {
  it('doubles per attempt with jitter in [half, full], capped', () => {
    expect(webhookBackoffMs(1, 1000, 60_000, () => 0)).toBe(500)
    expect(webhookBackoffMs(1, 1000, 60_000, () => 1)).toBe(1000)
    expect(webhookBackoffMs(3, 1000, 60_000, () => 1)).toBe(4000)
    expect(webhookBackoffMs(20, 1000, 60_000, () => 1)).toBe(60_000)
  })
})
