/** Staff password hashing: scrypt with its parameters stored, random salts, constant-time verify. */
import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblem, SCRYPT_PARAMS, verifyPassword } from './password.js'

describe('staff passwords', () => {
  it('hashes with scrypt N=2^15, r=8, p=1 and a random salt, and verifies', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(SCRYPT_PARAMS).toEqual({ log2N: 15, r: 8, p: 1 })
    expect(a).not.toBe(b)
    expect(a).not.toContain('correct')
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
    expect(await verifyPassword('', a)).toBe(false)
  })

  it('verifies with the parameters stored in the hash (so they can be raised later)', async () => {
    const stronger = (await hashPassword('x'.repeat(12))).replace(/^scrypt\$15\$/, 'scrypt$16$')
    // Same salt and key but other parameters: the stored N is used, so the key no longer matches.
    expect(await verifyPassword('x'.repeat(12), stronger)).toBe(false)
  })

  it('refuses malformed hashes without throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$15$8$1$salt',
      'bcrypt$1$2$3$4$5',
      'scrypt$99$8$1$c2FsdA$aGFzaA',
      'scrypt$x$8$1$c2FsdA$aGFzaA',
    ]) {
      expect(await verifyPassword('anything', bad)).toBe(false)
    }
  })

  it('needs 12 to 256 characters', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/)
    expect(passwordProblem('a'.repeat(257))).toMatch(/at most 256/)
    expect(passwordProblem('twelve chars')).toBeUndefined()
  })
})
