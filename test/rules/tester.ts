// An eslint-RuleTester-like harness: valid/invalid tables of manifests, run through the pure core
// (analyzeSources), asserting the exact line and column of every finding of one rule.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { analyzeSources, type SourceInput } from '../../src/analyze.js'
import { defaultOptions, type Options } from '../../src/options.js'
import type { Finding, Severity } from '../../src/findings/types.js'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const RULE_FIXTURES = path.join(REPO_ROOT, 'fixtures/rules')

/** One expected finding: 1-based, end-exclusive, as in Finding.location.range. */
export interface Expected {
  line: number
  column: number
  endLine?: number
  endColumn?: number
  severity?: Severity
  /** A RegExp to match, or a substring the message must contain. */
  message?: RegExp | string
  /** The file of the finding, when the case has several. */
  file?: string
  /** The fix, exactly. */
  fix?: string
  /** The related locations, exactly and in order: message, file, and the start's line and column. */
  related?: { message: string; file: string; line: number; column: number }[]
}

export interface Case {
  name: string
  /**
   * Inline manifests (path → YAML or JSON text), or a path under fixtures/rules/<rule-id>/:
   * a file (`fires.yaml`) or a directory, whose .yaml/.yml/.json files are all read.
   */
  files: Record<string, string | Buffer> | string
  /** Merged over defaultOptions('/virtual'). */
  options?: Partial<Options>
  /**
   * Findings of the rule, not suppressed (invalid cases). Compared in file, line, column order;
   * give `file` on every entry when the findings span several files.
   */
  errors?: Expected[]
  /** Findings of the rule that a suppression silenced (kept, never dropped); none when absent. */
  suppressed?: Expected[]
}

export interface Tables {
  valid: Case[]
  invalid: Case[]
}

const MANIFEST = /\.(ya?ml|json)$/

function listManifests(dir: string, base = dir): string[] {
  const out: string[] = []
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...listManifests(p, base))
    else if (MANIFEST.test(e.name)) out.push(path.relative(base, p).split(path.sep).join('/'))
  }
  return out.sort()
}

/** The sources of a case; fixture paths are reported relative to fixtures/rules/<rule-id>/. */
export function loadCaseFiles(ruleId: string, files: Case['files']): SourceInput[] {
  if (typeof files !== 'string') return Object.entries(files).map(([p, text]) => ({ path: p, text }))
  const ruleDir = path.join(RULE_FIXTURES, ruleId)
  const target = path.join(ruleDir, files)
  if (!fs.existsSync(target)) throw new Error(`fixture ${path.relative(REPO_ROOT, target)} does not exist`)
  if (fs.statSync(target).isDirectory()) {
    return listManifests(target).map((rel) => ({ path: path.posix.join(files, rel), text: fs.readFileSync(path.join(target, rel), 'utf8') }))
  }
  return [{ path: files.split(path.sep).join('/'), text: fs.readFileSync(target, 'utf8') }]
}

export function caseOptions(options: Partial<Options> | undefined): Options {
  const base = defaultOptions('/virtual')
  return { ...base, ...options, rules: { ...base.rules, ...options?.rules } }
}

function byPosition(a: Finding, b: Finding): number {
  const fa = a.location.file
  const fb = b.location.file
  if (fa !== fb) return fa < fb ? -1 : 1
  const sa = a.location.range.start
  const sb = b.location.range.start
  return sa.line - sb.line || sa.column - sb.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
}

/** Every finding of `ruleId` for the case, sorted by file, line and column. */
export function runCase(ruleId: string, c: Pick<Case, 'files' | 'options'>): { active: Finding[]; suppressed: Finding[]; all: Finding[] } {
  const result = analyzeSources(loadCaseFiles(ruleId, c.files), caseOptions(c.options))
  const mine = result.findings.filter((f) => f.ruleId === ruleId).sort(byPosition)
  return { active: mine.filter((f) => !f.suppressed), suppressed: mine.filter((f) => f.suppressed), all: result.findings }
}

type Shown = Record<string, unknown>

