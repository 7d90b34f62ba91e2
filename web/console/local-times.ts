/**
 * @module Rewrites the console's `<time data-local>` elements (rendered in UTC by the server, which
 * does not know the reader's zone) into the reader's local date and time; the UTC stays as the
 * title, shown on hover. A relative time (`data-relative`, "4 minutes ago") keeps its words and
 * gets the local time in front of the UTC in its title.
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

/** "4 minutes ago" stays; hovering it shows "5 Dec 2026, 21:50:07 GMT+9 (5 Dec 2026, 12:50:07 UTC)". */
export function localiseRelativeTimes(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
    const at = new Date(el.dateTime)
    if (Number.isNaN(at.getTime()) || el.dataset.localised === 'yes') continue
    el.title = el.title ? `${LOCAL.format(at)} (${el.title})` : LOCAL.format(at)
    el.dataset.localised = 'yes'
  }
}
