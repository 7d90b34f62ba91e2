/**
 * @module mountAnalytics(section): the console's analytics view on `section#analytics`. Reads
 * `data-endpoint` (same origin, cookies), `data-window` and `data-group-by`, and renders with
 * Chart.js (only the controllers, elements and scales used are registered, so the rest is
 * tree-shaken): rates per group (bar), the time series (line), p50/p90 timings per group (bar),
 * and the same figures as data tables, since a canvas says nothing to a screen reader. The window
 * and group-by selectors refetch. No eval, no inline script: works under `script-src 'self'`.
 *
 * `section.dataset.state` is `loading`, `ready` or `error`, for tests and styling.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js'
import { ApiError, requestJson } from '../shared/api.js'
import {
  type AnalyticsReport,
  type AnalyticsWindow,
  type Figures,
  GROUP_BYS,
  type GroupBy,
  isGroupBy,
  isWindow,
  WINDOWS,
} from './analytics-types.js'
import { formatBucket, formatCount, formatDuration, formatRate, formatRatio, isHourly } from './format.js'

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
)

/** Groups shown in the charts; the table lists them all. */
export const CHART_GROUP_LIMIT = 12

const WINDOW_LABELS: Record<AnalyticsWindow, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
}
const GROUP_LABELS: Record<GroupBy, string> = {
  country: 'Country',
  provider: 'Provider',
  route: 'Route',
  channel: 'Channel',
  none: 'No grouping',
}

// Colour-blind-safe (Okabe-Ito), with 3:1 contrast against white for the bars and lines.
const COLORS = {
  blue: '#0072B2',
  orange: '#D55E00',
  green: '#009E73',
  purple: '#CC79A7',
  sky: '#56B4E9',
  amber: '#E69F00',
}

export interface AnalyticsView {
  /** Fetches and renders again with the current selection. */
  refresh(): Promise<void>
  destroy(): void
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v)
  for (const c of children) node.append(c)
  return node
}

let ids = 0
function uid(prefix: string): string {
  ids += 1
  return `${prefix}-${ids}`
}

function select(
  label: string,
  name: string,
  options: ReadonlyArray<[string, string]>,
  value: string,
): { wrap: HTMLElement; input: HTMLSelectElement } {
  const id = uid(`analytics-${name}`)
  const input = el('select', { id, name })
  for (const [v, text] of options) {
    const o = el('option', { value: v }, text)
    if (v === value) o.selected = true
    input.append(o)
  }
  return { wrap: el('div', { class: 'analytics-field' }, el('label', { for: id }, label), input), input }
}

function chartFigure(title: string, description: string): { figure: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = el('canvas', { role: 'img', 'aria-label': `${title}. ${description}` })
  const box = el(
    'div',
    { class: 'analytics-chart', style: 'position:relative;height:260px;width:100%' },
    canvas,
  )
  const figure = el(
    'figure',
    { class: 'analytics-figure', style: 'margin:0 0 1.5rem' },
    box,
    el('figcaption', {}, title),
  )
  return { figure, canvas }
}

function groupsOf(report: AnalyticsReport): ReadonlyArray<{ key: string } & Figures> {
  return report.groups.length > 0 ? report.groups : [{ key: 'All', ...report.totals }]
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000)
const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10)

function ratesChart(report: AnalyticsReport): ChartConfiguration<'bar'> {
  const groups = groupsOf(report).slice(0, CHART_GROUP_LIMIT)
  return {
    type: 'bar',
    data: {
      labels: groups.map((g) => g.key),
      datasets: [
        {
          label: 'Conversion rate (%)',
          data: groups.map((g) => percent(g.conversion_rate)),
          backgroundColor: COLORS.blue,
        },
        {
          label: 'Delivery rate (%)',
          data: groups.map((g) => percent(g.delivery_rate)),
          backgroundColor: COLORS.orange,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } },
    },
  }
}

