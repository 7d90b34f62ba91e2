/**
 * @module `withTimeoutSignal`: `AbortSignal.timeout` that is cleared when the work ends, and made
 * only if the work asks for it.
 *
 * Cleared: a signal from `AbortSignal.timeout` keeps its timer (and a WeakRef) until the time is up,
 * so at 500 sends a second with a 10 s timeout about 5,000 of them wait in the timer list for
 * nothing.
 *
 * Made on demand: on Node 20 an AbortSignal outlives the young generation (V8 keeps it through
 * two scavenges whatever references it), so one per send moved it and what it holds into the old
 * generation, which only a major GC (a pause of 10-20 ms under load) clears. Most sends never look
 * at the signal (the carrier simulator, a provider that answers at once), so none is made for them.
 */

/** What the work receives: its signal, made on first read. Pass it on as a provider's `opts`. */
export interface Deadline {
  readonly signal: AbortSignal
}

/**
 * Runs `work` with a {@link Deadline} whose signal aborts `ms` after this call with the same reason
 * `AbortSignal.timeout` gives (a `TimeoutError` DOMException), or when `outer` aborts (with its
 * reason). The signal and its timer are made when `deadline.signal` is first read, armed for the
 * time left, and the timer is cleared as soon as `work` settles.
 */
export async function withTimeoutSignal<T>(
  ms: number,
  work: (deadline: Deadline) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const startedAt = performance.now()
  let settled = false
  let signal: AbortSignal | undefined
  let timer: NodeJS.Timeout | undefined
  const deadline: Deadline = {
    get signal() {
      if (signal) return signal
      const controller = new AbortController()
      // Read after the work settled (a provider that kept its opts): the deadline no longer
      // applies, as an eagerly made signal's cleared timer would not fire, and no timer is left.
      if (!settled) {
        const abort = () =>
          controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
        const left = ms - (performance.now() - startedAt)
        if (left <= 0) abort()
        else timer = setTimeout(abort, left)
      }
      signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal
      return signal
    },
  }
  try {
    return await work(deadline)
  } finally {
    settled = true
    if (timer) clearTimeout(timer)
  }
}
