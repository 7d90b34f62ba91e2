/**
 * @module WhatsApp Cloud API settings: the schema of one `providers` entry of type `whatsapp-cloud`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */
import { z } from 'zod'

/** WhatsApp Cloud API settings; one entry of the `providers` list in the config file (unknown keys are errors). */
export const WhatsappCloudConfigSchema = z
  .object({
    type: z.literal('whatsapp-cloud'),
    /** @default 'whatsapp-cloud' */
    id: z.string().min(1).default('whatsapp-cloud'),
    /** System-user access token, sent as `Authorization: Bearer <token>`. */
    accessToken: z.string().min(1),
    /** The business phone number's id (not the number itself). */
    phoneNumberId: z.string().regex(/^\d+$/, 'expected the numeric phone number id'),
    /** Graph API version. @default 'v21.0' */
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/)
      .default('v21.0'),
    /** @default 'https://graph.facebook.com' */
    baseUrl: z.url().default('https://graph.facebook.com'),
    /** The Meta app secret; verifies `X-Hub-Signature-256` on status webhooks. Without it no webhook is accepted. */
    appSecret: z.string().min(1).optional(),
    /** Token Meta echoes in the webhook subscription handshake (`hub.verify_token`). */
    verifyToken: z.string().min(1).optional(),
    /**
     * `template`: an approved authentication template carrying the code (works outside the 24-hour
     * customer service window, which is where verification messages always are). `text`: the rendered
     * body as a free-form message, for sandboxes and open conversations. @default 'template'
     */
    mode: z.enum(['template', 'text']).default('template'),
    /**
     * The WhatsApp Business Account id. With it, a service with a one-tap Android app
     * (`whatsapp_one_tap`) gets its own authentication template with a ONE_TAP button, created
     * through `message_templates` on its first code (named `<templateName>_ot_<hash of the app>`).
     */
    wabaId: z.string().regex(/^\d+$/, 'expected the numeric WhatsApp Business Account id').optional(),
    /**
     * How long a template's review status read from Meta (`GET message_templates`) is trusted. A
     * template is used only while APPROVED; a PENDING one-tap template is looked at again after this
     * long. @default 600
     */
    templateStatusCacheSeconds: z.number().int().min(1).max(86_400).default(600),
    /** Name of the approved authentication template. Required in `template` mode. */
    templateName: z.string().min(1).optional(),
    /** Template language code (`en_US`); absent = the message locale with `-` turned into `_`. */
    templateLanguage: z.string().min(2).optional(),
    /** Authentication templates carry a copy-code (URL) button at index 0 that takes the code too. @default true */
    copyCodeButton: z.boolean().default(true),
    /**
     * Regular expression whose first capture group is the code inside the rendered body. Absent: the
     * WebOTP `#code` of the last line, else the first run of 4-10 digits.
     */
    codePattern: z.string().min(1).optional(),
    /** @default ['whatsapp'] */
    channels: z
      .array(z.enum(['whatsapp']))
      .min(1)
      .default(['whatsapp']),
  })
  .strict()
  .refine((c) => c.mode !== 'template' || c.templateName !== undefined, {
    message: 'templateName is required in template mode',
    path: ['templateName'],
  })

/** Validated WhatsApp Cloud API settings, defaults applied. */
export type WhatsappCloudConfig = z.output<typeof WhatsappCloudConfigSchema>
