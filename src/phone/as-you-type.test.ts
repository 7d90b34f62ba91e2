import { describe, expect, it } from 'vitest'
import { formatAsYouType } from './as-you-type.js'

describe('formatAsYouType', () => {
  it('groups a national number as it grows, the way the country writes it', () => {
    expect(formatAsYouType('077009', 'GB')).toBe('07700 9')
    expect(formatAsYouType('07700900123', 'GB')).toBe('07700 900123')
    expect(formatAsYouType('2015550', 'US')).toBe('(201) 555-0')
  })
  it('uses the number’s own country code after +', () => {
    expect(formatAsYouType('+4477009', 'US')).toBe('+44 7700 9')
    expect(formatAsYouType('+33612', undefined)).toBe('+33 6 12')
  })
  it('leaves noise and unknown countries as typed', () => {
    expect(formatAsYouType('call me', 'GB')).toBe('call me')
    expect(formatAsYouType('0770', 'ZZ')).toBe('0770')
  })
})
