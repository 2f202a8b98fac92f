// The SARIF reporter: golden output, validation against the SARIF 2.1.0 JSON schema, and the
// requirements of GitHub code scanning checked directly.
//
// sarif-schema-2.1.0.json is vendored byte for byte from the npm tarball of
// @datadog/datadog-ci-plugin-sarif@3.21.4 (package/dist/json-schema/sarif-schema-2.1.0.json,
// tarball integrity sha512-gzIzTh9NfiTEQA5+1djHnmzuWIPJSDbPM5X3a8rVj2O7yMGhJTdaHSrXf+w3exABaTgLgYKO/1SXQTA9sKbjkA==;
// @datadog/datadog-ci@2.48.0 ships the identical file). It is the OASIS SARIF 2.1.0 schema
// (draft-07, $id https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json).
// No npm package ships the schema on its own, and installing that CLI plugin (axios, simple-git
// and a peer dependency) for one test file would be out of proportion. The hash below keeps it unedited.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import { beforeAll, describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import type { Finding } from '../../src/findings/types.js'
import { defaultOptions } from '../../src/options.js'
import { formatSarif, pascalCase, SARIF_MAX_RESULTS, sarifString, type SarifLog } from '../../src/report/sarif.js'
import { severityRank } from '../../src/report/text.js'
import { LEAKED_PASSWORD, RULES, fixtureResult, range } from './fixture.js'
import { expectGolden } from './golden.js'

const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), 'sarif-schema-2.1.0.json')
const SCHEMA_SHA256 = '10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454'

/** The formats the schema uses, checked as RFC 3986 / RFC 3339 ask (ajv-formats is not a dependency). */
function addFormats(ajv: Ajv): void {
  ajv.addFormat('uri', (value: string) => {
    try {
      return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && new URL(value).href !== ''
    } catch {
      return false
    }
  })
  ajv.addFormat('uri-reference', (value: string) => {
    try {
      // eslint-disable-next-line no-control-regex
      return !/[\s\u0000-\u001f<>"{}|\\^`]/.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value) && new URL(value, 'file:///base/').href !== ''
    } catch {
      return false
    }
  })
  ajv.addFormat('date-time', (value: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value)),
  )
}

let validate: ValidateFunction

beforeAll(() => {
  const text = readFileSync(SCHEMA_FILE, 'utf8')
  expect(createHash('sha256').update(text).digest('hex')).toBe(SCHEMA_SHA256)
  const ajv = new Ajv({ allErrors: true })
  addFormats(ajv)
  validate = ajv.compile(JSON.parse(text))
})

function expectValid(log: unknown): void {
  const ok = validate(log)
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([])
  expect(ok).toBe(true)
}

const OPTS = { toolVersion: '0.1.0' }

