/**
 * @module `withTimeoutSignal`: `AbortSignal.timeout` that is cleared when the work ends. A signal
 * from `AbortSignal.timeout` keeps its timer (and a WeakRef) until the time is up, so at 500 sends
 * a second with a 10 s timeout about 5,000 of them wait in the timer list for nothing.
 */

/**
 * Runs `work` with a signal that aborts after `ms` with the same reason `AbortSignal.timeout` gives
 * (a `TimeoutError` DOMException), or when `outer` aborts (with its reason), and clears the timer
 * as soon as `work` settles.
 */
export async function withTimeoutSignal<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  )
  try {
    return await work(outer ? AbortSignal.any([outer, controller.signal]) : controller.signal)
  } finally {
    clearTimeout(timer)
  }
}
