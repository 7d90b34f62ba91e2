import { describe, expect, it } from 'vitest'
import type { PhoneAnalysis } from './phone-analysis.js'
import { analyzePhoneNumber, isPhoneProblem, PHONE_PROBLEMS } from './phone-analysis.js'

// +44 7400 123456 is libphonenumber's GB mobile example. The popular +44 7700 900xxx numbers are
// Ofcom's drama range, reserved for fiction: the MAX metadata rejects them, verigate reads them as
// the mobile numbers they imitate (see fictional-numbers.ts).
const GB_MOBILE = '+447400123456'

function reasonOf(analysis: PhoneAnalysis): string | undefined {
  return analysis.problem?.reason
}

describe('analyzePhoneNumber: accepted input formats', () => {
  it.each([
    '+447400123456',
    '+44 7400 123456',
    '+44-7400-123456',
    '+44.7400.123456',
    '+44 (7400) 123456',
    '+ 44 7400 123456',
    '  +44 7400 123456  ',
    '0044 7400 123456',
    '00 44 7400 123456',
    '＋４４ ７４００ １２３４５６',
  ])('normalises %j to E.164', (input) => {
    const analysis = analyzePhoneNumber(input)
    expect(analysis).toMatchObject({
      input,
      valid: true,
      e164: GB_MOBILE,
      country: 'GB',
      countryCallingCode: '44',
    })
    expect(analysis.problem).toBeUndefined()
  })

  it.each(['(415) 555-2671', '415.555.2671', '415-555-2671', '415 555 2671'])(
    'reads %j as a national number of the default country',
    (input) => {
      expect(analyzePhoneNumber(input, { defaultCountry: 'US' }).e164).toBe('+14155552671')
    },
  )

  it('accepts the printed "(0)" convention after the country code without flagging it', () => {
    const analysis = analyzePhoneNumber('+44 (0) 7400 123456')
    expect(analysis).toMatchObject({ valid: true, e164: GB_MOBILE })
    expect(analysis.problem).toBeUndefined()
  })

  it('accepts 00 as the international prefix even when the default country dials 011', () => {
    expect(analyzePhoneNumber('0044 7400 123456', { defaultCountry: 'US' }).e164).toBe(GB_MOBILE)
  })

  it('ignores the default country for numbers that carry their own country code', () => {
    expect(analyzePhoneNumber('+44 7400 123456', { defaultCountry: 'US' }).e164).toBe(GB_MOBILE)
  })

  it('treats the default country case-insensitively and ignores unsupported ones', () => {
    expect(analyzePhoneNumber('07400 123456', { defaultCountry: 'gb' }).e164).toBe(GB_MOBILE)
    expect(reasonOf(analyzePhoneNumber('07400 123456', { defaultCountry: 'ZZ' }))).toBe(
      'missing_country_code',
    )
  })

  it('accepts a short extension marker and drops the extension', () => {
    expect(analyzePhoneNumber('+44 7400 123456 x12')).toMatchObject({ valid: true, e164: GB_MOBILE })
  })
})

describe('analyzePhoneNumber: empty and junk input', () => {
  it.each(['', '   ', '\t\n'])('reports %j as empty', (input) => {
    const analysis = analyzePhoneNumber(input)
    expect(analysis).toMatchObject({
      valid: false,
      type: 'unknown',
      canReceiveSms: false,
      canReceiveVoice: false,
    })
    expect(reasonOf(analysis)).toBe('empty')
  })

  it.each([
    'hello',
    '+44 abc',
    '📞 +44 7400 123456',
    '+44 7400 123456 😀',
    '+44 7400 123456#',
    '7400 123456 +44',
    '+44 7400 12345a',
    '+',
    '()',
  ])('reports %j as not a number', (input) => {
    const analysis = analyzePhoneNumber(input)
    expect(reasonOf(analysis)).toBe('not_a_number')
    expect(analysis.problem?.message).toBe(
      'A phone number can only contain digits, spaces, +, -, ( and ). Remove any letters or other characters.',
    )
  })

  it('rejects vanity numbers instead of turning letters into keypad digits', () => {
    expect(reasonOf(analyzePhoneNumber('1-800-FLOWERS', { defaultCountry: 'US' }))).toBe('not_a_number')
  })

  it('rejects digit strings longer than any phone number without parsing them', () => {
    expect(reasonOf(analyzePhoneNumber('+1234567890123456789012'))).toBe('too_long')
  })
})

