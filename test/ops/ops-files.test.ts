/**
 * The Grafana dashboard and the Prometheus alert rules in ops/ name only metrics that /metrics
 * really exports: the app is started, /metrics scraped, and every expression checked against it.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/test-deps.js'

const OPS = fileURLToPath(new URL('../../ops/', import.meta.url))

/** Metric names an expression uses: every `verigate_*` name, and any name right before a `{` selector. */
function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""')
  const names = new Set<string>()
  for (const m of withoutStrings.matchAll(/\b(verigate_[a-z0-9_]+)\b/g)) names.add(m[1]!)
  for (const m of withoutStrings.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)) {
    // `sum by (x) {` does not occur; `by (...)` and `without (...)` are followed by `(`.
    names.add(m[1]!)
  }
  return [...names]
}

/** A histogram's or summary's series (`_bucket`, `_sum`, `_count`) belong to its base name. */
function baseName(name: string, exported: ReadonlySet<string>): string {
  if (exported.has(name)) return name
  const base = name.replace(/_(bucket|sum|count)$/, '')
  return exported.has(base) ? base : name
}

function dashboardExprs(): string[] {
  const dash = JSON.parse(readFileSync(`${OPS}grafana/verigate.json`, 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[]
  }
  return dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))
}

function alertExprs(): string[] {
  const text = readFileSync(`${OPS}prometheus/alerts.yml`, 'utf8')
  return [...text.matchAll(/^\s*expr:\s*(.+)$/gm)].map((m) => m[1]!.trim())
}

describe('ops files name only exported metrics', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let exported: Set<string>
  beforeAll(async () => {
    t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    exported = new Set([...res.body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!))
  })
  afterAll(async () => t.close())

  it('/metrics exports the families the ops files are built on', () => {
    for (const name of [
      'verigate_delivery_rate',
      'verigate_route_circuit_open',
      'verigate_outbox_due',
      'verigate_dependency_up',
    ])
      expect(exported, name).toContain(name)
  })

  it('every dashboard panel expression names exported metrics', () => {
    const exprs = dashboardExprs()
    expect(exprs.length).toBeGreaterThanOrEqual(10)
    for (const expr of exprs) {
      for (const name of metricNames(expr))
        expect(exported.has(baseName(name, exported)), `${name} in ${expr}`).toBe(true)
    }
  })

  it('every alert rule expression names exported metrics', () => {
    const exprs = alertExprs()
    expect(exprs.length).toBeGreaterThanOrEqual(4)
    for (const expr of exprs) {
      for (const name of metricNames(expr))
        expect(exported.has(baseName(name, exported)), `${name} in ${expr}`).toBe(true)
    }
  })

  it('the check catches a metric that does not exist', () => {
    const names = metricNames('sum(rate(verigate_made_up_total[5m])) + up{job="x"}')
    expect(names).toEqual(['verigate_made_up_total', 'up'])
    for (const name of names) expect(exported.has(baseName(name, exported))).toBe(false)
  })
})