function seriesChart(report: AnalyticsReport): ChartConfiguration<'line'> {
  const hourly = isHourly(report.series)
  const line = (label: string, key: 'started' | 'verified' | 'sent' | 'delivered', color: string) => ({
    label,
    data: report.series.map((p) => p[key]),
    borderColor: color,
    backgroundColor: color,
    pointRadius: 2,
    // Straight segments: a smoothed curve would draw values between buckets that never happened.
    tension: 0,
  })
  return {
    type: 'line',
    data: {
      labels: report.series.map((p) => formatBucket(p.at, hourly)),
      datasets: [
        line('Started', 'started', COLORS.blue),
        line('Verified', 'verified', COLORS.green),
        line('Sent', 'sent', COLORS.amber),
        line('Delivered', 'delivered', COLORS.purple),
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  }
}

function timingsChart(report: AnalyticsReport): ChartConfiguration<'bar'> {
  const groups = groupsOf(report).slice(0, CHART_GROUP_LIMIT)
  return {
    type: 'bar',
    data: {
      labels: groups.map((g) => g.key),
      datasets: [
        {
          label: 'Time to delivery p50 (s)',
          data: groups.map((g) => seconds(g.time_to_delivery_ms.p50)),
          backgroundColor: COLORS.sky,
        },
        {
          label: 'Time to delivery p90 (s)',
          data: groups.map((g) => seconds(g.time_to_delivery_ms.p90)),
          backgroundColor: COLORS.blue,
        },
        {
          label: 'Time to verify p50 (s)',
          data: groups.map((g) => seconds(g.time_to_verify_ms.p50)),
          backgroundColor: COLORS.amber,
        },
        {
          label: 'Time to verify p90 (s)',
          data: groups.map((g) => seconds(g.time_to_verify_ms.p90)),
          backgroundColor: COLORS.orange,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: 'seconds' } } },
    },
  }
}

/** `3.0 s / 5.0 s`: a narrow column breaks the line at the slash, never inside a value. */
const pair = (p: Figures['time_to_delivery_ms']) =>
  `${formatDuration(p.p50).replace(' ', '\u00a0')} / ${formatDuration(p.p90).replace(' ', '\u00a0')}`

/** Sent = Delivered + Failed + Pending in every row (docs/analytics.md). */
const FIGURE_COLUMNS: ReadonlyArray<[string, (f: Figures) => string]> = [
  ['Started', (f) => formatCount(f.started)],
  ['Verified', (f) => formatCount(f.verified)],
  ['Conversion', (f) => formatRate(f.conversion_rate)],
  ['Sent', (f) => formatCount(f.messages_sent)],
  ['Delivered', (f) => formatCount(f.messages_delivered)],
  ['Failed', (f) => formatCount(f.messages_failed)],
  ['Pending', (f) => formatCount(f.messages_pending)],
  ['Delivery rate', (f) => formatRate(f.delivery_rate)],
  ['Sends per verification', (f) => formatRatio(f.sends_per_verification)],
  ['Time to delivery p50 / p90', (f) => pair(f.time_to_delivery_ms)],
  ['Time to verify p50 / p90', (f) => pair(f.time_to_verify_ms)],
]

const FIGURES_NOTE =
  'Sent counts every code message asked for in the window (first sends and resends); each ends up Delivered, Failed or Pending (still on its way, waiting for a receipt, or canceled with its verification). Delivery rate is Delivered / (Delivered + Failed).'

function figuresTable(report: AnalyticsReport, caption: string): HTMLTableElement {
  const head = el(
    'tr',
    {},
    el(
      'th',
      { scope: 'col' },
      GROUP_LABELS[report.group_by] === 'No grouping' ? 'Scope' : GROUP_LABELS[report.group_by],
    ),
  )
  for (const [name] of FIGURE_COLUMNS) head.append(el('th', { scope: 'col' }, name))
  const row = (key: string, f: Figures, cls: string) => {
    const tr = el('tr', { class: cls }, el('th', { scope: 'row' }, key))
    for (const [, value] of FIGURE_COLUMNS) tr.append(el('td', {}, value(f)))
    return tr
  }
  const body = el('tbody')
  for (const g of report.groups) body.append(row(g.key, g, 'analytics-group'))
  return el(
    'table',
    { class: 'analytics-table' },
    el('caption', {}, caption),
    el('thead', {}, head),
    body,
    el('tfoot', {}, row('Total', report.totals, 'analytics-total')),
  )
}

function seriesTable(report: AnalyticsReport): HTMLTableElement {
  const hourly = isHourly(report.series)
  const body = el('tbody')
  for (const p of report.series) {
    body.append(
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, formatBucket(p.at, hourly)),
        el('td', {}, formatCount(p.started)),
        el('td', {}, formatCount(p.verified)),
        el('td', {}, formatCount(p.sent)),
        el('td', {}, formatCount(p.delivered)),
      ),
    )
  }
  return el(
    'table',
    { class: 'analytics-series-table' },
    el('caption', {}, `Per ${hourly ? 'hour' : 'day'} (UTC)`),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Bucket', 'Started', 'Verified', 'Sent', 'Delivered'].map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    body,
  )
}

