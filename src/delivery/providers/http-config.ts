/**
 * @module Generic HTTP webhook settings: the schema of one `providers` entry of type `http`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */

import { z } from 'zod'
import { CHANNELS } from '../../channels/channel.js'
import { DELIVERY_OUTCOMES } from '../outcome.js'

/** Placeholders a template may use. */
export const HTTP_PLACEHOLDERS = [
  'to',
  'body',
  'from',
  'id',
  'channel',
  'attemptKey',
  'subject',
  'locale',
] as const
/** One of `HTTP_PLACEHOLDERS`. */
export type Placeholder = (typeof HTTP_PLACEHOLDERS)[number]

/** A `{{name}}` placeholder in a template (global: use with `matchAll` or `replace`). */
export const PLACEHOLDER_RE = /\{\{\s*([A-Za-z]+)\s*\}\}/g

const template = (what: string) =>
  z
    .string()
    .refine(
      (s) =>
        [...s.matchAll(PLACEHOLDER_RE)].every((m) =>
          (HTTP_PLACEHOLDERS as readonly string[]).includes(m[1]!),
        ),
      {
        message: `${what}: unknown placeholder; allowed: ${HTTP_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}`,
      },
    )

/** The body sent when no `bodyTemplate` is configured (JSON content type). */
export const DEFAULT_HTTP_BODY_TEMPLATE =
  '{"id":"{{id}}","reference":"{{attemptKey}}","channel":"{{channel}}","to":"{{to}}","from":"{{from}}","body":"{{body}}"}'

const HttpReceiptsSchema = z
  .object({
    /** Shared secret; receipts carry HMAC-SHA256(secret, signed payload) in `signatureHeader`. */
    secret: z.string().min(16),
    /** @default 'x-signature' */
    signatureHeader: z.string().min(1).default('x-signature'),
    /** Text before the digest in the header. @default 'sha256=' */
    signaturePrefix: z.string().default('sha256='),
    /** @default 'hex' */
    signatureEncoding: z.enum(['hex', 'base64']).default('hex'),
    /**
     * When set, the sender also sends a Unix-seconds timestamp in this header, the signed payload is
     * `<timestamp>.<raw body>`, and receipts older than `toleranceSeconds` are refused (replay protection).
     */
    timestampHeader: z.string().min(1).optional(),
    /** @default 300 */
    toleranceSeconds: z.number().int().min(1).default(300),
    /** Where each receipt names the message: the id the send answer carried. @default '/id' */
    messageIdPath: z.string().min(1).default('/id'),
    /** @default '/status' */
    statusPath: z.string().min(1).default('/status'),
    codePath: z.string().min(1).optional(),
    textPath: z.string().min(1).optional(),
    /** ISO 8601 or Unix seconds/milliseconds; receipt arrival time when absent. */
    timestampPath: z.string().min(1).optional(),
    /** The provider's status words → outcomes, on top of the built-in common words. */
    statusMap: z.record(z.string(), z.enum(DELIVERY_OUTCOMES)).default({}),
  })
  .strict()

/** Generic HTTP webhook provider settings; one entry of the `providers` list in the config file (unknown keys are errors). */
export const HttpConfigSchema = z
  .object({
    type: z.literal('http'),
    /** @default 'http' */
    id: z.string().min(1).default('http'),
    /** Request URL; placeholders are URL-encoded. */
    url: template('url').refine((s) => URL.canParse(s.replace(PLACEHOLDER_RE, 'x')), {
      message: 'url: not a URL',
    }),
    /** @default 'POST' */
    method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
    /** Extra headers (auth, idempotency keys...); placeholders allowed, e.g. `"Idempotency-Key": "{{attemptKey}}"`. */
    headers: z.record(z.string(), template('headers')).default({}),
    /** Decides the escaping of `bodyTemplate` values: JSON-escaped for JSON types, URL-encoded for forms. @default 'application/json' */
    contentType: z.string().min(1).default('application/json'),
    /** Request body. @default DEFAULT_HTTP_BODY_TEMPLATE (ignored for GET) */
    bodyTemplate: template('bodyTemplate').optional(),
    /**
     * Where the answer names the message: a JSON pointer (`/data/0/id`) or dot path (`data.0.id`).
     * Absent: the attempt key is the message id (send `{{attemptKey}}` so receipts can name it).
     */
    messageIdPath: z.string().min(1).optional(),
    /** Where an error answer keeps its code and text (pointer or dot path). */
    errorCodePath: z.string().min(1).optional(),
    errorTextPath: z.string().min(1).optional(),
    /** Error codes → outcomes (e.g. `{"21211": "invalid_number"}`); unmapped errors go by HTTP status. */
    errorOutcomes: z.record(z.string(), z.enum(DELIVERY_OUTCOMES)).default({}),
    /** Default sender for `{{from}}`. */
    from: z.string().min(1).optional(),
    /** @default ['sms'] */
    channels: z.array(z.enum(CHANNELS)).min(1).default(['sms']),
    /** Signed delivery receipts; absent = the provider sends none. */
    receipts: HttpReceiptsSchema.optional(),
  })
  .strict()

/** Validated Generic HTTP webhook provider settings, defaults applied. */
export type HttpConfig = z.output<typeof HttpConfigSchema>
