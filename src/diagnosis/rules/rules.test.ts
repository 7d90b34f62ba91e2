/** The rule modules on their own: each reads the facts and returns findings, never sentences. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../../delivery/outbox.js'
import { analyzePhoneNumber } from '../../phone/index.js'
import type { Verification } from '../../verification/verification.js'
import { readFacts } from '../facts.js'
import { RULES } from './index.js'
import { numberRule } from './number.js'
import { pendingRule } from './pending.js'

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0)

const verification = {
  id: 'ver_rules',
  serviceId: 'svc_rules',
  channel: 'sms',
  destination: '+447700900123',
  country: 'GB',
  status: 'pending',
  codeHmac: 'k:h',
  codeCiphertext: 'k:c',
  codeLength: 6,
  locale: 'en',
  checkAttempts: 0,
  maxCheckAttempts: 5,
  sendCount: 1,
  maxSends: 5,
  lastSentAt: T0,
  expiresAt: T0 + 600_000,
  clientIp: null,
  idempotencyKey: null,
  idempotencyFingerprint: null,
  createdAt: T0,
  updatedAt: T0,
  finishedAt: null,
} satisfies Verification

const queued = {
  id: 'msg_1',
  verificationId: 'ver_rules',
  serviceId: 'svc_rules',
  channel: 'sms',
  destination: '+447700900123',
  sendNumber: 1,
  createdAt: T0,
  status: 'queued',
  attempts: 1,
  availableAt: T0 + 5_000,
  leaseUntil: null,
  providerId: null,
  providerMessageId: null,
  deliveryOutcome: 'pending',
  lastErrorCode: null,
  lastErrorText: null,
  sentAt: null,
  deliveredAt: null,
  routeId: null,
  sender: null,
  triedRoutes: [],
  hops: 0,
  plan: {},
} satisfies OutboxMessage

describe('diagnosis rules', () => {
  it('run in the documented order', () => {
    const names = RULES.map((r) => r.name)
    expect(names).toEqual(['number', 'limits', 'delivery', 'pending', 'check', 'state'])
    const doc = readFileSync(new URL('../../../docs/diagnosis.md', import.meta.url), 'utf8')
    const documented = [...doc.matchAll(/^\d+\. `rules\/([a-z]+)\.ts`/gm)].map((m) => m[1])
    expect(documented).toEqual(names)
  })

  it('a rule returns findings that ask for catalog words, not sentences', () => {
    const [landline] = numberRule.find(
      readFacts({ now: T0, phone: analyzePhoneNumber('+442079460001') }),
      new Set(),
    )
    expect(landline).toMatchObject({
      id: 'number_not_sms_capable',
      likelihood: 'confirmed',
      user: { situation: 'number_type', values: { type: 'fixed_line', voice: 'yes' } },
      facts: { suggested_channel: 'call' },
    })
  })

  it('a later rule stays silent when an earlier one found what explains more', () => {
    const facts = readFacts({ now: T0, verification, messages: [queued] })
    expect(pendingRule.find(facts, new Set()).map((f) => f.id)).toEqual(['not_sent_yet'])
    expect(pendingRule.find(facts, new Set(['provider_outage']))).toEqual([])
  })
})
