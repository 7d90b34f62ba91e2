/** @module What differs between the dialects, said once instead of `if (dialect === 'pg')` everywhere. */

export interface StorageCapabilities {
  readonly dialect: 'sqlite' | 'postgres'
  /** `FOR UPDATE SKIP LOCKED` when claiming outbox rows, so several workers never claim one row. */
  readonly supportsSkipLocked: boolean
}
