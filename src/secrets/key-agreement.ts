/**
 * @module Keys agree across a cluster, or nothing starts. Every process that shares a database must
 * hold the keys that database's codes are sealed with; one that made its own key would accept
 * starts whose codes no other process can open (the worker fails to decrypt, and nobody is told).
 * The database records each key's fingerprint (id and check value, never the secret) and which key
 * processes seal new values with; a starting process compares its keyring with that record.
 */
import type { KeyFingerprint, Keyring } from './keyring.js'

/** A key as the database records it. */
export interface RecordedKey extends KeyFingerprint {
  readonly firstSeenAt: number
  /** When a process last started sealing new values with this key, or null if none ever did. */
  readonly lastCurrentAt: number | null
}

/** What a start writes back: its keys (added when new) and its current key (marked current now). */
export interface KeyRecordUpdate {
  readonly keys: readonly KeyFingerprint[]
  readonly currentKeyId: string
  readonly at: number
}

export interface KeyFingerprintStore {
  /**
   * Reads the recorded keys, lets `decide` check them (it throws to refuse) and writes its update,
   * all in one transaction that concurrent starts of other processes wait for.
   */
  agree(decide: (recorded: readonly RecordedKey[]) => KeyRecordUpdate): Promise<void>
  /** The recorded keys, for a check before any key exists (development keys). */
  list(): Promise<RecordedKey[]>
}

/** The process's keyring cannot open this database's codes, so it must not start. */
export class KeyAgreementError extends Error {
  constructor(problem: string) {
    super(`Refusing to start: secrets.keys (VERIGATE_SECRET_KEYS): ${problem}`)
    this.name = 'KeyAgreementError'
  }
}

/** The key processes seal new values with now: the one most recently made current. */
export function databaseCurrentKey(recorded: readonly RecordedKey[]): RecordedKey | undefined {
  let newest: RecordedKey | undefined
  for (const k of recorded) {
    if (k.lastCurrentAt !== null && (newest?.lastCurrentAt ?? -1) < k.lastCurrentAt) newest = k
  }
  return newest
}

const SAME_KEYS_HINT =
  'Give every process that shares this database the same VERIGATE_SECRET_KEYS (during a rotation, keep the previous key after the new one until every process has both; docs/operations.md, "Keys").'

/**
 * Refuses a keyring that disagrees with the database: a key id recorded with another secret, or a
 * database whose current key is not on the ring. Otherwise records the ring's keys and makes its
 * first key the database's current one.
 * @throws KeyAgreementError naming VERIGATE_SECRET_KEYS
 */
export async function agreeOnKeys(keyring: Keyring, store: KeyFingerprintStore, now: number): Promise<void> {
  const ours = keyring.fingerprints()
  await store.agree((recorded) => {
    for (const key of ours) {
      const theirs = recorded.find((r) => r.keyId === key.keyId)
      if (theirs && theirs.checkValue !== key.checkValue) {
        throw new KeyAgreementError(
          `key "${key.keyId}" of this process has a different secret from the key "${key.keyId}" this database's codes were sealed with (first used ${new Date(theirs.firstSeenAt).toISOString()}). This process could not open them, and other processes could not open its codes. ${SAME_KEYS_HINT}`,
        )
      }
    }
    const current = databaseCurrentKey(recorded)
    if (current && !ours.some((k) => k.keyId === current.keyId)) {
      throw new KeyAgreementError(
        `this database's current codes are sealed with key "${current.keyId}", which this process does not have (it has ${ours.map((k) => `"${k.keyId}"`).join(', ')}). ${SAME_KEYS_HINT}`,
      )
    }
    return { keys: ours, currentKeyId: keyring.currentKeyId, at: now }
  })
}
