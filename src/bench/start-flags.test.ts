import { describe, expect, it } from 'vitest'
import { npmStartFlags, startScriptFlags } from './start-flags.js'

describe('startScriptFlags', () => {
  it('takes the flags between node and the script', () => {
    expect(
      startScriptFlags('node --v8-pool-size=1 --enable-source-maps dist/cli/index.js serve --port 1'),
    ).toEqual(['--v8-pool-size=1', '--enable-source-maps'])
    expect(startScriptFlags('node dist/cli/index.js serve')).toEqual([])
    expect(startScriptFlags('tsx src/cli/index.ts')).toEqual([])
  })

  it("reads the flags npm start gives verigate, the one the bench's servers run with", () => {
    expect(npmStartFlags()).toEqual(
      expect.arrayContaining(['--v8-pool-size=1', '--no-memory-reducer', '--min-semi-space-size=16']),
    )
  })
})
