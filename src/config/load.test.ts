/** A bad value in the environment is reported under the variable that set it, never with its value. */
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './load.js'

function problems(env: NodeJS.ProcessEnv, overrides?: Record<string, unknown>): string[] {
  try {
    loadConfig({ env, ...(overrides ? { overrides } : {}) })
  } catch (err) {
    if (err instanceof ConfigError) return err.issues
    throw err
  }
  throw new Error('the configuration was accepted')
}

describe('loadConfig', () => {
  it('names the variable that gave a bad value', () => {
    const [issue] = problems({ VERIGATE_HEAP_GROWTH_PERCENT: 'abc' })
    expect(issue).toMatch(/^heap\.growthPercent \(set by VERIGATE_HEAP_GROWTH_PERCENT\): /)
    expect(problems({ PORT: '99999' })[0]).toMatch(/^port \(set by PORT\): /)
    expect(problems({ VERIGATE_PORT: '99999' })[0]).toMatch(/^port \(set by VERIGATE_PORT\): /)
  })

  it('never repeats the value, which may be a secret', () => {
    const [issue] = problems({ VERIGATE_SECRET_KEYS: 'k1:short-s3cret' })
    expect(issue).toContain('(set by VERIGATE_SECRET_KEYS)')
    expect(issue).not.toContain('s3cret')
  })

  it('names no variable for a value a command-line flag gave', () => {
    const [issue] = problems({ PORT: '8080' }, { port: 99999 })
    expect(issue).toMatch(/^port: /)
  })

  it('reads the same settings from the environment as before', () => {
    const config = loadConfig({
      env: {
        NODE_ENV: 'production',
        VERIGATE_SECRET_KEYS: ' k1:0123456789abcdef0123456789abcdef , ',
        HOST: '0.0.0.0',
        VERIGATE_HOST: '127.0.0.2',
        VERIGATE_PORT: '9000',
        VERIGATE_HEAP_GROWTH_PERCENT: '100',
      },
    })
    expect(config.env).toBe('production')
    expect(config.secrets.keys).toEqual(['k1:0123456789abcdef0123456789abcdef'])
    expect(config.host).toBe('0.0.0.0')
    expect(config.port).toBe(9000)
    expect(config.heap.growthPercent).toBe(100)
    expect(loadConfig({ env: { NODE_ENV: 'production', VERIGATE_ENV: 'development' } }).env).toBe(
      'development',
    )
  })
})
