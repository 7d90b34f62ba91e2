/** @module The `node` flags of an npm script, so the bench starts verigate as `npm start` does. */
import { readFileSync } from 'node:fs'

/** `node --a --b=1 dist/cli/index.js serve` -> ['--a', '--b=1']. */
export function startScriptFlags(script: string): string[] {
  const words = script.trim().split(/\s+/)
  if (words[0] !== 'node') return []
  const flags: string[] = []
  for (const word of words.slice(1)) {
    if (!word.startsWith('-')) break
    flags.push(word)
  }
  return flags
}

/** The flags package.json's start script gives node: what the bench's servers and the tests run with. */
export function npmStartFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  return startScriptFlags(pkg.scripts?.start ?? '')
}
