/**
 * @module The configuration schema: every setting, its default and its bounds. Each module declares
 * its own section beside it (`delivery/dispatcher-config.ts`, `limits/limits-config.ts`...); this file
 * composes them with the server-wide settings.
 * Unknown keys are errors, so a typo never silently falls back to a default.
 */
import { z } from 'zod'
import { AnalyticsConfigSchema } from '../analytics/analytics-config.js'
import { DispatcherConfigSchema } from '../delivery/dispatcher-config.js'
import { providerConfigSchema } from '../delivery/providers/provider-config.js'
import { RoutingConfigSchema } from '../delivery/routing/routing-config.js'
import { FraudConfigSchema } from '../fraud/fraud-config.js'
import { HeapConfigSchema } from '../health/heap-config.js'
import { OverloadConfigSchema } from '../health/overload-config.js'
import { LimitsConfigSchema, limitRuleSchema } from '../limits/limits-config.js'
import { LookupConfigSchema } from '../lookup/lookup-config.js'
import { PrivacyConfigSchema } from '../privacy/privacy-config.js'
import { RedisConfigSchema } from '../shared/redis-config.js'
import { PostgresConfigSchema } from '../storage/postgres/postgres-config.js'
import { WebhooksConfigSchema } from '../webhooks/webhooks-config.js'

