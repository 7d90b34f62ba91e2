/**
 * @module Generates clients/typescript/src/schema.ts from the app's /openapi.json with
 * openapi-typescript, for the drift check in typescript-client.test.ts (which writes the file
 * instead under `npm run client:generate`).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import { buildApp } from '../../src/app.js'
import { buildTestDeps } from '../helpers/test-deps.js'

export const SCHEMA_FILE = fileURLToPath(new URL('../../clients/typescript/src/schema.ts', import.meta.url))

const HEADER = `/**
 * @module The verigate native API's types, generated from /openapi.json by openapi-typescript.
 * Do not edit: run \`npm run client:generate\` (the drift check in npm test fails while this file
 * and the server disagree).
 */
`

/** The types for the current server's OpenAPI document. */
export async function generateClientTypes(): Promise<string> {
  const ctx = await buildTestDeps()
  const app = await buildApp(ctx.deps, { docsUi: false })
  try {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' })
    const doc = res.json()
    const ast = await openapiTS(doc, { alphabetize: true })
    return `${HEADER}${astToString(ast)}`
  } finally {
    await app.close()
    await ctx.close()
  }
}

export function currentClientTypes(): string | undefined {
  try {
    return readFileSync(SCHEMA_FILE, 'utf8')
  } catch {
    return undefined
  }
}
