/**
 * @module CSRF defence for the console's forms, two layers: a synchronizer token (an HMAC of the
 * session token with the server keyring, so nothing extra is stored, checked in constant time) in
 * every form, and an Origin/Referer check that the post came from this server's own pages.
 *
 * Why not @fastify/csrf-protection: with @fastify/cookie it is a double-submit of a random secret
 * kept in a second cookie, so a token is good for whoever holds that cookie, not for the signed-in
 * session. A cookie planted from a sibling subdomain or over plain http (cookie tossing) pairs with
 * a token the planter obtained for it. Here the token is derived from the session itself: it needs
 * no cookie or state of its own, cannot be paired with a planted secret, dies with the session
 * (sign-out, revocation) and rotates with the server keyring.
 */
import type { Keyring } from '../secrets/keyring.js'

const PURPOSE = 'verigate/console-csrf'

/** The token to put in the forms of the session with this cookie token (or pre-session token). */
export function csrfTokenFor(keyring: Keyring, sessionToken: string): string {
  return keyring.sign(`${PURPOSE}|${sessionToken}`)
}

/** Constant-time check of a submitted token. */
export function csrfTokenMatches(keyring: Keyring, sessionToken: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted.length === 0 || submitted.length > 200) return false
  return keyring.verify(`${PURPOSE}|${sessionToken}`, submitted)
}

/**
 * Whether a state-changing request comes from one of `allowed` origins: its `Origin` header when
 * sent, else the origin of its `Referer`. A request with neither is refused.
 */
export function originAllowed(
  headers: { origin?: string | undefined; referer?: string | undefined },
  allowed: readonly string[],
): boolean {
  const source = headers.origin ?? headers.referer
  if (!source || source === 'null') return false
  let origin: string
  try {
    origin = new URL(source).origin
  } catch {
    return false
  }
  return allowed.includes(origin)
}
