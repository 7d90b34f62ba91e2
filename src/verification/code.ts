/**
 * @module One-time codes: generated from the CSPRNG, stored only as an HMAC bound to the
 * verification id (a code from one verification is worthless for another), compared in constant time.
 */
import { randomInt } from 'node:crypto'
import type { Keyring } from '../secrets/keyring.js'
import type { Transaction } from './verification.js'

export function generateCode(length: number): string {
  // randomInt is uniform (rejection sampling), so every code of `length` digits is equally likely.
  return randomInt(0, 10 ** length)
    .toString()
    .padStart(length, '0')
}

/**
 * What the HMAC covers: the code, and for a code bound to a payment (PSD2 dynamic linking) the
 * amount and payee too, so the same digits for another payment do not match.
 */
export function boundCode(code: string, transaction?: Transaction | null): string {
  return transaction ? `${code}\u0000${transaction.amount}\u0000${transaction.payee}` : code
}

export function hashCode(keyring: Keyring, verificationId: string, code: string): string {
  return keyring.sign(`${verificationId}:${code}`)
}

export function codeMatches(
  keyring: Keyring,
  verificationId: string,
  code: string,
  codeHmac: string,
): boolean {
  return keyring.verify(`${verificationId}:${code}`, codeHmac)
}

/** Encrypted so a resend can carry the same code; bound to the verification by the AAD. */
export function sealCode(keyring: Keyring, verificationId: string, code: string): string {
  return keyring.encrypt(code, verificationId)
}

export function openCode(keyring: Keyring, verificationId: string, sealed: string): string {
  return keyring.decrypt(sealed, verificationId)
}
