/** @module Prefixed random identifiers from one prefix table. */
import { createHash, randomFillSync } from 'node:crypto'

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

const ID_BYTES = 24
// Random bytes for 256 ids, drawn from the CSPRNG at once and used once each (as randomUUID's
// cache does): a flow makes about six ids (requests, verification, message...), and a call into
// the CSPRNG per id showed at ~2 % of the server's CPU under load.
const pool = Buffer.alloc(ID_BYTES * 256)
let poolAt = pool.length

/** 24 random base32 characters (120 bits) after the prefix, e.g. `ver_3k9x...`. */
export function newId(kind: IdKind): string {
  if (poolAt === pool.length) {
    randomFillSync(pool)
    poolAt = 0
  }
  let out = `${ID_PREFIXES[kind]}_`
  for (let i = poolAt; i < poolAt + ID_BYTES; i++) out += ALPHABET[pool[i]! & 31]
  poolAt += ID_BYTES
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
