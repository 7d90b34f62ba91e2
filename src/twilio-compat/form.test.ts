/** Twilio form parameters: dotted names, `+` and `%20` as spaces, lists, and the 60200 reader. */
import { describe, expect, it } from 'vitest'
import { TwilioError } from './errors.js'
import { Params, parseForm, toFormObject } from './form.js'

function thrown(fn: () => unknown): TwilioError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(TwilioError)
    return err as TwilioError
  }
  throw new Error('expected a TwilioError')
}

describe('parseForm', () => {
  it('decodes the SDK encoding (RFC 3986) and + as a space alike', () => {
    expect(parseForm('FriendlyName=verigate%20capture&CodeLength=6')).toEqual({
      FriendlyName: 'verigate capture',
      CodeLength: '6',
    })
    expect(parseForm('FriendlyName=verigate+capture')).toEqual({ FriendlyName: 'verigate capture' })
    expect(parseForm('To=%2B15005550006&Channel=sms')).toEqual({ To: '+15005550006', Channel: 'sms' })
    expect(parseForm('To=user%40example.com')).toEqual({ To: 'user@example.com' })
    expect(parseForm('FriendlyName=Jane%27s%20phone')).toEqual({ FriendlyName: "Jane's phone" })
  })

  it('nests dotted names, at any depth', () => {
    const form = parseForm(
      'Totp.Issuer=Acme+Inc&Totp.TimeStep=30&Passkeys.RelyingParty.Id=example.com&FriendlyName=x',
    )
    expect(form).toEqual({
      Totp: { Issuer: 'Acme Inc', TimeStep: '30' },
      Passkeys: { RelyingParty: { Id: 'example.com' } },
      FriendlyName: 'x',
    })
    const p = new Params(form)
    expect(p.string('Totp.Issuer')).toBe('Acme Inc')
    expect(p.int('Totp.TimeStep', 20, 60)).toBe(30)
    expect(p.has('Totp')).toBe(true)
    expect(p.has('Push')).toBe(false)
  })

  it('turns repeated names into lists (qs arrayFormat: repeat)', () => {
    const form = parseForm(
      'Details.Fields=%7B%22label%22%3A%22a%22%7D&Details.Fields=%7B%22label%22%3A%22b%22%7D',
    )
    expect(new Params(form).list('Details.Fields')).toEqual(['{"label":"a"}', '{"label":"b"}'])
    expect(thrown(() => new Params(form).string('Details.Fields')).message).toBe(
      'Invalid parameter: Details.Fields',
    )
  })

  it('refuses a name used as a value and as an object, and prototype keys', () => {
    expect(thrown(() => parseForm('Totp=1&Totp.Issuer=x')).message).toBe('Invalid parameter: Totp.Issuer')
    expect(thrown(() => parseForm('Totp.Issuer=x&Totp=1')).message).toBe('Invalid parameter: Totp')
    expect(thrown(() => parseForm('__proto__.polluted=yes')).code).toBe(60200)
    expect(thrown(() => parseForm('A..B=1')).code).toBe(60200)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reads JSON bodies with the same names', () => {
    expect(
      toFormObject({ FriendlyName: 'x', CodeLength: 6, Totp: { Skew: 1 }, LookupEnabled: false }),
    ).toEqual({
      FriendlyName: 'x',
      CodeLength: '6',
      Totp: { Skew: '1' },
      LookupEnabled: 'false',
    })
    expect(toFormObject(undefined)).toEqual({})
  })
})

describe('Params', () => {
  const p = new Params(
    parseForm(
      'CodeLength=12&Channel=SMS&Flag=yes&RateLimits=%7B%22ip%22%3A%221.2.3.4%22%7D&Bad=%7Bx&DeviceIp=1.2.3.4',
    ),
  )

  it('names the parameter in 60200 (400) errors', () => {
    const err = thrown(() => p.int('CodeLength', 4, 10))
    expect(err.body()).toEqual({
      code: 60200,
      message: 'Invalid parameter: CodeLength',
      more_info: 'https://www.twilio.com/docs/errors/60200',
      status: 400,
      details: { parameter: 'CodeLength', reason: 'must be between 4 and 10' },
    })
    expect(thrown(() => p.string('To', { required: true })).message).toBe('Invalid parameter: To')
    expect(thrown(() => p.bool('Flag')).message).toBe('Invalid parameter: Flag')
    expect(thrown(() => p.jsonObject('Bad')).message).toBe('Invalid parameter: Bad')
  })

  it('reads enums case-insensitively, JSON objects and IP addresses', () => {
    expect(p.oneOf('Channel', ['sms', 'call'] as const)).toBe('sms')
    expect(p.jsonObject('RateLimits')).toEqual({ ip: '1.2.3.4' })
    expect(p.ip('DeviceIp')).toBe('1.2.3.4')
    expect(p.string('Missing')).toBeUndefined()
  })
})
