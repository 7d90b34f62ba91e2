/** Keyring encryption: every value gets a nonce of its own (drawn from a pool), and round-trips. */
import { describe, expect, it } from 'vitest'
import { Keyring } from './keyring.js'

describe('Keyring encrypt', () => {
  it('uses a fresh 96-bit nonce for every value, across refills of the nonce pool', () => {
    const keyring = new Keyring(['k1:a-secret-for-this-test-only-0123456789'])
    const values = Array.from({ length: 2_000 }, (_, i) => keyring.encrypt(`code-${i}`, `ver_${i}`))
    const nonces = values.map((v) => v.split(':')[1]!)
    expect(new Set(nonces).size).toBe(values.length)
    for (const n of nonces) expect(Buffer.from(n, 'base64url')).toHaveLength(12)
    for (const [i, v] of values.entries()) expect(keyring.decrypt(v, `ver_${i}`)).toBe(`code-${i}`)
    // The same plaintext twice is two different ciphertexts.
    expect(keyring.encrypt('123456', 'ver_x')).not.toBe(keyring.encrypt('123456', 'ver_x'))
    expect(() => keyring.decrypt(values[0]!, 'ver_other')).toThrow()
  })
})
