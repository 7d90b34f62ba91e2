import { fdatasyncSync, fstatSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openFileSyncHandle, openFileSyncHandleCount } from './file-sync-handle.js'

function tempFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vg-sync-')), 'a.db')
  writeFileSync(path, 'x')
  return path
}

describe('openFileSyncHandle', () => {
  it('shares one descriptor per file and closes it only when the last opener releases it', () => {
    const path = tempFile()
    const before = openFileSyncHandleCount()
    const a = openFileSyncHandle(path)
    const b = openFileSyncHandle(path)
    expect(a && b).toBeTruthy()
    expect(b?.fd).toBe(a?.fd)
    expect(openFileSyncHandleCount()).toBe(before + 1)
    // A read-only descriptor can be synced.
    fdatasyncSync(a?.fd ?? -1)
    a?.release()
    a?.release() // a second release of the same handle does not take the other opener's share
    expect(() => fstatSync(b?.fd ?? -1)).not.toThrow()
    b?.release()
    expect(openFileSyncHandleCount()).toBe(before)
    expect(() => fstatSync(b?.fd ?? -1)).toThrow()
  })

  it('gives nothing for a file that cannot be opened', () => {
    expect(openFileSyncHandle(join(tmpdir(), 'no-such-dir-vg', 'x.db'))).toBeUndefined()
  })
})
