/**
 * @module Kannel settings: the schema of one `providers` entry of type `kannel`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */
import { z } from 'zod'

/** Configuration of one Kannel smsbox. Every default is here; unknown keys are errors. */
export const KannelConfigSchema = z
  .object({
    type: z.literal('kannel'),
    /** Provider instance id; it is part of the receipt URL path, hence the narrow alphabet. @default 'kannel' */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" and "_" only')
      .default('kannel'),
    /** smsbox sendsms URL, e.g. `http://127.0.0.1:13013/cgi-bin/sendsms`. */
    sendsmsUrl: z.url(),
    /** A `group = sendsms-user` username and password. */
    username: z.string().min(1),
    password: z.string().min(1),
    /** Default sender when the route names none. */
    from: z.string().min(1).max(20),
    /**
     * GET puts every parameter in the query string. POST sends the text as the body and the rest as
     * `X-Kannel-*` headers, which keeps the password out of URLs and logs. @default 'GET'
     */
    method: z.enum(['GET', 'POST']).default('GET'),
    /** Routes to one `smsc-id` instead of letting bearerbox pick. */
    smsc: z.string().min(1).optional(),
    /** Which reports Kannel sends (1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16 SMSC rejected). @default 31 */
    dlrMask: z.number().int().min(1).max(63).default(31),
    /**
     * verigate's public origin as Kannel reaches it; reports go to `<receiptBaseUrl>/v1/receipts/<id>`.
     * No `%` (Kannel would read it as an escape code), query or fragment.
     */
    receiptBaseUrl: z.url().refine((v) => !/[%?#]/.test(v), 'must not contain "%", "?" or "#"'),
    /** Key for the per-message token in the dlr-url (HMAC-SHA256); at least 32 characters. */
    receiptSecret: z.string().min(32),
    /** Kannel `validity` (minutes): the SMSC drops the message after this, so a stale code never arrives late. */
    validityMinutes: z.number().int().min(1).max(10_080).optional(),
    /** @default ['sms'] */
    channels: z.array(z.literal('sms')).min(1).default(['sms']),
  })
  .strict()

export type KannelConfig = z.output<typeof KannelConfigSchema>
