// The JSON reporter: golden output, shape, ordering, masking, pass/fail.
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { defaultOptions } from '../../src/options.js'
import { buildJsonReport, formatJson, jsonPieces, outcome } from '../../src/report/json.js'
import { LEAKED_PASSWORD, fixtureResult } from './fixture.js'
import { expectGolden } from './golden.js'

describe('formatJson', () => {
  it('matches the golden report', () => {
    expectGolden('report.json', formatJson(fixtureResult(), { toolVersion: '0.1.0', failOn: 'error' }))
  })

  it('has the documented top-level shape and never secretValues', () => {
    const report = JSON.parse(formatJson(fixtureResult(), { toolVersion: '1.2.3' }))
    expect(Object.keys(report)).toEqual(['tool', 'summary', 'findings', 'images', 'files', 'stats', 'assumptions'])
    expect(report.tool).toEqual({ name: 'pullcheck', version: '1.2.3' })
    expect(report.summary).toEqual({
      counts: { error: 3, warning: 3, notice: 1, suppressed: 1 },
      checkedImages: 5,
      unclassifiedImages: 2,
    })
    expect(JSON.stringify(report)).not.toMatch(/secretValues/)
  })

  it('includes suppressed findings, with their reason, in position order', () => {
    const report = buildJsonReport(fixtureResult(), { toolVersion: '0.1.0' })
    expect(report.findings).toHaveLength(8)
    expect(report.findings.at(-1)).toMatchObject({
      ruleId: 'auth-only-registry',
      suppressed: { reason: "pulled by the nodes' ECR role; tracked in OPS-142", by: 'comment' },
    })
    const positions = report.findings.map((f) => `${f.location.file}:${String(f.location.range.start.line).padStart(4, '0')}`)
    expect(positions).toEqual([...positions].sort())
  })

  it('classifies every image, sorted by reference, uses sorted by file', () => {
    const report = buildJsonReport(fixtureResult(), { toolVersion: '0.1.0' })
    const images = report.images.map((i) => i.image)
    expect(images).toEqual([...images].sort())
    expect(images).toHaveLength(8)
    const agent = report.images.find((i) => i.image === 'quay.io/vendor/agent:3.2')
    expect(agent?.uses.map((u) => u.file)).toEqual(['apps/web/deployment.yaml', 'jobs/backup-cronjob.yaml'])
    expect(report.files.map((f) => f.file)).toEqual([...report.files.map((f) => f.file)].sort())
  })

  it('lists a use repeated through YAML aliases once (a pod of 1,000 aliased containers, aliased 300 times)', () => {
    const containers = ['&c {name: c, image: ghcr.io/acme/x:1}', ...Array<string>(999).fill('*c')].join(', ')
    const text = `apiVersion: v1\nkind: List\nitems:\n- &p {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: app}, spec: {containers: [${containers}]}}\n` + '- *p\n'.repeat(299)
    const result = analyzeSources([{ path: 'pods.yaml', text }, { path: 'other.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  containers: [{name: c, image: ghcr.io/acme/x:1}, {name: d, image: ghcr.io/acme/x:1}]\n' }], defaultOptions('/virtual'))
    expect(result.stats.podSpecs).toBe(301)
    // The other file's two containers stay two uses: only a use equal to the one before is left out.
    expect(JSON.parse(formatJson(result, { toolVersion: 'x' })).images[0].uses).toEqual([
      { file: 'other.yaml', line: 5, workload: { kind: 'Pod', namespace: 'app', name: 'p' }, container: 'c' },
      { file: 'other.yaml', line: 5, workload: { kind: 'Pod', namespace: 'app', name: 'p' }, container: 'd' },
      { file: 'pods.yaml', line: 4, workload: { kind: 'Pod', namespace: 'app', name: 'p' }, container: 'c' },
    ])
  })

  it('is the same bytes whatever the input order', () => {
    const reversed = fixtureResult()
    reversed.findings.reverse()
    reversed.images.reverse()
    reversed.files.reverse()
    reversed.assumptions.reverse()
    for (const finding of reversed.findings) finding.related.reverse()
    expect(formatJson(reversed, { toolVersion: '0.1.0' })).toBe(formatJson(fixtureResult(), { toolVersion: '0.1.0' }))
  })

  it('is the same bytes whatever the key order of the input objects (in order, they are written without a copy)', () => {
    // Every object rebuilt with its keys reversed, and every image's uses reversed.
    const reversedKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversedKeys)
      if (value === null || typeof value !== 'object') return value
      return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]))
    }
    const shuffled = fixtureResult()
    shuffled.findings = shuffled.findings.map((f) => reversedKeys(f) as typeof f)
    shuffled.images = shuffled.images.map((i) => ({ ...(reversedKeys(i) as typeof i), uses: (reversedKeys(i.uses) as typeof i.uses).reverse() }))
    shuffled.files = shuffled.files.map((f) => reversedKeys(f) as typeof f)
    expect(Object.keys(shuffled.findings[0])[0]).not.toBe('ruleId')
    expect(formatJson(shuffled, { toolVersion: '0.1.0' })).toBe(formatJson(fixtureResult(), { toolVersion: '0.1.0' }))
  })

  it('writes the same text in pieces, each masked, whatever the piece size', () => {
    const whole = formatJson(fixtureResult(), { toolVersion: '0.1.0', failOn: 'error' })
    for (const size of [1, 7, 100, 4096]) {
      const pieces = [...jsonPieces(fixtureResult(), { toolVersion: '0.1.0', failOn: 'error' }, size)]
      expect(pieces.length).toBeGreaterThan(size < 4096 ? 10 : 0)
      expect(pieces.join('')).toBe(whole)
      for (const piece of pieces) expect(piece).not.toContain(LEAKED_PASSWORD)
    }
  })

  it('masks secret values everywhere', () => {
    const json = formatJson(fixtureResult(), { toolVersion: '0.1.0' })
    expect(json).not.toContain(LEAKED_PASSWORD)
    const report = JSON.parse(json)
    const leak = report.findings.find((f: { ruleId: string }) => f.ruleId === 'credentials-in-repo')
    expect(leak.message).toContain('password "***"')
    expect(leak.fix).toBe('Rotate *** and commit a SealedSecret instead.')
    expect(leak.related[0].message).toBe('The decoded auth "acme-bot:***"')
  })

  it('masks a secret even when JSON escaping would hide it from a textual search', () => {
    const result = fixtureResult()
    result.secretValues = ['pa"ss\\word']
    result.findings[0].message = 'leaks pa"ss\\word here'
    const json = formatJson(result, { toolVersion: '0.1.0' })
    expect(json).not.toContain(JSON.stringify('pa"ss\\word').slice(1, -1))
    expect(json).toContain('leaks *** here')
  })

  it('never masks the tool, the summary or the statistics: a password "fail" does not hide the verdict', () => {
    const result = fixtureResult()
    const opts = { toolVersion: '0.1.0', failOn: 'warning' as const }
    result.secretValues = ['fail', 'warning', '0.1.0']
    for (const json of [formatJson(result, opts), JSON.stringify(buildJsonReport(result, opts))]) {
      const report = JSON.parse(json) as { tool: { version: string }; summary: { result: string; failOn: string } }
      expect(report.tool.version).toBe('0.1.0')
      expect([report.summary.result, report.summary.failOn]).toEqual(['fail', 'warning'])
    }
    // A text that holds the password elsewhere is still masked.
    result.findings[0].message = 'a fail here'
    expect(formatJson(result, opts)).toContain('a *** here')
  })

  it('reports pass/fail against fail-on, ignoring suppressed findings', () => {
    const result = fixtureResult()
    expect(buildJsonReport(result, { toolVersion: '0', failOn: 'error' }).summary).toMatchObject({ failOn: 'error', result: 'fail' })
    expect(outcome(result.findings, 'never')).toBe('pass')
    const onlySuppressed = result.findings.filter((f) => f.suppressed)
    expect(outcome(onlySuppressed, 'notice')).toBe('pass')
    const warnings = result.findings.filter((f) => f.severity !== 'error')
    expect(outcome(warnings, 'error')).toBe('pass')
    expect(outcome(warnings, 'warning')).toBe('fail')
  })
})
