/**
 * The layering rules of docs/architecture.md, checked on the code: no folder of src/ depends on
 * another that depends back on it, and the linter refuses a storage import from a surface.
 */
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const src = join(root, 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.contract.ts') ? [path] : []
  })
}

/** `src/delivery/x.ts` -> `delivery`; `src/deps.ts` -> `deps`. */
const folderOf = (file: string) => relative(src, file).split('/')[0]!.replace(/\.ts$/, '')

function folderEdges(): Map<string, string[]> {
  const edges = new Map<string, string[]>()
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*'(\.[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]!)
      const from = folderOf(file)
      const to = folderOf(target)
      if (from === to) continue
      const key = `${from} -> ${to}`
      edges.set(key, [...(edges.get(key) ?? []), `${relative(root, file)} imports ${m[1]}`])
    }
  }
  return edges
}

describe('architecture', () => {
  it('no two folders of src/ import each other', () => {
    const edges = folderEdges()
    const twoWay: string[] = []
    for (const [key, why] of edges) {
      const [a, b] = key.split(' -> ') as [string, string]
      const back = edges.get(`${b} -> ${a}`)
      if (a < b && back) twoWay.push(`${a} <-> ${b}: ${[...why, ...back].slice(0, 4).join('; ')}`)
    }
    expect(twoWay).toEqual([])
  })

  it('surfaces (http/, twilio-compat/) never import storage/ or the whole Deps', () => {
    const offenders = [...folderEdges()]
      .filter(([key]) => /^(http|twilio-compat) -> (storage|deps)$/.test(key))
      .flatMap(([, why]) => why)
    expect(offenders).toEqual([])
  })

  it('the linter fails the build on a storage import from a surface', async () => {
    for (const surface of ['http/routes', 'twilio-compat']) {
      const probe = join(src, surface, `lint-probe-${process.pid}.ts`)
      const depth = surface.split('/').length
      writeFileSync(
        probe,
        `import { KyselyServiceStore } from '${'../'.repeat(depth)}storage/service-store.js'\nexport const probe = KyselyServiceStore\n`,
      )
      try {
        const run = promisify(execFile)(join(root, 'node_modules/.bin/biome'), ['lint', probe], { cwd: root })
        const err = await run.then(
          () => undefined,
          (e: { stdout: string; stderr: string }) => e,
        )
        expect(err, `biome accepted a storage import in src/${surface}`).toBeDefined()
        expect(`${err?.stdout}${err?.stderr}`).toContain('Surfaces never reach storage')
      } finally {
        rmSync(probe, { force: true })
      }
    }
  })
})
