/**
 * @module A local AWS SNS Query API endpoint for `Publish` to phone numbers: checks the SigV4
 * `Authorization` header (shape, credential scope, date and the signature itself, recomputed with the
 * known secret), parses the form body and message attributes, and answers with SNS's `PublishResponse`
 * and `ErrorResponse` XML. SNS sends no delivery receipts, so neither does this mock.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto'
import { type MockAction, type RecordedRequest, startMockServer } from './mock-server.js'

/** An SMS the mock published. */
export interface SnsPublished {
  readonly messageId: string
  readonly phoneNumber: string
  readonly message: string
  /** `AWS.SNS.SMS.SMSType` → `Transactional`, ... */
  readonly attributes: Readonly<Record<string, string>>
}

/** A documented SNS error for the next Publish (`Type` is `Sender` for 4xx, `Receiver` for 5xx). */
export type SnsFailure =
  | { readonly kind: 'error'; readonly status: number; readonly code: string; readonly message: string }
  | { readonly kind: 'hang' }
  /** The connection is dropped without an answer. */
  | { readonly kind: 'drop' }

/** The running mock: what it received and published, and how to script it. */
export interface SnsMock {
  readonly url: string
  readonly requests: RecordedRequest[]
  readonly published: SnsPublished[]
  failNext(failure: SnsFailure): void
  close(): Promise<void>
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/sns\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

/** Starts the mock; it accepts only requests signed for `region` with this key pair. */
export async function startSnsMock(opts: {
  region: string
  accessKeyId: string
  secretAccessKey: string
}): Promise<SnsMock> {
  const failures: SnsFailure[] = []
  const published: SnsPublished[] = []

  const handle = (req: RecordedRequest): MockAction => {
    if (req.method !== 'POST' || req.path !== '/') return errorXml(404, 'NotFound', 'Not found')
    const auth = AUTH_RE.exec(req.headers.authorization ?? '')
    if (!auth)
      return errorXml(
        400,
        'IncompleteSignature',
        'Authorization header requires Credential, SignedHeaders and Signature',
      )
    const [, accessKeyId, day, region, signedHeaders, signature] = auth as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    if (accessKeyId !== opts.accessKeyId)
      return errorXml(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
    const amzDate = req.headers['x-amz-date'] ?? ''
    if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== day) {
      return errorXml(
        400,
        'IncompleteSignature',
        'X-Amz-Date is missing or does not match the credential scope',
      )
    }
    const signedAt = Date.UTC(
      +amzDate.slice(0, 4),
      +amzDate.slice(4, 6) - 1,
      +amzDate.slice(6, 8),
      +amzDate.slice(9, 11),
      +amzDate.slice(11, 13),
      +amzDate.slice(13, 15),
    )
    if (Math.abs(Date.now() - signedAt) > 15 * 60_000) {
      return errorXml(400, 'RequestExpired', `Request has expired. Timestamp date is ${amzDate}`)
    }
    if (region !== opts.region)
      return errorXml(
        403,
        'SignatureDoesNotMatch',
        `Credential should be scoped to a valid region, not '${region}'.`,
      )
    const names = signedHeaders.split(';')
    if (!names.includes('host') || !names.includes('x-amz-date')) {
      return errorXml(403, 'SignatureDoesNotMatch', 'host and x-amz-date must be signed')
    }
    if (signature !== expectedSignature(req, names, amzDate, region, opts.secretAccessKey)) {
      return errorXml(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      )
    }

    const failure = failures.shift()
    if (failure?.kind === 'hang' || failure?.kind === 'drop') return failure.kind
    if (failure?.kind === 'error') return errorXml(failure.status, failure.code, failure.message)

    const form = new URLSearchParams(req.rawBody)
    if (form.get('Action') !== 'Publish' || form.get('Version') !== '2010-03-31') {
      return errorXml(
        400,
        'InvalidAction',
        `The action ${form.get('Action')} is not valid for this endpoint.`,
      )
    }
    const phoneNumber = form.get('PhoneNumber') ?? ''
    const message = form.get('Message') ?? ''
    if (!message) return errorXml(400, 'InvalidParameter', 'Invalid parameter: Empty message')
    if (!/^\+[1-9]\d{6,14}$/.test(phoneNumber)) {
      return errorXml(
        400,
        'InvalidParameter',
        `Invalid parameter: PhoneNumber Reason: ${phoneNumber} is not valid to publish to`,
      )
    }
    const attributes: Record<string, string> = {}
    for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
      attributes[form.get(`MessageAttributes.entry.${i}.Name`)!] =
        form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? ''
    }
    const messageId = randomUUID()
    published.push({ messageId, phoneNumber, message, attributes })
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult>
    <MessageId>${messageId}</MessageId>
  </PublishResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</PublishResponse>
`,
    }
  }

  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    published,
    failNext: (f) => void failures.push(f),
    close: server.close,
  }
}

/** SigV4 recomputed from the request as received (an implementation independent of the adapter's). */
function expectedSignature(
  req: RecordedRequest,
  names: string[],
  amzDate: string,
  region: string,
  secret: string,
): string {
  const url = new URL(req.url)
  const canonicalQuery = [...url.searchParams]
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join('&')
  const canonicalHeaders = names
    .map((n) => `${n}:${(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('')
  const hash = (s: string) => createHash('sha256').update(s).digest('hex')
  const canonicalRequest = `${req.method}\n${url.pathname}\n${canonicalQuery}\n${canonicalHeaders}\n${names.join(';')}\n${hash(req.rawBody)}`
  const scope = `${amzDate.slice(0, 8)}/${region}/sns/aws4_request`
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${hash(canonicalRequest)}`
  const kDate = createHmac('sha256', `AWS4${secret}`).update(amzDate.slice(0, 8)).digest()
  const kRegion = createHmac('sha256', kDate).update(region).digest()
  const kService = createHmac('sha256', kRegion).update('sns').digest()
  const kSigning = createHmac('sha256', kService).update('aws4_request').digest()
  return createHmac('sha256', kSigning).update(toSign).digest('hex')
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function errorXml(status: number, code: string, message: string): MockAction {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <Error>
    <Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>
    <Code>${code}</Code>
    <Message>${escaped}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`,
  }
}
