/**
 * @module The `verigate` command: serve, migrate, keys, phone, doctor. Loaded by `index.ts` after
 * tracing is set up (this module's imports load pg and ioredis, which must come after the
 * OpenTelemetry loader hook to be traced).
 */
import { ConfigError } from '../config/load.js'
import { DependencyStartupError } from '../health/startup-error.js'
import { KeyAgreementError } from '../secrets/key-agreement.js'
import { runDoctor } from './commands/doctor.js'
import { runKeys } from './commands/keys.js'
import { runMigrate } from './commands/migrate.js'
import { runPhone } from './commands/phone.js'
import { runServe } from './commands/serve.js'
import { runSimulator } from './commands/simulator.js'
import { runStaff } from './commands/staff.js'
import { runSubjects } from './commands/subjects.js'

const USAGE = `verigate: self-hosted phone and email verification

Usage: verigate <command> [options]

Commands:
  serve            Start the HTTP API, the outbox dispatcher and (in development) the carrier simulator
  migrate          Apply database migrations and exit
  keys create      Create an API key and print it once
  keys list        List API keys
  keys revoke ID   Revoke an API key
  phone NUMBER     Analyse a phone number (E.164, country, type, what is wrong and how to fix it)
  doctor TARGET    "Didn't get the code?": diagnose a verification (ver_...) or a number
  staff add|list|disable|enable   Support console accounts (/console)
  simulator        The carrier simulator as a provider process of its own (for clusters and drills)
  subjects export|erase NUMBER_OR_EMAIL   A person's data: export it, or erase it (docs/privacy.md)

Run "verigate <command> --help" for a command's options.
Configuration comes from environment variables (see README: DATABASE_URL, REDIS_URL, PORT, ...).
`

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'serve':
      return runServe(rest)
    case 'migrate':
      return runMigrate(rest)
    case 'keys':
      return runKeys(rest)
    case 'phone':
      return runPhone(rest)
    case 'doctor':
      return runDoctor(rest)
    case 'staff':
      return runStaff(rest)
    case 'simulator':
      return runSimulator(rest)
    case 'subjects':
      return runSubjects(rest)
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE)
      return command === undefined ? 1 : 0
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`)
      return 2
  }
}

/**
 * A command line the commands' option parser refused (`node:util` parseArgs): an unknown option, a
 * missing value, or a value that starts with a dash given as its own argument (`--receipt-secret
 * -abc`, which must be written `--receipt-secret=-abc`). Its message says which; exit code 2.
 */
function isUsageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')
}

const argv = process.argv.slice(2)
main(argv).then(
  (code) => {
    if (code !== -1) process.exitCode = code
  },
  (err: unknown) => {
    const usage = isUsageError(err)
    process.stderr.write(
      // An operator's mistake gets its message, not a stack trace.
      err instanceof ConfigError || err instanceof KeyAgreementError
        ? `${err.message}\n`
        : usage
          ? `verigate: ${(err as Error).message}\nSee \`verigate ${argv[0]} --help\` for its options.\n`
          : err instanceof DependencyStartupError
            ? `verigate: ${err.message}\n`
            : `verigate: ${(err as Error)?.stack ?? err}\n`,
    )
    // Exit now: a start that failed halfway may leave a connection or a timer keeping the process
    // alive, and a supervisor must see the failure to restart it. (stderr is written synchronously.)
    process.exit(usage ? 2 : 1)
  },
)
