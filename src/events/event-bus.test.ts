import { describe, expect, it } from 'vitest'
import { EventBus } from './event-bus.js'
import type { NewVerificationEvent } from './verification-event.js'

const event: NewVerificationEvent = {
  verificationId: 'ver_1',
  serviceId: 'svc_1',
  destination: '+447700900123',
  type: 'created',
  at: 1,
  data: {},
}

describe('EventBus', () => {
  it('delivers to every subscriber and stops after unsubscribe', () => {
    const bus = new EventBus()
    const a: string[] = []
    const b: string[] = []
    const off = bus.subscribe((e) => a.push(e.type))
    bus.subscribe((e) => b.push(e.type))
    bus.publish(event)
    off()
    bus.publish(event)
    expect(a).toEqual(['created'])
    expect(b).toEqual(['created', 'created'])
  })

  it('a throwing listener is reported and does not stop the others', () => {
    const errors: unknown[] = []
    const bus = new EventBus((err) => errors.push(err))
    const seen: string[] = []
    bus.subscribe(() => {
      throw new Error('boom')
    })
    bus.subscribe((e) => seen.push(e.type))
    expect(() => bus.publish(event)).not.toThrow()
    expect(seen).toEqual(['created'])
    expect(errors).toHaveLength(1)
  })
})
