#!/usr/bin/env node
/**
 * Bundles the browser code under web/ into dist/web/ with esbuild (tsc type-checks it; it cannot
 * bundle) and prints each bundle's gzipped size. The widget has a hard budget: over it, the build
 * fails, so the embed stays cheap for every site that uses it.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'dist', 'web')

/** Entry point -> output file and gzipped budget in bytes (null: reported, not enforced). */
const BUNDLES = [
  { entry: 'web/widget/index.ts', outfile: 'widget.js', budget: 40 * 1024 },
  // The widget's languages besides English: one small bundle each, imported by the widget on first use.
  ...['es', 'pt', 'fr', 'de', 'ru', 'tr', 'zh', 'ja', 'ar', 'hi', 'vi', 'id'].map((l) => ({
    entry: `web/widget/locales/${l}.ts`,
    outfile: `widget-${l}.js`,
    budget: 8 * 1024,
  })),
  // The factor screens' languages besides English, imported when those screens first open.
  ...['es', 'pt', 'fr', 'de', 'ru', 'tr', 'zh', 'ja', 'ar', 'hi', 'vi', 'id'].map((l) => ({
    entry: `web/widget/factors/locales/${l}.ts`,
    outfile: `widget-factors-${l}.js`,
    budget: 4 * 1024,
  })),
  { entry: 'web/console/index.ts', outfile: 'console.js', budget: null },
  { entry: 'web/demo/index.ts', outfile: 'demo.js', budget: null },
  { entry: 'web/hosted/index.ts', outfile: 'hosted.js', budget: null },
]

mkdirSync(out, { recursive: true })
let failed = false
/** Stable name -> content-hashed copy (`widget.js` -> `widget.3f9a1c2b.js`), cached as immutable. */
const manifest = {}
for (const b of BUNDLES) {
  const entry = join(root, b.entry)
  if (!existsSync(entry)) continue
  const outfile = join(out, b.outfile)
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15'],
    legalComments: 'none',
    logLevel: 'warning',
  })
  const raw = readFileSync(outfile)
  const base = b.outfile.slice(0, -'.js'.length)
  const hashed = `${base}.${createHash('sha256').update(raw).digest('hex').slice(0, 8)}.js`
  for (const old of readdirSync(out))
    if (new RegExp(`^${base}\\.[0-9a-f]{8}\\.js$`).test(old)) rmSync(join(out, old))
  writeFileSync(join(out, hashed), raw)
  manifest[b.outfile] = hashed
  const gz = gzipSync(raw, { level: 9 }).length
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`
  const verdict =
    b.budget === null
      ? ''
      : gz <= b.budget
        ? ` (budget ${kb(b.budget)}: ok)`
        : ` (budget ${kb(b.budget)}: OVER)`
  console.log(`web: ${b.outfile} ${kb(raw.length)} raw, ${kb(gz)} gzipped${verdict}`)
  if (b.budget !== null && gz > b.budget) failed = true
}
writeFileSync(join(out, 'assets.json'), `${JSON.stringify(manifest, null, 2)}\n`)
if (failed) {
  console.error('web: a bundle is over its gzipped size budget')
  process.exit(1)
}
