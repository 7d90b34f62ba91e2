/**
 * @module Spans for the steps of a verification (OpenTelemetry API only). Without an SDK (the
 * default: tracing is off unless the standard `OTEL_*` variables turn it on, src/cli/tracing.ts)
 * every call here is a no-op. Spans carry the verification id, never the destination or the code.
 */
import {
  type Attributes,
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'

const tracer = trace.getTracer('verigate')
const NOT_RECORDED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT)

/**
 * Whether no tracing SDK is registered (the API's global provider has nothing behind it). Asked at
 * each step, since an SDK (or a test's provider) may be registered after this module loads.
 */
function tracingOff(): boolean {
  const provider = trace.getTracerProvider()
  return provider instanceof ProxyTracerProvider && provider.getDelegateTracer('verigate') === undefined
}

/** The attribute every verification step carries. */
export const VERIFICATION_ID = 'verigate.verification_id'

/** The verification steps, as span names. */
export const SPANS = {
  start: 'verification.start',
  limits: 'verification.limits',
  check: 'verification.check',
  outboxClaim: 'delivery.outbox_claim',
  providerSubmit: 'delivery.provider_submit',
  receipt: 'delivery.receipt',
} as const

/** Runs `fn` in a span (the active one for what it calls); errors are recorded and rethrown. */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  opts: { root?: boolean } = {},
): Promise<T> {
  // Without an SDK the API's no-op span still cost a context, a span object and a promise per
  // step, six steps a flow (docs/performance.md): skip straight to the work.
  if (tracingOff()) {
    try {
      return fn(NOT_RECORDED)
    } catch (err) {
      return Promise.reject(err)
    }
  }
  return tracer.startActiveSpan(name, { attributes, root: opts.root ?? false }, async (span) => {
    try {
      return await fn(span)
    } catch (err) {
      span.recordException(err instanceof Error ? { name: err.name, message: err.message } : String(err))
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as { code?: string }).code ?? 'error' })
      throw err
    } finally {
      span.end()
    }
  })
}

/** Tags the active span with the verification id once it is known. */
export function tagVerification(id: string): void {
  trace.getActiveSpan()?.setAttribute(VERIFICATION_ID, id)
}
