/**
 * @module Live updates of one verification: the server's SSE stream, or, when EventSource is
 * missing or the stream fails, `GET /v1/client/verification` every 2 seconds.
 */
import type { ClientApi } from './client-api.js'
import type { ClientVerification } from './types.js'

const POLL_MS = 2000

export class VerificationWatch {
  private source: EventSource | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false

  constructor(
    private readonly api: ClientApi,
    readonly id: string,
    private readonly onUpdate: (v: ClientVerification) => void,
  ) {
    if (typeof EventSource === 'function') this.stream()
    else this.poll()
  }

  /** True while updates come over the stream rather than by polling. */
  get streaming(): boolean {
    return this.source !== undefined
  }

  private stream(): void {
    const source = new EventSource(this.api.url('verification/stream'))
    this.source = source
    source.addEventListener('status', (e) => {
      const v = JSON.parse((e as MessageEvent<string>).data) as ClientVerification
      if (!this.closed && v.id === this.id) this.onUpdate(v)
    })
    source.addEventListener('error', () => {
      // The browser would reconnect on its own; polling is the plainer guarantee.
      source.close()
      this.source = undefined
      if (!this.closed) this.poll()
    })
  }

  private poll(): void {
    this.timer = setTimeout(async () => {
      try {
        const v = await this.api.verification()
        if (!this.closed && v.id === this.id) this.onUpdate(v)
      } catch {
        // Try again on the next tick; a lost connection is not the end of the verification.
      }
      if (!this.closed) this.poll()
    }, POLL_MS)
  }

  close(): void {
    this.closed = true
    this.source?.close()
    clearTimeout(this.timer)
  }
}
