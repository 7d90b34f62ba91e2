/**
 * @module console.js: the support console's browser code. Mounts the analytics view on
 * `section#analytics[data-endpoint]` when the page has one.
 */
import { mountAnalytics } from './analytics-charts.js'

function start(): void {
  const section = document.querySelector<HTMLElement>('section#analytics[data-endpoint]')
  if (section) mountAnalytics(section)
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true })
else start()
