/** CSRF tokens are bound to one session and checked in constant time; Origin/Referer must be this server. */
import { describe, expect, it } from 'vitest'
import { Keyring } from '../secrets/keyring.js'
import { csrfTokenFor, csrfTokenMatches, originAllowed } from './csrf.js'

const keyring = new Keyring(['k1:0123456789abcdef0123456789abcdef'])

describe('console CSRF', () => {
  it('accepts the token of the session and nothing else', () => {
    const token = csrfTokenFor(keyring, 'session-a')
    expect(csrfTokenMatches(keyring, 'session-a', token)).toBe(true)
    expect(csrfTokenMatches(keyring, 'session-b', token)).toBe(false)
    expect(csrfTokenMatches(keyring, 'session-a', `${token.slice(0, -1)}A`)).toBe(false)
    for (const bad of [undefined, '', 'k1:', 'x'.repeat(500), 42])
      expect(csrfTokenMatches(keyring, 'session-a', bad)).toBe(false)
  })

  it('survives a key rotation (tokens made with the previous key still match)', () => {
    const token = csrfTokenFor(keyring, 'session-a')
    const rotated = new Keyring([
      'k2:fedcba9876543210fedcba9876543210',
      'k1:0123456789abcdef0123456789abcdef',
    ])
    expect(csrfTokenMatches(rotated, 'session-a', token)).toBe(true)
  })

  it('is derived from the session and the server keyring only: no secret a cookie could plant', () => {
    // A double-submit design accepts any (cookie secret, token) pair the client presents; here the
    // client holds nothing that makes a token: the same session under another keyring fails.
    const token = csrfTokenFor(keyring, 'session-a')
    const planted = new Keyring(['k1:attacker-chosen-secret-0000000000'])
    expect(csrfTokenMatches(planted, 'session-a', token)).toBe(false)
    expect(csrfTokenMatches(keyring, 'session-a', csrfTokenFor(planted, 'session-a'))).toBe(false)
  })

  it('checks Origin, else Referer, and refuses when neither is sent', () => {
    const allowed = ['https://support.example.com']
    expect(originAllowed({ origin: 'https://support.example.com' }, allowed)).toBe(true)
    expect(originAllowed({ origin: 'https://evil.example' }, allowed)).toBe(false)
    expect(originAllowed({ origin: 'null' }, allowed)).toBe(false)
    expect(originAllowed({ referer: 'https://support.example.com/console/person?ref=x' }, allowed)).toBe(true)
    expect(originAllowed({ referer: 'https://support.example.com.evil.example/' }, allowed)).toBe(false)
    expect(originAllowed({}, allowed)).toBe(false)
    expect(originAllowed({ origin: 'not a url' }, allowed)).toBe(false)
  })
})
