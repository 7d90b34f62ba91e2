/**
 * @module OpenTelemetry traces, off by default and on with the standard `OTEL_*` variables:
 * `OTEL_TRACES_EXPORTER` (`otlp`, `console`, `zipkin`; `none` keeps it off) or an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); `OTEL_SDK_DISABLED=true`
 * wins over both. The NodeSDK reads every other `OTEL_*` setting itself (service name, sampler,
 * headers, resource attributes). Spans: each HTTP request (@fastify/otel), outbound HTTP (undici:
 * providers, webhooks), PostgreSQL and Redis calls, and one per verification step
 * (src/shared/tracing.ts), carrying the verification id, never the number or the code.
 */

// Not '../app.js': this module is loaded before pg and ioredis (src/cli/otel-preload.ts), and the
// app's imports would load them untraced.
import { maskUrl } from '../shared/mask.js'

/** The modules loaded through the ESM loader hook (the instrumentations that patch on import). */
export const INSTRUMENTED_MODULES = ['pg', 'pg-pool', 'ioredis'] as const

let stop: (() => Promise<void>) | undefined

/** Whether the SDK runs in this process. */
export function tracingStarted(): boolean {
  return stop !== undefined
}

/** Flushes and stops the SDK if it runs (on shutdown: the last spans are exported). */
export async function stopTracing(): Promise<void> {
  const current = stop
  stop = undefined
  await current?.()
}

/** Whether the environment asks for traces. */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false
  const exporter = env.OTEL_TRACES_EXPORTER?.trim()
  if (exporter) return exporter !== 'none'
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
}

/**
 * Starts the SDK when the environment asks for it (loaded only then: no cost when off).
 * @returns a function that flushes and stops it, or undefined when tracing is off
 */
export async function startTracing(
  env: NodeJS.ProcessEnv = process.env,
): Promise<(() => Promise<void>) | undefined> {
  if (!tracingWanted(env)) return undefined
  if (stop) return stop
  const [
    { NodeSDK },
    { FastifyOtelInstrumentation },
    { PgInstrumentation },
    { IORedisInstrumentation },
    { UndiciInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@fastify/otel'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@opentelemetry/instrumentation-undici'),
  ])
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? 'verigate',
    instrumentations: [
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        // Numbers and client tokens appear in URLs: the span gets the masked form, as logs do.
        requestHook: (span, request) => span.setAttribute('url.path', maskUrl(request.url)),
      }),
      // Statement text only, never values: parameters hold numbers and code HMACs.
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      // Commands without their arguments: keys hold numbers.
      new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
      new UndiciInstrumentation(),
    ],
  })
  sdk.start()
  stop = () => sdk.shutdown()
  return stop
}
