/**
 * @module The contract between the widget and the authenticator-factor screens
 * (web/widget/factors/): what the widget hands to `mountFactors(root, ctx)`.
 */

export interface FactorContext {
  apiBase: string
  token: string
  locale: string
  mode: 'use' | 'enrol'
  available: { totp: boolean; passkey: boolean; recovery_codes: boolean }
  onApproved(detail: { factor: 'totp' | 'passkey' | 'recovery_code' }): void
  onBack(): void
}
