import { describe, expect, it } from 'vitest'
import { claimedFreshMessage, type NewOutboxMessage } from './outbox.js'

// A message with every field the type has: adding a field to NewOutboxMessage breaks this literal,
// and the test below then checks that claimedFreshMessage (which lists its fields by hand) keeps it.
const everyField: Required<NewOutboxMessage> & { readonly claimedUntil: number } = {
  id: 'msg_1',
  verificationId: 'ver_1',
  serviceId: 'svc_1',
  channel: 'sms',
  destination: '+447700900123',
  sendNumber: 2,
  createdAt: 1_000,
  avoidRoutes: ['primary:sms:*'],
  claimedUntil: 31_000,
}

describe('claimedFreshMessage', () => {
  it('keeps every field of the new message, and reads as a claimed, untried send', () => {
    const m = claimedFreshMessage(everyField)
    for (const [key, value] of Object.entries(everyField)) expect(m).toHaveProperty(key, value)
    expect(m).toMatchObject({
      status: 'sending',
      attempts: 1,
      availableAt: 31_000,
      leaseUntil: null,
      providerId: null,
      hops: 0,
      plan: {},
      triedRoutes: ['primary:sms:*'],
    })
    expect(m.triedRoutes).not.toBe(everyField.avoidRoutes)
  })

  it('is what the spread it replaces gave, with and without routes to avoid', () => {
    const { avoidRoutes: _, ...withoutAvoid } = everyField
    const inputs: Array<NewOutboxMessage & { readonly claimedUntil: number }> = [everyField, withoutAvoid]
    for (const input of inputs) {
      const spread = {
        ...input,
        status: 'sending',
        attempts: 1,
        availableAt: input.claimedUntil,
        leaseUntil: null,
        providerId: null,
        providerMessageId: null,
        deliveryOutcome: null,
        lastErrorCode: null,
        lastErrorText: null,
        sentAt: null,
        deliveredAt: null,
        routeId: null,
        sender: null,
        triedRoutes: [...(input.avoidRoutes ?? [])],
        hops: 0,
        plan: {},
      }
      expect(claimedFreshMessage(input)).toStrictEqual(spread)
    }
  })
})
