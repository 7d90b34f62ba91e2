/** @module Number and time formatting for the analytics charts and table (UTC, so every reader sees the same labels). */

/** `0.8333` -> `83.3%`; null -> `n/a`. */
export function formatRate(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`
}

/** Milliseconds below a second (`850 ms`), seconds (`4.0 s`), minutes past 120 s (`3.5 min`); null -> `n/a`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'n/a'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`
  return `${(ms / 60_000).toFixed(1)} min`
}

export function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(2)
}

export function formatCount(value: number): string {
  return value.toLocaleString('en')
}

const HOUR_LABEL = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})
const DAY_LABEL = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', day: 'numeric' })

/** A series bucket's label: `10 Jan, 14:00` for hourly buckets, `10 Jan` for daily ones. */
export function formatBucket(iso: string, hourly: boolean): string {
  const d = new Date(iso)
  return (hourly ? HOUR_LABEL : DAY_LABEL).format(d)
}

/** Hourly when consecutive buckets are an hour apart (reports use hours up to 48 h). */
export function isHourly(series: readonly { at: string }[]): boolean {
  const [a, b] = series
  if (!a || !b) return true
  return Date.parse(b.at) - Date.parse(a.at) <= 3_600_000
}
