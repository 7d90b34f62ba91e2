import { describe, expect, it } from 'vitest'
import { withTimeoutSignal } from './timeout-signal.js'

describe('withTimeoutSignal', () => {
  it('aborts slow work with a TimeoutError, like AbortSignal.timeout', async () => {
    const reason = await withTimeoutSignal(
      20,
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    ).catch((err: unknown) => err)
    expect(reason).toBeInstanceOf(DOMException)
    expect((reason as DOMException).name).toBe('TimeoutError')
  })

  it('leaves no timer behind once the work is done', async () => {
    let seen: AbortSignal | undefined
    expect(
      await withTimeoutSignal(30, async (signal) => {
        seen = signal
        return 'ok'
      }),
    ).toBe('ok')
    await new Promise((r) => setTimeout(r, 60))
    expect(seen?.aborted).toBe(false)
  })

  it("also aborts when the caller's own signal does, with its reason", async () => {
    const caller = new AbortController()
    const pending = withTimeoutSignal(
      10_000,
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      caller.signal,
    ).catch((err: unknown) => err)
    caller.abort(new Error('shutting down'))
    expect(((await pending) as Error).message).toBe('shutting down')
  })
})
