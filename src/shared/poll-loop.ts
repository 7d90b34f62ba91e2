/**
 * @module PollLoop: the worker loop shared by the outbox dispatcher and the webhook worker. A drain
 * runs on every tick of `intervalMs` (to pick up work that became due) and as soon as possible after
 * `kick()` (new work). Kicks during a drain make exactly one more drain; many kicks in one tick make
 * one. A failing drain is reported and the loop goes on.
 */
export interface PollLoopOptions {
  readonly intervalMs: number
  readonly drain: () => Promise<unknown>
  readonly onError: (err: unknown) => void
}

export class PollLoop {
  private timer: NodeJS.Timeout | undefined
  private draining: Promise<void> | undefined
  private again = false
  private stopped = true

  constructor(private readonly opts: PollLoopOptions) {}

  get running(): boolean {
    return !this.stopped
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    const tick = () => {
      this.kick()
      this.timer = setTimeout(tick, this.opts.intervalMs)
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
        () => undefined,
        (err: unknown) => this.opts.onError(err),
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
}
