/**
 * @module Vonage Number Insight Advanced: `GET /ni/advanced/json?api_key&api_secret&number` (number
 * without `+`). `current_carrier.network_type` gives the line type; Number Insight Advanced offers no
 * SIM swap data. Vonage answers HTTP 200 with a `status` code: 0 is success, anything else an error.
 */
import type { FetchFn } from '../shared/http-client.js'
import type { LineFacts, LineLookupProvider, LineType } from './line-facts.js'

/** `current_carrier.network_type` → verigate's line types (`virtual` numbers are VoIP-style numbers not tied to a line). */
export const VONAGE_NETWORK_TYPES: Readonly<Record<string, LineType>> = {
  mobile: 'mobile',
  landline: 'landline',
  landline_premium: 'premium',
  landline_tollfree: 'toll_free',
  virtual: 'non_fixed_voip',
  pager: 'pager',
  unknown: 'unknown',
}

interface VonageInsightAnswer {
  readonly status?: number
  readonly status_message?: string
  readonly current_carrier?: { readonly name?: string | null; readonly network_type?: string | null } | null
}

export function vonageInsight(
  config: { apiKey: string; apiSecret: string; baseUrl: string },
  fetchFn: FetchFn,
): LineLookupProvider {
  return {
    id: 'vonage-insight',
    async lookup(e164, { signal, now }): Promise<LineFacts> {
      const params = new URLSearchParams({
        api_key: config.apiKey,
        api_secret: config.apiSecret,
        number: e164.replace(/^\+/, ''),
      })
      const url = `${config.baseUrl.replace(/\/+$/, '')}/ni/advanced/json?${params}`
      const res = await fetchFn(url, { method: 'GET', headers: { accept: 'application/json' }, signal })
      const body = (await res.json().catch(() => undefined)) as VonageInsightAnswer | undefined
      if (!res.ok || !body || body.status !== 0) {
        throw new Error(
          `Vonage Number Insight answered HTTP ${res.status}, status ${body?.status ?? '?'} (${body?.status_message ?? ''})`,
        )
      }
      const type = body.current_carrier?.network_type ?? undefined
      return {
        lineType: type === undefined ? 'unknown' : (VONAGE_NETWORK_TYPES[type] ?? 'unknown'),
        carrier: body.current_carrier?.name ?? null,
        simSwap: null,
        source: 'vonage-insight',
        lookedUpAt: now,
      }
    },
  }
}
