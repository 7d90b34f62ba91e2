/** @module `verigate simulator`: the carrier simulator as a process of its own (src/simulator/carrier-service.ts). */
import { parseArgs } from 'node:util'
import { carrierServiceProviderConfig, startCarrierService } from '../../simulator/carrier-service.js'

const HELP = `Usage: verigate simulator --receipt-url URL [--receipt-url URL ...] --receipt-secret S
                          [--port N] [--host H] [--delay-ms N] [--long-delay-ms N]
                          [--answer-delay-ms N] [--no-dedup]

Runs the carrier simulator as a provider of its own, reached over HTTP, so that workers use it like
a real vendor: it keeps delivering and posting receipts when a worker dies. Add the printed
"providers" entry to the workers' config (and turn the built-in simulator off: VERIGATE_SIMULATOR=false).

  --receipt-url URL      an API's receipt webhook, e.g. http://api-1:8080/v1/receipts/carrier
                         (repeat for each API; a receipt goes to the first that answers 2xx, and is
                         retried until one does)        env VERIGATE_SIMULATOR_RECEIPT_URLS (comma list)
  --receipt-secret S     HMAC-SHA256 key for receipt signatures, 16+ characters
                                                        env VERIGATE_SIMULATOR_RECEIPT_SECRET
  --port N / --host H    listen address (default 127.0.0.1:8090)
  --delay-ms N           receipt delay of normal numbers (default 800)
  --long-delay-ms N      delay of the "delivered late" number (default 45000)
  --answer-delay-ms N    time a submit's answer takes after the message was accepted (default 0): the
                         window in which a worker's death leaves a hand-over it does not know about
  --no-dedup             send every submit, even a repeated attempt key (to see the duplicates a
                         provider without idempotency would send after a worker crash)

Endpoints: POST /messages (submit), GET /messages?to=&limit= (phone inbox), GET /stats, GET /healthz.
`

export async function runSimulator(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'receipt-url': { type: 'string', multiple: true },
      'receipt-secret': { type: 'string' },
      'delay-ms': { type: 'string' },
      'long-delay-ms': { type: 'string' },
      'answer-delay-ms': { type: 'string' },
      'provider-id': { type: 'string' },
      'no-dedup': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  const receiptUrls = values['receipt-url'] ?? splitList(process.env.VERIGATE_SIMULATOR_RECEIPT_URLS)
  const receiptSecret = values['receipt-secret'] ?? process.env.VERIGATE_SIMULATOR_RECEIPT_SECRET ?? ''
  const problems: string[] = []
  if (receiptUrls.length === 0 || !receiptUrls.every((u) => URL.canParse(u)))
    problems.push('--receipt-url (or VERIGATE_SIMULATOR_RECEIPT_URLS): one or more receipt webhook URLs')
  if (receiptSecret.length < 16)
    problems.push('--receipt-secret (or VERIGATE_SIMULATOR_RECEIPT_SECRET): 16 characters or more')
  const number = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < 0) problems.push(`${name}: a whole number, 0 or more`)
    return n
  }
  const port = number('--port', values.port, 8090)
  const deliveryDelayMs = number('--delay-ms', values['delay-ms'], 800)
  const longDelayMs = number('--long-delay-ms', values['long-delay-ms'], 45_000)
  const answerDelayMs = number('--answer-delay-ms', values['answer-delay-ms'], 0)
  if (problems.length > 0) {
    process.stderr.write(`verigate simulator needs:\n  ${problems.join('\n  ')}\n\n${HELP}`)
    return 2
  }
  const service = await startCarrierService({
    port,
    host: values.host ?? '127.0.0.1',
    receiptUrls,
    receiptSecret,
    deliveryDelayMs,
    longDelayMs,
    answerDelayMs,
    dedup: !values['no-dedup'],
  })
  const providerId = values['provider-id'] ?? 'carrier'
  const entry = { ...carrierServiceProviderConfig(service.url, '<the receipt secret>', providerId) }
  process.stdout.write(
    [
      '',
      `verigate carrier simulator on ${service.url}  (dedup by attempt key: ${values['no-dedup'] ? 'off' : 'on'})`,
      `  Receipts to     ${receiptUrls.join(', ')}`,
      `  Phone inbox     ${service.url}/messages?to=...   Stats: ${service.url}/stats`,
      '  Workers reach it with this "providers" entry:',
      `    ${JSON.stringify(entry)}`,
      '',
      '',
    ].join('\n'),
  )
  let closing = false
  const shutdown = () => {
    if (closing) return
    closing = true
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  return -1
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}