/** A wide table in a box that scrolls sideways; focusable, so keyboard users can scroll it too. */
function scrollable(table: HTMLTableElement, label: string): HTMLElement {
  return el(
    'div',
    { class: 'analytics-table-wrap', role: 'region', 'aria-label': label, tabindex: '0' },
    table,
  )
}

const STYLE = `
#analytics .analytics-controls{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;margin:0 0 1rem}
#analytics .analytics-field{display:flex;flex-direction:column;gap:.25rem}
#analytics .analytics-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
#analytics table{border-collapse:collapse;margin:0 0 1rem;font-variant-numeric:tabular-nums}
#analytics caption{text-align:left;font-weight:600;padding:.25rem 0}
#analytics th,#analytics td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:right;white-space:nowrap}
#analytics thead th{white-space:normal;overflow-wrap:normal;vertical-align:bottom;min-width:4.5em;max-width:7.5em}
#analytics .analytics-table td:nth-last-child(-n+2){white-space:normal;overflow-wrap:normal;min-width:5.5em}
#analytics .analytics-note{color:#4f5862;font-size:14px;max-width:70ch}
#analytics th[scope=row],#analytics thead th:first-child{text-align:left}
#analytics tfoot th,#analytics tfoot td{font-weight:600;border-top:2px solid #555}
#analytics .analytics-table-wrap{overflow-x:auto}
#analytics .analytics-status[data-kind=error]{color:#a00}
`

