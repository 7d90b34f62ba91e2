/**
 * @module Pseudonyms of phone numbers and email addresses: `anon:<kept>:<keyId>:<hmac>`. What is
 * kept in clear is only what analytics and fraud ranges need (`+4477`: the country code and the
 * first digits; `@example.com`: an email's domain); the rest is HMAC-SHA256 under the server keyring,
 * so the same person maps to the same pseudonym (a "same person" lookup) but the number cannot be
 * recovered from the database alone. A dictionary of every phone number would be cheap to hash
 * without a key; with it, the database is not enough.
 */
import type { Keyring } from '../secrets/keyring.js'

export const PSEUDONYM_PREFIX = 'anon:'

/** Characters of an E.164 number kept in clear: `+` and four digits (country code and range). */
const KEPT_PHONE_CHARS = 5

export function isPseudonym(value: string): boolean {
  return value.startsWith(PSEUDONYM_PREFIX)
}

/** What a pseudonym keeps of a destination: its number range or email domain. */
export function keptPart(destination: string): string {
  const at = destination.lastIndexOf('@')
  if (at >= 0) return destination.slice(at)
  return destination.slice(0, KEPT_PHONE_CHARS)
}

/** The pseudonym of a normalised destination (E.164 or lower-case email) under the newest key. */
export function pseudonymOf(keyring: Pick<Keyring, 'sign'>, destination: string): string {
  return `${PSEUDONYM_PREFIX}${keptPart(destination)}:${keyring.sign(`pseudonym:${destination}`)}`
}

/** Its pseudonym under every key still on the ring (rows pseudonymised before a rotation). */
export function pseudonymsOf(keyring: Pick<Keyring, 'signWithEveryKey'>, destination: string): string[] {
  return keyring
    .signWithEveryKey(`pseudonym:${destination}`)
    .map((signed) => `${PSEUDONYM_PREFIX}${keptPart(destination)}:${signed}`)
}
