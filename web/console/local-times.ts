/**
 * @module Rewrites the console's `<time data-local>` elements (rendered in UTC by the server, which
 * does not know the reader's zone) into the reader's local date and time; the UTC stays as the
 * title, shown on hover.
 */

const LOCAL = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
})

export function localiseTimes(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLTimeElement>('time[data-local]')) {
    const at = new Date(el.dateTime)
    if (Number.isNaN(at.getTime())) continue
    if (!el.title) el.title = el.textContent ?? ''
    el.textContent = LOCAL.format(at)
  }
}
