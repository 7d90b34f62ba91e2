import { describe, expect, it } from 'vitest'
import { alphanumericSender, brandSenderAllowed } from './brand-sender.js'

describe('the brand as an SMS sender ID', () => {
  it('keeps a short brand as it is', () => {
    expect(alphanumericSender('Acme')).toBe('Acme')
    expect(alphanumericSender('CoinHarbor')).toBe('CoinHarbor')
  })

  it('reduces a brand to what carriers accept: ASCII letters, digits, spaces, 11 characters', () => {
    expect(alphanumericSender('Café Zürich')).toBe('Cafe Zurich')
    expect(alphanumericSender('A&B Bank!')).toBe('AB Bank')
    expect(alphanumericSender('Acme Exchange')).toBe('Acme')
    expect(alphanumericSender('Supercalifragilistic')).toBe('Supercalifr')
    expect(alphanumericSender('Acme Bank Ltd')).toBe('Acme Bank')
  })

  it('refuses what cannot be an alphanumeric sender (no letter, or nothing left)', () => {
    expect(alphanumericSender('12345')).toBeUndefined()
    expect(alphanumericSender('币安')).toBeUndefined()
    expect(alphanumericSender('   ')).toBeUndefined()
  })

  it('is allowed only in the countries the route lists, never where networks refuse letters', () => {
    expect(brandSenderAllowed(['*'], 'GB')).toBe(true)
    expect(brandSenderAllowed(['GB'], 'GB')).toBe(true)
    expect(brandSenderAllowed(['GB'], 'DE')).toBe(false)
    expect(brandSenderAllowed(['*'], 'US')).toBe(false)
    expect(brandSenderAllowed(['*'], 'CA')).toBe(false)
    expect(brandSenderAllowed(['*'], null)).toBe(false)
    expect(brandSenderAllowed([], 'GB')).toBe(false)
  })
})
