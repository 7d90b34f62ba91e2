import { describe, expect, it } from 'vitest'
import { smppStatusError, smppStatusName, smppStatusOutcome } from './smpp-command-status.js'
import { parseSmppReceiptText, smppReceiptOutcome } from './smpp-receipt.js'

describe('parseSmppReceiptText', () => {
  it('reads the de-facto receipt format', () => {
    const r = parseSmppReceiptText(
      'id:5F5E101 sub:001 dlvrd:001 submit date:2611251717 done date:2611251717 stat:DELIVRD err:000 text:Your code is 123456',
    )
    expect(r).toEqual({
      id: '5F5E101',
      stat: 'DELIVRD',
      err: '000',
      submitDate: '2611251717',
      doneDate: '2611251717',
      text: 'Your code is 123456',
    })
  })

  it('is tolerant of case, missing fields and stat-like words inside text', () => {
    const r = parseSmppReceiptText('ID:abc Stat:undeliv Err:027 Text:stat:DELIVRD err:000')
    expect(r).toMatchObject({ id: 'abc', stat: 'UNDELIV', err: '027', text: 'stat:DELIVRD err:000' })
    expect(parseSmppReceiptText('')).toEqual({
      id: undefined,
      stat: undefined,
      err: undefined,
      submitDate: undefined,
      doneDate: undefined,
      text: undefined,
    })
  })
})

describe('smppReceiptOutcome', () => {
  it.each([
    ['DELIVRD', '000', 'delivered'],
    ['ENROUTE', undefined, 'pending'],
    ['ACCEPTD', '000', 'pending'],
    ['UNDELIV', '001', 'unknown_subscriber'],
    ['UNDELIV', '027', 'unreachable'],
    ['UNDELIV', '045', 'carrier_blocked'],
    ['UNDELIV', '011', 'not_mobile'],
    ['UNDELIV', '999', 'unknown'],
    ['REJECTD', '013', 'carrier_blocked'],
    ['REJECTD', undefined, 'carrier_blocked'],
    ['EXPIRED', '027', 'unreachable'],
    ['EXPIRED', '000', 'expired'],
    ['DELETED', undefined, 'unknown'],
    ['UNKNOWN', '000', 'unknown'],
    [undefined, undefined, 'unknown'],
  ] as const)('stat %s err %s → %s', (stat, err, outcome) => {
    expect(smppReceiptOutcome(stat, err)).toBe(outcome)
  })
})

describe('smpp command_status', () => {
  it.each([
    [0x58, 'provider_throttled', true],
    [0x14, 'provider_throttled', true],
    [0x08, 'provider_error', true],
    [0x0b, 'invalid_number', false],
    [0x0a, 'provider_error', false],
    [0x0d, 'provider_error', false],
    [0x45, 'provider_error', true],
    [0x401, 'provider_error', true],
  ] as const)('0x%s → %s (retryable %s)', (status, outcome, retryable) => {
    expect(smppStatusOutcome(status)).toEqual({ outcome, retryable })
  })

  it('names codes, including vendor-specific ones', () => {
    expect(smppStatusName(0x58)).toBe('ESME_RTHROTTLED')
    expect(smppStatusName(0x401)).toBe('vendor-specific 0x00000401')
    const e = smppStatusError(0x0b)
    expect(e).toMatchObject({ rawCode: '0x0000000b', retryable: false, outcome: 'invalid_number' })
    expect(e.message).toBe('SMSC refused submit_sm: ESME_RINVDSTADR (0x0000000b)')
  })
})
