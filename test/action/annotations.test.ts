// The annotation plan: order, the per-level budget of a step, the overflow notice, the exact
// workflow-command lines, the check-run annotations and the log lines.
import { describe, expect, it } from 'vitest'
import type { Finding, Severity } from '../../src/findings/types.js'
import {
  ANNOTATIONS_PER_LEVEL,
  annotationCommand,
  checkRunAnnotations,
  cutToUtf8Bytes,
  formatWorkflowCommands,
  logLines,
  overflowNotice,
  planAnnotations,
  toAnnotation,
} from '../../src/report/annotations.js'
import { secretMasker } from '../../src/report/text.js'
import { LEAKED_PASSWORD, fixtureResult } from '../report/fixture.js'

function finding(severity: Severity, file: string, line: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: severity === 'error' ? 'no-pull-secret' : severity === 'warning' ? 'credentials-in-repo' : 'unused-pull-secret',
    severity,
    message: `${severity} at ${file}:${line}; fix it.`,
    location: { file, range: { start: { line, column: 5 }, end: { line, column: 12 } } },
    related: [],
    fingerprint: `${severity}-${file}-${line}`,
    ...extra,
  }
}

function many(severity: Severity, n: number, file = 'a.yaml'): Finding[] {
  return Array.from({ length: n }, (_, i) => finding(severity, file, i + 1))
}

const where = (f: { level?: string; properties?: { file: string; startLine: number } }) => `${f.level}:${f.properties?.file}:${f.properties?.startLine}`

