/** @module Prefixed, time-ordered random identifiers from one prefix table. */
import { createHash } from 'node:crypto'
import { pooledRandomBytes } from './random-pool.js'

export const ID_PREFIXES = {
  verification: 'ver',
  service: 'svc',
  message: 'msg',
  event: 'evt',
  apiKey: 'key',
  request: 'req',
  simulatedMessage: 'sim',
  factor: 'fac',
  recoveryCase: 'rec',
  clientSession: 'cs',
  staff: 'stf',
  alert: 'alr',
} as const

export type IdKind = keyof typeof ID_PREFIXES

// 32 symbols, so `byte & 31` picks one without modulo bias (Crockford base32, lower case).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

// The first 9 characters are the creation time in milliseconds (45 bits, enough until the year
// 3084), the other 15 are random (75 bits). Ids drawn close together in time therefore sort close
// together, and every index keyed by an id (the verification's primary key, its events, its
// messages) grows at its right edge: a batch of inserts dirties one or two leaf pages per index
// instead of one random page per row, which is what a SQLite COMMIT writes to the WAL.
const TIME_CHARS = 9
const RANDOM_CHARS = 15

/**
 * 24 base32 characters after the prefix, e.g. `ver_01kbx3...`: 9 of time, 15 (75 bits) random.
 * Ids say roughly when they were made, which the API says anyway (`date_created`); nothing may
 * rely on their order beyond the millisecond.
 */
export function newId(kind: IdKind, now = Date.now()): string {
  let out = `${ID_PREFIXES[kind]}_`
  let t = Math.max(0, Math.floor(now))
  let time = ''
  for (let i = 0; i < TIME_CHARS; i++) {
    time = ALPHABET[t % 32]! + time
    t = Math.floor(t / 32)
  }
  out += time
  // A flow makes about six ids (requests, verification, message...): from the pool, not a CSPRNG call each.
  for (const byte of pooledRandomBytes(RANDOM_CHARS)) out += ALPHABET[byte & 31]
  return out
}

/**
 * An id derived from a fact rather than drawn at random: the same `fact` always gives the same id
 * (a webhook event queued twice for one fact stays one event, and receivers can deduplicate).
 */
export function derivedId(kind: IdKind, fact: string): string {
  const digest = createHash('sha256').update(fact).digest()
  let out = `${ID_PREFIXES[kind]}_`
  for (let i = 0; i < 24; i++) out += ALPHABET[(digest[i] ?? 0) & 31]
  return out
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`)
}
