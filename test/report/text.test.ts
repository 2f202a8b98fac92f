// The terminal reporter: golden output with and without colour, ordering, masking, sections.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Finding } from '../../src/findings/types.js'
import { displayWidth, formatText, maskDeep, maskSecrets, secretMasker, severityRank, sortFindings } from '../../src/report/text.js'
import { LEAKED_PASSWORD, fixtureResult, range } from './fixture.js'
import { expectGolden } from './golden.js'

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g

describe('formatText', () => {
  it('matches the golden output without colour', () => {
    expectGolden('text.txt', formatText(fixtureResult(), { color: false }))
  })

  it('matches the golden output with colour', () => {
    expectGolden('text-color.txt', formatText(fixtureResult(), { color: true }))
  })

  it('emits no escape sequence without colour, and the same text once colour is stripped', () => {
    const plain = formatText(fixtureResult(), { color: false })
    const colored = formatText(fixtureResult(), { color: true })
    expect(plain).not.toMatch(ANSI)
    expect(colored).toMatch(ANSI)
    expect(colored.replace(ANSI, '')).toBe(plain)
  })

  it('colours severities red, yellow and blue, and positions gray', () => {
    const colored = formatText(fixtureResult(), { color: true })
    expect(colored).toContain('\u001b[31merror  \u001b[39m')
    expect(colored).toContain('\u001b[33mwarning\u001b[39m')
    expect(colored).toContain('\u001b[34mnotice \u001b[39m')
    expect(colored).toContain('\u001b[90minfra/secrets.yaml:9:3 ')
  })

  it('groups by file with a header, and lines read file:line:col  severity  message  rule-id', () => {
    const lines = formatText(fixtureResult(), { color: false }).split('\n')
    const header = lines.indexOf('apps/api/deployment.yaml')
    expect(header).toBeGreaterThanOrEqual(0)
    expect(lines[header + 1]).toMatch(/^ {2}apps\/api\/deployment\.yaml:31:18 {2}error {4}Deployment payments\/api container "api" .* {2}no-pull-secret$/)
    // Same position, lower severity: after the error, columns aligned.
    expect(lines[header + 3]).toMatch(/^ {2}apps\/api\/deployment\.yaml:31:18 {2}warning {2}Deployment payments\/api names .* {2}pull-secret-not-found$/)
    expect(lines[header + 3].indexOf('pull-secret-not-found')).toBe(lines[header + 1].indexOf('no-pull-secret'))
  })

  it('lists related locations under their finding', () => {
    const text = formatText(fixtureResult(), { color: false })
    expect(text).toContain('      ↳ infra/secrets.yaml:4:9  Secret shared/regcred, in namespace shared')
  })

  it('lists suppressed findings separately, with their reason, and not among the problems', () => {
    const text = formatText(fixtureResult(), { color: false })
    const [problems, rest] = text.split('Suppressed (1):')
    expect(problems).not.toContain('auth-only-registry')
    expect(rest).toContain("auth-only-registry  (suppressed by comment: pulled by the nodes' ECR role; tracked in OPS-142)")
  })

  it('dims the suppressed section when coloured', () => {
    const colored = formatText(fixtureResult(), { color: true })
    const line = colored.split('\n').find((l) => l.includes('OPS-142'))
    expect(line?.startsWith('\u001b[2m')).toBe(true)
    expect(line?.endsWith('\u001b[22m')).toBe(true)
  })

  it('lists unclassified images with where they are used and a configuration hint', () => {
    const text = formatText(fixtureResult(), { color: false })
    expect(text).toContain('2 unclassified images (not checked):')
    expect(text).toMatch(/ {2}docker\.io\/acme\/tools:latest {2}apps\/api\/deployment\.yaml:45\n/)
    expect(text).toMatch(/ {2}quay\.io\/vendor\/agent:3\.2 {5}apps\/web\/deployment\.yaml:44, \+1 more\n/)
    for (const option of ['private-registries', 'public-registries', 'node-credentials']) expect(text).toContain(`\`${option}\``)
  })

  it('lists the assumptions', () => {
    const text = formatText(fixtureResult(), { color: false })
    expect(text).toContain('Assumptions (what the results rest on):')
    expect(text).toContain('  • StatefulSet payments/ledger is assumed to pull')
  })

  it('ends with the totals line', () => {
    const lines = formatText(fixtureResult(), { color: false }).trimEnd().split('\n')
    expect(lines.at(-1)).toBe('✖ 7 problems (3 errors, 3 warnings, 1 notice), 1 suppressed · 5 images checked, 2 unclassified · 9 files')
  })

  it('says ✔ and uses singulars on a clean run', () => {
    const result = fixtureResult()
    result.findings = []
    result.images = []
    result.assumptions = []
    result.counts = { error: 0, warning: 0, notice: 0, suppressed: 0 }
    result.checkedImages = 1
    result.unclassifiedImages = 0
    result.stats.files = 1
    expect(formatText(result, { color: false })).toBe(
      '✔ 0 problems (0 errors, 0 warnings, 0 notices), 0 suppressed · 1 image checked, 0 unclassified · 1 file\n',
    )
    expect(formatText(result, { color: true })).toBe(
      '\u001b[1m\u001b[32m✔ 0 problems (0 errors, 0 warnings, 0 notices), 0 suppressed · 1 image checked, 0 unclassified · 1 file\u001b[39m\u001b[22m\n',
    )
  })

  it('prefixes displayed paths with cwdLabel', () => {
    const text = formatText(fixtureResult(), { color: false, cwdLabel: 'deploy/rendered/' })
    expect(text).toContain('\ndeploy/rendered/infra/secrets.yaml\n')
    expect(text).toContain('  deploy/rendered/infra/secrets.yaml:9:3  ')
    expect(formatText(fixtureResult(), { color: false, cwdLabel: '.' })).toBe(formatText(fixtureResult(), { color: false }))
  })

  it('masks every secret value, in messages, related messages and assumptions', () => {
    for (const color of [false, true]) {
      const text = formatText(fixtureResult(), { color })
      expect(text).not.toContain(LEAKED_PASSWORD)
      expect(text).toContain('password "***"')
      expect(text).toContain('The decoded auth "acme-bot:***"')
      expect(text).toContain('was decoded with password ***;')
    }
  })

  it('escapes control characters coming from manifests', () => {
    const result = fixtureResult()
    result.findings[0].message = 'image \u001b[2Jevil\u0007 here\nand there'
    const text = formatText(result, { color: false })
    expect(text).toContain('image \\x1b[2Jevil\\x07 here and there')
    expect(text).not.toContain('\u001b')
  })

  it('aligns the rule ids of messages with wide and combining characters, by the columns a terminal gives them', () => {
    const result = fixtureResult()
    const file = result.findings[0].location.file
    const names = ['宽字符名前宽字符名前', 'abcdefghijklmnopqrst', 'e\u0301'.repeat(20)]
    result.findings = names.map((name, i) => ({ ...structuredClone(result.findings[0]), message: `Pod app/${name} fails`, location: { file, range: range(i + 1, 3, 9) }, suppressed: undefined }))
    const lines = formatText(result, { color: false }).split('\n').filter((l) => l.includes(' fails '))
    expect(lines).toHaveLength(3)
    const ruleColumn = lines.map((l) => displayWidth(l.slice(0, l.lastIndexOf('  ') + 2)))
    expect(new Set(ruleColumn).size).toBe(1)
  })

  it('measures display width: wide characters two columns, combining marks and zero-width characters none', () => {
    expect(displayWidth('abc')).toBe(3)
    expect(displayWidth('宽字')).toBe(4)
    expect(displayWidth('e\u0301')).toBe(1)
    expect(displayWidth('a\u200bb')).toBe(2)
    expect(displayWidth('🙂x')).toBe(3)
    expect(displayWidth('한국')).toBe(4)
    expect(displayWidth('ｆｕｌｌ')).toBe(8)
  })

  it('does not depend on the order of the input', () => {
    const result = fixtureResult()
    const reversed = fixtureResult()
    reversed.findings.reverse()
    reversed.images.reverse()
    reversed.assumptions.reverse()
    expect(formatText(reversed, { color: true })).toBe(formatText(result, { color: true }))
  })
})