describe('planAnnotations', () => {
  it('annotates everything, errors first, then by file and line, when under the limits', () => {
    const findings = [
      finding('notice', 'b.yaml', 3),
      finding('warning', 'a.yaml', 9),
      finding('error', 'b.yaml', 1),
      finding('error', 'a.yaml', 20),
      finding('warning', 'a.yaml', 2),
    ]
    const plan = planAnnotations(findings)
    expect(plan.annotations.map(where)).toEqual([
      'error:a.yaml:20',
      'error:b.yaml:1',
      'warning:a.yaml:2',
      'warning:a.yaml:9',
      'notice:b.yaml:3',
    ])
    expect(plan.notAnnotated).toEqual([])
  })

  it('leaves suppressed findings out and does not count them as not annotated', () => {
    const suppressed = finding('error', 'a.yaml', 1, { suppressed: { reason: 'known', by: 'comment' } })
    const plan = planAnnotations([suppressed, finding('error', 'a.yaml', 2)])
    expect(plan.annotations.map(where)).toEqual(['error:a.yaml:2'])
    expect(plan.notAnnotated).toEqual([])
  })

  it('keeps at most 10 per level and one notice slot for the overflow notice', () => {
    const plan = planAnnotations([...many('error', 12), ...many('warning', 10, 'w.yaml'), ...many('notice', 10, 'n.yaml')])
    const count = (level: Severity) => plan.annotations.filter((a) => a.level === level).length
    expect(ANNOTATIONS_PER_LEVEL).toBe(10)
    expect([count('error'), count('warning'), count('notice')]).toEqual([10, 10, 9])
    // The most important are kept: the first lines of each level.
    expect(plan.annotations.filter((a) => a.level === 'error').map((a) => a.properties.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(plan.notAnnotated.map((f) => `${f.severity}:${f.location.range.start.line}`)).toEqual(['error:11', 'error:12', 'notice:10'])
  })

  it('does not reserve the notice slot when nothing is left out', () => {
    const plan = planAnnotations(many('notice', 10))
    expect(plan.annotations).toHaveLength(10)
    expect(plan.notAnnotated).toEqual([])
  })

  it('reserves the slot only when the notices themselves overflow', () => {
    const plan = planAnnotations(many('notice', 11))
    expect(plan.annotations).toHaveLength(9)
    expect(plan.notAnnotated).toHaveLength(2)
  })

  it('subtracts reserved slots (the ::error:: of setFailed, notices about the run)', () => {
    const plan = planAnnotations([...many('error', 10), ...many('notice', 3, 'n.yaml')], { reserved: { error: 1, notice: 8 } })
    expect(plan.annotations.filter((a) => a.level === 'error')).toHaveLength(9)
    // 10 - 8 reserved - 1 for the overflow notice.
    expect(plan.annotations.filter((a) => a.level === 'notice')).toHaveLength(1)
    expect(plan.notAnnotated).toHaveLength(3)
  })

  it('masks secret values in the message', () => {
    const result = fixtureResult()
    const plan = planAnnotations(result.findings, { mask: secretMasker(result.secretValues) })
    const text = JSON.stringify(plan)
    expect(plan.annotations.some((a) => a.message.includes('***'))).toBe(true)
    expect(text.includes(LEAKED_PASSWORD)).toBe(false)
  })
})

describe('toAnnotation and annotationCommand', () => {
  it('gives file, lines, columns and the rule id as title', () => {
    const a = toAnnotation(finding('error', 'fixtures/demo/40-failing.yaml', 16))
    expect(a).toEqual({
      level: 'error',
      message: 'error at fixtures/demo/40-failing.yaml:16; fix it.',
      properties: { file: 'fixtures/demo/40-failing.yaml', startLine: 16, endLine: 16, startColumn: 5, endColumn: 12, title: 'no-pull-secret' },
    })
    expect(annotationCommand(a)).toBe(
      '::error file=fixtures/demo/40-failing.yaml,line=16,endLine=16,col=5,endColumn=12,title=no-pull-secret::error at fixtures/demo/40-failing.yaml:16; fix it.',
    )
  })

  it('drops the columns of a multi-line range (GitHub ignores them)', () => {
    const f = finding('warning', 'a.yaml', 3, { location: { file: 'a.yaml', range: { start: { line: 3, column: 7 }, end: { line: 5, column: 2 } } } })
    expect(annotationCommand(toAnnotation(f))).toBe('::warning file=a.yaml,line=3,endLine=5,title=credentials-in-repo::warning at a.yaml:3; fix it.')
  })

  it('escapes properties and data as the runner parses them', () => {
    const f = finding('notice', 'dir,x/a:b%.yaml', 1, { message: 'two\nlines, 100% sure: yes\r' })
    expect(annotationCommand(toAnnotation(f))).toBe(
      '::notice file=dir%2Cx/a%3Ab%25.yaml,line=1,endLine=1,col=5,endColumn=12,title=unused-pull-secret::two%0Alines, 100%25 sure: yes%0D',
    )
  })
})

describe('overflowNotice', () => {
  it('says nothing when every finding was annotated', () => {
    expect(overflowNotice([], { summary: true })).toBeUndefined()
  })

  it('counts by level and names every place the findings are', () => {
    const left = [...many('error', 3), ...many('notice', 1)]
    expect(
      overflowNotice(left, {
        checkRun: { url: 'https://github.com/acme/deploy/runs/42' },
        summary: true,
        sarifFile: 'out/pullcheck.sarif',
        reportFile: 'out/report.json',
        log: true,
      }),
    ).toBe(
      'pullcheck: 4 findings (3 errors, 1 notice) are not annotated because GitHub shows at most 10 annotations of each level per step; ' +
        'they are annotated in the check run "pullcheck" (https://github.com/acme/deploy/runs/42), and every finding is in the job summary, the SARIF file out/pullcheck.sarif, ' +
        'the JSON report out/report.json and the step log.',
    )
  })

  it('names the check run alone when it is the only other place', () => {
    expect(overflowNotice(many('error', 2), { checkRun: {} })).toBe(
      'pullcheck: 2 findings (2 errors) are not annotated because GitHub shows at most 10 annotations of each level per step; they are annotated in the check run "pullcheck".',
    )
  })

  it('suggests a file when there is nowhere else', () => {
    expect(overflowNotice(many('warning', 1), {})).toBe(
      'pullcheck: 1 finding (1 warning) is not annotated because GitHub shows at most 10 annotations of each level per step; set sarif-file or report-file to get them all.',
    )
  })
})

describe('checkRunAnnotations', () => {
  it('maps every unsuppressed finding, most important first, with Checks API levels', () => {
    const multi = finding('warning', 'b.yaml', 4, { location: { file: 'b.yaml', range: { start: { line: 4, column: 1 }, end: { line: 6, column: 3 } } } })
    const suppressed = finding('error', 'c.yaml', 1, { suppressed: { reason: 'r', by: 'annotation' } })
    expect(checkRunAnnotations([finding('notice', 'a.yaml', 1), multi, finding('error', 'z.yaml', 9), suppressed])).toEqual([
      { path: 'z.yaml', start_line: 9, end_line: 9, start_column: 5, end_column: 12, annotation_level: 'failure', message: 'error at z.yaml:9; fix it.', title: 'no-pull-secret' },
      { path: 'b.yaml', start_line: 4, end_line: 6, annotation_level: 'warning', message: 'warning at b.yaml:4; fix it.', title: 'credentials-in-repo' },
      { path: 'a.yaml', start_line: 1, end_line: 1, start_column: 5, end_column: 12, annotation_level: 'notice', message: 'notice at a.yaml:1; fix it.', title: 'unused-pull-secret' },
    ])
  })

  it('masks secret values', () => {
    const result = fixtureResult()
    expect(JSON.stringify(checkRunAnnotations(result.findings, secretMasker(result.secretValues)))).not.toContain(LEAKED_PASSWORD)
  })

  it('cuts a message to 64 KB of UTF-8, as the Checks API counts it, not of UTF-16 units', () => {
    // 30,000 characters of 3 bytes: 90,000 bytes, though only 30,000 UTF-16 units.
    const [a] = checkRunAnnotations([finding('error', 'a.yaml', 1, { message: '€'.repeat(30_000) })])
    expect(Buffer.byteLength(a.message)).toBe(65_535)
    expect(a.message).toBe('€'.repeat(21_844) + '…')
    const [short] = checkRunAnnotations([finding('error', 'a.yaml', 1, { message: '€'.repeat(21_845) })])
    expect(short.message).toBe('€'.repeat(21_845))
  })
})

describe('cutToUtf8Bytes', () => {
  it('keeps a text that fits, and cuts one that does not between whole characters', () => {
    expect(cutToUtf8Bytes('abc', 3)).toBe('abc')
    expect(cutToUtf8Bytes('abcd', 4)).toBe('abcd')
    expect(cutToUtf8Bytes('abcde', 4)).toBe('a…')
    // A 4-byte character (a surrogate pair) is never split.
    expect(cutToUtf8Bytes('ab😀cd', 8)).toBe('ab😀cd')
    expect(cutToUtf8Bytes('ab😀cd', 7)).toBe('ab…')
    expect(cutToUtf8Bytes('ab😀cdef', 9)).toBe('ab😀…')
    expect(Buffer.byteLength(cutToUtf8Bytes('é'.repeat(100), 51))).toBeLessThanOrEqual(51)
  })
})

describe('formatWorkflowCommands (--format github)', () => {
  it('plans as the action does: 10 of a level, one notice saying where the rest is, then the rest; the suppressed listed', () => {
    const findings = [...many('error', 12), ...many('notice', 10, 'n.yaml'), finding('warning', 's.yaml', 4, { suppressed: { reason: 'mirror', by: 'comment' } })]
    const lines = formatWorkflowCommands(findings, undefined, { log: true, reportFile: 'out/r.json' }).split('\n')
    expect(lines.map((l) => /^(::\w+|suppressed)(?: file=([^,]+),line=(\d+))?/.exec(l)?.slice(1).filter(Boolean).join(':'))).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `::error:a.yaml:${i + 1}`),
      // One notice slot is the overflow notice's.
      ...Array.from({ length: 9 }, (_, i) => `::notice:n.yaml:${i + 1}`),
      '::notice',
      '::error:a.yaml:11',
      '::error:a.yaml:12',
      '::notice:n.yaml:10',
      'suppressed',
    ])
    expect(lines[19]).toBe(
      '::notice::pullcheck: 3 findings (2 errors, 1 notice) are not annotated because GitHub shows at most 10 annotations of each level per step; every finding is in the JSON report out/r.json and the step log.',
    )
    expect(lines[23]).toBe('suppressed  s.yaml:4:5  credentials-in-repo  warning at s.yaml:4; fix it.  (by comment: mirror)')
    // Under the limits: every finding, no notice.
    expect(formatWorkflowCommands(many('error', 10)).split('\n')).toHaveLength(10)
  })

  it('masks before it escapes: a password with % is masked, not printed as %25', () => {
    const password = 'Pa%ss,w:rd99'
    const f = finding('error', 'a.yaml', 3, { message: `container "${password}" of Pod app/p pulls ghcr.io/acme/x:1` })
    const out = formatWorkflowCommands([f], secretMasker([password]))
    expect(out).toBe('::error file=a.yaml,line=3,endLine=3,col=5,endColumn=12,title=no-pull-secret::container "***" of Pod app/p pulls ghcr.io/acme/x:1')
  })

  it('escapes control characters of the manifests (no raw ESC or BEL reaches a terminal or the log)', () => {
    const f = finding('warning', 'x\u001b[31m.yaml', 3, { message: 'Deployment app/esc\u001b[31mRED\u001b[0m, container "\u001b]0;title\u0007"\nsecond line' })
    const out = formatWorkflowCommands([f])
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
    expect(out).toBe('::warning file=x\\x1b[31m.yaml,line=3,endLine=3,col=5,endColumn=12,title=credentials-in-repo::Deployment app/esc\\x1b[31mRED\\x1b[0m, container "\\x1b]0;title\\x07"%0Asecond line')
  })
})