/** Mounts the view in `section`; the first fetch starts at once. */
export function mountAnalytics(section: HTMLElement): AnalyticsView {
  const endpoint = section.dataset.endpoint
  let windowValue: AnalyticsWindow = isWindow(section.dataset.window) ? section.dataset.window : '24h'
  let groupBy: GroupBy = isGroupBy(section.dataset.groupBy) ? section.dataset.groupBy : 'country'
  const charts: Chart[] = []
  let inFlight: AbortController | undefined

  section.replaceChildren()
  section.append(el('style', {}, STYLE))
  const heading = el('h2', { id: uid('analytics-title') }, 'Verification and delivery')
  section.setAttribute('aria-labelledby', heading.id)
  const windowSelect = select(
    'Window',
    'window',
    WINDOWS.map((w) => [w, WINDOW_LABELS[w]]),
    windowValue,
  )
  const groupSelect = select(
    'Group by',
    'group_by',
    GROUP_BYS.map((g) => [g, GROUP_LABELS[g]]),
    groupBy,
  )
  const controls = el(
    'form',
    { class: 'analytics-controls', 'aria-label': 'Analytics options' },
    windowSelect.wrap,
    groupSelect.wrap,
  )
  const status = el('p', { class: 'analytics-status', role: 'status', 'aria-live': 'polite' })
  const content = el('div', { class: 'analytics-content' })
  section.append(heading, controls, status, content)
  controls.addEventListener('submit', (e) => e.preventDefault())

  const setStatus = (text: string, kind: 'info' | 'error' = 'info') => {
    status.textContent = text
    status.dataset.kind = kind
  }

  const render = (report: AnalyticsReport) => {
    for (const c of charts.splice(0)) c.destroy()
    const scope = `${WINDOW_LABELS[windowValue]}: ${new Date(report.window.from).toISOString().slice(0, 16).replace('T', ' ')} to ${new Date(report.window.to).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    const many =
      report.groups.length > CHART_GROUP_LIMIT
        ? ` (charts show the first ${CHART_GROUP_LIMIT} of ${report.groups.length}; the table lists all)`
        : ''
    const rates = chartFigure(
      `Conversion and delivery rate by ${GROUP_LABELS[groupBy].toLowerCase()}${many}`,
      'The same figures are in the table below.',
    )
    const series = chartFigure(
      'Started, verified, sent and delivered over time (UTC)',
      'The same figures are in the time series table below.',
    )
    const timings = chartFigure(
      `Time to delivery and to verify, p50 and p90, by ${GROUP_LABELS[groupBy].toLowerCase()}`,
      'The same figures are in the table below.',
    )
    const details = el(
      'details',
      {},
      el('summary', {}, 'Time series as a table'),
      scrollable(seriesTable(report), 'Time series table'),
    )
    content.replaceChildren(
      el('p', { class: 'analytics-scope' }, scope),
      el('div', { class: 'analytics-grid' }, rates.figure, timings.figure),
      series.figure,
      scrollable(
        figuresTable(
          report,
          `Figures by ${GROUP_LABELS[groupBy].toLowerCase()}, ${WINDOW_LABELS[windowValue].toLowerCase()}`,
        ),
        'Figures table',
      ),
      el('p', { class: 'analytics-note' }, FIGURES_NOTE),
      details,
    )
    charts.push(new Chart(rates.canvas, ratesChart(report)))
    charts.push(new Chart(series.canvas, seriesChart(report)))
    charts.push(new Chart(timings.canvas, timingsChart(report)))
  }

  const refresh = async () => {
    if (!endpoint) {
      section.dataset.state = 'error'
      setStatus('This page has no analytics endpoint (data-endpoint).', 'error')
      return
    }
    inFlight?.abort()
    const controller = new AbortController()
    inFlight = controller
    section.dataset.state = 'loading'
    section.setAttribute('aria-busy', 'true')
    setStatus('Loading…')
    const url = new URL(endpoint, window.location.href)
    url.searchParams.set('window', windowValue)
    url.searchParams.set('group_by', groupBy)
    try {
      const report = await requestJson<AnalyticsReport>(url.toString(), {
        credentials: 'same-origin',
        signal: controller.signal,
      })
      if (controller.signal.aborted) return
      render(report)
      section.dataset.state = 'ready'
      setStatus(
        `Showing ${WINDOW_LABELS[windowValue].toLowerCase()}, by ${GROUP_LABELS[groupBy].toLowerCase()}.`,
      )
    } catch (err) {
      if (controller.signal.aborted) return
      section.dataset.state = 'error'
      setStatus(err instanceof ApiError ? err.message : 'The analytics could not be loaded.', 'error')
    } finally {
      if (inFlight === controller) section.removeAttribute('aria-busy')
    }
  }

  /** The selection lives in the page's URL too, so a link or a reload shows the same view. */
  const remember = () => {
    const url = new URL(window.location.href)
    url.searchParams.set('window', windowValue)
    url.searchParams.set('group_by', groupBy)
    window.history.replaceState(window.history.state, '', url)
  }
  windowSelect.input.addEventListener('change', () => {
    if (isWindow(windowSelect.input.value)) windowValue = windowSelect.input.value
    section.dataset.window = windowValue
    remember()
    void refresh()
  })
  groupSelect.input.addEventListener('change', () => {
    if (isGroupBy(groupSelect.input.value)) groupBy = groupSelect.input.value
    section.dataset.groupBy = groupBy
    remember()
    void refresh()
  })

  void refresh()
  return {
    refresh,
    destroy() {
      inFlight?.abort()
      for (const c of charts.splice(0)) c.destroy()
    },
  }
}
