#!/usr/bin/env node
// `npm run bench:compare a.json b.json`: every number two bench results (bench-results/*.json)
// share, side by side, with the change from a to b. Machine load is printed first: figures from a
// busy machine are not comparable with figures from an idle one.
import { readFileSync } from 'node:fs'

const [aFile, bFile] = process.argv.slice(2)
if (!aFile || !bFile) {
  console.error('usage: npm run bench:compare <a.json> <b.json>')
  process.exit(2)
}
const a = JSON.parse(readFileSync(aFile, 'utf8'))
const b = JSON.parse(readFileSync(bFile, 'utf8'))

/** Numeric leaves by dotted path. */
function leaves(obj, prefix = '', out = new Map()) {
  if (typeof obj === 'number') out.set(prefix, obj)
  else if (Array.isArray(obj)) {
    for (const [i, v] of obj.entries()) leaves(v, `${prefix}[${i}]`, out)
  } else if (obj && typeof obj === 'object')
    for (const [k, v] of Object.entries(obj)) leaves(v, prefix ? `${prefix}.${k}` : k, out)
  return out
}

const la = leaves(a)
const lb = leaves(b)
const load = (r) => (r.machine?.loadAverageAtStart ?? []).map((v) => v.toFixed(1)).join(' ')
console.log(`a: ${aFile} (${a.startedAt}, load average ${load(a)})`)
console.log(`b: ${bFile} (${b.startedAt}, load average ${load(b)})`)
const skip = /^(version|machine\.|settings\.)/
const rows = [...new Set([...la.keys(), ...lb.keys()])].filter((k) => !skip.test(k))
const width = Math.max(...rows.map((k) => k.length))
for (const k of rows) {
  const x = la.get(k)
  const y = lb.get(k)
  const fmt = (v) => (v === undefined ? '-' : String(v))
  let delta = ''
  if (x !== undefined && y !== undefined && x !== 0) {
    const pct = ((y - x) / Math.abs(x)) * 100
    delta = `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`
  }
  console.log(`${k.padEnd(width)}  ${fmt(x).padStart(10)}  ${fmt(y).padStart(10)}  ${delta.padStart(8)}`)
}
