/** Sid mapping: reversible for verigate ids, checked, deterministic for accounts. */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newId } from '../shared/ids.js'
import { hashedSid, idFromSid, isSid, randomSid, sidFor, twilioAccountSid, twilioApiKeySid } from './sids.js'

describe('sids', () => {
  it('maps service, verification and message ids to VA / VE / VL sids and back', () => {
    for (const [prefix, kind] of [
      ['VA', 'service'],
      ['VE', 'verification'],
      ['VL', 'message'],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const id = newId(kind)
        const sid = sidFor(prefix, id)
        expect(sid).toMatch(new RegExp(`^${prefix}[0-9a-f]{32}$`))
        expect(idFromSid(prefix, sid)).toBe(id)
        // Twilio sid patterns allow either case of hex.
        expect(idFromSid(prefix, `${prefix}${sid.slice(2).toUpperCase()}`)).toBe(id)
      }
    }
  })

  it('keeps id order, so keyset paging by id and by sid agree', () => {
    const ids = Array.from({ length: 100 }, () => newId('service')).sort()
    const sids = ids.map((id) => sidFor('VA', id))
    expect([...sids].sort()).toEqual(sids)
  })

  it('refuses sids it did not make: wrong prefix, wrong check byte, wrong shape', () => {
    // A fixed id: with a random one, the relabelled sid's check byte matches 1 time in 256 (below).
    const sid = sidFor('VA', 'svc_0123456789abcdefghjkmnpq')
    expect(idFromSid('VE', `VE${sid.slice(2)}`)).toBeUndefined()
    const last = sid.at(-1) === '0' ? '1' : '0'
    expect(idFromSid('VA', `${sid.slice(0, -1)}${last}`)).toBeUndefined()
    expect(idFromSid('VA', 'VA123')).toBeUndefined()
    expect(idFromSid('VA', `VA${'g'.repeat(32)}`)).toBeUndefined()
    expect(isSid(sid, 'VA')).toBe(true)
    expect(isSid(sid, 'VE')).toBe(false)
  })

  it("refuses another kind's sid but for the check byte's 1-in-256 collisions", () => {
    // One check byte is 8 bits: a service sid relabelled as a verification's passes it with
    // probability 1/256 (then it names an id that does not exist, and the lookup finds nothing).
    // Over 2,000 ids about 8 collide; more than 40 would mean the check does not depend on the prefix.
    let collisions = 0
    for (let i = 0; i < 2_000; i++) {
      const sid = sidFor('VA', newId('service'))
      if (idFromSid('VE', `VE${sid.slice(2)}`) !== undefined) collisions++
    }
    expect(collisions).toBeLessThan(40)
  })

  it('throws for ids that are not newId ids of the right kind', () => {
    expect(() => sidFor('VA', newId('verification'))).toThrow(/cannot make a VA sid/)
    expect(() => sidFor('VA', 'svc_short')).toThrow()
    expect(() => sidFor('VA', `svc_${'i'.repeat(24)}`)).toThrow()
  })

  it('derives AccountSid and SK sid from the first 16 bytes of sha256(key id)', () => {
    const keyId = 'key_0123456789abcdefghjkmnpq'
    const hex = createHash('sha256').update(keyId).digest('hex').slice(0, 32)
    expect(twilioAccountSid(keyId)).toBe(`AC${hex}`)
    expect(twilioApiKeySid(keyId)).toBe(`SK${hex}`)
    expect(twilioAccountSid('key_other')).not.toBe(twilioAccountSid(keyId))
  })

  it('hashes entities and factors, and makes random facade sids', () => {
    expect(hashedSid('YE', 'svc_1', 'user-1')).toMatch(/^YE[0-9a-f]{32}$/)
    expect(hashedSid('YE', 'svc_1', 'user-1')).toBe(hashedSid('YE', 'svc_1', 'user-1'))
    expect(hashedSid('YE', 'svc_1', 'user-1')).not.toBe(hashedSid('YE', 'svc_1user-1', ''))
    expect(randomSid('RK')).toMatch(/^RK[0-9a-f]{32}$/)
    expect(randomSid('BL')).not.toBe(randomSid('BL'))
  })
})