describe('formatSarif', () => {
  it('matches the golden SARIF log', () => {
    expectGolden('report.sarif', sarifString(fixtureResult(), OPTS))
  })

  it('is valid against the SARIF 2.1.0 schema', () => {
    expectValid(formatSarif(fixtureResult(), OPTS))
    expectValid(JSON.parse(sarifString(fixtureResult(), { ...OPTS, informationUri: 'https://example.com/pullcheck', repoPathPrefix: 'deploy/my dir' })))
  })

  it('is valid with no findings at all', () => {
    const result = fixtureResult()
    result.findings = []
    expectValid(formatSarif(result, OPTS))
  })

  it('the schema rejects a broken log (the validator is not vacuous)', () => {
    const log = formatSarif(fixtureResult(), OPTS) as unknown as { runs: { results: { level: string }[] }[] }
    log.runs[0].results[0].level = 'notice'
    expect(validate(log)).toBe(false)
  })

  it('meets the requirements of GitHub code scanning', () => {
    const log = formatSarif(fixtureResult(), OPTS)
    expect(log.version).toBe('2.1.0')
    expect(log.runs).toHaveLength(1)
    const run = log.runs[0]
    const rules = run.tool.driver.rules
    expect(run.tool.driver.name).toBe('pullcheck')
    expect(run.tool.driver.semanticVersion).toBe('0.1.0')
    expect(run.results).toHaveLength(8)
    for (const result of run.results) {
      expect(rules[result.ruleIndex].id).toBe(result.ruleId)
      expect(['error', 'warning', 'note']).toContain(result.level)
      expect(result.message.text.length).toBeGreaterThan(0)
      expect(result.partialFingerprints['pullcheck/v1']).toBeTruthy()
      const { artifactLocation, region } = result.locations[0].physicalLocation
      expect(artifactLocation.uriBaseId).toBe('%SRCROOT%')
      expect(artifactLocation.uri).not.toMatch(/^\/|^[a-z]+:|\\/i)
      expect(region.startLine).toBeGreaterThanOrEqual(1)
      expect(region.startColumn).toBeGreaterThanOrEqual(1)
      for (const related of result.relatedLocations ?? []) expect(related.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1)
    }
    expect(run.originalUriBaseIds['%SRCROOT%']).toBeDefined()
  })

  it('describes every rule with help, a help URI, a default level and tags, sorted by id', () => {
    const rules = formatSarif(fixtureResult(), OPTS).runs[0].tool.driver.rules
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id).sort())
    const notFound = rules.find((r) => r.id === 'pull-secret-not-found')
    expect(notFound).toMatchObject({
      name: 'PullSecretNotFound',
      shortDescription: { text: "An effective pull secret does not exist in the pod's namespace." },
      helpUri: 'https://github.com/pullcheck/pullcheck/blob/main/docs/rules.md#pull-secret-not-found',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['image-pull-secrets', 'kubernetes'] },
    })
    expect(notFound?.help.text).toContain('How to fix: Create the Secret')
    expect(notFound?.help.markdown).toContain('**How to fix:** Create the Secret')
    expect(rules.find((r) => r.id === 'unused-pull-secret')?.defaultConfiguration.level).toBe('note')
    expect(pascalCase('sa-pull-secrets-shadowed')).toBe('SaPullSecretsShadowed')
  })

  it('maps levels, regions (1-based, end-exclusive), related locations and suppressions', () => {
    const results = formatSarif(fixtureResult(), OPTS).runs[0].results
    const other = results.find((r) => r.ruleId === 'pull-secret-in-other-namespace')
    expect(other?.level).toBe('error')
    expect(other?.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'apps/web/deployment.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 24, startColumn: 19, endLine: 24, endColumn: 26 },
    })
    expect(other?.relatedLocations?.map((r) => [r.id, r.message.text, r.physicalLocation.artifactLocation.uri])).toEqual([
      [1, 'ServiceAccount shop/default (implicit)', 'apps/web/deployment.yaml'],
      [2, 'Secret shared/regcred, in namespace shared', 'infra/secrets.yaml'],
    ])
    expect(results.find((r) => r.ruleId === 'unused-pull-secret')?.level).toBe('note')
    const suppressed = results.filter((r) => r.suppressions)
    expect(suppressed).toHaveLength(1)
    expect(suppressed[0]).toMatchObject({
      ruleId: 'auth-only-registry',
      suppressions: [{ kind: 'inSource', justification: "pulled by the nodes' ECR role; tracked in OPS-142" }],
    })
  })

  it('drops an inverted end and clamps positions below 1', () => {
    const result = fixtureResult()
    result.findings = [{ ...result.findings[0], location: { file: 'a.yaml', range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } } }]
    expect(formatSarif(result, OPTS).runs[0].results[0].locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1 })
  })

  it('prefixes and percent-encodes artifact URIs', () => {
    const result = fixtureResult()
    result.findings = [{ ...result.findings[0], location: { file: 'c:odd/a #1?.yaml', range: range(3, 1, 5) } }]
    const log = formatSarif(result, { ...OPTS, repoPathPrefix: './deploy/out/' })
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/out/c%3Aodd/a%20%231%3F.yaml')
    const bare = formatSarif(result, OPTS)
    expect(bare.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('c%3Aodd/a%20%231%3F.yaml')
    expectValid(log)
  })

  it('gives a finding whose rule is not in result.rules a descriptor anyway', () => {
    const result = fixtureResult()
    result.rules = result.rules.filter((r) => r.id !== 'yaml-syntax-error')
    const run = formatSarif(result, OPTS).runs[0]
    const broken = run.results.find((r) => r.ruleId === 'yaml-syntax-error')
    expect(broken && run.tool.driver.rules[broken.ruleIndex].id).toBe('yaml-syntax-error')
    expectValid({ ...formatSarif(result, OPTS) })
  })

  it('omits semanticVersion when the version is not semver', () => {
    const log: SarifLog = formatSarif(fixtureResult(), { toolVersion: 'dev-abc123' })
    expect(log.runs[0].tool.driver.version).toBe('dev-abc123')
    expect(log.runs[0].tool.driver.semanticVersion).toBeUndefined()
  })

  it('masks secret values', () => {
    const text = sarifString(fixtureResult(), OPTS)
    expect(text).not.toContain(LEAKED_PASSWORD)
    expect(text).toContain('password \\"***\\"')
  })

  it('keeps the 25,000 most important results, GitHub code scanning\'s limit per run, and says how many it left out', () => {
    const result = fixtureResult()
    const [error, , , warning] = [...result.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
    const make = (base: Finding, i: number, extra: Partial<Finding> = {}): Finding => ({ ...structuredClone(base), location: { file: `f/${String(i).padStart(6, '0')}.yaml`, range: range(3, 5, 9) }, fingerprint: `x${i}`, ...extra })
    // Warnings first by file, errors last, and suppressed errors: the errors must be the ones kept.
    result.findings = [
      ...Array.from({ length: 10_000 }, (_, i) => make(warning, i)),
      ...Array.from({ length: 20_000 }, (_, i) => make(error, 10_000 + i)),
      ...Array.from({ length: 1_000 }, (_, i) => make(error, 30_000 + i, { suppressed: { reason: 'r', by: 'comment' } })),
    ]
    expect(warning.severity).toBe('warning')
    const log = formatSarif(result, OPTS)
    const run = log.runs[0]
    expect(run.results).toHaveLength(SARIF_MAX_RESULTS)
    expect(run.results.filter((r) => r.level === 'error' && !r.suppressions)).toHaveLength(20_000)
    expect(run.results.filter((r) => r.level === 'warning')).toHaveLength(5_000)
    expect(run.results.filter((r) => r.suppressions)).toHaveLength(0)
    // In the usual order: by file.
    const uris = run.results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri)
    expect(uris).toEqual([...uris].sort())
    expect(run.properties.omittedResults).toBe(6_000)
    expect(run.invocations?.[0].toolExecutionNotifications[0].message.text).toMatch(/^6000 of 31000 findings are left out: GitHub code scanning takes at most 25000 results per run/)
    expectValid(log)
    // Under the limit, nothing of the sort.
    expect(formatSarif(fixtureResult(), OPTS).runs[0]).not.toHaveProperty('invocations')
  })

  it('does not depend on the order of the input', () => {
    const reversed = fixtureResult()
    reversed.findings.reverse()
    reversed.rules.reverse()
    reversed.assumptions.reverse()
    for (const finding of reversed.findings) finding.related.reverse()
    expect(sarifString(reversed, OPTS)).toBe(sarifString(fixtureResult(), OPTS))
  })
})

