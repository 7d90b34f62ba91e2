import { describe, expect, it } from 'vitest'
import { pooledRandomBytes } from './random-pool.js'

describe('pooledRandomBytes', () => {
  it('hands out fresh bytes across refills of its block, each in a buffer of its own', () => {
    const draws = Array.from({ length: 3_000 }, () => pooledRandomBytes(12))
    expect(new Set(draws.map((b) => b.toString('hex'))).size).toBe(draws.length)
    const first = draws[0]!
    const copy = Buffer.from(first)
    pooledRandomBytes(8_000) // refills the block under the earlier draws
    expect(first.equals(copy)).toBe(true)
    expect(() => pooledRandomBytes(8_193)).toThrow(RangeError)
  })
})
