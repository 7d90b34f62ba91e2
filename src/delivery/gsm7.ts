/**
 * @module SMS text encoding rules (3GPP TS 23.038 / 23.040): whether a text fits the GSM-7 default
 * alphabet, how many billable segments it takes, and where concatenated segments split.
 */

/** The two encodings an SMS text can travel in. */
export const SMS_ENCODINGS = ['gsm7', 'ucs2'] as const
export type SmsEncoding = (typeof SMS_ENCODINGS)[number]

/** GSM 03.38 default alphabet, in code order (0x1B, the escape to the extension table, left out). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'

/** Extension table characters: each is sent as ESC + char, so it costs two septets. */
const GSM7_EXTENSION = '\f^{}\\[~]|€'

const BASIC = new Set(GSM7_BASIC)
const EXTENSION = new Set(GSM7_EXTENSION)

/** 140 octets of user data: 160 septets, or 70 UCS-2 code units. */
const SINGLE_LIMIT: Record<SmsEncoding, number> = { gsm7: 160, ucs2: 70 }
/** Concatenated parts lose 6 octets to the UDH (05 00 03 ref total seq): 153 septets or 67 units. */
const PART_LIMIT: Record<SmsEncoding, number> = { gsm7: 153, ucs2: 67 }

/** True when every character is in the GSM-7 default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false
  return true
}

/** GSM-7 when the whole text fits it, else UCS-2 (one character outside GSM-7 switches all of it). */
export function encodingFor(text: string): SmsEncoding {
  return isGsm7(text) ? 'gsm7' : 'ucs2'
}

/**
 * The text cut into the parts it is sent as: one part when it fits a single SMS, else parts of at
 * most 153 septets (GSM-7) or 67 code units (UCS-2). A GSM-7 escape pair and a UTF-16 surrogate pair
 * are never split across parts, which is why the count can exceed a plain division. Empty text is
 * one (empty) part.
 */
export function splitSegments(text: string, encoding: SmsEncoding = encodingFor(text)): string[] {
  // Units per character: septets for GSM-7, UTF-16 code units for UCS-2. Iterating by code point
  // keeps surrogate pairs together.
  const chars = [...text]
  const cost = (ch: string) => (encoding === 'gsm7' ? (EXTENSION.has(ch) ? 2 : 1) : ch.length)
  const total = chars.reduce((sum, ch) => sum + cost(ch), 0)
  if (total <= SINGLE_LIMIT[encoding]) return [text]
  const limit = PART_LIMIT[encoding]
  const parts: string[] = []
  let current = ''
  let used = 0
  for (const ch of chars) {
    const c = cost(ch)
    if (used + c > limit) {
      parts.push(current)
      current = ''
      used = 0
    }
    current += ch
    used += c
  }
  parts.push(current)
  return parts
}

/** Number of billable SMS segments the text takes. */
export function segmentCount(text: string): number {
  return splitSegments(text).length
}
