/**
 * @module PollLoop: the worker loop shared by the outbox dispatcher and the webhook worker. A drain
 * runs on every tick of `intervalMs` (to pick up work that became due) and as soon as possible after
 * `kick()` (new work). Kicks during a drain make exactly one more drain; many kicks in one tick make
 * one. A failing drain is reported and the loop goes on; while drains keep failing (a database
 * outage), the ticks slow down, doubling up to `outageIntervalMs`, so the loop neither spins nor
 * floods the log, and it is back at its pace after the first drain that works.
 */
export interface PollLoopOptions {
  readonly intervalMs: number
  /** The slowest tick while drains keep failing. @default 5000 */
  readonly outageIntervalMs?: number
  readonly drain: () => Promise<unknown>
  /** Each failed drain; `failures` counts them in a row (1 for the first: the one to log loudly). */
  readonly onError: (err: unknown, failures: number) => void
  /** The first drain that works after `failures` failed ones. */
  readonly onRecovered?: (failures: number) => void
}

export class PollLoop {
  private timer: NodeJS.Timeout | undefined
  private draining: Promise<void> | undefined
  private again = false
  private stopped = true
  private failures = 0

  constructor(private readonly opts: PollLoopOptions) {}

  /** The last drain failed (an outage): ticks are slowed down until one works. */
  get failing(): boolean {
    return this.failures > 0
  }

  get running(): boolean {
    return !this.stopped
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    const tick = () => {
      this.kick()
      this.timer = setTimeout(tick, this.nextTickMs())
      this.timer.unref()
    }
    tick()
  }

  /** Asks for a drain soon. No-op while stopped. */
  kick(): void {
    if (this.stopped) return
    if (this.draining) {
      this.again = true
      return
    }
    this.draining = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.opts.drain())
      .then(
        () => {
          const ended = this.failures
          this.failures = 0
          if (ended > 0) this.opts.onRecovered?.(ended)
        },
        (err: unknown) => {
          this.failures++
          this.opts.onError(err, this.failures)
        },
      )
      .finally(() => {
        this.draining = undefined
        if (this.again) {
          this.again = false
          this.kick()
        }
      })
  }

  /** Stops ticking and waits for the drain in progress. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.draining
  }

  private nextTickMs(): number {
    const { intervalMs } = this.opts
    if (this.failures === 0) return intervalMs
    const slowest = Math.max(this.opts.outageIntervalMs ?? 5_000, intervalMs)
    return Math.min(intervalMs * 2 ** Math.min(this.failures, 20), slowest)
  }
}
