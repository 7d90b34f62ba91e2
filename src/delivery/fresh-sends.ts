/**
 * @module Fresh sends handed straight to this process's dispatcher. A start writes its message
 * already claimed (status `sending`, under a lease) and passes it, with its code, to the local
 * dispatcher once the write has committed: no drain, no claim statement, no second read of the
 * verification for its code. The lease keeps at-least-once: if this process dies before the
 * hand-over is recorded, the message comes due when the lease runs out and any worker claims it,
 * as after a crash mid-send.
 */
import type { CodeToSend } from './code-source.js'
import type { OutboxMessage } from './outbox.js'

export interface FreshSends {
  /**
   * The lease end to write a new message under, claimed for this process; undefined when this
   * process sends nothing now (no dispatcher running here, or it is at its concurrency), so the
   * message is queued for whichever worker claims it.
   */
  leaseFor(now: number): number | undefined
  /** Sends a message written under `leaseFor`'s lease, once that write has committed. */
  take(message: OutboxMessage, code: CodeToSend): void
}
