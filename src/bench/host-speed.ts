/**
 * @module How fast the host ran during a stretch of the bench, from the probe process
 * (`host-probe.ts`): the mean CPU its fixed piece of work took. Used by the soak to tell a burst
 * that cost the server more after the lull from one that ran on a slower host.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const PROBE = fileURLToPath(new URL('./host-probe.js', import.meta.url))

/** One probe sample: when it ended (epoch ms) and the CPU its work took (µs). */
export interface ProbeSample {
  readonly at: number
  readonly cpuUs: number
}

/** Fewer samples than this in a window (10 s of them at the probe's 100 ms) say nothing. */
export const MIN_SAMPLES = 20

/**
 * The mean CPU µs of the samples taken in [from, to], or undefined with fewer than
 * {@link MIN_SAMPLES}. The mean, not the median: a burst's CPU per flow is a mean over the burst,
 * slow stretches included, and the two are compared.
 */
export function meanCpuUsBetween(
  samples: readonly ProbeSample[],
  from: number,
  to: number,
): number | undefined {
  let sum = 0
  let n = 0
  for (const s of samples) {
    if (s.at < from || s.at > to) continue
    sum += s.cpuUs
    n++
  }
  return n >= MIN_SAMPLES ? sum / n : undefined
}

/** Parses the probe's output lines; a partial or foreign line is skipped. */
export function parseProbeLines(text: string): ProbeSample[] {
  const out: ProbeSample[] = []
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\d+)$/.exec(line)
    if (m) out.push({ at: Number(m[1]), cpuUs: Number(m[2]) })
  }
  return out
}

export interface HostProbe {
  /** Mean CPU µs of the probe's work between two epoch-ms times; undefined if too few samples. */
  meanCpuUsBetween(from: number, to: number): number | undefined
  close(): Promise<void>
}

/** Starts the probe process; its samples are kept until `close()`. */
export function startHostProbe(): HostProbe {
  const child: ChildProcess = spawn(process.execPath, [PROBE], { stdio: ['pipe', 'pipe', 'inherit'] })
  const samples: ProbeSample[] = []
  let partial = ''
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (d: string) => {
    const text = partial + d
    const cut = text.lastIndexOf('\n') + 1
    partial = text.slice(cut)
    samples.push(...parseProbeLines(text.slice(0, cut)))
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return {
    meanCpuUsBetween: (from, to) => meanCpuUsBetween(samples, from, to),
    async close() {
      child.stdin?.end()
      await exited
    },
  }
}
