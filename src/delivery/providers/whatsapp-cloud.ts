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

/** A message template's review status at Meta, plus what the adapter says when it has none. */
type TemplateStatus =
  | 'APPROVED'
  | 'PENDING'
  | 'REJECTED'
  | 'PAUSED'
  | 'DISABLED'
  | 'IN_APPEAL'
  | 'PENDING_DELETION'
  | 'DELETED'
  | 'LIMIT_EXCEEDED'
  | 'MISSING'
  | 'UNKNOWN'

/** `GET /{waba-id}/message_templates` answer. */
interface TemplateList {
  readonly data?: ReadonlyArray<{
    readonly name?: string
    readonly language?: string
    readonly status?: TemplateStatus
  }>
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
  const graph = `${config.baseUrl.replace(/\/+$/, '')}/${config.apiVersion}`
  const auth = { authorization: `Bearer ${config.accessToken}` }
  /** Template statuses read from Meta (`name|language`), each kept `templateStatusCacheSeconds`. */
  const statuses = new Map<string, { status: TemplateStatus; at: number }>()
  const cacheMs = config.templateStatusCacheSeconds * 1000

  /**
   * A template's review status as Meta has it: `GET /{waba-id}/message_templates?name=...`, the
   * entry of that exact name and language (`APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, ...);
   * `MISSING` when there is none, `UNKNOWN` when Meta could not be asked (never blocks a send).
   */
  const readStatus = async (name: string, language: string, signal: AbortSignal): Promise<TemplateStatus> => {
    const key = `${name}|${language}`
    const cached = statuses.get(key)
    if (cached && deps.clock.now() - cached.at < cacheMs) return cached.status
    let status: TemplateStatus = 'UNKNOWN'
    try {
      const q = new URLSearchParams({ name, fields: 'name,language,status,category' })
      const res = await providerRequest(deps.fetch, {
        method: 'GET',
        url: `${graph}/${config.wabaId}/message_templates?${q}`,
        headers: auth,
        signal,
      })
      const list = (res.json as TemplateList | undefined)?.data
      if (res.status >= 200 && res.status < 300 && Array.isArray(list)) {
        const entry = list.find((t) => t.name === name && t.language === language)
        status = entry?.status ?? 'MISSING'
      }
    } catch {
      // Unreachable: UNKNOWN, not cached, asked again on the next send.
    }
    if (status !== 'UNKNOWN') statuses.set(key, { status, at: deps.clock.now() })
    return status
  }

  /** Creates the app's ONE_TAP template; its status as Meta answers (often PENDING at first). */
  const createOneTap = async (
    name: string,
    language: string,
    app: NonNullable<OutgoingMessage['oneTap']>,
    signal: AbortSignal,
  ): Promise<TemplateStatus> => {
    const res = await providerRequest(deps.fetch, {
      url: `${graph}/${config.wabaId}/message_templates`,
      headers: auth,
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
                package_name: app.packageName,
                signature_hash: app.signatureHash,
              },
            ],
          },
        ],
      },
      signal,
    })
    const answer = res.json as (GraphError & { status?: TemplateStatus }) | undefined
    // 2388024: a template with this name and language exists already (another instance made it):
    // its status decides, not the refusal.
    if (answer?.error?.error_subcode === 2388024) {
      statuses.delete(`${name}|${language}`)
      return readStatus(name, language, signal)
    }
    const status = res.status >= 200 && res.status < 300 ? (answer?.status ?? 'UNKNOWN') : 'UNKNOWN'
    if (status !== 'UNKNOWN') statuses.set(`${name}|${language}`, { status, at: deps.clock.now() })
    return status
  }

  /**
   * The template a message goes out on, and why it is not the preferred one. A service with a
   * one-tap Android app (and the account id configured) gets its own template with a ONE_TAP button,
   * created on first use; it is used only once Meta has APPROVED it (a PENDING or REJECTED template
   * is refused by Meta at send time, error 132001). Until then the shared copy-code template
   * carries the code, if it is APPROVED; if neither is, the send is refused here, so the dispatcher
   * moves to the next channel with the reason. Statuses are read from Meta and cached.
   */
  const templateFor = async (
    msg: OutgoingMessage,
    language: string,
    signal: AbortSignal,
  ): Promise<{ name: string; note?: string }> => {
    const base = config.templateName ?? ''
    // Without the account id nothing can be read or created: the configured template, as it is.
    if (config.wabaId === undefined) return { name: base }
    let oneTap: { name: string; status: TemplateStatus } | undefined
    if (msg.oneTap) {
      const app = createHash('sha256')
        .update(`${msg.oneTap.packageName}|${msg.oneTap.signatureHash}`)
        .digest('hex')
      const name = `${base}_ot_${app.slice(0, 12)}`
      let status = await readStatus(name, language, signal)
      if (status === 'MISSING') status = await createOneTap(name, language, msg.oneTap, signal)
      if (status === 'APPROVED') return { name }
      oneTap = { name, status }
    }
    const said = (t: { name: string; status: TemplateStatus }) =>
      t.status === 'UNKNOWN'
        ? `${t.name} (${language}) could not be checked with Meta`
        : `${t.name} (${language}) is ${t.status} at Meta, not APPROVED`
    const baseStatus = await readStatus(base, language, signal)
    // UNKNOWN: Meta could not be asked; the configured template is tried (Meta refuses it if need be).
    if (baseStatus === 'APPROVED' || baseStatus === 'UNKNOWN') {
      if (!oneTap) return { name: base }
      return {
        name: base,
        note: `The one-tap template ${said(oneTap)}; the copy-code template ${base} was used.`,
      }
    }
    throw new ProviderError({
      message: `No approved WhatsApp template: ${said({ name: base, status: baseStatus })}${
        oneTap ? `, and the one-tap template ${said(oneTap)}` : ''
      }.`,
      retryable: false,
      outcome: 'provider_error',
      rawCode: 'TEMPLATE_NOT_APPROVED',
    })
  }

  const provider = {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      let note: string | undefined
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
        const chosen = await templateFor(msg, language, opts.signal)
        note = chosen.note
        body.type = 'template'
        body.template = {
          name: chosen.name,
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
      return {
        providerMessageId: first.id,
        rawStatus: first.message_status ?? 'accepted',
        ...(note ? { note } : {}),
      }
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
