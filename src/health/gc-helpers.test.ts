import { describe, expect, it } from 'vitest'
import { gcHelperAdvice } from './gc-helpers.js'

describe('gcHelperAdvice', () => {
  it('advises the flag on 2 CPUs or fewer when node was started without it', () => {
    const advice = gcHelperAdvice(['--enable-source-maps'], undefined, 2)
    expect(advice).toMatch(/--v8-pool-size=1/)
    expect(advice).toMatch(/on 2 CPUs/)
    expect(gcHelperAdvice([], '', 1)).toMatch(/on 1 CPU:/)
  })

  it('says nothing with more CPUs, where the helpers have cores of their own', () => {
    expect(gcHelperAdvice([], undefined, 4)).toBeUndefined()
  })

  it('says nothing when either flag was given, on the command line or in NODE_OPTIONS', () => {
    expect(gcHelperAdvice(['--v8-pool-size=1'], undefined, 2)).toBeUndefined()
    expect(gcHelperAdvice(['--concurrent-marking-max-worker-num=1'], undefined, 2)).toBeUndefined()
    expect(gcHelperAdvice([], '--max-old-space-size=512  --v8-pool-size=2', 2)).toBeUndefined()
    // A flag that merely starts the same way is not the one.
    expect(gcHelperAdvice(['--v8-pool-sizes=1'], undefined, 2)).toMatch(/--v8-pool-size=1/)
  })
})