describe('analyzePhoneNumber: missing country code', () => {
  it('asks for the country code when a national number could belong to several countries', () => {
    const analysis = analyzePhoneNumber('07400 123456')
    expect(reasonOf(analysis)).toBe('missing_country_code')
    expect(analysis.problem?.message).toMatch(/^Add the country code at the start, beginning with \+\./)
    expect(analysis.problem?.message).toContain('United Kingdom')
    expect(analysis.suggestion).toBeUndefined()
  })

  it('reads the same input as valid with a default country', () => {
    expect(analyzePhoneNumber('07400 123456', { defaultCountry: 'GB' })).toMatchObject({
      valid: true,
      e164: GB_MOBILE,
      type: 'mobile',
    })
  })

  it('suggests the number when only the + is missing', () => {
    const analysis = analyzePhoneNumber('1 415 555 2671')
    expect(reasonOf(analysis)).toBe('missing_country_code')
    expect(analysis.suggestion).toEqual({
      e164: '+14155552671',
      formatted: '+1 415 555 2671',
      message: 'Put a + in front of the country code: did you mean +1 415 555 2671?',
    })
    expect(analyzePhoneNumber('44 7400 123456').suggestion?.e164).toBe(GB_MOBILE)
  })

  it('suggests the missing + even when a default country is set', () => {
    const analysis = analyzePhoneNumber('1 415 555 2671', { defaultCountry: 'GB' })
    expect(reasonOf(analysis)).toBe('missing_country_code')
    expect(analysis.suggestion?.e164).toBe('+14155552671')
  })

  it('suggests the one likely country a national number fits', () => {
    const analysis = analyzePhoneNumber('0151 23456789')
    expect(reasonOf(analysis)).toBe('missing_country_code')
    expect(analysis.suggestion).toMatchObject({
      e164: '+4915123456789',
      message: expect.stringContaining('Germany'),
    })
  })

  it('suggests nothing when the digits are ambiguous', () => {
    expect(analyzePhoneNumber('415 555 2671').suggestion).toBeUndefined()
  })
})

describe('analyzePhoneNumber: country calling code', () => {
  it.each(['+999 1234567', '+0 123456', '+000'])('reports %j as an invalid country code', (input) => {
    const analysis = analyzePhoneNumber(input)
    expect(reasonOf(analysis)).toBe('invalid_country_code')
    expect(analysis.valid).toBe(false)
    expect(analysis.problem?.message).toMatch(/Check the digits right after the \+\.$/)
  })

  it.each([
    ['+00 44 7400 123456', '00'],
    ['+011 44 7400 123456', '011'],
  ])('suggests dropping the dialling prefix typed after + in %j', (input, prefix) => {
    const analysis = analyzePhoneNumber(input)
    expect(reasonOf(analysis)).toBe('invalid_country_code')
    expect(analysis.suggestion).toEqual({
      e164: GB_MOBILE,
      formatted: '+44 7400 123456',
      message: `Use either + or ${prefix} before the country code, not both: did you mean +44 7400 123456?`,
    })
  })
})

describe('analyzePhoneNumber: length', () => {
  it('reports a short number with the country and the expected lengths', () => {
    const analysis = analyzePhoneNumber('+44 740012')
    expect(reasonOf(analysis)).toBe('too_short')
    expect(analysis.countryCallingCode).toBe('44')
    expect(analysis.problem?.message).toBe(
      'This number is too short. +44 (United Kingdom) numbers have 7, 9 or 10 digits after the country code; this one has 6. Check for a missing digit.',
    )
  })

  it('reports a long number', () => {
    const analysis = analyzePhoneNumber('+44 7400 1234567890')
    expect(reasonOf(analysis)).toBe('too_long')
    expect(analysis.problem?.message).toContain('this one has 14. Check for an extra digit.')
  })

  it('names the single expected length for +1', () => {
    const analysis = analyzePhoneNumber('+1 415 555 267')
    expect(reasonOf(analysis)).toBe('too_short')
    expect(analysis.problem?.message).toContain('+1 (United States) numbers have 10 digits')
  })

  it('maps a length between allowed lengths (INVALID_LENGTH) to the nearer side', () => {
    // GB allows 7, 9 or 10 digits; 8 is one off from both, and a dropped digit is the likelier slip.
    expect(reasonOf(analyzePhoneNumber('+44 20 7946 00'))).toBe('too_short')
  })

  it('reports a country code with nothing after it as too short', () => {
    expect(reasonOf(analyzePhoneNumber('+44'))).toBe('too_short')
  })

  it('reports length problems for national input with a default country', () => {
    expect(reasonOf(analyzePhoneNumber('415 555 267', { defaultCountry: 'US' }))).toBe('too_short')
  })
})

