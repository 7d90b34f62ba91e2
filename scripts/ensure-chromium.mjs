#!/usr/bin/env node
/**
 * Runs before `npm test`: the browser tests drive Debian's Chromium (never a browser downloaded by a
 * test tool). On a fresh Debian machine, running as root, it installs the `chromium` package with
 * apt-get; otherwise it says exactly what to do. CHROMIUM_PATH points at another Chromium.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (existsSync(path)) process.exit(0)

const root = typeof process.getuid === 'function' && process.getuid() === 0
if (!process.env.CHROMIUM_PATH && root && existsSync('/usr/bin/apt-get')) {
  console.log('browser tests: installing Debian chromium (apt-get install -y chromium)...')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
  if (existsSync(path)) process.exit(0)
}
console.error(
  `browser tests need Chromium at ${path}. On Debian/Ubuntu: sudo apt-get install -y chromium; elsewhere set CHROMIUM_PATH to a Chromium or Chrome binary.`,
)
process.exit(1)