describe('sortFindings', () => {
  const finding = (file: string, line: number, column: number, severity: Finding['severity'], ruleId: string, message = 'm'): Finding => ({
    ruleId,
    severity,
    message,
    location: { file, range: range(line, column, column + 1) },
    related: [],
    fingerprint: `${file}:${line}:${column}:${ruleId}:${message}`,
  })

  it('orders by file, line, column, severity (most severe first), rule id, message', () => {
    const expected = [
      finding('a.yaml', 2, 1, 'notice', 'z'),
      finding('a.yaml', 10, 1, 'warning', 'z'),
      finding('a.yaml', 10, 3, 'error', 'z'),
      finding('a.yaml', 10, 3, 'warning', 'a'),
      finding('a.yaml', 10, 3, 'warning', 'b', 'a'),
      finding('a.yaml', 10, 3, 'warning', 'b', 'b'),
      finding('a.yaml', 10, 3, 'notice', 'a'),
      finding('b/a.yaml', 1, 1, 'error', 'a'),
      finding('b/b.yaml', 1, 1, 'error', 'a'),
      finding('ba.yaml', 1, 1, 'error', 'a'),
    ]
    const shuffled = [expected[5], expected[9], expected[0], expected[3], expected[8], expected[1], expected[6], expected[2], expected[7], expected[4]]
    expect(sortFindings(shuffled)).toEqual(expected)
    expect(shuffled[0]).toBe(expected[5])
  })

  it('sorts the fixture the same whatever the input order', () => {
    const findings = fixtureResult().findings
    const ids = sortFindings(findings).map((f) => f.fingerprint)
    expect(sortFindings([...findings].reverse()).map((f) => f.fingerprint)).toEqual(ids)
    expect(sortFindings(findings).map((f) => `${f.location.file}:${f.location.range.start.line}:${f.ruleId}`)).toEqual([
      'apps/api/deployment.yaml:31:no-pull-secret',
      'apps/api/deployment.yaml:31:pull-secret-not-found',
      'apps/web/deployment.yaml:24:pull-secret-in-other-namespace',
      'apps/web/deployment.yaml:25:pull-secret-empty-name',
      'charts/raw/broken.yaml:7:yaml-syntax-error',
      'infra/secrets.yaml:9:credentials-in-repo',
      'infra/secrets.yaml:22:unused-pull-secret',
      'jobs/backup-cronjob.yaml:18:auth-only-registry',
    ])
  })

  it('ranks severities error > warning > notice', () => {
    expect(severityRank('error')).toBeGreaterThan(severityRank('warning'))
    expect(severityRank('warning')).toBeGreaterThan(severityRank('notice'))
  })
})

