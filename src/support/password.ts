/**
 * @module Staff passwords: scrypt (memory-hard) with a random 16-byte salt, the parameters stored
 * with the hash so they can be raised later without breaking existing hashes, compared in constant time.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

/** N = 2^15, r = 8, p = 1: about 32 MiB and tens of milliseconds per hash (OWASP's scrypt minimum). */
export const SCRYPT_PARAMS = { log2N: 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2N
  // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is exactly that at N=2^15, r=8.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

/** `scrypt$15$8$1$<salt>$<hash>` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const { log2N, r, p } = SCRYPT_PARAMS
  const salt = randomBytes(16)
  const key = await derive(password, salt, log2N, r, p)
  return `scrypt$${log2N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Constant-time check against a stored hash; false for a malformed hash (never throws for it). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![log2N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || log2N > 22) return false
  const expected = Buffer.from(parts[5]!, 'base64url')
  const actual = await derive(password, Buffer.from(parts[4]!, 'base64url'), log2N, r, p)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`
  if (password.length > PASSWORD_MAX_LENGTH)
    return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`
  return undefined
}

let dummy: Promise<string> | undefined
/**
 * A hash to verify against when the email is unknown, so an unknown account takes as long to
 * refuse as a wrong password (no account enumeration by timing).
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(18).toString('base64url'))
  return dummy
}
