import { describe, expect, it } from 'vitest'
import { gcHelperAdvice, idleHeapAdvice } from './gc-helpers.js'

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

describe('idleHeapAdvice', () => {
  it('names the flags node was started without, and where they go', () => {
    const advice = idleHeapAdvice(['--v8-pool-size=1'])
    expect(advice).toMatch(/without --no-memory-reducer --min-semi-space-size=16:/)
    expect(advice).toMatch(/NODE_OPTIONS does not admit them/)
    expect(advice).toMatch(/docs\/operations\.md/)
    expect(idleHeapAdvice(['--min-semi-space-size=16'])).toMatch(
      /without --no-memory-reducer: .*does not admit it\)/,
    )
    expect(idleHeapAdvice(['--no-memory-reducer'])).toMatch(/without --min-semi-space-size=16:/)
  })

  it('says nothing when both were given, in any spelling V8 reads', () => {
    expect(idleHeapAdvice(['--no-memory-reducer', '--min-semi-space-size=16'])).toBeUndefined()
    expect(idleHeapAdvice(['--nomemory_reducer', '--min_semi_space_size=32'])).toBeUndefined()
  })

  it('does not take a flag that merely starts the same way', () => {
    expect(idleHeapAdvice(['--no-memory-reducers', '--min-semi-space-size-x=16'])).toMatch(
      /without --no-memory-reducer --min-semi-space-size=16:/,
    )
  })
})
