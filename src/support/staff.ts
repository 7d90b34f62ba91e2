/** @module StaffDirectory: console accounts (add, list, change role, disable) and password sign-in. */
import { AppError } from '../errors/app-error.js'
import type { Clock } from '../shared/clock.js'
import { newId } from '../shared/ids.js'
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './password.js'
import type { StaffRole } from './roles.js'
import type { StaffMember, SupportStore } from './store.js'

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/

/** Lower-cased, trimmed email, or a VALIDATION_FAILED naming the field. */
export function normalizeStaffEmail(email: string): string {
  const e = email.trim().toLowerCase()
  if (!EMAIL.test(e)) {
    throw new AppError('VALIDATION_FAILED', {
      message: `"${email}" is not an email address.`,
      details: { field: 'email' },
    })
  }
  return e
}

export class StaffDirectory {
  constructor(private readonly deps: { readonly store: SupportStore; readonly clock: Clock }) {}

  /**
   * @throws AppError VALIDATION_FAILED (email, password), STAFF_EMAIL_TAKEN
   */
  async add(input: {
    email: string
    role: StaffRole
    password: string
    /** Limit the member to these services (the console then shows and acts on them only). */
    services?: readonly string[] | null
  }): Promise<StaffMember> {
    const email = normalizeStaffEmail(input.email)
    const problem = passwordProblem(input.password)
    if (problem) throw new AppError('VALIDATION_FAILED', { message: problem, details: { field: 'password' } })
    const now = this.deps.clock.now()
    const member: StaffMember = {
      id: newId('staff'),
      email,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabledAt: null,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
      services: input.services && input.services.length > 0 ? [...new Set(input.services)] : null,
    }
    if (!(await this.deps.store.insertStaff(member))) {
      throw new AppError('STAFF_EMAIL_TAKEN', {
        message: `A staff member with email ${email} already exists. Change their role or enable them instead of adding them again.`,
      })
    }
    return member
  }

  list(): Promise<StaffMember[]> {
    return this.deps.store.listStaff()
  }

  /** By id (`stf_...`) or email. @throws AppError STAFF_NOT_FOUND */
  async require(idOrEmail: string): Promise<StaffMember> {
    const found = idOrEmail.startsWith('stf_')
      ? await this.deps.store.getStaff(idOrEmail)
      : await this.deps.store.getStaffByEmail(idOrEmail.trim().toLowerCase())
    if (!found)
      throw new AppError('STAFF_NOT_FOUND', {
        message: `No staff member "${idOrEmail}". Check the email or id with \`verigate staff list\` or on the Staff page.`,
      })
    return found
  }

  /** Changes the role and signs the member out everywhere, so the new role applies at once. */
  async setRole(id: string, role: StaffRole): Promise<StaffMember> {
    const member = await this.require(id)
    const now = this.deps.clock.now()
    await this.deps.store.updateStaff(member.id, { role, updatedAt: now })
    return { ...member, role, updatedAt: now }
  }

  /** Disables the account and ends its sessions. */
  async disable(id: string): Promise<StaffMember> {
    const member = await this.require(id)
    const now = this.deps.clock.now()
    await this.deps.store.updateStaff(member.id, { disabledAt: now, updatedAt: now })
    await this.deps.store.revokeSessionsOf(member.id, now)
    return { ...member, disabledAt: now, updatedAt: now }
  }

  async enable(id: string): Promise<StaffMember> {
    const member = await this.require(id)
    const now = this.deps.clock.now()
    await this.deps.store.updateStaff(member.id, { disabledAt: null, updatedAt: now })
    return { ...member, disabledAt: null, updatedAt: now }
  }

  /**
   * The active member with this email and password, or undefined. Unknown emails cost a full
   * hash too, so timing does not tell which emails exist.
   */
  async authenticate(email: string, password: string): Promise<StaffMember | undefined> {
    const member = await this.deps.store.getStaffByEmail(email.trim().toLowerCase())
    const ok = await verifyPassword(password, member?.passwordHash ?? (await dummyHash()))
    if (!member || !ok || member.disabledAt !== null) return undefined
    await this.deps.store.updateStaff(member.id, {
      lastLoginAt: this.deps.clock.now(),
      updatedAt: member.updatedAt,
    })
    return member
  }
}