describe('masking helpers', () => {
  it('masks longest values first and ignores blank ones', () => {
    expect(maskSecrets('token abc and abcdef', ['abc', 'abcdef', '', '  '])).toBe('token *** and ***')
    expect(maskSecrets('nothing to hide', [])).toBe('nothing to hide')
  })

  it('masks values deep inside JSON-like values, not their keys (the schema of the reports)', () => {
    const mask = secretMasker(['s3cret'])
    expect(maskDeep({ a: ['x s3cret y', 1, null, { s3cret: 's3cret' }], b: undefined }, mask)).toEqual({ a: ['x *** y', 1, null, { s3cret: '***' }] })
  })
})

describe('expectGolden', () => {
  const saved = process.env.UPDATE_GOLDEN
  afterEach(() => {
    if (saved === undefined) delete process.env.UPDATE_GOLDEN
    else process.env.UPDATE_GOLDEN = saved
  })

  it('fails when the golden file is missing, and UPDATE_GOLDEN=1 writes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullcheck-golden-'))
    try {
      delete process.env.UPDATE_GOLDEN
      expect(() => expectGolden('missing.txt', 'x', dir)).toThrow(/missing/)
      process.env.UPDATE_GOLDEN = '1'
      expectGolden('missing.txt', 'x', dir)
      delete process.env.UPDATE_GOLDEN
      expectGolden('missing.txt', 'x', dir)
      expect(() => expectGolden('missing.txt', 'y', dir)).toThrow()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
