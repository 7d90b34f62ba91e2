#!/usr/bin/env node
/**
 * Bundles the browser code under web/ into dist/web/ with esbuild (tsc type-checks it; it cannot
 * bundle) and prints each bundle's gzipped size. The widget has a hard budget: over it, the build
 * fails, so the embed stays cheap for every site that uses it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
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
if (failed) {
  console.error('web: a bundle is over its gzipped size budget')
  process.exit(1)
}
