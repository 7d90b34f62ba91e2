#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package or source
// folder, and the share of samples whose stack passes through each group (inclusive), so a
// profile can be quoted in a commit message or docs/performance.md.
// Usage: node scripts/cpuprofile-summary.mjs file.cpuprofile [top=25] [from_s] [to_s]
// from_s/to_s keep only the samples taken that many seconds after the profile began (one phase of
// a bench run), and print the busy share of each second in that window.
import { readFileSync } from 'node:fs'

const [file, topArg, fromArg, toArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: node scripts/cpuprofile-summary.mjs file.cpuprofile [top]')
  process.exit(2)
}
const top = Number(topArg ?? 25)
const profile = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

function group(n) {
  const url = n.callFrame.url
  const fn = n.callFrame.functionName
  if (!url)
    return fn === '(garbage collector)'
      ? 'gc'
      : fn === '(idle)'
        ? 'idle'
        : fn === '(program)'
          ? 'program'
          : `native ${fn}`
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (m) return m[1]
  const d = /\/dist\/([^/]+)\//.exec(url) ?? /\/src\/([^/]+)\//.exec(url)
  if (d) return `verigate/${d[1]}`
  if (url.startsWith('node:'))
    return url
      .replace(/^node:(internal\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/')
  return url
}

// Time per sample from timeDeltas.
const selfUs = new Map()
const inclusive = new Map()
let total = 0
const fromUs = fromArg === undefined ? -Infinity : Number(fromArg) * 1e6
const toUs = toArg === undefined ? Infinity : Number(toArg) * 1e6
let elapsed = 0
const busyPerSecond = new Map()
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0
  elapsed += dt
  if (elapsed < fromUs || elapsed >= toUs) continue
  const id = profile.samples[i]
  if (byId.get(id).callFrame.functionName !== '(idle)') {
    const s = Math.floor(elapsed / 1e6)
    busyPerSecond.set(s, (busyPerSecond.get(s) ?? 0) + dt)
  }
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt)
  total += dt
  const groups = new Set()
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) groups.add(group(byId.get(cur)))
  for (const g of groups) inclusive.set(g, (inclusive.get(g) ?? 0) + dt)
}
const idle = [...selfUs]
  .filter(([id]) => byId.get(id).callFrame.functionName === '(idle)')
  .reduce((a, [, v]) => a + v, 0)
const busy = total - idle
const pct = (v) => `${((100 * v) / busy).toFixed(1)}%`

const byFn = new Map()
const byGroup = new Map()
for (const [id, us] of selfUs) {
  const n = byId.get(id)
  if (n.callFrame.functionName === '(idle)') continue
  const key = `${n.callFrame.functionName || '(anonymous)'} ${group(n)}:${n.callFrame.lineNumber + 1}`
  byFn.set(key, (byFn.get(key) ?? 0) + us)
  byGroup.set(group(n), (byGroup.get(group(n)) ?? 0) + us)
}
console.log(
  `${file}\n  wall ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (shares below are of busy time)`,
)
if (fromArg !== undefined)
  console.log(
    `  busy per second: ${[...busyPerSecond].map(([s, us]) => `${s}s ${Math.round(us / 1e4)}%`).join(' ')}`,
  )
console.log('\nself time by package / folder:')
for (const [k, v] of [...byGroup].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`  ${pct(v).padStart(6)}  ${k}`)
console.log('\ninclusive (stack passes through):')
for (const [k, v] of [...inclusive]
  .filter(([k]) => k !== 'idle' && k !== 'program')
  .sort((a, b) => b[1] - a[1])
  .slice(0, top))
  console.log(`  ${pct(v).padStart(6)}  ${k}`)
console.log('\nself time by function:')
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`  ${pct(v).padStart(6)}  ${k}`)
