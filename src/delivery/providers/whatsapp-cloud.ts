/**
 * @module WhatsApp Cloud API adapter: sends the code as an authentication template (or a text body)
 * through `POST /{version}/{phone-number-id}/messages` with a Bearer token, and reads message status
 * webhooks signed with `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the app secret).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, providerRequest } from './provider-http.js'
import { WHATSAPP_CLOUD_STATUSES, whatsappCloudError } from './whatsapp-cloud-codes.js'
import type { WhatsappCloudConfig } from './whatsapp-cloud-config.js'

interface GraphError {
  readonly error?: {
    readonly message?: string
    readonly type?: string
    readonly code?: number
    readonly error_subcode?: number
    readonly error_data?: { readonly details?: string }
    readonly fbtrace_id?: string
  }
}

interface StatusWebhook {
  readonly entry?: ReadonlyArray<{
    readonly changes?: ReadonlyArray<{
      readonly field?: string
      readonly value?: {
        readonly statuses?: ReadonlyArray<{
          readonly id?: string
          readonly status?: string
          readonly timestamp?: string
          readonly recipient_id?: string
          readonly biz_opaque_callback_data?: string
          readonly errors?: ReadonlyArray<{
            readonly code?: number
            readonly title?: string
            readonly message?: string
            readonly error_data?: { readonly details?: string }
          }>
        }>
      }
    }>
  }>
}

/**
 * Builds the WhatsApp Cloud API adapter.
 *
 * - `send` passes `msg.attemptKey` as `biz_opaque_callback_data` (echoed in status webhooks). Graph error
 *   codes map by table: 130429/131048/131056 and friends are throttling (retryable), 131026 is
 *   `unreachable` (not on WhatsApp: another channel may work), 131050 is `opted_out`, token and template
 *   errors are final configuration errors.
 * - `receipts` verifies `X-Hub-Signature-256` and maps each `statuses[]` entry: `sent` → `pending`,
 *   `delivered`/`read` → `delivered`, `failed` by its error code.
 * - `answerSubscription` answers Meta's GET handshake; the receipt route must call it for GET requests.
 */
