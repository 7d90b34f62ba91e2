/**
 * @module The server keyring: HMAC and AES-256-GCM keys derived from configured secrets, newest
 * first. Rotation: put a new `id:secret` in front; values made with older keys still verify and
 * decrypt because every stored value names the key id it was made with.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import { pooledRandomBytes } from '../shared/random-pool.js'

interface Key {
  readonly id: string
  readonly hmacKey: Buffer
  readonly encKey: Buffer
  readonly checkValue: string
}

/** A key's id and its check value: what processes compare to agree on keys without sharing them. */
export interface KeyFingerprint {
  readonly keyId: string
  /**
   * 128 bits derived from the secret with HKDF under a label of its own: equal for equal secrets,
   * and useless for recovering the secret or the subkeys that sign and encrypt.
   */
  readonly checkValue: string
}

export class Keyring {
  private readonly keys: readonly Key[]
  private readonly byId: ReadonlyMap<string, Key>

  /** @param entries `id:secret` strings, newest first. */
  constructor(entries: readonly string[]) {
    if (entries.length === 0) throw new Error('Keyring needs at least one key')
    this.keys = entries.map((entry) => {
      const sep = entry.indexOf(':')
      const id = entry.slice(0, sep)
      const secret = Buffer.from(entry.slice(sep + 1), 'utf8')
      // Separate subkeys per purpose, so an HMAC never shares key material with the cipher.
      const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, id, info, 32))
      return {
        id,
        hmacKey: derive('verigate/hmac'),
        encKey: derive('verigate/aes-256-gcm'),
        checkValue: derive('verigate/key-check-value').subarray(0, 16).toString('base64url'),
      }
    })
    this.byId = new Map(this.keys.map((k) => [k.id, k]))
  }

  get currentKeyId(): string {
    return this.keys[0]!.id
  }

  /** Every key's fingerprint, newest first. */
  fingerprints(): KeyFingerprint[] {
    return this.keys.map((k) => ({ keyId: k.id, checkValue: k.checkValue }))
  }

  /** HMAC-SHA256 of `message` with the current key, as `keyId:base64url`. */
  sign(message: string): string {
    const key = this.keys[0]!
    return `${key.id}:${createHmac('sha256', key.hmacKey).update(message).digest('base64url')}`
  }

  /**
   * `sign(message)` with every key on the ring, newest first: what a value signed before a rotation
   * may look like (lookups by a keyed hash, docs/privacy.md).
   */
  signWithEveryKey(message: string): string[] {
    return this.keys.map(
      (key) => `${key.id}:${createHmac('sha256', key.hmacKey).update(message).digest('base64url')}`,
    )
  }

  /** Constant-time check of `message` against a value made by `sign` with any key still on the ring. */
  verify(message: string, signed: string): boolean {
    const sep = signed.indexOf(':')
    const key = this.byId.get(signed.slice(0, sep))
    if (!key) return false
    const expected = createHmac('sha256', key.hmacKey).update(message).digest()
    const actual = Buffer.from(signed.slice(sep + 1), 'base64url')
    return actual.length === expected.length && timingSafeEqual(actual, expected)
  }

  /** AES-256-GCM with a random 96-bit nonce; `aad` binds the ciphertext to its row. */
  encrypt(plaintext: string, aad: string): string {
    const key = this.keys[0]!
    // From the pool: a CSPRNG call per code sealed showed at ~2 % of the CPU under load.
    const iv = pooledRandomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key.encKey, iv)
    cipher.setAAD(Buffer.from(aad))
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return `${key.id}:${iv.toString('base64url')}:${ct.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}`
  }

  /** @throws Error when the key is gone or the value was tampered with. */
  decrypt(value: string, aad: string): string {
    const [id, iv, ct, tag] = value.split(':')
    const key = id === undefined ? undefined : this.byId.get(id)
    if (!key || iv === undefined || ct === undefined || tag === undefined)
      throw new Error('Unknown key or malformed ciphertext')
    const decipher = createDecipheriv('aes-256-gcm', key.encKey, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(aad))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8')
  }
}

/** A fresh `id:secret` entry for development or for `verigate keys rotate`. */
export function generateKeyEntry(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64url')}`
}
