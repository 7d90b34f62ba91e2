/**
 * @module A local WhatsApp Cloud API: `POST /{version}/{phone-number-id}/messages` with Bearer auth,
 * template and text messages checked against known templates, Graph API `{ error: {...} }` bodies with
 * Cloud API codes, scriptable failures, and message status webhooks signed with `X-Hub-Signature-256`.
 * Templates have Meta's review status (`APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`...):
 * `GET /{version}/{waba-id}/message_templates?name=` lists them as `{ data: [{ name, language,
 * status, category, id }], paging }`, and a message on a template that is not APPROVED is refused as
 * Meta does (132001 "does not exist or has not been approved"; 132015 paused; 132016 disabled).
 */
import { createHmac, randomBytes } from 'node:crypto'
import { type MockAction, type RecordedRequest, sendWebhook, startMockServer } from './mock-server.js'

export type MetaTemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED'

/** A message the mock accepted. */
export interface WhatsappSent {
  readonly id: string
  readonly to: string
  readonly type: 'template' | 'text'
  /** Template messages: the template name, language and the text parameters of every component. */
  readonly template?: { readonly name: string; readonly language: string; readonly parameters: string[] }
  readonly text?: string
  readonly bizOpaqueCallbackData: string | undefined
}

/** A Graph API error for the next send; `status` defaults to 400 as Graph answers most errors. */
export type WhatsappFailure =
  | {
      readonly kind: 'error'
      readonly code: number
      readonly message: string
      readonly status?: number
      readonly details?: string
    }
  | { readonly kind: 'hang' }
  /** The connection is dropped without an answer. */
  | { readonly kind: 'drop' }

/** The running mock: what it received and accepted, and how to script it. */
export interface WhatsappCloudMock {
  readonly url: string
  readonly requests: RecordedRequest[]
  readonly sent: WhatsappSent[]
  /** Templates created through `message_templates`, with their OTP button as sent. */
  readonly createdTemplates: Array<{ name: string; language: string; button: Record<string, unknown> }>
  /** Meta's review decision on a template (e.g. a PENDING one approved later). */
  setTemplateStatus(name: string, language: string, status: MetaTemplateStatus): void
  failNext(failure: WhatsappFailure): void
  /** Posts a `statuses` webhook for a sent message, signed with the app secret unless `opts.appSecret` overrides it (`null`: unsigned). */
  sendStatus(
    messageId: string,
    status: {
      status: 'sent' | 'delivered' | 'read' | 'failed'
      errorCode?: number
      title?: string
      details?: string
    },
    opts: { url: string; appSecret?: string | null },
  ): Promise<number>
  close(): Promise<void>
}

