/** @module `verigate staff add|list|disable|enable`: bootstrap and manage support console accounts. */
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import { loadConfig } from '../../config/load.js'
import { AppError } from '../../errors/app-error.js'
import { systemClock } from '../../shared/clock.js'
import { openAndMigrate, resolveDatabaseUrl } from '../../storage/open-database.js'
import { KyselySupportStore } from '../../storage/support-store.js'
import { type Actor, AuditLog } from '../../support/audit.js'
import { isStaffRole, STAFF_ROLES } from '../../support/roles.js'
import { StaffDirectory } from '../../support/staff.js'

const HELP = `Usage:
  verigate staff add --email EMAIL --role viewer|support|admin [--service SERVICE_ID ...] [--password-stdin] [--reason TEXT]
  verigate staff list
  verigate staff disable EMAIL_OR_ID [--reason TEXT]
  verigate staff enable EMAIL_OR_ID [--reason TEXT]

Support console accounts (/console). add asks for the password twice on a terminal, or reads one
line from standard input with --password-stdin (at least 12 characters). Every change is written to
the console's audit log as done by "cli".
`

/** Reads one line from stdin; on a terminal the typed characters are not echoed. */
async function readSecret(prompt: string, fromStdin: boolean): Promise<string> {
  // Echo goes to a sink: the prompt is written to stderr, the typed password nowhere.
  const muted = new Writable({ write: (_chunk, _enc, cb) => cb() })
  const rl = createInterface({
    input: process.stdin,
    output: muted,
    terminal: !fromStdin && process.stdin.isTTY,
  })
  if (!fromStdin) process.stderr.write(prompt)
  try {
    const line = await new Promise<string>((resolve) => {
      let done = false
      rl.once('line', (l) => {
        done = true
        resolve(l)
      })
      rl.once('close', () => {
        if (!done) resolve('')
      })
    })
    if (!fromStdin) process.stderr.write('\n')
    return line.replace(/\r$/, '')
  } finally {
    rl.close()
  }
}

export async function runStaff(args: string[], io: { readSecret?: typeof readSecret } = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      service: { type: 'string', multiple: true },
      reason: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [sub, target] = positionals
  if (values.help || !sub) {
    process.stdout.write(HELP)
    return values.help ? 0 : 1
  }
  if (!['add', 'list', 'disable', 'enable'].includes(sub)) {
    process.stderr.write(`Unknown staff subcommand "${sub}".\n${HELP}`)
    return 2
  }
  const config = loadConfig()
  const opened = await openAndMigrate(resolveDatabaseUrl(config.databaseUrl, config.dataDir))
  const store = new KyselySupportStore(opened.db)
  const staff = new StaffDirectory({ store, clock: systemClock })
  const audit = new AuditLog({ store, clock: systemClock })
  const cli: Actor = { name: 'cli', role: 'admin', ip: null }
  const read = io.readSecret ?? readSecret
  try {
    switch (sub) {
      case 'add': {
        if (!values.email || !values.role) {
          process.stderr.write(
            'Give --email and --role: verigate staff add --email jane@example.com --role admin\n',
          )
          return 2
        }
        if (!isStaffRole(values.role)) {
          process.stderr.write(`Unknown role "${values.role}"; use ${STAFF_ROLES.join(', ')}.\n`)
          return 2
        }
        const fromStdin = values['password-stdin'] ?? false
        const password = await read('Password (12+ characters): ', fromStdin)
        if (!fromStdin && (await read('Repeat the password: ', false)) !== password) {
          process.stderr.write('The passwords differ; nothing was changed.\n')
          return 1
        }
        // --service limits the member to those services' verifications and entities (docs/privacy.md).
        const member = await staff.add({
          email: values.email,
          role: values.role,
          password,
          services: values.service ?? null,
        })
        await audit.record(cli, 'staff.add', {
          target: member.id,
          reason: values.reason ?? 'added with the CLI',
          details: { email: member.email, role: member.role, services: member.services, outcome: 'done' },
        })
        process.stdout.write(
          `Added ${member.email} (${member.role}), ${member.id}. Sign in at /console/login.\n`,
        )
        return 0
      }
      case 'list':
        for (const m of await staff.list()) {
          process.stdout.write(`${m.id}\t${m.email}\t${m.role}\t${m.disabledAt ? 'disabled' : 'active'}\n`)
        }
        return 0
      default: {
        if (!target) {
          process.stderr.write(`Give the email or id: verigate staff ${sub} jane@example.com\n`)
          return 2
        }
        const member = sub === 'disable' ? await staff.disable(target) : await staff.enable(target)
        await audit.record(cli, sub === 'disable' ? 'staff.disable' : 'staff.enable', {
          target: member.id,
          reason: values.reason ?? `${sub}d with the CLI`,
          details: { email: member.email, outcome: 'done' },
        })
        process.stdout.write(`${sub === 'disable' ? 'Disabled' : 'Enabled'} ${member.email}.\n`)
        return 0
      }
    }
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.message}\n`)
      return 1
    }
    throw err
  } finally {
    await opened.close()
  }
}
