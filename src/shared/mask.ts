/** @module Masking of personal data before it reaches a log line. */

/** `+447700900123` -> `+44*****0123`. Keeps the country prefix and last four digits. */
export function maskPhone(value: string): string {
  if (value.includes('@')) return maskEmail(value)
  const digits = value.replace(/[^\d+]/g, '')
  if (digits.length <= 6) return '*'.repeat(digits.length)
  const head = digits.startsWith('+') ? digits.slice(0, 3) : digits.slice(0, 2)
  return `${head}${'*'.repeat(Math.max(1, digits.length - head.length - 4))}${digits.slice(-4)}`
}

/** `jane.doe@example.com` -> `j*******@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@')
  if (at <= 0) return '*'.repeat(value.length)
  return `${value[0]}${'*'.repeat(Math.max(1, at - 1))}${value.slice(at)}`
}

/**
 * Phone numbers appear in URLs (`/v1/phone-numbers/+44...`, `?to=`); mask digit runs in logs and
 * spans. Client tokens do too (`?token=vct_...`, `/verify/vct_...`): they are credentials, so they
 * are cut out.
 */
export function maskUrl(url: string): string {
  return (
    url
      .replace(/vct_[A-Za-z0-9_-]*/g, 'vct_***')
      // The digits only: the "2" of an encoded "+" (%2B) is not part of the number.
      .replace(/(%2B|\+)?(\d{6,})/gi, (_m, plus: string | undefined, digits: string) => {
        return `${plus ?? ''}${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`
      })
  )
}
