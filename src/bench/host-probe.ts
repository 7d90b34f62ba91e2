/**
 * @module The bench's host-speed probe, run as a process of its own beside the server: every
 * 100 ms it does the same small piece of work (JSON, SHA-256, a Map: the kind of work a request
 * does) and prints `<epoch ms> <CPU µs it took>` on a line.
 *
 * Why: on the 2-vCPU VMs this bench runs on, the same work takes up to 1.5 times the CPU in
 * stretches of seconds that come and go with the host, not with anything the bench does (this
 * probe beside a busy loop read ~850 µs for most of 90 s and ~1,250 µs in stretches of 1-6 s). Two
 * bursts a minute apart can land in different stretches, so their flows/s and even their CPU per
 * flow differ by 20-40 % with no change in the server. CPU time, not wall time, so waiting for a
 * core (the bench's own load) does not count; a slower core does.
 */
import { createHash } from 'node:crypto'

const PERIOD_MS = 100

const record = {
  sid: `VE${'0123456789abcdef'.repeat(2)}`,
  to: '+15551234567',
  channel: 'sms',
  events: Array.from({ length: 20 }, (_, i) => ({
    at: 1_700_000_000_000 + i,
    type: 'handed_to_provider',
    hop: i,
  })),
}

/** The fixed piece of work: about 0.8 ms of CPU on a quiet core of the reference machine. */
function probeWork(): number {
  const seen = new Map<string, unknown>()
  let sum = 0
  for (let i = 0; i < 60; i++) {
    const text = JSON.stringify(record)
    const parsed = JSON.parse(text) as typeof record
    seen.set(`k${i}`, parsed)
    sum += parsed.events.length + createHash('sha256').update(text).digest()[0]!
  }
  return sum + seen.size
}

// Warm the work's code up first, so the first samples are not the JIT's.
for (let i = 0; i < 200; i++) probeWork()
setInterval(() => {
  const before = process.cpuUsage()
  probeWork()
  const used = process.cpuUsage(before)
  process.stdout.write(`${Date.now()} ${used.user + used.system}\n`)
}, PERIOD_MS)
// The bench closes stdin when it is done; the probe must not outlive it.
process.stdin.on('end', () => process.exit(0)).resume()
