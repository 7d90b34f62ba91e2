/** /metrics through the HTTP app: counters move with a real verification flow, labels never carry personal data. */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, codeFromInbox, eventually } from '../../test/helpers/test-deps.js'
import { EVENT_LOOP_SAMPLE_MS } from './event-loop-delay.js'
import { registerRuntimeMetrics } from './runtime-metrics.js'

/** Every `name{labels} value` sample line of the exposition text. */
function samples(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const out: Array<{ name: string; labels: Record<string, string>; value: number }> = []
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!
    out.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  return out
}

function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return samples(text).find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value
}

describe('GET /metrics', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    t = await buildTestApp()
    t.deps.dispatcher.start()
  })
  afterAll(async () => t.close())

  const scrape = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    return res.body
  }

  it('counts a start, a send, a delivery, a limit hit and an approval, with route patterns as labels', async () => {
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Metrics Co' },
    })
    const serviceId = svc.json().id as string
    const started = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, to: '+44 7700 900123', channel: 'sms' },
    })
    expect(started.statusCode).toBe(201)
    const id = started.json().id as string
    await eventually(
      async () => (await t.deps.stores.outbox.listForVerification(id))[0]?.status === 'delivered',
    )
    // An immediate resend is refused by the cooldown: a limit hit.
    const resend = await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${id}/resend`,
      headers: t.auth(t.verifyKey),
    })
    expect(resend.statusCode).toBe(429)
    const code = codeFromInbox(t.deps, '+447700900123')!
    const checked = await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${id}/check`,
      headers: t.auth(t.verifyKey),
      payload: { code },
    })
    expect(checked.json().status).toBe('approved')
    await t.app.inject({
      method: 'GET',
      url: `/v1/phone-numbers/${encodeURIComponent('+447700900123')}`,
      headers: t.auth(t.readKey),
    })

    const text = await eventually(async () => {
      const body = await scrape()
      return value(body, 'verigate_verifications_approved_total', { channel: 'sms', country: 'GB' }) === 1
        ? body
        : undefined
    })
    expect(value(text, 'verigate_verifications_started_total', { channel: 'sms', country: 'GB' })).toBe(1)
    expect(
      value(text, 'verigate_messages_sent_total', {
        provider: 'simulator',
        route: 'simulator:sms:*',
        channel: 'sms',
      }),
    ).toBe(1)
    expect(
      value(text, 'verigate_messages_delivered_total', { provider: 'simulator', route: 'simulator:sms:*' }),
    ).toBe(1)
    expect(value(text, 'verigate_delivery_seconds_count')).toBe(1)
    expect(value(text, 'verigate_limit_hits_total', { limit: 'resend_cooldown' })).toBe(1)
    expect(value(text, 'verigate_outbox_due')).toBe(0)
    expect(value(text, 'verigate_route_circuit_open', { route: 'simulator:sms:*' })).toBe(0)
    expect(
      value(text, 'verigate_http_requests_total', {
        method: 'POST',
        route: '/v1/verifications',
        status: '201',
      }),
    ).toBe(1)
    expect(
      value(text, 'verigate_http_requests_total', {
        method: 'POST',
        route: '/v1/verifications/:id/check',
        status: '200',
      }),
    ).toBe(1)
    expect(
      value(text, 'verigate_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/verifications',
      }),
    ).toBe(1)

    // No phone digits, verification ids or raw URLs anywhere in the labels.
    const labelValues = samples(text).flatMap((s) => Object.values(s.labels))
    for (const v of labelValues) {
      expect(v).not.toMatch(/\d{6,}/)
      expect(v).not.toMatch(/ver_|%2B/)
    }
    expect(labelValues).toContain('/v1/phone-numbers/:number')
    expect(text).not.toContain('7700900123')
  })

  it('counts unmatched URLs under one label, not their path', async () => {
    await t.app.inject({ method: 'GET', url: '/nope/447700900123' })
    const text = await scrape()
    expect(
      value(text, 'verigate_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }),
    ).toBe(1)
    expect(text).not.toContain('447700900123')
  })

  // Retried: once, in a full CI run on the 2-core machine (2026-12-07), the scrape after the 120 ms
  // block read 40.6 ms; it passed on its own and in every other run. Not yet explained (the
  // hrtime ticker should see any block), so a second failure in a row still fails the run.
  it('exports the event-loop delay since the previous scrape, and sees a blocked loop', {
    retry: 1,
  }, async () => {
    await scrape()
    // Block the loop for 120 ms, then let the monitor's timer fire.
    const until = performance.now() + 120
    while (performance.now() < until) {
      // busy on purpose
    }
    await new Promise((r) => setTimeout(r, 30))
    const text = await scrape()
    expect(value(text, 'verigate_event_loop_delay_max_seconds')).toBeGreaterThanOrEqual(0.1)
    // One blocked sample among many quick ones: whether it reaches the p99 depends on how many
    // samples the period holds, so only the quantiles' order is certain.
    const [p50, p99] = ['0.5', '0.99'].map((quantile) =>
      value(text, 'verigate_event_loop_delay_seconds', { quantile }),
    )
    expect(p99).toBeGreaterThanOrEqual(p50 ?? Number.NaN)
    // The stall belongs to that scrape alone: the next one, after a quiet moment, does not repeat it
    // (it did, one scrape late, when one gauge was set from the other's collect).
    await new Promise((r) => setTimeout(r, 50))
    const after = await scrape()
    expect(value(after, 'verigate_event_loop_delay_max_seconds')).toBeLessThan(0.1)
  })

  it('reports no delay for a loop that only waits (the sampling period is not a delay)', async () => {
    // A monitor of its own at the same period reads what the gauge used to report: the time
    // between its timer's callbacks, the period included (an idle server's median read 10 ms).
    // Both see the same timer lateness, from idle wake-ups or from other tests using the CPUs.
    const raw = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS })
    raw.enable()
    await scrape()
    await new Promise((r) => setTimeout(r, 300))
    const text = await scrape()
    raw.disable()
    const rawMedianMs = raw.percentile(50) / 1e6
    const reportedMedianMs =
      (value(text, 'verigate_event_loop_delay_seconds', { quantile: '0.5' }) ?? Number.NaN) * 1000
    expect(rawMedianMs).toBeGreaterThanOrEqual(EVENT_LOOP_SAMPLE_MS)
    expect(reportedMedianMs).toBeLessThan(rawMedianMs - EVENT_LOOP_SAMPLE_MS / 2)
  })

  it("exports the process's memory and CPU time under the names Node.js dashboards use", async () => {
    const text = await scrape()
    const rss = value(text, 'process_resident_memory_bytes') ?? 0
    expect(rss).toBeGreaterThan(10 * 1024 * 1024)
    expect(rss).toBeLessThan(process.memoryUsage.rss() * 2)
    expect(value(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0)
    expect(value(text, 'nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(
      value(text, 'nodejs_heap_size_used_bytes') ?? Number.POSITIVE_INFINITY,
    )
    expect(value(text, 'nodejs_external_memory_bytes')).toBeGreaterThan(0)
    // Counted from the process's start, in one scrape: the total is its two parts, not one scrape late.
    const total = value(text, 'process_cpu_seconds_total') ?? 0
    const user = value(text, 'process_cpu_user_seconds_total') ?? 0
    const system = value(text, 'process_cpu_system_seconds_total') ?? 0
    expect(total).toBeGreaterThan(0)
    expect(total).toBeCloseTo(user + system, 6)
    const { user: userNow, system: systemNow } = process.cpuUsage()
    expect(total).toBeLessThanOrEqual((userNow + systemNow) / 1e6)
    const later = await scrape()
    expect(value(later, 'process_cpu_seconds_total')).toBeGreaterThanOrEqual(total)
    // The GC pauses are served on the same page (counted in the test below).
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram')
  })

  it('counts every garbage collection pause, several scavenges in one batch included', async () => {
    const seen = { minor: 0, major: 0 }
    const own = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as { detail?: { kind?: number } }).detail?.kind
        if (kind === constants.NODE_PERFORMANCE_GC_MINOR) seen.minor++
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) seen.major++
      }
    })
    // Both observers start, and later stop, in the same synchronous stretch, so they are handed
    // exactly the same batches (a scrape between them could let a batch reach only one).
    const registry = new Registry()
    own.observe({ entryTypes: ['gc'] })
    const stop = registerRuntimeMetrics(registry)
    // Short-lived garbage in one synchronous stretch: many scavenges, handed to observers as one batch.
    let keep = 0
    for (let i = 0; i < 400_000; i++) keep += new Array(64).fill(i).length
    expect(keep).toBeGreaterThan(0)
    // A major collection too (gc() is exposed only behind a flag, so it is taken from a fresh context).
    setFlagsFromString('--expose-gc')
    ;(runInNewContext('gc') as () => void)()
    await eventually(async () => seen.major > 0)
    own.disconnect()
    stop()
    const text = await registry.metrics()
    const count = (kind: string) => value(text, 'nodejs_gc_duration_seconds_count', { kind }) ?? 0
    expect(seen.minor).toBeGreaterThan(1)
    expect(count('minor')).toBe(seen.minor)
    expect(count('major')).toBe(seen.major)
    expect(value(text, 'nodejs_gc_duration_seconds_sum', { kind: 'major' })).toBeGreaterThan(0)
  })

  it('each app has its own registry', async () => {
    const other = await buildTestApp()
    try {
      const res = await other.app.inject({ method: 'GET', url: '/metrics' })
      expect(
        value(res.body, 'verigate_verifications_started_total', { channel: 'sms', country: 'GB' }),
      ).toBeUndefined()
    } finally {
      await other.close()
    }
  })
})

describe('GET /metrics with metrics.token', () => {
  const token = 'scrape-token-0123456789abcdef'
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    t = await buildTestApp({ config: { metrics: { token } } })
  })
  afterAll(async () => t.close())

  it('refuses a scrape without the token, or with an API key or a wrong token', async () => {
    for (const headers of [{}, t.auth(), { authorization: `Bearer ${token}x` }, { authorization: token }]) {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers })
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('UNAUTHORIZED')
    }
  })

  it('answers with the token', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('verigate_http_requests_total')
  })
})
