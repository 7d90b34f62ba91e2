/** @module Console roles and what each may do: viewers read, support acts, admins also manage staff. */

export const STAFF_ROLES = ['viewer', 'support', 'admin'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value)
}

/**
 * `read`: search and read every page. `act`: the support actions (lift a limit, resend, cancel,
 * safe list, account recovery). `reveal`: show a full number. `manage_staff`: add, change, disable staff.
 * `erase`: a person's erasure request (docs/privacy.md), which cannot be undone. `configure`: a
 * service's fraud-guard settings (mode, per-country daily caps).
 */
export const CONSOLE_PERMISSIONS = ['read', 'act', 'reveal', 'manage_staff', 'erase', 'configure'] as const
export type ConsolePermission = (typeof CONSOLE_PERMISSIONS)[number]

const GRANTS: Record<StaffRole, readonly ConsolePermission[]> = {
  viewer: ['read'],
  support: ['read', 'act', 'reveal'],
  admin: ['read', 'act', 'reveal', 'manage_staff', 'erase', 'configure'],
}

export function can(role: StaffRole, permission: ConsolePermission): boolean {
  return GRANTS[role].includes(permission)
}