/** The finding as the expectation sees it: only the fields the expectation names. */
function project(f: Finding, e: Expected | undefined, multiFile: boolean): Shown {
  const r = f.location.range
  const out: Shown = { line: r.start.line, column: r.start.column }
  if (e === undefined) {
    // No expectation for this one: show it whole, so the failure says what was found.
    return { ...(multiFile ? { file: f.location.file } : {}), ...out, endLine: r.end.line, endColumn: r.end.column, severity: f.severity, message: f.message }
  }
  if (e.file !== undefined) out.file = f.location.file
  if (e.endLine !== undefined) out.endLine = r.end.line
  if (e.endColumn !== undefined) out.endColumn = r.end.column
  if (e.severity !== undefined) out.severity = f.severity
  if (e.message !== undefined) out.message = f.message
  if (e.fix !== undefined) out.fix = f.fix
  if (e.related !== undefined) {
    out.related = f.related.map((rel) => ({ message: rel.message, file: rel.location.file, line: rel.location.range.start.line, column: rel.location.range.start.column }))
  }
  return out
}

function expectation(e: Expected): Shown {
  const out: Shown = { line: e.line, column: e.column }
  if (e.file !== undefined) out.file = e.file
  if (e.endLine !== undefined) out.endLine = e.endLine
  if (e.endColumn !== undefined) out.endColumn = e.endColumn
  if (e.severity !== undefined) out.severity = e.severity
  if (e.message !== undefined) out.message = typeof e.message === 'string' ? expect.stringContaining(e.message) : expect.stringMatching(e.message)
  if (e.fix !== undefined) out.fix = e.fix
  if (e.related !== undefined) out.related = e.related
  return out
}

function sortExpected(list: Expected[]): Expected[] {
  return [...list].sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : a.line - b.line || a.column - b.column))
}

function assertFindings(label: string, found: Finding[], wanted: Expected[]): void {
  const sorted = sortExpected(wanted)
  const multiFile = new Set(found.map((f) => f.location.file)).size > 1
  const actual = found.map((f, i) => project(f, sorted[i], multiFile))
  expect(actual, `${label}: ${found.length} found, ${sorted.length} expected`).toEqual(sorted.map(expectation))
}

/**
 * Declares one vitest test per case: `valid` cases must produce no finding of the rule,
 * `invalid` ones exactly the listed findings (count, line and column; the rest when given).
 */
export function ruleTester(ruleId: string, tables: Tables): void {
  describe(ruleId, () => {
    describe('valid', () => {
      for (const c of tables.valid) {
        it(c.name, () => {
          if (c.errors?.length) throw new Error(`valid case "${c.name}" lists errors; move it to invalid`)
          const { active, suppressed } = runCase(ruleId, c)
          assertFindings('findings', active, [])
          assertFindings('suppressed findings', suppressed, c.suppressed ?? [])
        })
      }
    })
    describe('invalid', () => {
      for (const c of tables.invalid) {
        it(c.name, () => {
          if (!c.errors?.length && !c.suppressed?.length) throw new Error(`invalid case "${c.name}" lists no errors`)
          const { active, suppressed } = runCase(ruleId, c)
          assertFindings('findings', active, c.errors ?? [])
          assertFindings('suppressed findings', suppressed, c.suppressed ?? [])
          for (const f of active) {
            expect(f.message.trim(), 'a message is one sentence').not.toBe('')
            expect(f.location.range.end.line * 1e6 + f.location.range.end.column).toBeGreaterThanOrEqual(f.location.range.start.line * 1e6 + f.location.range.start.column)
          }
        })
      }
    })
  })
}

/** `text` with `\n` line ends, the way fixtures are written inline (leading newline dropped). */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0]
  for (let i = 0; i < values.length; i++) out += String(values[i]) + strings[i + 1]
  out = out.replace(/^\n/, '')
  const indent = Math.min(...out.split('\n').filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length))
  return out
    .split('\n')
    .map((l) => l.slice(indent))
    .join('\n')
}
