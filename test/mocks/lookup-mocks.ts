/**
 * @module Local carrier lookup APIs: Twilio Lookup v2 (`GET /v2/PhoneNumbers/{number}?Fields=...`,
 * HTTP Basic auth, the v2 PhoneNumber resource with `line_type_intelligence` and `sim_swap` only when
 * asked for in `Fields`, Twilio's `{ code, message, more_info, status }` errors) and Vonage Number
 * Insight Advanced (`GET /ni/advanced/json?api_key&api_secret&number`, HTTP 200 with a `status` code).
 */
import { type MockAction, type RecordedRequest, startMockServer } from './mock-server.js'

export interface NumberProfile {
  /** Twilio's `line_type_intelligence.type` (`mobile`, `landline`, `nonFixedVoip`...). */
  readonly twilioType: string
  /** Vonage's `current_carrier.network_type` (`mobile`, `landline`, `virtual`...). */
  readonly vonageType: string
  readonly carrier: string
  /** `last_sim_swap` as Twilio answers it; absent: no SIM swap data (`sim_swap` null). */
  readonly lastSimSwap?: {
    last_sim_swap_date: string | null
    swapped_period: string | null
    swapped_in_period: boolean | null
  }
}

export interface LookupMock {
  readonly url: string
  readonly requests: RecordedRequest[]
  /** The next request hangs (time-box tests) or fails with HTTP 500. */
  failNext(kind: 'hang' | 'error'): void
  close(): Promise<void>
}

export async function startTwilioLookupMock(opts: {
  accountSid: string
  authToken: string
  numbers: Readonly<Record<string, NumberProfile>>
}): Promise<LookupMock> {
  const failures: Array<'hang' | 'error'> = []
  const handle = (req: RecordedRequest): MockAction => {
    const expected = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`
    if (req.headers.authorization !== expected)
      return {
        status: 401,
        body: {
          code: 20003,
          message: 'Authenticate',
          more_info: 'https://www.twilio.com/docs/errors/20003',
          status: 401,
        },
      }
    const failure = failures.shift()
    if (failure === 'hang') return 'hang'
    if (failure === 'error')
      return {
        status: 500,
        body: {
          code: 20500,
          message: 'Internal Server Error',
          more_info: 'https://www.twilio.com/docs/errors/20500',
          status: 500,
        },
      }
    const m = /^\/v2\/PhoneNumbers\/([^/]+)$/.exec(req.path)
    if (req.method !== 'GET' || !m)
      return {
        status: 404,
        body: {
          code: 20404,
          message: 'The requested resource was not found',
          more_info: 'https://www.twilio.com/docs/errors/20404',
          status: 404,
        },
      }
    const number = decodeURIComponent(m[1]!)
    const fields = (req.query.Fields ?? '').split(',')
    const p = opts.numbers[number]
    const valid = /^\+[1-9]\d{6,14}$/.test(number)
    return {
      status: 200,
      body: {
        calling_country_code: '44',
        country_code: 'GB',
        phone_number: number,
        national_format: number,
        valid,
        validation_errors: valid ? [] : ['NOT_A_NUMBER'],
        caller_name: null,
        sim_swap: fields.includes('sim_swap')
          ? p?.lastSimSwap
            ? {
                last_sim_swap: p.lastSimSwap,
                carrier_name: p.carrier,
                mobile_country_code: '234',
                mobile_network_code: '10',
                error_code: null,
              }
            : {
                last_sim_swap: null,
                carrier_name: null,
                mobile_country_code: null,
                mobile_network_code: null,
                error_code: 60606,
              }
          : null,
        call_forwarding: null,
        line_status: null,
        line_type_intelligence: fields.includes('line_type_intelligence')
          ? {
              error_code: null,
              mobile_country_code: '234',
              mobile_network_code: '10',
              carrier_name: p?.carrier ?? null,
              type: p?.twilioType ?? 'unknown',
            }
          : null,
        identity_match: null,
        reassigned_number: null,
        sms_pumping_risk: null,
        phone_number_quality_score: null,
        pre_fill: null,
        url: `https://lookups.twilio.com/v2/PhoneNumbers/${number}`,
      },
    }
  }
  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    failNext: (k) => void failures.push(k),
    close: () => server.close(),
  }
}

export async function startVonageInsightMock(opts: {
  apiKey: string
  apiSecret: string
  numbers: Readonly<Record<string, NumberProfile>>
}): Promise<LookupMock> {
  const failures: Array<'hang' | 'error'> = []
  const handle = (req: RecordedRequest): MockAction => {
    const q = req.query
    if (req.path !== '/ni/advanced/json') return { status: 404, body: '' }
    if (q.api_key !== opts.apiKey || q.api_secret !== opts.apiSecret)
      return { status: 200, body: { status: 4, status_message: 'Invalid credentials' } }
    const failure = failures.shift()
    if (failure === 'hang') return 'hang'
    if (failure === 'error')
      return { status: 200, body: { status: 5, status_message: 'Internal Server Error' } }
    const number = q.number ?? ''
    if (!/^[1-9]\d{6,14}$/.test(number))
      return { status: 200, body: { status: 3, status_message: 'Invalid request :: number' } }
    const p = opts.numbers[`+${number}`]
    const carrier = {
      network_code: '23410',
      name: p?.carrier ?? 'Unknown',
      country: 'GB',
      network_type: p?.vonageType ?? 'unknown',
    }
    return {
      status: 200,
      body: {
        status: 0,
        status_message: 'Success',
        lookup_outcome: 0,
        lookup_outcome_message: 'Success',
        request_id: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
        international_format_number: number,
        national_format_number: number,
        country_code: 'GB',
        country_code_iso3: 'GBR',
        country_name: 'United Kingdom',
        country_prefix: '44',
        request_price: '0.03000000',
        remaining_balance: '10.000000',
        current_carrier: carrier,
        original_carrier: carrier,
        ported: 'not_ported',
        roaming: { status: 'not_roaming' },
        reachable: 'reachable',
        valid_number: 'valid',
      },
    }
  }
  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    failNext: (k) => void failures.push(k),
    close: () => server.close(),
  }
}
