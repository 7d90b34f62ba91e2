/**
 * @module Development convenience: when no secret keys are configured outside production, one is
 * generated on first start and kept in `<dataDir>/secrets.json` (mode 0600), so codes issued before
 * a restart still verify.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyEntry } from './keyring.js'

export function loadOrCreateDevKeys(dataDir: string): string[] {
  const file = join(dataDir, 'secrets.json')
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown }
    if (
      Array.isArray(parsed.keys) &&
      parsed.keys.every((k) => typeof k === 'string') &&
      parsed.keys.length > 0
    ) {
      return parsed.keys as string[]
    }
  }
  mkdirSync(dataDir, { recursive: true })
  const keys = [generateKeyEntry('dev1')]
  writeFileSync(file, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 })
  return keys
}
