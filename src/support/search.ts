/**
 * @module What a console search is for: a verification id, an email, a phone number in any format
 * (E.164, national with the console's default country, with spaces, dashes or brackets), or else
 * an app's entity id.
 */
import { analyzePhoneNumber } from '../phone/index.js'

export type SearchTarget =
  | { readonly kind: 'verification'; readonly id: string }
  | { readonly kind: 'destination'; readonly destination: string }
  | { readonly kind: 'entity'; readonly entityId: string }
  | { readonly kind: 'invalid'; readonly message: string }

const PHONE_LIKE = /^[+\d\s().\-/]{5,40}$/
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/

export function classifySearch(query: string, defaultCountry: string): SearchTarget {
  const q = query.trim()
  if (q.length === 0)
    return { kind: 'invalid', message: 'Type a phone number, an email, a verification id or an entity id.' }
  if (q.length > 200)
    return { kind: 'invalid', message: 'The search is too long; type one number, email or id.' }
  if (/^ver_[0-9a-z]{24}$/.test(q)) return { kind: 'verification', id: q }
  if (q.includes('@')) {
    const email = q.toLowerCase()
    return EMAIL.test(email)
      ? { kind: 'destination', destination: email }
      : { kind: 'invalid', message: `"${q}" is not a complete email address.` }
  }
  if (PHONE_LIKE.test(q) && /\d{4}/.test(q.replace(/\D/g, ''))) {
    const analysis = analyzePhoneNumber(q, { defaultCountry })
    if (analysis.e164) return { kind: 'destination', destination: analysis.e164 }
    return {
      kind: 'invalid',
      message: `${analysis.problem?.message ?? `"${q}" is not a phone number.`} National numbers are read as ${defaultCountry} numbers; type the +country code for others.`,
    }
  }
  return { kind: 'entity', entityId: q }
}
