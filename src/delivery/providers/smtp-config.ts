/**
 * @module SMTP settings: the schema of one `providers` entry of type `smtp`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */
import { z } from 'zod'

/** SMTP settings; one entry of the `providers` list in the config file (unknown keys are errors). */
export const SmtpConfigSchema = z
  .object({
    type: z.literal('smtp'),
    /** @default 'smtp' */
    id: z.string().min(1).default('smtp'),
    /** SMTP server (submission relay) host name. */
    host: z.string().min(1),
    /** 587 for submission with STARTTLS, 465 with `secure: true`. @default 587 */
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. @default false */
    secure: z.boolean().default(false),
    /** Refuse to send unless the connection was upgraded with STARTTLS: codes must not cross the network in clear. @default true */
    requireTls: z.boolean().default(true),
    /** Verify the server certificate. Only tests against a local server turn it off. @default true */
    rejectUnauthorized: z.boolean().default(true),
    auth: z
      .object({ user: z.string().min(1), pass: z.string().min(1) })
      .strict()
      .optional(),
    /** Sender address (`codes@example.com` or `"Acme" <codes@example.com>`) when the route names none. */
    from: z.string().min(3),
    /** Right-hand side of the Message-ID. @default the domain of `from` */
    messageIdDomain: z.string().min(1).optional(),
    /** Subject when the message has none. @default 'Your verification code' */
    defaultSubject: z.string().min(1).default('Your verification code'),
    /** @default 10000 */
    connectionTimeoutMs: z.number().int().min(100).default(10_000),
    /** @default ['email'] */
    channels: z
      .array(z.enum(['email']))
      .min(1)
      .default(['email']),
  })
  .strict()

/** Validated SMTP settings, defaults applied. */
export type SmtpConfig = z.output<typeof SmtpConfigSchema>
