/**
 * @module The service's brand as an SMS sender ID. People trust (and their phones file) a message
 * from "Acme" rather than from a short code or a stranger's number, so a route may send under the
 * brand in the countries its operator allows. What a carrier accepts as an alphanumeric sender is
 * narrow (GSM 03.40: up to 11 characters; carriers take letters, digits and spaces), so the brand is
 * reduced to that; a brand that reduces to nothing usable falls back to the route's own sender.
 */

/**
 * Countries whose networks do not deliver alphanumeric senders at all (a message needs a number
 * there). A route listing `*` still sends from its number in these, whatever its settings say.
 */
const NO_ALPHANUMERIC_SENDER: ReadonlySet<string> = new Set(['US', 'CA', 'PR', 'CN'])

/** Alphanumeric sender IDs are at most 11 characters (GSM 03.40 TP-OA, 7-bit packed). */
export const MAX_ALPHANUMERIC_SENDER = 11

/**
 * The brand as an alphanumeric sender ID, or undefined when it cannot be one: accents dropped,
 * anything but ASCII letters, digits and spaces removed, at most 11 characters, at least one letter
 * (an all-digit sender reads as a phone number and is refused by carriers). A longer brand is cut
 * at a word boundary when one leaves something ("Acme Exchange" -> "Acme", not "Acme Exchan").
 */
export function alphanumericSender(brand: string): string | undefined {
  const ascii = brand
    .normalize('NFKD')
    .replaceAll(/[^A-Za-z0-9 ]+/g, '')
    .replaceAll(/\s+/g, ' ')
    .trim()
  let cut = ascii.slice(0, MAX_ALPHANUMERIC_SENDER)
  if (ascii.length > MAX_ALPHANUMERIC_SENDER && ascii[MAX_ALPHANUMERIC_SENDER] !== ' ' && cut.includes(' '))
    cut = cut.slice(0, cut.lastIndexOf(' '))
  cut = cut.trim()
  return /[A-Za-z]/.test(cut) ? cut : undefined
}

/** Whether a route whose `brandSender` lists these countries may send under the brand to `country`. */
export function brandSenderAllowed(allowed: readonly string[], country: string | null): boolean {
  if (!country || NO_ALPHANUMERIC_SENDER.has(country)) return false
  return allowed.includes('*') || allowed.includes(country)
}
