/**
 * @module `gcHelperAdvice`: what to tell an operator whose verigate runs V8's default number of
 * garbage-collection helper threads on a machine of 2 CPUs or fewer.
 *
 * Why: V8 marks the old generation on up to four helper threads, at the same priority as the event
 * loop. On 2 CPUs, one busy with the event loop, those helpers take the other and part of the
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
  if (given.some((arg) => GC_HELPER_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`))))
    return undefined
  return `V8 runs up to 4 garbage-collection helper threads at the event loop's priority, on ${cpus} CPU${cpus === 1 ? '' : 's'}: under load a full collection can stall requests for 100 ms and more (4 soaks in 10 on a 2-CPU VM). Start node with --v8-pool-size=1 (NODE_OPTIONS=--v8-pool-size=1 works too), as npm start does; see docs/operations.md, "Memory and garbage collection".`
}
