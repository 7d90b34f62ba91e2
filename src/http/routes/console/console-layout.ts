/** @module The console's page frame (header, navigation, sign-out), its stylesheet and small HTML helpers. */
import type { FastifyReply } from 'fastify'
import { maskEmail, maskPhone } from '../../../shared/mask.js'
import { can } from '../../../support/roles.js'
import { escapeHtml, sendPage } from '../../web-assets.js'
import type { ConsoleRequest } from './console-context.js'
import { TIMELINE_CSS } from './console-timeline.js'

export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}
a{color:#0b57b0}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:10}
header.top{background:#1d2b3a;color:#fff;padding:10px 20px;display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center}
header.top .brand{font-weight:700;font-size:17px;margin:0}
header.top nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;margin:0;padding:0}
header.top nav a{color:#fff;text-decoration:none;padding:4px 2px;border-bottom:2px solid transparent}
header.top nav a[aria-current="page"]{border-bottom-color:#f5a623}
header.top .who{margin-left:auto;display:flex;gap:12px;align-items:center;font-size:14px}
header.top .who button{background:transparent;color:#fff;border:1px solid #fff8;border-radius:4px;padding:3px 10px;font:inherit;cursor:pointer}
main{max-width:1100px;margin:0 auto;padding:20px;overflow-wrap:break-word}
h1{font-size:24px;margin:0 0 12px}h2{font-size:19px;margin:0 0 10px}h3{font-size:16px;margin:0 0 6px}
.card{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:16px;margin:0 0 16px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px}
label{display:block;font-weight:600;margin:6px 0 4px}
input,select,textarea{font:inherit;padding:7px 9px;border:1px solid #8a939e;border-radius:5px;width:100%;background:#fff;color:#1b1f24}
textarea{min-height:60px}
button,.button{font:inherit;background:#0b57b0;color:#fff;border:0;border-radius:5px;padding:8px 14px;cursor:pointer;margin-top:8px}
button.danger{background:#b42318}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}.row>*{flex:1 1 180px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}
.table-wrap{overflow-x:auto}
table.natural{width:max-content;min-width:100%}table.natural td{max-width:22em;overflow-wrap:anywhere}
details.tech{margin:8px 0;font-size:14px}details.tech>summary{margin-bottom:4px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;background:#e4e7eb;color:#1b1f24}
.badge.confirmed,.badge.failed,.badge.limit{background:#fde2e1;color:#7a1712}
.badge.likely{background:#fff1d6;color:#6b4500}
.badge.possible{background:#e6f0fb;color:#0b3d78}
.badge.approved,.badge.delivered,.badge.safe{background:#dcf3e3;color:#14532d}
.notice{background:#dcf3e3;border:1px solid #7cc495;border-radius:6px;padding:10px 12px;margin:0 0 16px}
.error{background:#fde2e1;border:1px solid #e99a95;border-radius:6px;padding:10px 12px;margin:0 0 16px}
.muted{color:#4f5862}
.causes{padding-left:20px}.causes>li{margin-bottom:12px}
.diagnosis .state{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:baseline}
.diagnosis ol.causes{list-style:none;padding:0;margin:12px 0}
.diagnosis ol.causes>li{border-top:1px solid #e3e6ea;padding:12px 0;margin:0}
.diagnosis h3.headline{font-size:17px;display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center}
.diagnosis p{margin:4px 0}
.diagnosis time,.diagnosis .wait strong{white-space:nowrap}
.diagnosis .cause-actions{max-width:560px;margin-top:8px}
.diagnosis .cause-actions .buttons{display:flex;flex-wrap:wrap;gap:0 8px}
.diagnosis details.tech{margin-top:8px;font-size:14px}
.diagnosis details.tech pre{background:#f4f5f7;border-radius:4px;padding:6px 8px;margin-top:4px}
.diagnosis details.tech ul{margin:4px 0;padding-left:20px}
details>summary{cursor:pointer;color:#0b57b0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
@media (max-width:640px){main{padding:12px}header.top .who{margin-left:0}}
${TIMELINE_CSS}`

export type ConsoleNav = 'search' | 'services' | 'analytics' | 'fraud' | 'audit' | 'staff' | 'none'

/** Escapes a value for HTML (shorthand for templates). */
export const h = (value: string | number | null | undefined): string =>
  escapeHtml(value === null || value === undefined ? '' : String(value))

export function maskDestination(destination: string): string {
  return destination.includes('@') ? maskEmail(destination) : maskPhone(destination)
}

export function isoTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC')
}

export function csrfField(s: ConsoleRequest): string {
  return `<input type="hidden" name="csrf" value="${h(s.csrf)}">`
}

/** A required reason field, with a label tied to a unique id. */
export function reasonField(idSuffix: string): string {
  const id = `reason-${idSuffix}`
  return `<label for="${h(id)}">Reason (kept in the audit log)</label><input id="${h(id)}" name="reason" required maxlength="500" autocomplete="off" placeholder="e.g. Ticket 4711: locked out">`
}

export function sendConsolePage(
  reply: FastifyReply,
  opts: {
    title: string
    session?: ConsoleRequest | undefined
    nav?: ConsoleNav
    body: string
    scripts?: readonly string[]
    status?: number
  },
): FastifyReply {
  const s = opts.session
  const link = (href: string, label: string, key: ConsoleNav) =>
    `<li><a href="${href}"${opts.nav === key ? ' aria-current="page"' : ''}>${label}</a></li>`
  const nav = s
    ? `<nav aria-label="Console"><ul>${link('/console/search', 'Search', 'search')}${link('/console/services', 'Services', 'services')}${link('/console/analytics', 'Analytics', 'analytics')}${link('/console/fraud', 'Fraud guard', 'fraud')}${link('/console/audit', 'Audit log', 'audit')}${
        can(s.principal.role, 'manage_staff') && s.principal.services === null
          ? link('/console/staff', 'Staff', 'staff')
          : ''
      }</ul></nav>
<div class="who"><span>${h(s.principal.actor)} <span class="badge">${h(s.principal.role)}</span></span>
<form method="post" action="/console/logout">${csrfField(s)}<button type="submit">Sign out</button></form></div>`
    : ''
  if (opts.status) reply.code(opts.status)
  return sendPage(reply, {
    title: `${opts.title} · verigate support console`,
    css: CONSOLE_CSS,
    // console.js shows every time in the reader's zone (and draws the analytics where there are any).
    scripts: opts.scripts ?? ['console.js'],
    body: `<a class="skip" href="#main">Skip to content</a>
<header class="top"><p class="brand">verigate support</p>${nav}</header>
<main id="main">${opts.body}</main>`,
  })
}
