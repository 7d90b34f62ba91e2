import { describe, expect, it } from 'vitest'
import { BoundedCache } from './bounded-cache.js'

describe('BoundedCache', () => {
  it('returns what was stored and undefined for unknown keys', () => {
    const cache = new BoundedCache<string, number>(4)
    cache.set('a', 1)
    expect(cache.get('a')).toBe(1)
    expect(cache.get('b')).toBeUndefined()
  })

  it('never holds more than its capacity', () => {
    const cache = new BoundedCache<number, number>(10)
    for (let i = 0; i < 1000; i++) {
      cache.set(i, i)
      expect(cache.size).toBeLessThanOrEqual(10)
    }
    expect(cache.get(999)).toBe(999)
    expect(cache.get(0)).toBeUndefined()
  })

  it('keeps an entry that is read while newer entries arrive', () => {
    const cache = new BoundedCache<string, number>(4)
    cache.set('kept', 0)
    for (let i = 0; i < 20; i++) {
      cache.set(`filler-${i}`, i)
      expect(cache.get('kept')).toBe(0)
    }
    expect(cache.get('filler-0')).toBeUndefined()
  })

  it('overwrites a key without counting it twice', () => {
    const cache = new BoundedCache<string, number>(4)
    cache.set('a', 1)
    cache.set('b', 2)
    cache.set('c', 3)
    cache.set('a', 4)
    expect(cache.get('a')).toBe(4)
    expect(cache.size).toBe(3)
  })
})