describe('analyzePhoneNumber: trunk prefix after the country code', () => {
  it.each([
    ['+44 07400 123456', '+447400123456', 'Remove the 0 after +44: did you mean +44 7400 123456?'],
    ['+49 0151 23456789', '+4915123456789', 'Remove the 0 after +49: did you mean +49 1512 3456789?'],
    ['+33 06 12 34 56 78', '+33612345678', 'Remove the 0 after +33: did you mean +33 6 12 34 56 78?'],
    ['+7 8 912 345 6789', '+79123456789', 'Remove the 8 after +7: did you mean +7 912 345 67 89?'],
  ])('flags %j and suggests %s', (input, e164, message) => {
    const analysis = analyzePhoneNumber(input)
    expect(analysis.valid).toBe(false)
    expect(analysis.e164).toBeUndefined()
    expect(analysis.problem).toEqual({ reason: 'trunk_prefix_after_country_code', message })
    expect(analysis.suggestion).toMatchObject({ e164, message })
  })

  it('leaves Italian numbers, which keep their leading 0, alone', () => {
    const landline = analyzePhoneNumber('+39 06 1234 5678')
    expect(landline).toMatchObject({ valid: true, e164: '+390612345678', country: 'IT', type: 'fixed_line' })
    expect(reasonOf(landline)).toBe('not_sms_capable')
    expect(analyzePhoneNumber('+39 312 345 6789')).toMatchObject({ valid: true, type: 'mobile' })
  })

  it('does not flag the 0 when the number is invalid without it too', () => {
    expect(reasonOf(analyzePhoneNumber('+44 07999 99'))).not.toBe('trunk_prefix_after_country_code')
  })

  it('flags the trunk 0 on a drama-range number: +44 07700 900123 -> +447700900123', () => {
    const a = analyzePhoneNumber('+44 07700 900123')
    expect(reasonOf(a)).toBe('trunk_prefix_after_country_code')
    expect(a.suggestion?.e164).toBe('+447700900123')
    expect(a.suggestion?.message).toContain('+44 7700 900123')
  })
})

describe('analyzePhoneNumber: repeated country code', () => {
  it.each(['+44 44 7400 123456', '+44 0044 7400 123456'])('suggests removing the repeat in %j', (input) => {
    const analysis = analyzePhoneNumber(input)
    expect(reasonOf(analysis)).toBe('invalid_number')
    expect(analysis.suggestion).toEqual({
      e164: GB_MOBILE,
      formatted: '+44 7400 123456',
      message: 'The country code 44 appears twice: did you mean +44 7400 123456?',
    })
  })
})

describe('analyzePhoneNumber: number type and channels', () => {
  it('accepts a mobile number for SMS with formats', () => {
    expect(analyzePhoneNumber(GB_MOBILE)).toEqual({
      input: GB_MOBILE,
      valid: true,
      e164: GB_MOBILE,
      country: 'GB',
      countryCallingCode: '44',
      nationalFormat: '07400 123456',
      internationalFormat: '+44 7400 123456',
      type: 'mobile',
      canReceiveSms: true,
      canReceiveVoice: true,
    })
  })

  it('accepts +1 numbers, which cannot be told apart from landlines, for SMS', () => {
    const analysis = analyzePhoneNumber('+1 415 555 2671')
    expect(analysis).toMatchObject({
      valid: true,
      type: 'fixed_line_or_mobile',
      canReceiveSms: true,
      country: 'US',
    })
    expect(analysis.problem).toBeUndefined()
  })

  it('offers a voice call for a landline', () => {
    const analysis = analyzePhoneNumber('+44 20 7946 0018')
    expect(analysis).toMatchObject({
      valid: true,
      e164: '+442079460018',
      type: 'fixed_line',
      canReceiveSms: false,
      canReceiveVoice: true,
    })
    expect(reasonOf(analysis)).toBe('not_sms_capable')
    expect(analysis.suggestion).toEqual({
      channel: 'call',
      message:
        'This looks like a landline, which cannot receive text messages. Ask for a voice call instead.',
    })
  })

  it('offers a voice call for a toll-free number', () => {
    const analysis = analyzePhoneNumber('+1 800 555 0199')
    expect(analysis).toMatchObject({
      valid: true,
      type: 'toll_free',
      canReceiveSms: false,
      canReceiveVoice: true,
    })
    expect(analysis.suggestion?.channel).toBe('call')
  })

  it('refuses a premium-rate number for every channel but still reports what it is', () => {
    const analysis = analyzePhoneNumber('+1 900 555 0199')
    expect(analysis).toMatchObject({
      valid: false,
      e164: '+19005550199',
      type: 'premium_rate',
      canReceiveSms: false,
      canReceiveVoice: false,
    })
    expect(reasonOf(analysis)).toBe('not_sms_capable')
    expect(analysis.suggestion).toBeUndefined()
  })

  it('accepts VoIP for SMS and reports the type so callers can apply a policy', () => {
    const analysis = analyzePhoneNumber('+44 56 1234 5678')
    expect(analysis).toMatchObject({ valid: true, type: 'voip', canReceiveSms: true })
    expect(analysis.problem).toBeUndefined()
  })

  it('finds the right country among those sharing a calling code', () => {
    expect(analyzePhoneNumber('+1 604 555 0100').country).toBe('CA')
    expect(analyzePhoneNumber('+44 7911 123456').country).toBe('GG')
  })

  it('handles non-geographic numbers, which have no country', () => {
    const analysis = analyzePhoneNumber('+800 1234 5678')
    expect(analysis).toMatchObject({ e164: '+80012345678', countryCallingCode: '800', type: 'toll_free' })
    expect(analysis.country).toBeUndefined()
  })
})

