/**
 * @module `extend`: `{ ...base, ...extra }` for the delivery hot path, written so the copy does not
 * outlive the young generation.
 *
 * On Node 20 (V8 11.3) an object literal that starts with a spread and then adds a property the
 * spread object does not have (`{ ...plan, waiting: true }`, where a plan has no `waiting` yet)
 * leaves copies that survive the scavenges. In a loop doing nothing else (`--trace-gc-nvp`),
 * 20-36 % of what it allocated was promoted to the old generation, against none for the same merge
 * as `Object.assign({}, base, extra)`, for `{ ...base }` alone, for a spread that only overrides
 * properties `base` has, or for a literal whose spread comes after its own properties. What is
 * promoted per request is only freed by a major GC, whose pause (10-20 ms under load) weighs on the
 * half-load p99 of `npm run bench` (docs/performance.md, "Ninth machine").
 *
 * Whether the slow path is taken depends on the spread object's hidden class, so it can come and go
 * with changes elsewhere: rewriting how the verifier builds a new message sent `claimedFreshMessage`'s
 * spread down it in 12 runs of 13 (about 4 KB a verification); that function now writes every field
 * out. Measured, not assumed: rewrites like these are kept where the bench showed less promoted.
 */

/** A new object with `base`'s own enumerable properties, then `extra`'s (which win). */
export function extend<T extends object, U extends object>(base: T, extra: U): Omit<T, keyof U> & U {
  return Object.assign({}, base, extra)
}
