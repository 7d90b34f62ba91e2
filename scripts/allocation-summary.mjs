#!/usr/bin/env node
// Summarises an allocation profile written by scripts/allocation-sampler.mjs: bytes allocated per
// flow, by package or source folder and by function (self), and through each function (inclusive).
// Bytes per flow depend on the code, not on how fast or busy the machine is, so two runs compare.
// Usage: node scripts/allocation-summary.mjs file.json flows [top=25]
import { readFileSync } from 'node:fs'

const [file, flowsArg, topArg] = process.argv.slice(2)
if (!file || !flowsArg) {
  console.error('usage: node scripts/allocation-summary.mjs file.json flows [top]')
  process.exit(2)
}
const flows = Number(flowsArg)
const top = Number(topArg ?? 25)
const profile = JSON.parse(readFileSync(file, 'utf8'))

const where = (n) => {
  const url = n.callFrame.url
  if (url.includes('node_modules/')) return url.replace(/.*node_modules\//, '').split('/')[0]
  if (url.includes('/dist/'))
    return `verigate/${url
      .replace(/.*\/dist\//, '')
      .split('/')
      .slice(0, -1)
      .join('/')}`
  if (url.startsWith('node:')) return url
  return `(native) ${n.callFrame.functionName}`
}
const fn = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${n.callFrame.lineNumber + 1}`

const byPlace = new Map()
const self = new Map()
const inclusive = new Map()
let total = 0
function walk(node, above) {
  const key = fn(node)
  total += node.selfSize
  byPlace.set(where(node), (byPlace.get(where(node)) ?? 0) + node.selfSize)
  self.set(key, (self.get(key) ?? 0) + node.selfSize)
  const stack = new Set(above).add(key)
  for (const k of stack) inclusive.set(k, (inclusive.get(k) ?? 0) + node.selfSize)
  for (const child of node.children) walk(child, stack)
}
walk(profile.head, new Set())

const kb = (bytes) => (bytes / 1024 / flows).toFixed(1).padStart(8)
const print = (title, map, skip = 0) => {
  console.log(`\n${title}`)
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(skip, skip + top))
    console.log(`${kb(v)}  ${k}`)
}
console.log(`${file}\n  allocated: ${(total / 1024 / flows).toFixed(1)} KiB per flow over ${flows} flows`)
print('KiB per flow, by package / folder:', byPlace)
print('KiB per flow, by function (self):', self)
// The root and the task-queue frames are in every stack; they say nothing.
print('KiB per flow, through each function (inclusive):', inclusive, 3)
