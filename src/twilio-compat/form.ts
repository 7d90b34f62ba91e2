/**
 * @module Twilio's request parameters: `application/x-www-form-urlencoded` bodies with PascalCase
 * names, dotted names for nested objects (`Totp.Issuer`, `Passkeys.RelyingParty.Id`), repeated names
 * for lists, and a reader that refuses a bad value with Twilio's 60200 naming the parameter.
 */
import { isIP } from 'node:net'
import { invalidParameter } from './errors.js'

/** A parsed parameter: a value, a repeated value, or a nested object of dotted names. */
export type FormValue = string | string[] | FormObject
export interface FormObject {
  [name: string]: FormValue
}

// Names that would reach Object.prototype if used as keys of a plain object.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor'])

function emptyObject(): FormObject {
  return Object.create(null) as FormObject
}

function isObject(value: FormValue | undefined): value is FormObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Adds one `name=value` pair. A dotted name nests; a repeated name makes a list. A name used both
 * as a value and as an object (`A=1&A.B=2`) is refused.
 * @throws TwilioError 60200 naming the parameter
 */
export function addParam(target: FormObject, name: string, value: string): void {
  const segments = name.split('.')
  if (segments.some((s) => s.length === 0 || FORBIDDEN_SEGMENTS.has(s))) throw invalidParameter(name)
  let node = target
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment]
    if (next === undefined) {
      const created = emptyObject()
      node[segment] = created
      node = created
    } else if (isObject(next)) {
      node = next
    } else {
      throw invalidParameter(name)
    }
  }
  const leaf = segments.at(-1)!
  const existing = node[leaf]
  if (existing === undefined) node[leaf] = value
  else if (typeof existing === 'string') node[leaf] = [existing, value]
  else if (Array.isArray(existing)) existing.push(value)
  else throw invalidParameter(name)
}

/**
 * Parses a form body. `+` is a space and `%XX` a byte (WHATWG `application/x-www-form-urlencoded`),
 * so both the SDK's RFC 3986 escaping (`%20`, `%2B`) and other clients' `+` for space decode alike.
 * @throws TwilioError 60200 naming a parameter whose name is unusable
 */
export function parseForm(body: string): FormObject {
  const out = emptyObject()
  for (const [name, value] of new URLSearchParams(body)) {
    if (name === '') continue
    addParam(out, name, value)
  }
  return out
}

function flatten(prefix: string, value: unknown, out: FormObject): void {
  if (value === undefined || value === null) return
  if (Array.isArray(value)) {
    for (const item of value) flatten(prefix, item, out)
    return
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out)
    return
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    addParam(out, prefix, String(value))
    return
  }
  throw invalidParameter(prefix)
}

/**
 * The parameters of any request body or query: a form body parsed by `parseForm`, a JSON object
 * (numbers and booleans as strings, nested objects as dotted names), or nothing.
 */
export function toFormObject(body: unknown): FormObject {
  if (body === undefined || body === null || body === '') return emptyObject()
  if (typeof body === 'string') return parseForm(body)
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalidParameter('Body', 'expected form parameters')
  const out = emptyObject()
  flatten('', body, out)
  return out
}

/** Reads typed parameters, throwing Twilio's 60200 naming the first bad one. */
export class Params {
  constructor(private readonly source: FormObject) {}

  /** The raw value at a dotted name, or undefined. */
  raw(name: string): FormValue | undefined {
    let node: FormValue | undefined = this.source
    for (const segment of name.split('.')) {
      if (!isObject(node)) return undefined
      node = Object.hasOwn(node, segment) ? node[segment] : undefined
    }
    return node
  }

  /** Whether the parameter was sent at all (as a value or as a nested object). */
  has(name: string): boolean {
    return this.raw(name) !== undefined
  }

  string(name: string, opts: { required: true; min?: number; max?: number; pattern?: RegExp }): string
  string(
    name: string,
    opts?: { required?: false; min?: number; max?: number; pattern?: RegExp },
  ): string | undefined
  string(
    name: string,
    opts: { required?: boolean; min?: number; max?: number; pattern?: RegExp } = {},
  ): string | undefined {
    const value = this.raw(name)
    if (value === undefined) {
      if (opts.required) throw invalidParameter(name, 'is required')
      return undefined
    }
    if (typeof value !== 'string') throw invalidParameter(name, 'must be a single value')
    if (value.length < (opts.min ?? (opts.required ? 1 : 0))) throw invalidParameter(name, 'is too short')
    if (opts.max !== undefined && value.length > opts.max)
      throw invalidParameter(name, `is longer than ${opts.max} characters`)
    if (opts.pattern && !opts.pattern.test(value))
      throw invalidParameter(name, 'is not in the expected format')
    return value
  }

  int(name: string, min: number, max: number): number | undefined {
    const text = this.string(name)
    if (text === undefined) return undefined
    if (!/^-?\d{1,10}$/.test(text.trim())) throw invalidParameter(name, 'must be an integer')
    const n = Number(text.trim())
    if (n < min || n > max) throw invalidParameter(name, `must be between ${min} and ${max}`)
    return n
  }

  bool(name: string): boolean | undefined {
    const text = this.string(name)
    if (text === undefined) return undefined
    const lower = text.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
    throw invalidParameter(name, 'must be true or false')
  }

  oneOf<T extends string>(name: string, values: readonly T[], opts: { required: true }): T
  oneOf<T extends string>(name: string, values: readonly T[], opts?: { required?: false }): T | undefined
  oneOf<T extends string>(
    name: string,
    values: readonly T[],
    opts: { required?: boolean } = {},
  ): T | undefined {
    const text = opts.required ? this.string(name, { required: true }) : this.string(name)
    if (text === undefined) return undefined
    const lower = text.toLowerCase()
    const found = values.find((v) => v === lower)
    if (!found) throw invalidParameter(name, `must be one of ${values.join(', ')}`)
    return found
  }

  /** A JSON object sent as a string (`RateLimits`, `Metadata`, `HiddenDetails`). */
  jsonObject(name: string, maxLength = 4096): Record<string, unknown> | undefined {
    const text = this.string(name, { max: maxLength })
    if (text === undefined) return undefined
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw invalidParameter(name, 'must be a JSON object')
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidParameter(name, 'must be a JSON object')
    }
    return parsed as Record<string, unknown>
  }

  /** An IPv4 or IPv6 address. */
  ip(name: string): string | undefined {
    const text = this.string(name, { max: 45 })
    if (text === undefined) return undefined
    if (isIP(text) === 0) throw invalidParameter(name, 'must be an IP address')
    return text
  }

  /** An ISO 8601 date-time, as epoch milliseconds. */
  date(name: string): number | undefined {
    const text = this.string(name, { max: 40 })
    if (text === undefined) return undefined
    const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN
    if (Number.isNaN(ms)) throw invalidParameter(name, 'must be an ISO 8601 date-time')
    return ms
  }

  /** A list parameter (repeated name); a single value is a list of one. */
  list(name: string): string[] {
    const value = this.raw(name)
    if (value === undefined) return []
    if (typeof value === 'string') return [value]
    if (Array.isArray(value)) return value
    throw invalidParameter(name, 'must be a list of values')
  }
}
