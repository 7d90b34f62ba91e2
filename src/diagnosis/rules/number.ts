/**
 * @module Rule: the number itself. How it was typed, whether it can take a text, and whether its
 * country is served (by the geo permissions, or by any route before a verification exists).
 */
import { type Channel, isChannel } from '../../channels/channel.js'
import type { Evidence } from '../diagnosis.js'
import type { DiagnosisFacts } from '../facts.js'
import { channel, country, type DiagnosisRule, type Finding, finding, yesNo } from '../finding.js'
import { supportFact } from '../support-words/index.js'

export const numberRule: DiagnosisRule = {
  name: 'number',
  find(facts) {
    return [
      ...mistyped(facts),
      ...notSmsCapableByAnalysis(facts),
      ...reroutedByLookup(facts),
      ...voip(facts),
      ...countryOffByGeo(facts),
      ...countryWithoutRoute(facts),
    ]
  },
}

function mistyped(facts: DiagnosisFacts): Finding[] {
  const phone = facts.input.phone
  if (!phone?.problem || phone.problem.reason === 'not_sms_capable') return []
  const reason = phone.problem.reason
  const fix = phone.suggestion
  return [
    finding({
      id: 'number_mistyped',
      likelihood: 'confirmed',
      user: {
        situation: 'typed',
        values: {
          reason,
          // The analysis's own sentences name the digits at fault and the fix.
          problem:
            fix && fix.message !== phone.problem.message
              ? `${phone.problem.message} ${fix.message}`
              : phone.problem.message,
          number: fix?.formatted,
        },
      },
      support: { values: { input: phone.input, reason, e164: fix?.e164 } },
      evidence: [
        {
          fact: supportFact('phoneProblem', { reason, message: phone.problem.message }),
          raw: { reason, suggestion: fix ?? null },
        },
      ],
      facts: fix?.e164 ? { suggested_number: fix.e164 } : {},
    }),
  ]
}

function notSmsCapableByAnalysis(facts: DiagnosisFacts): Finding[] {
  const phone = facts.input.phone
  if (phone?.problem?.reason !== 'not_sms_capable') return []
  // Asked for a call, a number that takes calls is fine.
  const textChannel = facts.channel === 'sms' || facts.channel === 'whatsapp'
  if (!textChannel && phone.canReceiveVoice) return []
  const voice = yesNo(phone.canReceiveVoice)
  return [
    finding({
      id: 'number_not_sms_capable',
      likelihood: 'confirmed',
      user: { situation: 'number_type', values: { type: phone.type, voice } },
      support: { values: { type: phone.type, voice } },
      evidence: [
        {
          fact: supportFact('phoneType', {
            type: phone.type,
            sms: yesNo(phone.canReceiveSms),
            voice,
          }),
          raw: { type: phone.type },
        },
      ],
      facts: phone.canReceiveVoice ? { suggested_channel: 'call' } : {},
    }),
  ]
}

/** The carrier lookup said landline (or a VoIP number the service does not text) and the start went to a call. */
function reroutedByLookup(facts: DiagnosisFacts): Finding[] {
  const created = facts.events.find((e) => e.type === 'created')
  const data = created?.data ?? {}
  if (data.line_source !== 'carrier_lookup' || typeof data.line_type !== 'string') return []
  const type = data.line_type === 'landline' ? 'landline' : 'VoIP number not tied to a line'
  const carrier = typeof data.line_carrier === 'string' ? data.line_carrier : null
  const from =
    typeof data.rerouted_from === 'string' && isChannel(data.rerouted_from) ? data.rerouted_from : 'sms'
  const to = typeof data.channel === 'string' && isChannel(data.channel) ? data.channel : 'call'
  const values = {
    type,
    source: 'carrier_lookup',
    carrier: carrier ?? undefined,
    carrier_known: yesNo(carrier !== null),
    from: channel(from),
    to: channel(to),
  }
  return [
    finding({
      id: 'number_not_sms_capable',
      likelihood: 'confirmed',
      user: { situation: 'number_type', values: { type: 'fixed_line', voice: 'yes' } },
      support: { situation: 'lookup', values },
      evidence: [
        {
          fact: `This number is a ${type} per the carrier lookup.`,
          raw: { line_type: data.line_type, rerouted_from: data.rerouted_from ?? null },
        },
      ],
      facts: { suggested_channel: 'call' },
    }),
  ]
}

