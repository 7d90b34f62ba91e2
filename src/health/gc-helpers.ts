/**
 * @module What to tell an operator whose verigate was started without the `node` flags `npm start`
 * gives it: `gcHelperAdvice` for V8's garbage-collection helper threads on a machine of 2 CPUs or
 * fewer, `idleHeapAdvice` for the heap V8 gives back after a quiet minute.
 *
 * Why the helper threads: V8 marks the old generation on up to four helper threads, at the same
 * priority as the event loop. On 2 CPUs, one busy with the event loop, those helpers take the other and part of the
 * event loop's, and requests wait: in the bench's soak on a 2-CPU VM, 4 runs of 10 had a stall of
 * 127-149 ms after the lull, each during a full collection's marking, the event loop's thread
 * waiting in the run queue for 27-55 ms at a time (docs/performance.md, "Eleventh machine"). With
 * one helper (`--v8-pool-size=1`) they went away. V8 sizes its helper pool when the process
 * starts, so only a flag given to `node` can change it; `npm start` gives it, and this advice is
 * for the other ways of starting verigate.
 */

/** The `node` flags that cap V8's helper threads; either one is enough. */
export const GC_HELPER_FLAGS = ['--v8-pool-size', '--concurrent-marking-max-worker-num'] as const

/**
 * A warning to log, or undefined when nothing needs saying: the machine has more than 2 CPUs, or
 * node was started with one of {@link GC_HELPER_FLAGS} (on its command line or in `NODE_OPTIONS`).
 */
export function gcHelperAdvice(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
  cpus: number,
): string | undefined {
  if (cpus > 2) return undefined
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
  if (GC_HELPER_FLAGS.some((flag) => flagGiven(given, flag))) return undefined
  return `V8 runs up to 4 garbage-collection helper threads at the event loop's priority, on ${cpus} CPU${cpus === 1 ? '' : 's'}: under load a full collection can stall requests for 100 ms and more (4 soaks in 10 on a 2-CPU VM). Start node with --v8-pool-size=1 (NODE_OPTIONS=--v8-pool-size=1 works too), as npm start does; see docs/operations.md, "Memory and garbage collection".`
}

/**
 * The `node` flags that keep V8's heap as a burst left it through a quiet period; both are wanted.
 *
 * Why: about a minute into an idle period V8's memory reducer runs one to three compacting
 * collections, and a scavenge shrinks the young generation to its minimum (1 MB). When traffic
 * returns, a reducer's compaction can land in its first seconds (pauses of 7-50 ms) and the young
 * generation grows back through a scavenge every 10-15 ms. In the bench's soak on a 2-CPU VM that
 * put the event loop's longest delay after the lull over 50 ms in 7 soaks of 18 (up to 104 ms);
 * with both flags, in 2 of 14 (up to 63 ms; docs/performance.md, "Thirteenth machine"). V8 reads
 * both when the process starts, and node does not admit them in `NODE_OPTIONS`, so they go on node's command
 * line; `npm start` gives them.
 */
export const IDLE_HEAP_FLAGS = ['--no-memory-reducer', '--min-semi-space-size=16'] as const

/**
 * A warning to log, or undefined when node was started with both {@link IDLE_HEAP_FLAGS} (any
 * `--min-semi-space-size` counts: the operator chose one). Unlike the helper threads, this holds on
 * any number of CPUs: the reducer's pauses are on the event loop's own thread.
 */
export function idleHeapAdvice(execArgv: readonly string[]): string | undefined {
  const missing = IDLE_HEAP_FLAGS.filter((flag) => !flagGiven(execArgv, flag.split('=')[0] ?? flag))
  if (missing.length === 0) return undefined
  return `node was started without ${missing.join(' ')}: after a quiet minute V8 compacts the heap and shrinks its young generation, and in the first seconds of traffic after that requests can stall for 50-100 ms (7 soaks in 18 on a 2-CPU VM; 2 in 14 with the flags). Give ${missing.length === 1 ? 'it' : 'them'} to node on its command line (NODE_OPTIONS does not admit ${missing.length === 1 ? 'it' : 'them'}), as npm start does; see docs/operations.md, "Memory and garbage collection".`
}

/** `--min_semi_space_size=16` and `--min-semi-space-size=16` are one flag to V8. */
function flagName(arg: string): string {
  const name = arg.split('=', 1)[0] ?? ''
  return name.replace(/_/g, '-').replace(/^--nomemory-reducer$/, '--no-memory-reducer')
}

/** Whether `name` (`--flag`, no value) is among `given`, with or without a value, in any spelling. */
function flagGiven(given: readonly string[], name: string): boolean {
  return given.some((arg) => flagName(arg) === name)
}
