/**
 * @module The configuration schema: every setting, its default and its bounds, in one place.
 * Unknown keys are errors, so a typo never silently falls back to a default.
 */
import { z } from 'zod'
import { providerConfigSchema } from '../delivery/providers/index.js'

const limitRule = (points: number, durationSeconds: number) =>
  z
    .object({
      points: z.number().int().min(1).default(points),
      durationSeconds: z.number().int().min(1).default(durationSeconds),
    })
    .strict()
    .default({ points, durationSeconds })

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
    routing: z
      .object({
        /**
         * Ordered routes. For a message, the routes of its channel that list its country (or `*`)
         * are tried in order. Empty: every provider in `providers` order, then the simulator.
         */
        routes: z
          .array(
            z
              .object({
                provider: z.string().min(1),
                channel: z.enum(['sms', 'call', 'whatsapp', 'email']).default('sms'),
                /** ISO 3166 alpha-2 codes, or `*` for any country. */
                countries: z
                  .array(z.string().regex(/^([A-Z]{2}|\*)$/))
                  .min(1)
                  .default(['*']),
                /** Sender ID, number or address; overridden per country by `senderIds`. */
                from: z.string().min(1).optional(),
                /** Per-country sender IDs (data, not code): `{ "GB": "ACME", "US": "+15005550006" }`. */
                senderIds: z.record(z.string().regex(/^[A-Z]{2}$/), z.string().min(1)).default({}),
                /** Units charged against the service's daily spend cap per message. */
                cost: z.number().min(0).default(1),
              })
              .strict(),
          )
          .default([]),
        /** No receipt within this time: the message is re-sent on the next route. */
        receiptTimeoutMs: z.number().int().min(100).default(20_000),
        /** Route hops (submits on any route or channel) per message before it is given up. */
        maxHops: z.number().int().min(1).max(50).default(8),
        /** Spend units per service per day across all messages (run-away cost stop). */
        spendCapPerServicePerDay: z.number().int().min(1).default(100_000),
        health: z
          .object({
            windowMs: z.number().int().min(1000).default(60_000),
            minSamples: z.number().int().min(1).default(5),
            /** Failure share in the window that opens the circuit. */
            failureRate: z.number().min(0).max(1).default(0.5),
            /** How long an open circuit keeps the route out before one probe is let through. */
            openMs: z.number().int().min(100).default(30_000),
          })
          .strict()
          .default({ windowMs: 60_000, minSamples: 5, failureRate: 0.5, openMs: 30_000 }),
      })
      .strict()
      .default({
        routes: [],
        receiptTimeoutMs: 20_000,
        maxHops: 8,
        spendCapPerServicePerDay: 100_000,
        health: { windowMs: 60_000, minSamples: 5, failureRate: 0.5, openMs: 30_000 },
      }),
    limits: z
      .object({
        sendsPerDestination: limitRule(5, 600),
        startsPerIp: limitRule(30, 3600),
        startsPerService: limitRule(100_000, 60),
        globalSends: limitRule(1_000_000, 60),
        checksPerDestination: limitRule(20, 600),
        /**
         * SMS-pumping guard: starts per number prefix (country code + leading digits). Fraud rings
         * walk through consecutive numbers of one range; real users do not.
         */
        startsPerPrefix: limitRule(500, 600),
        /** Digits of the E.164 number (after `+`) that form the prefix for `startsPerPrefix`. */
        prefixDigits: z.number().int().min(4).max(12).default(9),
        /** Wait before the 1st, 2nd, 3rd... resend; the last value repeats. */
        resendCooldownSeconds: z.array(z.number().int().min(0)).min(1).default([30, 60, 120, 240]),
      })
      .strict()
      .default({
        sendsPerDestination: { points: 5, durationSeconds: 600 },
        startsPerIp: { points: 30, durationSeconds: 3600 },
        startsPerService: { points: 100_000, durationSeconds: 60 },
        globalSends: { points: 1_000_000, durationSeconds: 60 },
        checksPerDestination: { points: 20, durationSeconds: 600 },
        startsPerPrefix: { points: 500, durationSeconds: 600 },
        prefixDigits: 9,
        resendCooldownSeconds: [30, 60, 120, 240],
      }),
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
        loginAttempts: limitRule(5, 900),
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
    dispatcher: z
      .object({
        /** How often the outbox is polled for due messages (new messages are sent at once). */
        pollIntervalMs: z.number().int().min(10).default(500),
        batchSize: z.number().int().min(1).max(1000).default(100),
        /** A claimed message not finished within this time is claimed again (crash recovery). */
        leaseMs: z.number().int().min(1000).default(30_000),
        sendTimeoutMs: z.number().int().min(100).default(10_000),
        /** Submit attempts per message before it is marked failed. */
        maxAttempts: z.number().int().min(1).default(5),
        backoffBaseMs: z.number().int().min(1).default(500),
        backoffMaxMs: z.number().int().min(1).default(30_000),
      })
      .strict()
      .default({
        pollIntervalMs: 500,
        batchSize: 100,
        leaseMs: 30_000,
        sendTimeoutMs: 10_000,
        maxAttempts: 5,
        backoffBaseMs: 500,
        backoffMaxMs: 30_000,
      }),
    /** Prometheus metrics at `GET /metrics`. */
    metrics: z
      .object({
        /** When set, scrapes must send `Authorization: Bearer <token>`. Unset: `/metrics` is open. */
        token: z.string().min(16).optional(),
      })
      .strict()
      .default({}),
    /** Signed outbound webhooks to the apps (see docs/webhooks.md). */
    webhooks: z
      .object({
        /** POSTs per event before it is given up (recorded as failed). */
        maxAttempts: z.number().int().min(1).max(30).default(8),
        /** First retry delay; doubles per attempt (with jitter) up to `backoffMaxMs`. */
        backoffBaseMs: z.number().int().min(1).default(5_000),
        backoffMaxMs: z.number().int().min(1).default(3_600_000),
        /** An endpoint that has not answered within this time counts as a failed attempt. */
        timeoutMs: z.number().int().min(100).default(10_000),
        pollIntervalMs: z.number().int().min(10).default(1_000),
        /** A claimed delivery not finished within this time is claimed again (crash recovery). */
        leaseMs: z.number().int().min(1000).default(60_000),
        batchSize: z.number().int().min(1).max(1000).default(50),
        /**
         * Let endpoints be on loopback, private or link-local addresses. Unset: allowed outside
         * production (local development posts to localhost), refused in production (SSRF).
         */
        allowPrivateNetworks: z.boolean().optional(),
      })
      .strict()
      .default({
        maxAttempts: 8,
        backoffBaseMs: 5_000,
        backoffMaxMs: 3_600_000,
        timeoutMs: 10_000,
        pollIntervalMs: 1_000,
        leaseMs: 60_000,
        batchSize: 50,
      }),
    /** Analytics reports, their Prometheus gauges and rate-drop alerts (docs/analytics.md). */
    analytics: z
      .object({
        /** Duration rows read per report for p50/p90 (newest first); beyond it the percentiles describe the newest rows. */
        percentileSampleLimit: z.number().int().min(100).max(1_000_000).default(50_000),
        /** How long one computation of the rate gauges serves `/metrics` scrapes. */
        metricsCacheMs: z.number().int().min(0).max(600_000).default(30_000),
        alerts: z
          .object({
            /** Run the alert monitor in the worker role. */
            enabled: z.boolean().default(true),
            /** Time between checks. */
            intervalMs: z.number().int().min(1_000).default(60_000),
            /** The recent window whose rates are checked. @default 900000 (15 min) */
            recentWindowMs: z.number().int().min(60_000).default(900_000),
            /** The recent window ends this long ago, so its users had time to type the code. @default 120000 */
            lagMs: z.number().int().min(0).default(120_000),
            /** The key's own baseline: the window just before the recent one. @default 86400000 (24 h) */
            baselineWindowMs: z.number().int().min(600_000).default(86_400_000),
            /** Fewest verifications (conversion) or final outcomes (delivery) in the recent window. */
            minRecentSamples: z.number().int().min(1).default(20),
            /** Fewest in the baseline window. */
            minBaselineSamples: z.number().int().min(1).default(100),
            /** An alert opens when the rate is this much (0..1) below the baseline... */
            dropPoints: z.number().min(0.01).max(1).default(0.25),
            /** ...or below this share of the baseline. */
            dropRatio: z.number().min(0).max(1).default(0.5),
            /** It recovers once the recent rate is back within this much of the baseline it dropped from. */
            recoverWithinPoints: z.number().min(0).max(1).default(0.1),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export type ConfigInput = z.input<typeof configSchema>
export type Config = z.output<typeof configSchema>