/** The carrier refused a text as `not_mobile`: a number that takes calls, not texts. */
export function notSmsCapableByCarrier(where: string, raw: string, evidence: readonly Evidence[]): Finding {
  return finding({
    id: 'number_not_sms_capable',
    likelihood: 'confirmed',
    user: { situation: 'number_type', values: { type: 'fixed_line', voice: 'yes' } },
    support: { situation: 'carrier', values: { where, raw, voice: 'yes' } },
    evidence,
    facts: { suggested_channel: 'call' },
  })
}

function voip(facts: DiagnosisFacts): Finding[] {
  const phone = facts.input.phone
  if (phone?.type !== 'voip' || facts.delivered.length > 0) return []
  return [
    finding({
      id: 'voip_number',
      likelihood: 'possible',
      user: {},
      support: {},
      evidence: [
        {
          fact: supportFact('phoneType', {
            type: 'voip',
            sms: yesNo(phone.canReceiveSms),
            voice: yesNo(phone.canReceiveVoice),
          }),
          raw: { type: 'voip' },
        },
      ],
    }),
  ]
}

function countryOffByGeo(facts: DiagnosisFacts): Finding[] {
  const geo = facts.input.geo
  const code = facts.country
  if (!geo || !code) return []
  const blocked = geo.blockedCountries.includes(code)
  const notAllowed = geo.allowedCountries !== undefined && !geo.allowedCountries.includes(code)
  if (!blocked && !notAllowed) return []
  return [
    finding({
      id: 'country_not_enabled',
      likelihood: 'confirmed',
      user: { situation: 'named', values: { country: country(code) } },
      support: {
        values: { country: code, country_name: country(code), list: blocked ? 'blocked' : 'allowed' },
      },
      evidence: [
        {
          fact: supportFact('geo', { country: code }),
          raw: {
            country: code,
            allowedCountries: geo.allowedCountries ?? null,
            blockedCountries: geo.blockedCountries,
          },
        },
      ],
    }),
  ]
}

/** Before any verification: would a route carry the channel to this country at all? */
function countryWithoutRoute(facts: DiagnosisFacts): Finding[] {
  const routes = facts.input.routes
  const code = facts.country
  if (facts.verification || !code || !routes?.channelConfigured || routes.covering?.length !== 0) return []
  return [noRouteForCountry(facts.channel, code, 'likely', [])]
}

/** No route carries `via` to the country, though routes serve other countries. */
export function noRouteForCountry(
  via: Channel,
  code: string,
  likelihood: 'confirmed' | 'likely',
  evidence: readonly Evidence[],
): Finding {
  return finding({
    id: 'country_not_enabled',
    likelihood,
    user: { situation: 'named', values: { country: country(code) } },
    support: { situation: 'routes', values: { channel: channel(via), country: code } },
    evidence:
      evidence.length > 0
        ? evidence
        : [
            {
              fact: supportFact('noRoute', { channel: channel(via), country: code }),
              raw: { channel: via, country: code },
            },
          ],
  })
}

/** A provider refused the destination country (`geo_blocked`). */
export function countryOffByProvider(
  facts: DiagnosisFacts,
  values: { where: string; raw: string; provider: string | undefined },
  evidence: readonly Evidence[],
): Finding {
  const code = facts.country
  return finding({
    id: 'country_not_enabled',
    likelihood: 'confirmed',
    user: code ? { situation: 'named', values: { country: country(code) } } : {},
    support: { situation: 'provider', values: { ...values, country: code } },
    evidence,
  })
}
