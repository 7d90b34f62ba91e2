/** @module Every adapter type the config accepts runs the provider contract. */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { providerConfigSchema } from './provider-config.js'

const HERE = dirname(fileURLToPath(import.meta.url))

/** Where each type's contract run lives: beside its adapter. */
function contractRunOf(type: string): string {
  return type === 'simulator'
    ? resolve(HERE, '../../simulator/carrier-simulator.contract.test.ts')
    : resolve(HERE, `${type}.contract.test.ts`)
}

describe('provider contract coverage', () => {
  const types = providerConfigSchema.options.map((o) => o.shape.type.value)

  it('covers the fifteen adapter types', () => {
    expect(types).toHaveLength(15)
  })

  it.each(types)('%s runs the provider contract', (type) => {
    const file = contractRunOf(type)
    expect(existsSync(file), `${file} is missing`).toBe(true)
    const source = readFileSync(file, 'utf8')
    expect(source).toContain('runProviderContract')
    expect(source).toContain(`type: '${type}'`)
  })
})