export function whatsappCloud(config: WhatsappCloudConfig, deps: ProviderDeps) {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/${config.apiVersion}/${config.phoneNumberId}/messages`
  const codePattern = config.codePattern ? new RegExp(config.codePattern) : undefined

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'whatsapp-cloud', channels: config.channels } as const
  /** One-tap templates known to exist (`name|language`), created once per process. */
  const oneTapReady = new Set<string>()

  /**
   * The template a message goes out on: the service's one-tap template (created on first use, with
   * the app's package name and signature hash on its ONE_TAP button) when it has an app and the
   * account id is configured, else the shared copy-code template. A one-tap template Meta does not
   * approve at once is not used yet: the copy-code one carries the code meanwhile.
   */
  const templateFor = async (
    msg: OutgoingMessage,
    language: string,
    signal: AbortSignal,
  ): Promise<string> => {
    const base = config.templateName ?? ''
    if (!msg.oneTap || config.wabaId === undefined) return base
    const app = createHash('sha256')
      .update(`${msg.oneTap.packageName}|${msg.oneTap.signatureHash}`)
      .digest('hex')
    const name = `${base}_ot_${app.slice(0, 12)}`
    const key = `${name}|${language}`
    if (oneTapReady.has(key)) return name
    const res = await providerRequest(deps.fetch, {
      url: `${config.baseUrl.replace(/\/+$/, '')}/${config.apiVersion}/${config.wabaId}/message_templates`,
      headers: { authorization: `Bearer ${config.accessToken}` },
      body: {
        name,
        language,
        category: 'AUTHENTICATION',
        components: [
          { type: 'BODY', add_security_recommendation: true },
          {
            type: 'BUTTONS',
            buttons: [
              {
                type: 'OTP',
                otp_type: 'ONE_TAP',
                text: 'Copy code',
                autofill_text: 'Autofill',
                package_name: msg.oneTap.packageName,
                signature_hash: msg.oneTap.signatureHash,
              },
            ],
          },
        ],
      },
      signal,
    })
    const answer = res.json as (GraphError & { status?: string }) | undefined
    // 2388024: a template with this name and language exists already (another instance made it).
    const exists = answer?.error?.error_subcode === 2388024
    if ((res.status >= 200 && res.status < 300 && answer?.status === 'APPROVED') || exists) {
      oneTapReady.add(key)
      return name
    }
    return base
  }

  const provider = {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const body: Record<string, unknown> = {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: msg.to,
        biz_opaque_callback_data: msg.attemptKey,
      }
      if (config.mode === 'text') {
        body.type = 'text'
        body.text = { preview_url: false, body: msg.body }
      } else {
        const code = msg.code ?? extractCode(msg.body, codePattern)
        if (!code) {
          throw new ProviderError({
            message: 'No code found in the rendered body for the authentication template',
            retryable: false,
            outcome: 'provider_error',
            rawCode: 'NO_CODE',
          })
        }
        const components: unknown[] = [{ type: 'body', parameters: [{ type: 'text', text: code }] }]
        if (config.copyCodeButton) {
          components.push({
            type: 'button',
            sub_type: 'url',
            index: '0',
            parameters: [{ type: 'text', text: code }],
          })
        }
        const language = config.templateLanguage ?? msg.locale.replace('-', '_')
        body.type = 'template'
        body.template = {
          name: await templateFor(msg, language, opts.signal),
          language: { code: language },
          components,
        }
      }

      const res = await providerRequest(deps.fetch, {
        url,
        headers: { authorization: `Bearer ${config.accessToken}` },
        body,
        signal: opts.signal,
      })
      if (res.status < 200 || res.status >= 300) {
        const e = (res.json as GraphError | undefined)?.error
        const known = whatsappCloudError(e?.code)
        const text = e?.error_data?.details ?? e?.message ?? (res.text || undefined)
        if (!known) throw errorForStatus(res, e?.code?.toString(), text)
        // 131009 says only that a parameter value is invalid; `details` names which. When it is the
        // recipient, the number is at fault, not our configuration.
        const badRecipient =
          e?.code === 131009 && /recipient|phone number|\bto\b/i.test(e.error_data?.details ?? '')
        throw new ProviderError({
          message: e?.message ?? known.title,
          retryable: known.retryable,
          outcome: badRecipient ? 'invalid_number' : known.outcome,
          rawCode: String(e?.code),
          rawText: text,
          httpStatus: res.status,
          retryAfterMs: res.retryAfterMs,
        })
      }
      const first = (res.json as { messages?: Array<{ id?: string; message_status?: string }> } | undefined)
        ?.messages?.[0]
      if (!first?.id) {
        // Accepted but unreadable: not retryable, because the message may well be on its way.
        throw new ProviderError({
          message: 'WhatsApp answered without a message id',
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'BAD_RESPONSE',
          rawText: res.text.slice(0, 500),
          httpStatus: res.status,
        })
      }
      return { providerMessageId: first.id, rawStatus: first.message_status ?? 'accepted' }
    },

    receipts: {
      verify(req: InboundRequest): boolean {
        if (config.appSecret === undefined) return false
        const header = req.headers['x-hub-signature-256']
        if (!header?.startsWith('sha256=')) return false
        const given = Buffer.from(header.slice('sha256='.length), 'hex')
        const expected = createHmac('sha256', config.appSecret).update(req.rawBody, 'utf8').digest()
        return given.length === expected.length && timingSafeEqual(given, expected)
      },

      parse(req: InboundRequest): DeliveryReport[] {
        let body: StatusWebhook | undefined
        try {
          body = JSON.parse(req.rawBody) as StatusWebhook
        } catch {
          return []
        }
        const reports: DeliveryReport[] = []
        for (const entry of body?.entry ?? []) {
          for (const change of entry.changes ?? []) {
            for (const s of change.value?.statuses ?? []) {
              // Statuses outside the documented set (e.g. `deleted`) say nothing about delivery: skipped,
              // rather than guessed into an outcome that could trigger a failover.
              const base = s.status !== undefined ? WHATSAPP_CLOUD_STATUSES[s.status] : undefined
              if (!s.id || base === undefined) continue
              const error = s.errors?.[0]
              const known = whatsappCloudError(error?.code)
              const seconds = s.timestamp && /^\d+$/.test(s.timestamp) ? Number(s.timestamp) : undefined
              reports.push({
                providerId: config.id,
                providerMessageId: s.id,
                outcome: s.status === 'failed' ? (known?.outcome ?? 'unknown') : base,
                rawStatus: s.status,
                rawCode: error?.code?.toString(),
                rawText: error
                  ? [error.title ?? error.message, error.error_data?.details].filter(Boolean).join(': ')
                  : undefined,
                at: seconds !== undefined ? seconds * 1000 : deps.clock.now(),
              })
            }
          }
        }
        return reports
      },
    },
  } satisfies MessageProvider

  return {
    ...provider,
    /**
     * Meta's webhook subscription handshake (GET with `hub.mode=subscribe`, `hub.verify_token`,
     * `hub.challenge`): returns the challenge to answer with 200, or undefined to answer 403.
     */
    answerSubscription(query: Readonly<Record<string, string | undefined>>): string | undefined {
      const token = query['hub.verify_token']
      if (config.verifyToken === undefined || query['hub.mode'] !== 'subscribe' || token === undefined)
        return undefined
      const a = createHash('sha256').update(token).digest()
      const b = createHash('sha256').update(config.verifyToken).digest()
      return timingSafeEqual(a, b) ? query['hub.challenge'] : undefined
    },
  }
}

/** The code inside a rendered body: the configured pattern, else the WebOTP `#code`, else 4-10 digits. */
function extractCode(body: string, pattern: RegExp | undefined): string | undefined {
  if (pattern) return pattern.exec(body)?.[1]
  const lastLine = body.trimEnd().split('\n').at(-1) ?? ''
  const webOtp = /^@\S+\s+#(\S+)/.exec(lastLine.trim())
  if (webOtp) return webOtp[1]
  return /(?<![\d])(\d{4,10})(?![\d])/.exec(body)?.[1]
}
