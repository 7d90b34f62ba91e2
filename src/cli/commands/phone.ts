/** @module `verigate phone NUMBER`: prints the analysis of a number. */
import { parseArgs } from 'node:util'
import { phoneJson } from '../../http/representations.js'
import { analyzePhoneNumber } from '../../phone/index.js'

export async function runPhone(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      country: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const input = positionals.join(' ')
  if (values.help || !input) {
    process.stdout.write(
      'Usage: verigate phone NUMBER [--country GB] [--json]\n\nAnalyses a number: E.164 form, country, type, whether it can get SMS, and what to fix.\n',
    )
    return values.help ? 0 : 1
  }
  const analysis = analyzePhoneNumber(
    input,
    values.country ? { defaultCountry: values.country.toUpperCase() } : undefined,
  )
  if (values.json) {
    process.stdout.write(`${JSON.stringify(phoneJson(analysis), null, 2)}\n`)
    return analysis.valid ? 0 : 1
  }
  const lines = [
    `Input:      ${analysis.input}`,
    `Valid:      ${analysis.valid ? 'yes' : 'no'}`,
    analysis.e164 && `E.164:      ${analysis.e164}`,
    analysis.country && `Country:    ${analysis.country} (+${analysis.countryCallingCode})`,
    analysis.internationalFormat &&
      `Formatted:  ${analysis.internationalFormat}  (national: ${analysis.nationalFormat})`,
    `Type:       ${analysis.type}`,
    `SMS:        ${analysis.canReceiveSms ? 'yes' : 'no'}    Voice: ${analysis.canReceiveVoice ? 'yes' : 'no'}`,
    analysis.problem && `Problem:    ${analysis.problem.reason}: ${analysis.problem.message}`,
    analysis.suggestion && `Suggestion: ${analysis.suggestion.message}`,
  ].filter(Boolean)
  process.stdout.write(`${lines.join('\n')}\n`)
  return analysis.valid ? 0 : 1
}
