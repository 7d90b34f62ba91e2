/** @module The HTTP client type injected into adapters (the global `fetch` signature, named once). */

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export const globalFetch: FetchFn = (input, init) => fetch(input, init)
