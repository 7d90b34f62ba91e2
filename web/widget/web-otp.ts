/**
 * @module WebOTP: on Android Chrome an SMS ending in `@domain #123456` fills the code after one tap.
 * Returns the undo (aborts the pending request), a no-op where the API is missing.
 */

interface OtpCredential extends Credential {
  readonly code: string
}

export function listenForWebOtp(onCode: (code: string) => void): () => void {
  if (!('OTPCredential' in window) || !navigator.credentials) return () => {}
  const controller = new AbortController()
  navigator.credentials
    .get({ otp: { transport: ['sms'] }, signal: controller.signal } as CredentialRequestOptions)
    .then((credential) => {
      const code = (credential as OtpCredential | null)?.code
      if (code && !controller.signal.aborted) onCode(code)
    })
    .catch(() => {
      // Aborted, denied or timed out: the person types or pastes the code instead.
    })
  return () => controller.abort()
}