/** Starts the mock for one phone number id and token; status webhooks are signed with `appSecret`. */
export async function startWhatsappCloudMock(opts: {
  accessToken: string
  phoneNumberId: string
  appSecret: string
  /** Approved templates: name → languages. Each takes one body parameter (the code) and a URL button parameter. */
  templates: Readonly<Record<string, readonly string[]>>
  /** The WhatsApp Business Account id whose `message_templates` edge creates templates. */
  wabaId?: string
  /** The review status a template created through the API gets. @default 'APPROVED' */
  createdStatus?: MetaTemplateStatus
}): Promise<WhatsappCloudMock> {
  const templates: Record<string, string[]> = Object.fromEntries(
    Object.entries(opts.templates).map(([k, v]) => [k, [...v]]),
  )
  /** Review status per `name|language`; the templates given in `opts.templates` are APPROVED. */
  const reviews = new Map<string, MetaTemplateStatus>()
  for (const [name, languages] of Object.entries(opts.templates))
    for (const language of languages) reviews.set(`${name}|${language}`, 'APPROVED')
  const failures: WhatsappFailure[] = []
  const sent: WhatsappSent[] = []
  const graphError = (
    status: number,
    code: number,
    message: string,
    details?: string,
    type = 'OAuthException',
  ): MockAction => ({
    status,
    body: {
      error: {
        message: `(#${code}) ${message}`,
        type,
        code,
        ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  })

  const handle = (req: RecordedRequest): MockAction => {
    const created = /^\/(v\d+\.\d+)\/(\d+)\/message_templates$/.exec(req.path)
    if (created && req.method === 'POST') return createTemplate(req, created[2]!)
    if (created && req.method === 'GET') return listTemplates(req, created[2]!)
    const m = /^\/(v\d+\.\d+)\/(\d+)\/messages$/.exec(req.path)
    if (req.method !== 'POST' || !m)
      return graphError(400, 100, 'Unsupported post request', undefined, 'GraphMethodException')
    if (req.headers.authorization !== `Bearer ${opts.accessToken}`) {
      return {
        status: 401,
        body: {
          error: {
            message: 'Invalid OAuth access token - Cannot parse access token',
            type: 'OAuthException',
            code: 190,
            fbtrace_id: 'A1',
          },
        },
      }
    }
    if (m[2] !== opts.phoneNumberId)
      return graphError(400, 100, 'Invalid parameter', 'Unknown phone number id', 'GraphMethodException')
    const failure = failures.shift()
    if (failure?.kind === 'hang' || failure?.kind === 'drop') return failure.kind
    if (failure?.kind === 'error')
      return graphError(failure.status ?? 400, failure.code, failure.message, failure.details)

    let b: Record<string, unknown>
    try {
      b = JSON.parse(req.rawBody)
    } catch {
      return graphError(400, 100, 'Invalid parameter', 'Request body is not JSON')
    }
    if (b.messaging_product !== 'whatsapp')
      return graphError(400, 100, 'Invalid parameter', 'messaging_product must be whatsapp')
    const to = typeof b.to === 'string' ? b.to : ''
    if (!/^\+?[1-9]\d{6,14}$/.test(to))
      return graphError(400, 131009, 'Parameter value is not valid', 'Invalid recipient')
    const id = `wamid.${randomBytes(24).toString('base64url')}`
    const biz = typeof b.biz_opaque_callback_data === 'string' ? b.biz_opaque_callback_data : undefined

    if (b.type === 'template') {
      const t = b.template as {
        name?: string
        language?: { code?: string }
        components?: Array<{ type?: string; parameters?: Array<{ text?: string }> }>
      }
      const languages = t?.name ? templates[t.name] : undefined
      const language = t?.language?.code ?? ''
      const review = reviews.get(`${t?.name}|${language}`)
      if (review === 'PAUSED')
        return graphError(400, 132015, 'Template is Paused', `template ${t?.name} is paused`)
      if (review === 'DISABLED')
        return graphError(400, 132016, 'Template is Disabled', `template ${t?.name} is disabled`)
      // Meta answers an unapproved (PENDING, REJECTED) template as one that does not exist.
      if (!languages?.includes(language) || review !== 'APPROVED') {
        return graphError(
          404,
          132001,
          'Template name does not exist in the translation',
          `template name (${t?.name}) does not exist in ${language}`,
        )
      }
      const body = t.components?.find((c) => c.type === 'body')
      if (body?.parameters?.length !== 1) {
        return graphError(
          400,
          132000,
          'Number of parameters does not match the expected number of params',
          'body: number of localizable_params (0) does not match the expected number of params (1)',
        )
      }
      const parameters = (t.components ?? []).flatMap((c) => (c.parameters ?? []).map((p) => p.text ?? ''))
      sent.push({
        id,
        to,
        type: 'template',
        template: { name: t.name!, language, parameters },
        bizOpaqueCallbackData: biz,
      })
    } else if (b.type === 'text') {
      const text = (b.text as { body?: string } | undefined)?.body
      if (!text) return graphError(400, 131008, 'Required parameter is missing', 'text.body is required')
      sent.push({ id, to, type: 'text', text, bizOpaqueCallbackData: biz })
    } else {
      return graphError(400, 131051, 'Unsupported message type')
    }
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
        messages: [{ id, message_status: 'accepted' }],
      },
    }
  }

  /**
   * `POST /{version}/{waba-id}/message_templates`: an AUTHENTICATION template with a body that adds
   * the security recommendation and one OTP button (COPY_CODE, or ONE_TAP with the Android app's
   * package name and signature hash). Authentication templates are approved at once here; a second
   * one with the same name and language is refused with subcode 2388024, as Graph does.
   */
  const createTemplate = (req: RecordedRequest, waba: string): MockAction => {
    if (req.headers.authorization !== `Bearer ${opts.accessToken}`)
      return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token')
    if (waba !== opts.wabaId)
      return graphError(400, 100, 'Invalid parameter', 'Unknown WhatsApp Business Account id')
    let b: {
      name?: string
      language?: string
      category?: string
      components?: Array<{ type?: string; buttons?: Array<Record<string, unknown>> }>
    }
    try {
      b = JSON.parse(req.rawBody)
    } catch {
      return graphError(400, 100, 'Invalid parameter', 'Request body is not JSON')
    }
    if (!b.name || !/^[a-z0-9_]{1,512}$/.test(b.name) || !b.language || b.category !== 'AUTHENTICATION')
      return graphError(
        400,
        100,
        'Invalid parameter',
        'name, language and category AUTHENTICATION are required',
      )
    const button = b.components?.find((c) => c.type === 'BUTTONS')?.buttons?.[0]
    const oneTap =
      button?.type === 'OTP' &&
      button.otp_type === 'ONE_TAP' &&
      typeof button.package_name === 'string' &&
      /^[A-Za-z0-9+/]{11}$/.test(String(button.signature_hash ?? ''))
    const copyCode = button?.type === 'OTP' && button.otp_type === 'COPY_CODE'
    if (!oneTap && !copyCode) return graphError(400, 100, 'Invalid parameter', 'an OTP button is required')
    if (templates[b.name]?.includes(b.language))
      return {
        status: 400,
        body: {
          error: {
            message: 'Invalid parameter',
            type: 'OAuthException',
            code: 100,
            error_subcode: 2388024,
            error_user_msg: 'Content in this language already exists',
            fbtrace_id: 'A2',
          },
        },
      }
    templates[b.name] = [...(templates[b.name] ?? []), b.language]
    const status = opts.createdStatus ?? 'APPROVED'
    reviews.set(`${b.name}|${b.language}`, status)
    createdTemplates.push({ name: b.name, language: b.language, button: button ?? {} })
    return { status: 200, body: { id: templateId(b.name, b.language), status, category: 'AUTHENTICATION' } }
  }

  const templateId = (name: string, language: string) =>
    String(BigInt(`0x${createHmac('sha256', 'id').update(`${name}|${language}`).digest('hex').slice(0, 12)}`))

  /** `GET /{version}/{waba-id}/message_templates`: the account's templates, `name` filtering them. */
  const listTemplates = (req: RecordedRequest, waba: string): MockAction => {
    if (req.headers.authorization !== `Bearer ${opts.accessToken}`)
      return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token')
    if (waba !== opts.wabaId)
      return graphError(400, 100, 'Invalid parameter', 'Unknown WhatsApp Business Account id')
    const wanted = req.query.name
    const data = [...reviews.entries()]
      .map(([key, status]) => {
        const [name = '', language = ''] = key.split('|')
        return { name, language, status, category: 'AUTHENTICATION', id: templateId(name, language) }
      })
      .filter((t) => wanted === undefined || t.name.includes(wanted))
    return { status: 200, body: { data, paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } } } }
  }
  const createdTemplates: WhatsappCloudMock['createdTemplates'] = []

  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    createdTemplates,
    setTemplateStatus: (name, language, status) => {
      if (!templates[name]?.includes(language)) templates[name] = [...(templates[name] ?? []), language]
      reviews.set(`${name}|${language}`, status)
    },
    sent,
    failNext: (f) => void failures.push(f),
    async sendStatus(messageId, s, o) {
      const m = sent.find((x) => x.id === messageId)
      const status: Record<string, unknown> = {
        id: messageId,
        status: s.status,
        timestamp: '1767225605',
        recipient_id: (m?.to ?? '15551234567').replace(/^\+/, ''),
      }
      if (m?.bizOpaqueCallbackData) status.biz_opaque_callback_data = m.bizOpaqueCallbackData
      if (s.status === 'failed') {
        status.errors = [
          {
            code: s.errorCode ?? 131000,
            title: s.title ?? 'Something went wrong',
            message: s.title ?? 'Something went wrong',
            error_data: { details: s.details ?? 'Message failed to send' },
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
          },
        ]
      }
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550783881', phone_number_id: opts.phoneNumberId },
                  statuses: [status],
                },
                field: 'messages',
              },
            ],
          },
        ],
      })
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      const secret = o.appSecret === undefined ? opts.appSecret : o.appSecret
      if (secret !== null)
        headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
      return sendWebhook(o.url, { headers, body })
    },
    close: server.close,
  }
}
