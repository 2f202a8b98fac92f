// The meta-test: every rule of the registry has its file, its doc section, its fixtures and its
// table test, with complete metadata; and the registry matches the rule ids of SPEC §6.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXTENSION_RULE_IDS, PROBE_RULE_IDS, RULES } from '../../src/rules/registry.js'
import type { Rule } from '../../src/rules/types.js'
import { REPO_ROOT, RULE_FIXTURES } from './tester.js'

/** SPEC §6, in its order: the public rule ids. */
const SPEC_RULE_IDS = [
  'no-pull-secret',
  'pull-secret-not-found',
  'pull-secret-in-other-namespace',
  'pull-secret-wrong-type',
  'pull-secret-malformed',
  'registry-not-covered',
  'service-account-not-found',
  'sa-pull-secrets-shadowed',
  'pull-secret-empty-name',
  'pull-secret-ref-extra-field',
  'invalid-image-reference',
  'auth-only-registry',
  'credentials-in-repo',
  'password-not-token',
  'unused-pull-secret',
  'yaml-syntax-error',
  'unrendered-template',
  'image-not-found',
  'registry-unauthorized',
  'registry-unreachable',
]

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
const SEVERITIES = ['error', 'warning', 'notice']
const DOCS = path.join(REPO_ROOT, 'docs/rules.md')

function read(file: string): string {
  return fs.readFileSync(file, 'utf8')
}

/** The text of `## <id>` up to the next `## ` heading, or undefined. */
function docSection(doc: string, id: string): string | undefined {
  const lines = doc.split('\n')
  const start = lines.findIndex((l) => l.trimEnd() === `## ${id}`)
  if (start === -1) return undefined
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((l) => l.startsWith('## '))
  return (end === -1 ? rest : rest.slice(0, end)).join('\n')
}

describe('SPEC §6 rule ids', () => {
  it('lists 20 distinct ids', () => {
    expect(SPEC_RULE_IDS).toHaveLength(20)
    expect(new Set(SPEC_RULE_IDS).size).toBe(20)
  })

  it('are each in the registry or among the probe rules', () => {
    const known = new Set<string>([...RULES.map((r) => r.meta.id), ...PROBE_RULE_IDS])
    expect(SPEC_RULE_IDS.filter((id) => !known.has(id))).toEqual([])
  })

  it('cover every rule of the registry and every probe rule (no id outside the spec but the listed extensions)', () => {
    const spec = new Set(SPEC_RULE_IDS)
    expect(RULES.map((r) => r.meta.id).filter((id) => !spec.has(id))).toEqual([...EXTENSION_RULE_IDS])
    expect(PROBE_RULE_IDS.filter((id) => !spec.has(id))).toEqual([])
  })

  it('probe rules are not registered as static rules', () => {
    const registered = new Set(RULES.map((r) => r.meta.id))
    expect(PROBE_RULE_IDS.filter((id) => registered.has(id))).toEqual([])
  })
})

describe('the rule registry', () => {
  it('has unique kebab-case ids', () => {
    const ids = RULES.map((r) => r.meta.id)
    expect(ids.filter((id) => !KEBAB.test(id))).toEqual([])
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
  })

  it('has no rule file that is not registered', () => {
    const dir = path.join(REPO_ROOT, 'src/rules')
    const ruleFiles = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && /^export const \w+: Rule\b/m.test(read(path.join(dir, f))))
      .map((f) => f.slice(0, -3))
    const registered = new Set(RULES.map((r) => r.meta.id))
    expect(ruleFiles.filter((f) => !registered.has(f))).toEqual([])
  })
})

describe('docs/rules.md', () => {
  it('exists, with an introduction and a table of contents linking every rule', () => {
    const doc = read(DOCS)
    expect(doc.startsWith('# ')).toBe(true)
    for (const r of RULES) expect(doc, r.meta.id).toContain(`(#${r.meta.id})`)
  })

  it('names the probe rules in a "Not yet implemented" section', () => {
    const doc = read(DOCS)
    const i = doc.search(/^## Not yet implemented\s*$/m)
    expect(i).toBeGreaterThan(-1)
    for (const id of PROBE_RULE_IDS) expect(doc.slice(i), id).toContain(`\`${id}\``)
  })

  it('has no section for a rule the registry lacks', () => {
    const doc = read(DOCS)
    const registered = new Set(RULES.map((r) => r.meta.id))
    const headings = [...doc.matchAll(/^## ([a-z0-9-]+)\s*$/gm)].map((m) => m[1])
    expect(headings.filter((h) => !registered.has(h))).toEqual([])
  })
})

function checkRule(rule: Rule): void {
  const { id } = rule.meta

  it(`src/rules/${id}.ts exists and exports the registered rule`, async () => {
    const file = path.join(REPO_ROOT, 'src/rules', `${id}.ts`)
    expect(fs.existsSync(file)).toBe(true)
    const mod = (await import(file)) as Record<string, unknown>
    expect(Object.values(mod)).toContain(rule)
  })

  it('has complete metadata', () => {
    const m = rule.meta
    expect(m.id).toMatch(KEBAB)
    expect(SEVERITIES).toContain(m.severity)
    for (const field of ['description', 'rationale', 'remediation', 'example'] as const) {
      expect(typeof m[field], field).toBe('string')
      expect(m[field].trim(), field).not.toBe('')
    }
    expect(m.description, 'the description is one line').not.toMatch(/\n/)
    expect(m.description.length, 'the description fits a table cell').toBeLessThanOrEqual(200)
  })

  it(`docs/rules.md has "## ${id}" with severity, What, Why, How to fix and Example`, () => {
    const section = docSection(read(DOCS), id)
    expect(section, `## ${id} missing`).toBeDefined()
    const s = section ?? ''
    expect(s).toMatch(new RegExp(`Default severity: \\*\\*${rule.meta.severity}\\*\\*`))
    for (const part of ['**What**', '**Why**', '**How to fix**', '**Example**']) expect(s, part).toContain(part)
    expect(s, 'a failing and a fixed example').toMatch(/```yaml[\s\S]*```[\s\S]*```yaml[\s\S]*```/)
  })

  it(`fixtures/rules/${id}/ has fires.yaml and passes.yaml`, () => {
    for (const f of ['fires.yaml', 'passes.yaml']) expect(fs.existsSync(path.join(RULE_FIXTURES, id, f)), f).toBe(true)
  })

  it(`test/rules/${id}.test.ts is a table test over both fixtures`, () => {
    const file = path.join(REPO_ROOT, 'test/rules', `${id}.test.ts`)
    expect(fs.existsSync(file)).toBe(true)
    const text = read(file)
    expect(text).toContain(`ruleTester('${id}'`)
    expect(text).toContain(`'fires.yaml'`)
    expect(text).toContain(`'passes.yaml'`)
  })
}

describe('every registered rule', () => {
  for (const rule of RULES) describe(rule.meta.id, () => checkRule(rule))
})
