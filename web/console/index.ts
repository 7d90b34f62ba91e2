/**
 * @module console.js: the support console's browser code. Shows times in the reader's zone, and
 * mounts the analytics view on `section#analytics[data-endpoint]` when the page has one.
 */
import { mountAnalytics } from './analytics-charts.js'
import { localiseRelativeTimes, localiseTimes } from './local-times.js'

function start(): void {
  localiseTimes()
  localiseRelativeTimes()
  const section = document.querySelector<HTMLElement>('section#analytics[data-endpoint]')
  if (section) mountAnalytics(section)
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true })
else start()
