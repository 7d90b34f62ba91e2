/** @module `verigate subjects export|erase`: a person's requests about their data (docs/privacy.md). */
import { parseArgs } from 'node:util'
import { loadConfig } from '../../config/load.js'
import { createDeps } from '../../deps.js'
import { AppError } from '../../errors/app-error.js'
import type { AuditActor } from '../../support/audit.js'
import { requireReason } from '../../support/audit.js'

const HELP = `Usage:
  verigate subjects export NUMBER_OR_EMAIL
  verigate subjects erase NUMBER_OR_EMAIL --reason TEXT

export prints, as JSON, every row held for one phone number (+...) or email address. erase replaces
it with its pseudonym in every table at once (pending verifications are canceled first); analytics
counts are kept. Both are written to the console's audit log as done by "cli", under the pseudonym.
`

export async function runSubjects(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  })
  const [sub, destination] = positionals
  if (values.help || !sub) {
    process.stdout.write(HELP)
    return values.help ? 0 : 1
  }
  if (!destination || (sub !== 'export' && sub !== 'erase')) {
    process.stderr.write(HELP)
    return 2
  }
  const actor: AuditActor = { name: 'cli', role: 'system', ip: null }
  const deps = await createDeps(loadConfig())
  try {
    if (sub === 'export') {
      const found = await deps.personalData.export(destination, actor)
      process.stdout.write(`${JSON.stringify(found, null, 2)}\n`)
      return 0
    }
    const erased = await deps.personalData.erase(destination, actor, requireReason(values.reason))
    process.stdout.write(`${JSON.stringify(erased, null, 2)}\n`)
    process.stderr.write(`Erased: the person is now ${erased.pseudonym} everywhere.\n`)
    return 0
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.message}\n`)
      return 2
    }
    throw err
  } finally {
    await deps.close()
  }
}
