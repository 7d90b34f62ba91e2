/**
 * @module Development keys: when no secret keys are configured outside production, one is generated
 * for a database that has none yet and kept in `<dataDir>/secrets.json` (mode 0600), so codes issued
 * before a restart still verify. A database that already has keys is never given a new one: a second
 * process with its own key would accept starts whose codes nobody else can open.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  agreeOnKeys,
  databaseCurrentKey,
  KeyAgreementError,
  type KeyFingerprintStore,
} from './key-agreement.js'
import { generateKeyEntry, Keyring } from './keyring.js'

function devKeysFile(dataDir: string): string {
  return join(dataDir, 'secrets.json')
}

/** The development keys kept in `dataDir`, when there are any. */
export function readDevKeys(dataDir: string): string[] | undefined {
  const file = devKeysFile(dataDir)
  if (!existsSync(file)) return undefined
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown }
  const keys = parsed.keys
  return Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string') ? keys : undefined
}

function writeDevKeys(dataDir: string, keys: readonly string[]): void {
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(devKeysFile(dataDir), `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 })
}

/**
 * The process's keyring, agreed with the database: the configured keys, else this data folder's
 * development keys, else (only for a database with no keys recorded yet) a new development key,
 * saved once the database has accepted it.
 * @throws KeyAgreementError naming VERIGATE_SECRET_KEYS when the keys disagree with the database's
 */
export async function openKeyring(opts: {
  readonly configured: readonly string[] | undefined
  readonly dataDir: string
  readonly store: KeyFingerprintStore
  readonly now: number
}): Promise<Keyring> {
  const known = opts.configured ?? readDevKeys(opts.dataDir)
  if (known) {
    const keyring = new Keyring(known)
    await agreeOnKeys(keyring, opts.store, opts.now)
    return keyring
  }
  const current = databaseCurrentKey(await opts.store.list())
  if (current) {
    throw new KeyAgreementError(
      `not set, and the data folder ${opts.dataDir} has no development key, but this database's codes are sealed with key "${current.keyId}" (first used ${new Date(current.firstSeenAt).toISOString()}). A new key here could open none of them. Set VERIGATE_SECRET_KEYS on every process that shares this database to the keys it uses (a process that generated a development key keeps it in secrets.json in its data folder).`,
    )
  }
  const keys = [generateKeyEntry('dev1')]
  const keyring = new Keyring(keys)
  await agreeOnKeys(keyring, opts.store, opts.now)
  writeDevKeys(opts.dataDir, keys)
  return keyring
}
