/** @module Reading event data and times for diagnoses: typed fields of event data, ISO times, waits. */
import type { Channel } from '../channels/channel.js'
import { en } from './user-words/locales/en.js'

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** Seconds to wait, rounded up so waiting that long is always enough. */
export function waitSeconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000))
}

/** How a message on this channel is named for the person receiving it, in English ("text message"). */
export function messageNoun(channel: Channel): string {
  return en.channels[channel]
}

/** A string field of event data, when present. */
export function str(data: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = data[key]
  if (typeof v === 'string' && v !== '') return v
  if (typeof v === 'number') return String(v)
  return undefined
}

/** A numeric field of event data, when present. */
export function num(data: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const v = data[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}
