/** `inSpan` with no tracing SDK registered (the default): the step runs as it is, nothing else. */
import { trace } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'
import { inSpan } from './tracing.js'

describe('inSpan without a tracing SDK', () => {
  it('returns what the step returns, with a span that records nothing', async () => {
    const value = await inSpan('step', { a: 1 }, async (span) => {
      span.setAttribute('b', 2)
      expect(span.isRecording()).toBe(false)
      return 'done'
    })
    expect(value).toBe('done')
    expect(trace.getActiveSpan()).toBeUndefined()
  })

  it('rejects with the step error, thrown in it or before its first await', async () => {
    const boom = new Error('boom')
    await expect(
      inSpan('step', {}, async () => {
        throw boom
      }),
    ).rejects.toBe(boom)
    const early = inSpan('step', {}, (() => {
      throw boom
    }) as () => Promise<never>)
    await expect(early).rejects.toBe(boom)
  })
})
