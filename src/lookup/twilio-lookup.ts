/**
 * @module Twilio Lookup v2: `GET /v2/PhoneNumbers/{E.164}?Fields=line_type_intelligence,sim_swap`
 * with HTTP Basic auth (account SID and auth token). `line_type_intelligence.type` gives the line
 * type; `sim_swap.last_sim_swap` gives the last swap as a date, or only as a period
 * (`swapped_period` ISO 8601 hours, `swapped_in_period`), as the carrier allows.
 */
import type { FetchFn } from '../shared/http-client.js'
import type { LineFacts, LineLookupProvider, LineType, SimSwapFacts } from './line-facts.js'

/** `line_type_intelligence.type` → verigate's line types. */
export const TWILIO_LINE_TYPES: Readonly<Record<string, LineType>> = {
  mobile: 'mobile',
  landline: 'landline',
  fixedVoip: 'fixed_voip',
  nonFixedVoip: 'non_fixed_voip',
  tollFree: 'toll_free',
  premium: 'premium',
  pager: 'pager',
  personal: 'other',
  sharedCost: 'other',
  uan: 'other',
  voicemail: 'other',
  unknown: 'unknown',
}

interface TwilioLookupAnswer {
  readonly phone_number?: string
  readonly valid?: boolean
  readonly line_type_intelligence?: {
    readonly type?: string | null
    readonly carrier_name?: string | null
    readonly error_code?: number | null
  } | null
  readonly sim_swap?: {
    readonly last_sim_swap?: {
      readonly last_sim_swap_date?: string | null
      readonly swapped_period?: string | null
      readonly swapped_in_period?: boolean | null
    } | null
    readonly carrier_name?: string | null
    readonly error_code?: number | null
  } | null
  readonly code?: number
  readonly message?: string
}

export function twilioLookup(
  config: { accountSid: string; authToken: string; baseUrl: string; simSwap: boolean },
  fetchFn: FetchFn,
): LineLookupProvider {
  const fields = config.simSwap ? 'line_type_intelligence,sim_swap' : 'line_type_intelligence'
  const auth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`
  return {
    id: 'twilio-lookup',
    async lookup(e164, { signal, now }): Promise<LineFacts> {
      const url = `${config.baseUrl.replace(/\/+$/, '')}/v2/PhoneNumbers/${encodeURIComponent(e164)}?Fields=${fields}`
      const res = await fetchFn(url, {
        method: 'GET',
        headers: { authorization: auth, accept: 'application/json' },
        signal,
      })
      const body = (await res.json().catch(() => undefined)) as TwilioLookupAnswer | undefined
      if (!res.ok || !body) {
        throw new Error(
          `Twilio Lookup answered HTTP ${res.status}${body?.code ? ` (${body.code} ${body.message ?? ''})` : ''}`,
        )
      }
      const lti = body.line_type_intelligence
      const type = lti?.type ?? undefined
      return {
        lineType: type === undefined ? 'unknown' : (TWILIO_LINE_TYPES[type] ?? 'unknown'),
        carrier: lti?.carrier_name ?? body.sim_swap?.carrier_name ?? null,
        simSwap: simSwapOf(body.sim_swap?.last_sim_swap),
        source: 'twilio-lookup',
        lookedUpAt: now,
      }
    },
  }
}

function simSwapOf(s: NonNullable<TwilioLookupAnswer['sim_swap']>['last_sim_swap']): SimSwapFacts | null {
  if (!s) return null
  const date = s.last_sim_swap_date ? Date.parse(s.last_sim_swap_date) : Number.NaN
  const hours = /^PT(\d+)H$/.exec(s.swapped_period ?? '')?.[1]
  const period =
    hours !== undefined && typeof s.swapped_in_period === 'boolean'
      ? { hours: Number(hours), swapped: s.swapped_in_period }
      : null
  if (Number.isNaN(date) && !period) return null
  return { lastSwapAt: Number.isNaN(date) ? null : date, period }
}
