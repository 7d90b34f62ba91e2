import { afterEach, describe, expect, it, vi } from 'vitest'
import { withTimeoutSignal } from './timeout-signal.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('withTimeoutSignal', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('aborts slow work with a TimeoutError, like AbortSignal.timeout', async () => {
    const reason = await withTimeoutSignal(
      20,
      ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    ).catch((err: unknown) => err)
    expect(reason).toBeInstanceOf(DOMException)
    expect((reason as DOMException).name).toBe('TimeoutError')
  })

  it('leaves no timer behind once the work is done', async () => {
    let seen: AbortSignal | undefined
    expect(
      await withTimeoutSignal(30, async ({ signal }) => {
        seen = signal
        return 'ok'
      }),
    ).toBe('ok')
    await sleep(60)
    expect(seen?.aborted).toBe(false)
  })

  it("also aborts when the caller's own signal does, with its reason", async () => {
    const caller = new AbortController()
    const pending = withTimeoutSignal(
      10_000,
      ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      caller.signal,
    ).catch((err: unknown) => err)
    caller.abort(new Error('shutting down'))
    expect(((await pending) as Error).message).toBe('shutting down')
  })

  it('makes no signal and no timer for work that never reads it', async () => {
    // An AbortSignal outlives the young generation on Node 20, so one per send filled the old one.
    const controllers = vi.spyOn(globalThis, 'AbortController')
    const timers = vi.spyOn(globalThis, 'setTimeout')
    expect(await withTimeoutSignal(1_000, async () => 'sent')).toBe('sent')
    expect(controllers).not.toHaveBeenCalled()
    expect(timers).not.toHaveBeenCalled()
  })

  it('reads the same signal every time it is asked', async () => {
    await withTimeoutSignal(1_000, async (deadline) => {
      expect(deadline.signal).toBe(deadline.signal)
    })
  })

  it('counts the deadline from the call, not from the first read of the signal', async () => {
    const started = performance.now()
    const reason = await withTimeoutSignal(200, async (deadline) => {
      await sleep(150)
      const { signal } = deadline
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
    }).catch((err: unknown) => err)
    expect((reason as DOMException).name).toBe('TimeoutError')
    // Armed for the 50 ms left, not a fresh 200 ms from the read (which would end at 350 ms or later).
    expect(performance.now() - started).toBeLessThan(300)
  })

  it('arms no timer for a signal first read after the work settled', async () => {
    let kept: { readonly signal: AbortSignal } | undefined
    await withTimeoutSignal(20, async (deadline) => {
      kept = deadline
    })
    const timers = vi.spyOn(globalThis, 'setTimeout')
    const late = kept!.signal
    expect(timers).not.toHaveBeenCalled()
    timers.mockRestore()
    await sleep(40)
    expect(late.aborted).toBe(false)
  })

  it('is already aborted when first read after the time is up', async () => {
    await withTimeoutSignal(10, async (deadline) => {
      await sleep(30)
      expect(deadline.signal.aborted).toBe(true)
      expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError')
    })
  })
})
