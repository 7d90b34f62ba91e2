/** @module GET/POST /console/staff: admins add staff, change roles, disable and enable accounts (each with a reason). */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../../errors/app-error.js'
import { assertCan } from '../../../support/actions.js'
import { requireReason } from '../../../support/audit.js'
import { isStaffRole, STAFF_ROLES, type StaffRole } from '../../../support/roles.js'
import {
  actionSession,
  assertEveryService,
  type ConsoleContext,
  formOf,
  pageSession,
} from './console-context.js'
import { csrfField, h, isoTime, reasonField, sendConsolePage } from './console-layout.js'

function roleOf(value: string | undefined): StaffRole {
  if (value && isStaffRole(value)) return value
  throw new AppError('VALIDATION_FAILED', {
    message: `Choose a role: ${STAFF_ROLES.join(', ')}.`,
    details: { field: 'role' },
  })
}

export function registerConsoleStaff(app: FastifyInstance, cx: ConsoleContext): void {
  const { support } = cx

  app.get('/staff', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    assertCan(s.actor, 'manage_staff')
    // Staff accounts reach the whole installation: an admin limited to services cannot grant that.
    assertEveryService(s)
    const staff = await support.staff.list()
    const roleOptions = (current?: StaffRole) =>
      STAFF_ROLES.map((r) => `<option${r === current ? ' selected' : ''}>${r}</option>`).join('')
    const rows = staff
      .map((m) => {
        const id = h(m.id)
        return `<tr><td>${h(m.email)}<br><code class="muted">${id}</code></td><td>${h(m.role)}</td><td>${m.disabledAt ? `<span class="badge failed">disabled</span>` : '<span class="badge approved">active</span>'}</td>
<td>${m.lastLoginAt ? h(isoTime(m.lastLoginAt)) : '-'}</td>
<td><form method="post" action="/console/staff/${id}/role" class="row">${csrfField(s)}<div><label for="role-${id}">Role</label><select id="role-${id}" name="role">${roleOptions(m.role)}</select></div>
<div>${reasonField(`role-${m.id}`)}</div><div style="flex:0 0 auto"><button type="submit">Change role</button></div></form>
<form method="post" action="/console/staff/${id}/${m.disabledAt ? 'enable' : 'disable'}" class="row">${csrfField(s)}<div>${reasonField(`state-${m.id}`)}</div>
<div style="flex:0 0 auto"><button type="submit"${m.disabledAt ? '' : ' class="danger"'}>${m.disabledAt ? 'Enable' : 'Disable'}</button></div></form></td></tr>`
      })
      .join('')
    return sendConsolePage(reply, {
      title: 'Staff',
      session: s,
      nav: 'staff',
      body: `<h1>Staff</h1>
<section class="card" aria-labelledby="add-title"><h2 id="add-title">Add a staff member</h2>
<form method="post" action="/console/staff">${csrfField(s)}<div class="row">
<div><label for="new-email">Email</label><input id="new-email" name="email" type="email" required autocomplete="off"></div>
<div><label for="new-role">Role</label><select id="new-role" name="role">${roleOptions('viewer')}</select></div>
<div><label for="new-password">Initial password (12+ characters)</label><input id="new-password" name="password" type="password" required minlength="12" autocomplete="new-password"></div>
</div>${reasonField('add')}<button type="submit">Add</button></form></section>
<section class="card" aria-label="Staff members"><div class="table-wrap" tabindex="0" role="region" aria-label="Staff table"><table><thead><tr><th scope="col">Staff member</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Last sign-in</th><th scope="col">Change</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5" class="muted">No staff accounts yet (API-key admins only).</td></tr>'}</tbody></table></div></section>`,
    })
  })

  app.post('/staff', async (request, reply) => {
    const s = await actionSession(request, cx, 'manage_staff')
    assertEveryService(s)
    const form = formOf(request)
    const reason = requireReason(form.reason)
    const member = await support.staff.add({
      email: form.email ?? '',
      role: roleOf(form.role),
      password: form.password ?? '',
    })
    await support.audit.record(s.actor, 'staff.add', {
      target: member.id,
      reason,
      details: { email: member.email, role: member.role, outcome: 'done' },
    })
    return reply.redirect('/console/staff', 303)
  })

  app.post<{ Params: { id: string } }>('/staff/:id/role', async (request, reply) => {
    const s = await actionSession(request, cx, 'manage_staff')
    assertEveryService(s)
    const form = formOf(request)
    const reason = requireReason(form.reason)
    const role = roleOf(form.role)
    const before = await support.staff.require(request.params.id)
    await support.staff.setRole(before.id, role)
    await support.audit.record(s.actor, 'staff.role', {
      target: before.id,
      reason,
      details: { email: before.email, from: before.role, to: role, outcome: 'done' },
    })
    return reply.redirect('/console/staff', 303)
  })

  for (const op of ['disable', 'enable'] as const) {
    app.post<{ Params: { id: string } }>(`/staff/:id/${op}`, async (request, reply) => {
      const s = await actionSession(request, cx, 'manage_staff')
      assertEveryService(s)
      const reason = requireReason(formOf(request).reason)
      const member =
        op === 'disable'
          ? await support.staff.disable(request.params.id)
          : await support.staff.enable(request.params.id)
      await support.audit.record(s.actor, op === 'disable' ? 'staff.disable' : 'staff.enable', {
        target: member.id,
        reason,
        details: { email: member.email, outcome: 'done' },
      })
      return reply.redirect('/console/staff', 303)
    })
  }
}
