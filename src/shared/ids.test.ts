import { describe, expect, it } from 'vitest'
import { derivedId, hasPrefix, newId } from './ids.js'

describe('ids', () => {
  it('draws random prefixed ids', () => {
    const a = newId('verification')
    expect(a).toMatch(/^ver_[0-9a-hjkmnp-tv-z]{24}$/)
    expect(newId('verification')).not.toBe(a)
    expect(hasPrefix(a, 'verification')).toBe(true)
  })

  it('never repeats an id across refills of its pool of random bytes (256 ids a refill)', () => {
    const ids = Array.from({ length: 2_000 }, () => newId('message'))
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-hjkmnp-tv-z]{24}$/)
  })

  it('derives the same id from the same fact, and another from another', () => {
    const one = derivedId('event', 'verification.delivered|ver_1|msg_1')
    expect(one).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{24}$/)
    expect(derivedId('event', 'verification.delivered|ver_1|msg_1')).toBe(one)
    expect(derivedId('event', 'verification.delivered|ver_1|msg_2')).not.toBe(one)
  })
})
