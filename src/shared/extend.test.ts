import { describe, expect, it } from 'vitest'
import { extend } from './extend.js'

describe('extend', () => {
  it('is the spread merge: base first, extra wins, neither changed', () => {
    const base = { a: 1, b: 'x' } as { a: number; b: string; c?: boolean }
    const extra = { b: 'y', c: true }
    const merged = extend(base, extra)
    expect(merged).toEqual({ ...base, ...extra })
    expect(Object.keys(merged)).toEqual(['a', 'b', 'c'])
    expect(base).toEqual({ a: 1, b: 'x' })
    expect(merged).not.toBe(base)
  })

  it('keeps an explicit null or undefined from extra, as a spread does', () => {
    expect(extend({ retryRoute: 'r1', retries: 2 }, { retryRoute: null, retries: 0 })).toEqual({
      retryRoute: null,
      retries: 0,
    })
    expect(extend({ at: 1 }, { claimedUntil: undefined })).toEqual({ at: 1, claimedUntil: undefined })
    expect('claimedUntil' in extend({ at: 1 }, { claimedUntil: undefined })).toBe(true)
  })
})
