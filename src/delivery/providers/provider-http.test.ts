/** @module The shared HTTP helpers: reading `Retry-After` and the default reading of an error status. */
import { describe, expect, it } from 'vitest'
import { errorForStatus, retryAfterMs } from './provider-http.js'

describe('retryAfterMs', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }))).toBe(7000)
    expect(retryAfterMs(new Headers({ 'retry-after': ' 0 ' }))).toBe(0)
  })

  it("reads an HTTP-date against the answer's own Date header, never below zero", () => {
    const date = 'Thu, 01 Jan 2026 00:00:00 GMT'
    expect(retryAfterMs(new Headers({ date, 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }))).toBe(30_000)
    expect(retryAfterMs(new Headers({ date, 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }))).toBe(0)
  })

  it('says nothing when the hint is absent or cannot be read', () => {
    expect(retryAfterMs(new Headers())).toBeUndefined()
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined()
    expect(retryAfterMs(new Headers({ 'retry-after': '-5' }))).toBeUndefined()
    // An HTTP-date without the answer's Date would be read against our clock: not trusted.
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }))).toBeUndefined()
  })
})

describe('errorForStatus', () => {
  it.each([
    [429, 'provider_throttled', true],
    [500, 'provider_error', true],
    [503, 'provider_error', true],
    [408, 'provider_error', true],
    [401, 'provider_error', false],
    [403, 'provider_error', false],
    [400, 'provider_error', false],
  ] as const)('reads HTTP %i as %s, retryable=%s', (status, outcome, retryable) => {
    expect(errorForStatus({ status, retryAfterMs: undefined }, undefined, undefined)).toMatchObject({
      outcome,
      retryable,
      rawCode: String(status),
      httpStatus: status,
      retryAfterMs: undefined,
    })
  })

  it("carries the answer's retry hint", () => {
    expect(errorForStatus({ status: 429, retryAfterMs: 7000 }, 'x', 'Slow down')).toMatchObject({
      retryAfterMs: 7000,
      rawCode: 'x',
      rawText: 'Slow down',
    })
  })
})