describe('logLines', () => {
  it('starts every line with the severity, so no line can be a workflow command', () => {
    const f = finding('error', '::error::x.yaml', 2, { message: 'a\n::warning::b' })
    expect(logLines([f, finding('notice', 'a.yaml', 1)])).toEqual([
      'error    ::error::x.yaml:2:5  no-pull-secret  a ::warning::b',
      'notice   a.yaml:1:5  unused-pull-secret  notice at a.yaml:1; fix it.',
    ])
  })

  it('breaks up ##[, which the runner\'s legacy parser reads as a command anywhere in a line, and escapes control characters', () => {
    const f = finding('error', '##[warning]dir/b.yaml', 9, { message: 'Pod app/p##[stop-commands]pause pulls \u001b[31mred\u0007' })
    expect(logLines([f])).toEqual(['error    #\u200b#[warning]dir/b.yaml:9:5  no-pull-secret  Pod app/p#\u200b#[stop-commands]pause pulls \\x1b[31mred\\x07'])
  })

  it('keeps a file name with line breaks on one line (a file added in a pull request names itself)', () => {
    const f = finding('error', 'evil\n::warning file=x::INJECTED\r\n.yaml', 7)
    expect(logLines([f])).toEqual(['error    evil ::warning file=x::INJECTED .yaml:7:5  no-pull-secret  error at evil ::warning file=x::INJECTED .yaml:7; fix it.'])
  })
})
