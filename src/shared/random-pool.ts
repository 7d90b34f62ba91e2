/**
 * @module Random bytes drawn from the CSPRNG a block at a time and handed out once each (as
 * `randomUUID`'s cache does). A call into the CSPRNG per id or per nonce showed at ~2 % each of the
 * server's CPU under load; one call per block does not. The bytes are as random as bytes drawn
 * one call at a time, and no byte is handed out twice.
 */
import { randomFillSync } from 'node:crypto'

const BLOCK_BYTES = 8192
const block = Buffer.alloc(BLOCK_BYTES)
let at = BLOCK_BYTES

/** `size` (at most 8,192) fresh random bytes, in a buffer of their own. */
export function pooledRandomBytes(size: number): Buffer {
  if (size > BLOCK_BYTES) throw new RangeError(`at most ${BLOCK_BYTES} bytes at a time`)
  if (at + size > BLOCK_BYTES) {
    randomFillSync(block)
    at = 0
  }
  const bytes = Buffer.from(block.subarray(at, at + size))
  at += size
  return bytes
}
