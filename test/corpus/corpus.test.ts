// The engine over the real corpus (../shared/corpus, 607 files kubectl accepts): no exception,
// every file accounted for, and a golden of counts by rule so that any change of behaviour shows.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { defaultOptions } from '../../src/options.js'
import type { AnalyzeResult } from '../../src/findings/types.js'
import { expectGolden } from '../report/golden.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const corpus = path.resolve(root, '../shared/corpus')
const goldenDir = path.join(root, 'test/corpus/__golden__')

function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.git') listFiles(p, out)
    } else if (/\.(ya?ml|json)$/.test(e.name)) out.push(path.relative(corpus, p).split(path.sep).join('/'))
  }
  return out
}

describe('the real corpus', () => {
  let result: AnalyzeResult
  beforeAll(async () => {
    if (!fs.existsSync(corpus)) throw new Error(`corpus not found at ${corpus}: shared/ must sit beside the repository`)
    result = await analyze(defaultOptions(corpus))
  })

  it('accounts for every file: parsed, skipped as non-Kubernetes, or a finding', () => {
    const onDisk = listFiles(corpus).sort()
    expect(onDisk.length).toBe(607)
    expect(result.files.map((f) => f.file).sort()).toEqual(onDisk)
    for (const f of result.files) {
      if (f.status === 'error') {
        expect(result.findings.some((x) => x.location.file === f.file && (x.ruleId === 'yaml-syntax-error' || x.ruleId === 'unrendered-template'))).toBe(true)
      } else if (f.status === 'skipped') {
        expect(f.reason, f.file).toBeTruthy()
      }
    }
  })

  it('parses every file that kubectl accepts', () => {
    expect(result.findings.filter((f) => f.ruleId === 'yaml-syntax-error')).toEqual([])
    expect(result.files.filter((f) => f.status === 'error')).toEqual([])
  })

  it('finds the objects SOURCES.md counts', () => {
    expect(result.stats.resources).toBe(2082)
    expect(result.stats.workloads).toBe(476)
  })

  it('points every finding at a real position inside its file', () => {
    for (const f of result.findings) {
      const text = fs.readFileSync(path.join(corpus, f.location.file), 'utf8')
      const lines = text.split('\n')
      const { start, end } = f.location.range
      expect(start.line, f.message).toBeGreaterThanOrEqual(1)
      expect(start.line, f.message).toBeLessThanOrEqual(lines.length)
      expect(start.column).toBeGreaterThanOrEqual(1)
      expect(end.line * 1e6 + end.column).toBeGreaterThanOrEqual(start.line * 1e6 + start.column)
      if (f.image) expect(lines[start.line - 1].slice(start.column - 1)).toContain(f.image.trim() === '' ? '' : f.image.split('\n')[0].slice(0, 20))
    }
  })

  it('matches the golden counts by rule', () => {
    const byRule: Record<string, number> = {}
    for (const f of result.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1
    const summary = {
      findingsByRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => (a < b ? -1 : 1))),
      counts: result.counts,
      files: result.stats.files,
      checkedImages: result.checkedImages,
      unclassifiedImages: result.unclassifiedImages,
      stats: result.stats,
    }
    expectGolden('counts.json', JSON.stringify(summary, null, 2) + '\n', goldenDir)
  })
})