describe('analyzePhoneNumber: invalid numbers', () => {
  it('reports a number of valid length that fails validation', () => {
    const analysis = analyzePhoneNumber('+1 123 456 7890')
    expect(analysis).toMatchObject({ valid: false, countryCallingCode: '1', type: 'unknown' })
    expect(analysis.problem).toEqual({
      reason: 'invalid_number',
      message: 'This is not a valid +1 (United States) number. Check the digits for a typo.',
    })
  })

  it('reads the Ofcom drama ranges as the types they imitate (safe test numbers)', () => {
    expect(analyzePhoneNumber('+447700900123')).toMatchObject({
      valid: true,
      e164: '+447700900123',
      type: 'mobile',
      canReceiveSms: true,
    })
    expect(analyzePhoneNumber('07700 900123', { defaultCountry: 'GB' })).toMatchObject({
      valid: true,
      e164: '+447700900123',
    })
    expect(analyzePhoneNumber('+44 20 7946 0001')).toMatchObject({
      valid: true,
      type: 'fixed_line',
      canReceiveSms: false,
    })
    // Just outside the range stays invalid.
    expect(reasonOf(analyzePhoneNumber('+4477009001234'))).not.toBeUndefined()
  })
})

describe('analyzePhoneNumber: results', () => {
  it('returns frozen results and reuses them for repeated input', () => {
    const first = analyzePhoneNumber('+44 20 7946 0018')
    expect(Object.isFrozen(first)).toBe(true)
    expect(Object.isFrozen(first.problem)).toBe(true)
    expect(Object.isFrozen(first.suggestion)).toBe(true)
    expect(analyzePhoneNumber('+44 20 7946 0018')).toBe(first)
  })

  it('keeps results for different default countries apart', () => {
    expect(analyzePhoneNumber('07400 123456', { defaultCountry: 'GB' }).valid).toBe(true)
    expect(analyzePhoneNumber('07400 123456').valid).toBe(false)
    expect(analyzePhoneNumber('07400 123456', { defaultCountry: 'GB' }).input).toBe('07400 123456')
  })

  it('serialises the lazily computed formats', () => {
    const json = JSON.parse(JSON.stringify(analyzePhoneNumber('+1 415 555 2671'))) as PhoneAnalysis
    expect(json.nationalFormat).toBe('(415) 555-2671')
    expect(json.internationalFormat).toBe('+1 415 555 2671')
  })

  it('always gives a problem a full sentence and a known reason', () => {
    const inputs = [
      '',
      'hello',
      '07400 123456',
      '+999 1',
      '+44 1',
      '+44 07400 123456',
      '+1 123 456 7890',
      '+44 20 7946 0018',
    ]
    for (const input of inputs) {
      const { problem } = analyzePhoneNumber(input)
      expect(isPhoneProblem(problem?.reason)).toBe(true)
      expect(problem?.message).toMatch(/^[A-Z].*[.?]$/)
    }
  })
})

describe('isPhoneProblem', () => {
  it('accepts every listed problem and nothing else', () => {
    for (const problem of PHONE_PROBLEMS) expect(isPhoneProblem(problem)).toBe(true)
    expect(isPhoneProblem('nope')).toBe(false)
    expect(isPhoneProblem(undefined)).toBe(false)
  })
})