export const configSchema = z
  .object({
    /** `production` refuses the simulator unless named and requires explicit secrets. */
    env: z.enum(['development', 'production', 'test']).default('development'),
    /**
     * `all`: HTTP API plus the outbox dispatcher and expiry sweeper. `api`: HTTP only (scale the API
     * out separately); some other process must run `all` or `worker` to send. `worker`: dispatcher
     * and sweeper, with HTTP kept for receipts and health checks.
     */
    role: z.enum(['all', 'api', 'worker']).default('all'),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Origin users and providers reach this server on (receipt URLs, links). */
    publicUrl: z.string().url().optional(),
    /**
     * Behind a load balancer or reverse proxy, which hops to believe for the client's IP (the
     * per-IP limits and audit use it): `true` (every hop) or the proxies' addresses and CIDRs,
     * comma-separated. Off by default: a client can forge X-Forwarded-For.
     */
    trustProxy: z.union([z.boolean(), z.string().min(1)]).default(false),
    dataDir: z.string().min(1).default('./data'),
    /** `sqlite:<path>` (default `sqlite:<dataDir>/verigate.db`) or `postgres://...`. */
    databaseUrl: z.string().min(1).optional(),
    /** When set, rate limits are shared through Redis. */
    redisUrl: z.string().min(1).optional(),
    /**
     * Where limit counters live. `auto`: Redis when `redisUrl` is set, else PostgreSQL when that is
     * the database, else process memory (the embedded single-process default).
     */
    rateLimitStore: z.enum(['auto', 'memory', 'sqlite', 'redis', 'postgres']).default('auto'),
    /**
     * Namespace of the limit counters' keys: deployments (or test runs) sharing one Redis or
     * database keep their counters apart with different prefixes.
     */
    rateLimitKeyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/)
      .default('vg:rl'),
    /** Pool size and timeouts of PostgreSQL (docs/operations.md). */
    postgres: PostgresConfigSchema,
    /** Timeouts of the Redis connections, when `redisUrl` is set (docs/operations.md). */
    redis: RedisConfigSchema,
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Requests whose body is larger are refused with BODY_TOO_LARGE. */
    bodyLimitBytes: z.number().int().min(1024).max(10_485_760).default(16_384),
    /** Bootstrap admin key (`vgk_...`); when absent the first start creates one and prints it once. */
    adminApiKey: z.string().min(20).optional(),
    secrets: z
      .object({
        /**
         * Keys for code HMACs and code encryption, newest first, as `id:secret` (secret >= 32 chars).
         * The first signs new codes; the rest still verify codes issued before a rotation.
         */
        keys: z
          .array(
            z
              .string()
              .regex(/^[a-zA-Z0-9_-]{1,16}:.{32,}$/, 'expected "id:secret" with a secret of 32+ characters'),
          )
          .min(1)
          .optional(),
      })
      .strict()
      .default({}),
    simulator: z
      .object({
        /** Defaults to on in development and test, off in production. */
        enabled: z.boolean().optional(),
        /** Delay before a normal number gets its delivery receipt. */
        deliveryDelayMs: z.number().int().min(0).default(800),
        /** Delay for the "delivered late" test number. */
        longDelayMs: z.number().int().min(0).default(45_000),
        /** Messages kept in the phone inbox (oldest dropped first). */
        inboxSize: z.number().int().min(10).default(10_000),
        /** The simulator as an SMPP SMSC too (for Kannel or any SMPP client). */
        smsc: z
          .object({
            enabled: z.boolean().default(false),
            host: z.string().default('127.0.0.1'),
            port: z.number().int().min(0).max(65535).default(2775),
            systemId: z.string().min(1).max(15).default('verigate'),
            password: z.string().max(8).default('verigate'),
          })
          .strict()
          .default({
            enabled: false,
            host: '127.0.0.1',
            port: 2775,
            systemId: 'verigate',
            password: 'verigate',
          }),
      })
      .strict()
      .default({
        deliveryDelayMs: 800,
        longDelayMs: 45_000,
        inboxSize: 10_000,
        smsc: { enabled: false, host: '127.0.0.1', port: 2775, systemId: 'verigate', password: 'verigate' },
      }),
    /** SMS, voice, WhatsApp and email providers (see docs/providers.md). The simulator is added when enabled. */
    providers: z.array(providerConfigSchema).default([]),
    routing: RoutingConfigSchema,
    /** Carrier lookup before a first send (line type, carrier, SIM swap); see docs/providers.md. */
    lookup: LookupConfigSchema.prefault({}),
    limits: LimitsConfigSchema,
    /** The conversion-based SMS-pumping guard (docs/fraud.md). */
    fraud: FraudConfigSchema,
    /**
     * Geo permissions, as an account-level allow/deny list of ISO countries. A number outside them
     * is refused with COUNTRY_NOT_ALLOWED before anything is sent (and costs nothing).
     */
    geo: z
      .object({
        allowedCountries: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(),
        blockedCountries: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
      })
      .strict()
      .default({ blockedCountries: [] }),
    /**
     * Passkeys (WebAuthn). A passkey is bound to `rpId` for good: changing it later makes every
     * registered passkey unusable, so set it to the registrable domain the apps sign users in on.
     */
    webauthn: z
      .object({
        /** Relying-party id: the domain (no scheme or port) of the pages that run the ceremonies. */
        rpId: z.string().min(1).max(253).default('localhost'),
        /** Name shown by the passkey manager. Defaults to the service's brand name, else its name. */
        rpName: z.string().min(1).max(64).optional(),
        /** Exact origins (`scheme://host[:port]`) the browser may report; anything else is refused. */
        origins: z
          .array(
            z
              .string()
              .refine(
                (o) => URL.canParse(o) && new URL(o).origin === o,
                'expected an origin such as "https://example.com"',
              ),
          )
          .min(1)
          .default(['http://localhost:8080', 'http://127.0.0.1:8080']),
        /** Lifetime of a ceremony's challenge (also the browser's `timeout`). */
        challengeTtlSeconds: z.number().int().min(30).max(600).default(300),
        /**
         * `required`: only ceremonies where the authenticator verified the user (biometric or PIN)
         * pass, so a passkey alone is a two-factor sign-in. `preferred`: user presence is enough.
         */
        userVerification: z.enum(['required', 'preferred']).default('required'),
      })
      .strict()
      .default({
        rpId: 'localhost',
        origins: ['http://localhost:8080', 'http://127.0.0.1:8080'],
        challengeTtlSeconds: 300,
        userVerification: 'required',
      }),
    /** The support console at `/console` (docs/support-console.md). */
    console: z
      .object({
        /** ISO country used to read national-format numbers typed into the console search (`07700 900123`). */
        defaultCountry: z
          .string()
          .regex(/^[A-Z]{2}$/)
          .default('GB'),
        /** A session ends this long after sign-in, however active. @default 28800 (8 h) */
        sessionTtlSeconds: z
          .number()
          .int()
          .min(60)
          .max(7 * 86_400)
          .default(28_800),
        /** A session ends after this long without a request. @default 1800 (30 min) */
        idleTimeoutSeconds: z.number().int().min(60).max(86_400).default(1_800),
        /** Failed sign-ins allowed per account and per client IP in the window. */
        loginAttempts: limitRuleSchema(5, 900),
      })
      .strict()
      // Parsed through the schema: the field defaults above are the only ones.
      .prefault({}),
    /** Account recovery: support-approved resets of every sign-in method of a user. */
    recovery: z
      .object({
        /**
         * Time between approval and the earliest completion, during which the user is told on every
         * known contact and can have the reset canceled. @default 86400 (one day)
         */
        coolingOffSeconds: z
          .number()
          .int()
          .min(0)
          .max(30 * 86_400)
          .default(86_400),
      })
      .strict()
      .default({ coolingOffSeconds: 86_400 }),
    dispatcher: DispatcherConfigSchema,
    /** Prometheus metrics at `GET /metrics`. */
    metrics: z
      .object({
        /** When set, scrapes must send `Authorization: Bearer <token>`. Unset: `/metrics` is open. */
        token: z.string().min(16).optional(),
      })
      .strict()
      .default({}),
    /** Signed outbound webhooks to the apps (see docs/webhooks.md). */
    webhooks: WebhooksConfigSchema,
    /** Analytics reports, their Prometheus gauges and rate-drop alerts (docs/analytics.md). */
    analytics: AnalyticsConfigSchema,
    /** How long numbers and emails are kept in clear (docs/privacy.md). */
    privacy: PrivacyConfigSchema,
    /** Overload protection: event-loop delay, heap and RSS thresholds (docs/operations.md). */
    overload: OverloadConfigSchema,
    /** The V8 heap: how far the old generation grows between full collections (docs/operations.md). */
    heap: HeapConfigSchema,
  })
  .strict()

export type ConfigInput = z.input<typeof configSchema>
export type Config = z.output<typeof configSchema>
