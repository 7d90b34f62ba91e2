/**
 * @module Refuses strings that no database stores faithfully: lone UTF-16 surrogates and NUL
 * characters (PostgreSQL rejects both in text columns, which would otherwise surface as a 500).
 */
import { AppError } from '../errors/app-error.js'

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function clean(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text)
}

function findBad(value: unknown, path: string, depth: number): string | undefined {
  if (depth > 20) return path
  if (typeof value === 'string') return clean(value) ? undefined : path
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBad(value[i], `${path}[${i}]`, depth + 1)
      if (bad) return bad
    }
    return undefined
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!clean(k)) return path ? `${path}.?` : '?'
      const bad = findBad(v, path ? `${path}.${k}` : k, depth + 1)
      if (bad) return bad
    }
  }
  return undefined
}

/** @throws AppError VALIDATION_FAILED naming the field. */
export function assertCleanText(value: unknown, location: string): void {
  const bad = findBad(value, '', 0)
  if (bad !== undefined) {
    throw new AppError('VALIDATION_FAILED', {
      message: `${location} field "${bad || '(root)'}" contains characters that cannot be stored (NUL or a broken UTF-16 surrogate).`,
      details: { field: bad || null, location },
    })
  }
}
