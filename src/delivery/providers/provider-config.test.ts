/** @module The provider config union: what it accepts, and that loading it loads no adapter. */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { providerConfigSchema } from './provider-config.js'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * Every module a file loads at run time, followed through relative imports. Each file is compiled
 * as the build compiles it (`verbatimModuleSyntax`), so `import type` disappears exactly as it does
 * in dist/ and an `import { type X }` still loads its module.
 */
function runtimeImportGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    const emitted = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    }).outputText
    for (const { fileName } of ts.preProcessFile(emitted, true, true).importedFiles) {
      if (fileName.startsWith('.')) visit(resolve(dirname(file), fileName.replace(/\.js$/, '.ts')))
      else packages.add(fileName.startsWith('node:') ? fileName : fileName.split('/')[0]!)
    }
  }
  visit(resolve(SRC, entry))
  return { files, packages }
}

const relative = (files: Set<string>) => [...files].map((f) => f.slice(SRC.length + 1))

describe('provider config', () => {
  it('src/config/schema.ts loads every provider config schema, but no adapter, smpp or nodemailer', () => {
    const { files, packages } = runtimeImportGraph('config/schema.ts')
    const loaded = relative(files)
    expect(loaded).toContain('delivery/providers/provider-config.ts')
    expect(loaded).toContain('delivery/providers/smpp-config.ts')
    expect(loaded).toContain('delivery/providers/smtp-config.ts')
    const providerModules = loaded.filter((f) => f.startsWith('delivery/providers/'))
    // Config schemas and the config union only: no adapter, codes table or HTTP helper.
    expect(providerModules.filter((f) => !/-config\.ts$/.test(f))).toEqual([])
    expect([...packages].sort()).toEqual(['zod'])
  })

  it('the adapters themselves do load smpp and nodemailer (so the check above can fail)', () => {
    const { packages } = runtimeImportGraph('delivery/providers/index.ts')
    expect(packages).toContain('smpp')
    expect(packages).toContain('nodemailer')
  })

  it('accepts one entry per adapter type and refuses an unknown type', () => {
    const types = providerConfigSchema.options.map((o) => o.shape.type.value).sort()
    expect(types).toEqual([
      'http',
      'infobip',
      'kannel',
      'messagebird',
      'plivo',
      'simulator',
      'sinch',
      'smpp',
      'smtp',
      'sns',
      'telegram',
      'telnyx',
      'twilio',
      'vonage',
      'whatsapp-cloud',
    ])
    expect(providerConfigSchema.safeParse({ type: 'carrier-pigeon', id: 'x' }).success).toBe(false)
    expect(providerConfigSchema.parse({ type: 'simulator', id: 'sim-b' })).toEqual({
      type: 'simulator',
      id: 'sim-b',
      channels: ['sms', 'call', 'whatsapp', 'email', 'telegram'],
      outage: false,
      carrierBlocks: false,
      silent: false,
    })
  })
})
