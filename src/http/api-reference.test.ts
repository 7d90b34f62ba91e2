/** The API reference's document: the app's OpenAPI plus the error catalog, the guides and examples. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../test/helpers/test-deps.js'
import { ERROR_CODES } from '../errors/codes.js'
import { asSection, referenceDocument, referenceIntro } from './api-reference.js'

describe('API reference document', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let doc: Record<string, unknown>
  beforeAll(async () => {
    t = await buildTestApp()
    await t.app.ready()
    doc = referenceDocument(t.app.swagger() as unknown as Record<string, unknown>)
  })
  afterAll(async () => t.close())

  it('the introduction carries every error code and the guides', () => {
    const description = String((doc.info as { description: string }).description)
    for (const code of Object.keys(ERROR_CODES)) expect(description, code).toContain(`\`${code}\``)
    expect(description).toContain('## Errors: the catalog')
    expect(description).toContain('## Guide: the widget and the hosted page')
    expect(description).toContain('### 4. The hosted page')
    expect(description).toContain('## Guide: webhooks')
  })

  it('every operation has a copyable curl and TypeScript example', () => {
    const paths = doc.paths as Record<
      string,
      Record<string, { 'x-codeSamples'?: { label: string; source: string }[] }>
    >
    let operations = 0
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
        operations++
        const samples = op['x-codeSamples'] ?? []
        expect(
          samples.map((s) => s.label),
          `${method} ${path}`,
        ).toEqual(['curl', 'TypeScript'])
        expect(samples[0]!.source).toContain(`curl -X ${method.toUpperCase()} "$VERIGATE_URL`)
        expect(samples[1]!.source).toContain('await fetch(`$' + '{base}')
      }
    }
    expect(operations).toBeGreaterThan(50)
    const start = paths['/v1/verifications']!.post!['x-codeSamples']!
    expect(start[0]!.source).toContain(`-d '{"service_id":"svc_...","to":"+447700900123"}'`)
    expect(start[1]!.source).toContain("method: 'POST'")
    const one = paths['/v1/services/{id}']!.get!['x-codeSamples']!
    expect(one[0]!.source).toContain('"$VERIGATE_URL/v1/services/$ID"')
    expect(one[1]!.source).toContain('`$' + '{base}/v1/services/$' + '{id}`')
  })

  it('a docs page becomes a section: its title dropped, headings one level down, sibling links as text', () => {
    const md =
      '# Title\n\nSee [the errors](errors.md) and [the web](https://example.com).\n\n## Part\n\n```sh\n# a comment\n```\n'
    expect(asSection(md, 'Guide: x')).toBe(
      '## Guide: x\nSee the errors and [the web](https://example.com).\n\n### Part\n\n```sh\n# a comment\n```\n',
    )
    expect(referenceIntro(() => undefined)).not.toContain('## Guide')
  })
})
