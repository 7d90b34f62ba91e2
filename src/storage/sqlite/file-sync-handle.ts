/**
 * @module `openFileSyncHandle`: one read-only descriptor per database file and process, for
 * `fdatasync` from the checkpoint worker (better-sqlite3 has no way to sync a file).
 *
 * Closing any descriptor of a file drops every POSIX advisory lock the process holds on it,
 * SQLite's included, which SQLite lists among the ways to corrupt a database
 * (https://sqlite.org/howtocorrupt.html, 2.2). So the descriptor is shared by every opener of the
 * file in the process and closed only when the last one releases it, which each does after
 * closing its connections.
 */
import { closeSync, openSync, statSync } from 'node:fs'

export interface FileSyncHandle {
  /** The descriptor; usable from worker threads, which share the process's descriptors. */
  readonly fd: number
  /** Call once, after this opener's SQLite connections to the file are closed. */
  release(): void
}

const open = new Map<string, { readonly fd: number; refs: number }>()

/** Opens (or shares) the descriptor of `path`; undefined when the file cannot be opened. */
export function openFileSyncHandle(path: string): FileSyncHandle | undefined {
  let key: string
  let entry: { readonly fd: number; refs: number } | undefined
  try {
    const { dev, ino } = statSync(path)
    key = `${dev}:${ino}`
    entry = open.get(key)
    if (!entry) {
      entry = { fd: openSync(path, 'r'), refs: 0 }
      open.set(key, entry)
    }
  } catch {
    return undefined
  }
  const shared = entry
  shared.refs++
  let released = false
  return {
    fd: shared.fd,
    release() {
      if (released) return
      released = true
      if (--shared.refs > 0) return
      open.delete(key)
      closeSync(shared.fd)
    },
  }
}

/** How many descriptors are open; for tests. */
export function openFileSyncHandleCount(): number {
  return open.size
}
