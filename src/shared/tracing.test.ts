/**
 * The span tree of one verification, start -> deliver -> check, through an in-memory exporter:
 * a span per step, each carrying the verification id and none carrying the number or the code.
 */
import { context, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, codeFromInbox, createTestService, eventually } from '../../test/helpers/test-deps.js'
import { tracingWanted } from '../cli/tracing.js'
import { SPANS, VERIFICATION_ID } from './tracing.js'

describe('tracing: a span per verification step', () => {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const contextManager = new AsyncLocalStorageContextManager().enable()
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    context.setGlobalContextManager(contextManager)
    trace.setGlobalTracerProvider(provider)
    t = await buildTestApp()
    t.deps.dispatcher.start()
  })
  afterAll(async () => {
    await t.close()
    await provider.shutdown()
    trace.disable()
    context.disable()
  })

  it('start -> deliver -> check: one tree per step, all with the verification id, never the number or code', async () => {
    const service = await createTestService(t.deps)
    const to = '+447700900123'
    const started = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: service.id, to, channel: 'sms' },
    })
    expect(started.statusCode, started.body).toBe(201)
    const id: string = started.json().id
    const code = await eventually(() => codeFromInbox(t.deps, to))
    const named = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name)
    await eventually(() => named(SPANS.receipt).length > 0)
    const checked = await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${id}/check`,
      headers: t.auth(t.verifyKey),
      payload: { code },
    })
    expect(checked.json().status).toBe('approved')

    const spans = exporter.getFinishedSpans()
    const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId
    const one = (name: string) => {
      const found = named(name)
      expect(found, name).toHaveLength(1)
      return found[0]!
    }
    const start = one(SPANS.start)
    const claim = one(SPANS.outboxClaim)
    const submit = one(SPANS.providerSubmit)
    const receipt = one(SPANS.receipt)
    const check = one(SPANS.check)
    const [startLimits, checkLimits] = named(SPANS.limits).sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    )

    // The trees: start > limits; claim > submit (> receipt); check > limits.
    expect(startLimits && parentOf(startLimits)).toBe(start.spanContext().spanId)
    expect(parentOf(submit)).toBe(claim.spanContext().spanId)
    expect(checkLimits && parentOf(checkLimits)).toBe(check.spanContext().spanId)
    for (const root of [start, claim, check]) expect(parentOf(root), root.name).toBeUndefined()
    // The simulator hands its receipt back in-process, inside the delivery's trace; a provider's
    // receipt arrives on its own HTTP request instead.
    expect(receipt.spanContext().traceId).toBe(claim.spanContext().traceId)
    expect(start.spanContext().traceId).not.toBe(check.spanContext().traceId)

    for (const s of [start, startLimits!, claim, submit, receipt, check, checkLimits!])
      expect(s.attributes[VERIFICATION_ID], s.name).toBe(id)
    expect(submit.attributes['verigate.handed_over']).toBe(true)
    expect(check.attributes['verigate.status']).toBe('approved')

    const everything = JSON.stringify(spans.map((s) => ({ n: s.name, a: s.attributes, e: s.events })))
    expect(everything).not.toContain('7700900123')
    expect(everything).not.toContain(code)
  })

  it('is off unless the standard OTEL_* variables turn it on', () => {
    expect(tracingWanted({})).toBe(false)
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false)
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true)
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true)
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBe(
      false,
    )
  })
})
