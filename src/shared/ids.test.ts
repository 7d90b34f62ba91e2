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

  it('sorts ids by the millisecond they were made in, so id-keyed indexes grow at one edge', () => {
    const t = Date.UTC(2026, 11, 6, 12, 0, 0)
    const earlier = Array.from({ length: 50 }, (_, i) => newId('verification', t + i))
    const later = Array.from({ length: 50 }, (_, i) => newId('verification', t + 1_000 + i))
    expect([...earlier, ...later].sort()).toEqual([...earlier, ...later])
    // Same millisecond: the same 9 time characters, then 15 random ones (75 bits) that differ.
    const a = newId('message', t)
    const b = newId('message', t)
    expect(a.slice(0, 13)).toBe(b.slice(0, 13))
    expect(a).not.toBe(b)
    // The time part reads back as the millisecond, in base32.
    const time = [...a.slice(4, 13)].reduce(
      (n, c) => n * 32 + '0123456789abcdefghjkmnpqrstvwxyz'.indexOf(c),
      0,
    )
    expect(time).toBe(t)
  })

  it('derives the same id from the same fact, and another from another', () => {
    const one = derivedId('event', 'verification.delivered|ver_1|msg_1')
    expect(one).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{24}$/)
    expect(derivedId('event', 'verification.delivered|ver_1|msg_1')).toBe(one)
    expect(derivedId('event', 'verification.delivered|ver_1|msg_2')).not.toBe(one)
  })
})