describe('SARIF masking', () => {
  it('leaves the values code scanning reads alone when a password is one of them (2.1.0, %SRCROOT%)', () => {
    const result = fixtureResult()
    result.secretValues = ['2.1.0', '%SRCROOT%', 'inSource']
    const log = JSON.parse(sarifString(result, { toolVersion: '0.1.0' })) as SarifLog & { $schema: string }
    expect(log.version).toBe('2.1.0')
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json')
    expect(JSON.stringify(log)).toContain('"uriBaseId":"%SRCROOT%"')
  })
})

describe('SARIF rules configured', () => {
  it('gives a rule the severity the configuration sets as its default level, as its results have it', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: app}\nspec:\n  containers: [{name: web, image: ghcr.io/acme/web:1}]\n'
    const options = { ...defaultOptions('/virtual'), privateRegistries: ['ghcr.io'], rules: { 'no-pull-secret': 'notice' as const, 'unused-pull-secret': 'off' as const } }
    const log = formatSarif(analyzeSources([{ path: 'pod.yaml', text: pod }], options), OPTS)
    const rules = log.runs[0].tool.driver.rules
    expect(rules.find((r) => r.id === 'no-pull-secret')?.defaultConfiguration.level).toBe('note')
    expect(rules.find((r) => r.id === 'pull-secret-not-found')?.defaultConfiguration.level).toBe('error')
    expect(rules.some((r) => r.id === 'unused-pull-secret')).toBe(false)
    expect(log.runs[0].results.map((r) => [r.ruleId, r.level])).toEqual([['no-pull-secret', 'note']])
  })
})
