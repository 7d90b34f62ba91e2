/**
 * @module Twilio sids (`VA…`, `VE…`, `AC…`: two letters and 32 lowercase hex digits) for verigate
 * objects, and back.
 *
 * Why a reversible encoding for services, verifications and messages rather than a mapping table:
 * every verigate id made by `newId` is a three-letter prefix and 24 Crockford base32 characters, that
 * is exactly 120 bits (its millisecond, then 75 random bits). 120 bits fit in 30 hex digits, which leaves 2 of Twilio's 32 for a check
 * byte. So a sid can be computed from an id and an id from a sid with no storage at all: no extra
 * write on the hot path of every verification start, no table growing with traffic, nothing to keep
 * in step when a service is made by the native API or the CLI, and no second source of truth to
 * reconcile after a crash between two writes. The check byte (the first byte of SHA-256 of prefix and
 * payload) makes a mistyped or foreign sid fail here rather than reach the database.
 *
 * Objects that have no verigate id of that shape get other sids: an entity (the app's own user id,
 * any string) and a factor (owned by the factor module, whose id format this module does not assume)
 * get a one-way hash of what identifies them, resolved by listing the few factors of the entity;
 * rate limits, buckets and challenges exist only in this facade and get random sids stored as their
 * primary key.
 */
import { createHash, randomBytes } from 'node:crypto'

/** Twilio's two-letter sid prefixes used by the facade. */
export type SidPrefix = 'AC' | 'SK' | 'VA' | 'VE' | 'VL' | 'RK' | 'BL' | 'YE' | 'YF' | 'YC'

/** Prefixes whose sid is a reversible encoding of a verigate id, with that id's prefix. */
export const REVERSIBLE_PREFIXES = { VA: 'svc', VE: 'ver', VL: 'msg' } as const
export type ReversiblePrefix = keyof typeof REVERSIBLE_PREFIXES

// Same alphabet as `shared/ids.ts`: 32 symbols, 5 bits each.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const BODY_CHARS = 24
const PAYLOAD_HEX = 30

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')

function checkByte(prefix: string, payloadHex: string): string {
  return sha256Hex(`${prefix}${payloadHex}`).slice(0, 2)
}

/** Whether `value` has the shape of a sid with `prefix` (either case of hex, as Twilio accepts). */
export function isSid(value: string, prefix: SidPrefix): boolean {
  return value.length === 34 && value.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2))
}

/**
 * The sid of a verigate id.
 * @throws Error when `id` is not a `newId` id of the kind the prefix stands for (a programming error:
 * every stored service, verification and message id is one).
 */
export function sidFor(prefix: ReversiblePrefix, id: string): string {
  const kind = REVERSIBLE_PREFIXES[prefix]
  const body = id.startsWith(`${kind}_`) ? id.slice(kind.length + 1) : ''
  if (body.length !== BODY_CHARS) throw new Error(`cannot make a ${prefix} sid from "${id}"`)
  let value = 0n
  for (const ch of body) {
    const digit = ALPHABET.indexOf(ch)
    if (digit < 0) throw new Error(`cannot make a ${prefix} sid from "${id}"`)
    value = (value << 5n) | BigInt(digit)
  }
  const payload = value.toString(16).padStart(PAYLOAD_HEX, '0')
  return `${prefix}${payload}${checkByte(prefix, payload)}`
}

/** The verigate id a sid stands for, or undefined when it is not a sid this server made. */
export function idFromSid(prefix: ReversiblePrefix, sid: string): string | undefined {
  if (!isSid(sid, prefix)) return undefined
  const hex = sid.slice(2).toLowerCase()
  const payload = hex.slice(0, PAYLOAD_HEX)
  if (hex.slice(PAYLOAD_HEX) !== checkByte(prefix, payload)) return undefined
  let value = BigInt(`0x${payload}`)
  let body = ''
  for (let i = 0; i < BODY_CHARS; i++) {
    body = ALPHABET[Number(value & 31n)] + body
    value >>= 5n
  }
  return `${REVERSIBLE_PREFIXES[prefix]}_${body}`
}

/** A one-way sid for things without a reversible id (entities, factors). */
export function hashedSid(prefix: 'YE' | 'YF', ...parts: readonly string[]): string {
  return `${prefix}${sha256Hex([prefix, ...parts].join('\u0000')).slice(0, 32)}`
}

/** A fresh random sid for facade-only rows (rate limits, buckets, challenges). */
export function randomSid(prefix: 'RK' | 'BL' | 'YC'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`
}

export { twilioAccountSid, twilioApiKeySid } from '../auth/twilio-aliases.js'
