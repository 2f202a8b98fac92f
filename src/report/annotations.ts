// Which findings become GitHub annotations, in what order, and what is said about the rest.
// GitHub shows at most 10 annotations of each level per step and silently drops the others, so
// the most important go first and one notice says how many were left out and where they are.
// Pure: the sink (github.ts) prints what this module plans.
import type { Finding, Severity } from '../findings/types.js'
import { escapeControls, sortFindings } from './text.js'
import { annotationOrder, escapeData, escapeProperty } from './workflow-commands.js'

/** What GitHub shows per level and step; the rest is dropped without a word. */
export const ANNOTATIONS_PER_LEVEL = 10

/** A finding as an annotation: the properties `core.error/warning/notice` take, message masked. */
export interface Annotation {
  level: Severity
  message: string
  properties: {
    file: string
    startLine: number
    endLine: number
    /** Only on one-line ranges: GitHub ignores columns on multi-line annotations. */
    startColumn?: number
    endColumn?: number
    /** The rule id. */
    title: string
  }
}

export interface AnnotationPlanOptions {
  /** Per level and step; default ANNOTATIONS_PER_LEVEL. */
  perLevel?: number
  /**
   * Slots taken by other annotations of the same step: the `::error::` of `setFailed`, notices
   * about the run itself. The overflow notice is reserved by the plan itself.
   */
  reserved?: Partial<Record<Severity, number>>
  /** Applied to every string (secret values the engine found). */
  mask?: (text: string) => string
}

export interface AnnotationPlan {
  /** In emission order: errors, then warnings, then notices; each level by file and line. */
  annotations: Annotation[]
  /** Unsuppressed findings that got no annotation (the overflow notice counts them). */
  notAnnotated: Finding[]
}

const LEVELS: readonly Severity[] = ['error', 'warning', 'notice']

/**
 * Masked first, then control characters escaped: escaping first could break a secret apart where
 * the masker no longer finds it (and workflow-command escaping comes last, in annotationCommand).
 */
export function toAnnotation(finding: Finding, mask: (text: string) => string = (text) => text): Annotation {
  const clean = (text: string) => escapeControls(mask(text))
  const { start, end } = finding.location.range
  const properties: Annotation['properties'] = {
    file: clean(finding.location.file),
    startLine: start.line,
    endLine: Math.max(start.line, end.line),
    title: clean(finding.ruleId),
  }
  if (end.line <= start.line) {
    properties.startColumn = start.column
    properties.endColumn = Math.max(start.column, end.column)
  }
  return { level: finding.severity, message: clean(finding.message), properties }
}

/**
 * `--format github`: every unsuppressed finding as a workflow command, most important first, as
 * the action plans them (SPEC §7): those GitHub annotates, then, when there are more than it shows,
 * one notice saying how many and where they are, then the rest (the log lists them, GitHub
 * annotates none). The suppressed findings follow as plain log lines (counted and listed).
 */
export function formatWorkflowCommands(findings: readonly Finding[], mask: (text: string) => string = (text) => text, places: OverflowPlaces = { log: true }): string {
  const plan = planAnnotations(findings, { mask })
  const lines = plan.annotations.map(annotationCommand)
  const overflow = overflowNotice(plan.notAnnotated, places)
  if (overflow) {
    lines.push(`::notice::${escapeData(oneLine(escapeControls(mask(overflow))))}`)
    for (const f of plan.notAnnotated) lines.push(annotationCommand(toAnnotation(f, mask)))
  }
  lines.push(...suppressedLogLines(findings, mask))
  return lines.join('\n')
}

/**
 * The annotations to emit. Each level gets `perLevel` slots minus the reserved ones; when any
 * finding is left out, one notice slot is kept for the overflow notice.
 */
export function planAnnotations(findings: readonly Finding[], opts: AnnotationPlanOptions = {}): AnnotationPlan {
  const perLevel = opts.perLevel ?? ANNOTATIONS_PER_LEVEL
  const mask = opts.mask ?? ((text: string) => text)
  const ordered = annotationOrder(findings)
  const byLevel = new Map<Severity, Finding[]>(LEVELS.map((level) => [level, ordered.filter((f) => f.severity === level)]))
  const cap = new Map<Severity, number>(LEVELS.map((level) => [level, Math.max(0, perLevel - (opts.reserved?.[level] ?? 0))]))

  let overflow = LEVELS.some((level) => level !== 'notice' && byLevel.get(level)!.length > cap.get(level)!)
  if (overflow || byLevel.get('notice')!.length > cap.get('notice')!) {
    overflow = true
    cap.set('notice', Math.max(0, cap.get('notice')! - 1))
  }

  const annotations: Annotation[] = []
  const notAnnotated: Finding[] = []
  for (const level of LEVELS) {
    const list = byLevel.get(level)!
    const n = cap.get(level)!
    for (const finding of list.slice(0, n)) annotations.push(toAnnotation(finding, mask))
    notAnnotated.push(...list.slice(n))
  }
  return { annotations, notAnnotated }
}

/** Where the findings that got no annotation can be read. */
export interface OverflowPlaces {
  /** The job summary was written. */
  summary?: boolean
  /** Paths as the user sees them (relative to the workspace). */
  sarifFile?: string
  reportFile?: string
  /** The check run annotates every finding left out; its page when known. */
  checkRun?: { url?: string }
  /** The step log lists every finding (always true for the action). */
  log?: boolean
}

/** The one notice about the findings left out; undefined when nothing was left out. */
export function overflowNotice(notAnnotated: readonly Finding[], places: OverflowPlaces, perLevel = ANNOTATIONS_PER_LEVEL): string | undefined {
  if (notAnnotated.length === 0) return undefined
  const counts = LEVELS.map((level) => [level, notAnnotated.filter((f) => f.severity === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => plural(n, level))
  const where: string[] = []
  const checkRun = places.checkRun ? `they are annotated in the check run "pullcheck"${places.checkRun.url ? ` (${places.checkRun.url})` : ''}` : undefined
  if (places.summary) where.push('the job summary')
  if (places.sarifFile) where.push(`the SARIF file ${places.sarifFile}`)
  if (places.reportFile) where.push(`the JSON report ${places.reportFile}`)
  if (places.log) where.push('the step log')
  const all = where.length === 0 ? (checkRun ? '' : 'set sarif-file or report-file to get them all') : `every finding is in ${joinAnd(where)}`
  const list = checkRun ? (all ? `${checkRun}, and ${all}` : checkRun) : all
  return (
    `pullcheck: ${plural(notAnnotated.length, 'finding')} (${counts.join(', ')}) ${notAnnotated.length === 1 ? 'is' : 'are'} not annotated ` +
    `because GitHub shows at most ${perLevel} annotations of each level per step; ${list}.`
  )
}

/**
 * The workflow command of an annotation, properties in the order the CLI's `--format github`
 * prints them: `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`.
 */
export function annotationCommand(annotation: Annotation): string {
  const p = annotation.properties
  const props: [string, string | number | undefined][] = [
    ['file', p.file],
    ['line', p.startLine],
    ['endLine', p.endLine],
    ['col', p.startColumn],
    ['endColumn', p.endColumn],
    ['title', p.title],
  ]
  const text = props
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  return `::${annotation.level} ${text}::${escapeData(annotation.message)}`
}

/** A Checks API annotation (POST/PATCH /repos/{owner}/{repo}/check-runs). */
export interface CheckRunAnnotation {
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: 'notice' | 'warning' | 'failure'
  message: string
  title: string
}

const CHECK_LEVEL: Record<Severity, CheckRunAnnotation['annotation_level']> = { error: 'failure', warning: 'warning', notice: 'notice' }
/** The Checks API rejects longer messages: 64 KB, counted in UTF-8 bytes. */
const CHECK_MESSAGE_MAX_BYTES = 64 * 1024 - 1

/** The text, or its longest prefix of whole characters that fits in `maxBytes` of UTF-8 with a `…`. */
export function cutToUtf8Bytes(text: string, maxBytes: number): string {
  // Three bytes per UTF-16 unit at most: shorter texts always fit.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text
  const budget = maxBytes - 3 // the ellipsis
  let bytes = 0
  let end = 0
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
    if (bytes + size > budget) break
    bytes += size
    end += ch.length
  }
  return text.slice(0, end) + '…'
}

/** Every unsuppressed finding, most important first, for the check run. */
export function checkRunAnnotations(findings: readonly Finding[], mask: (text: string) => string = (text) => text): CheckRunAnnotation[] {
  return annotationOrder(findings).map((finding) => {
    const a = toAnnotation(finding, mask)
    const out: CheckRunAnnotation = {
      path: a.properties.file,
      start_line: a.properties.startLine,
      end_line: a.properties.endLine,
      annotation_level: CHECK_LEVEL[a.level],
      message: cutToUtf8Bytes(a.message, CHECK_MESSAGE_MAX_BYTES),
      title: a.properties.title,
    }
    if (a.properties.startColumn !== undefined) {
      out.start_column = a.properties.startColumn
      out.end_column = a.properties.endColumn
    }
    return out
  })
}

/**
 * One line per unsuppressed finding for the step log: `error  file:line:col  rule  message`.
 * Every line starts with the severity and holds no line break (file names and messages come from
 * the repository), so manifest content can never start a workflow command.
 */
export function logLines(findings: readonly Finding[], mask: (text: string) => string = (text) => text): string[] {
  return annotationOrder(findings).map((f) => logLine(f, f.severity.padEnd(7), '', mask))
}

/** `<lead>  file:line:col  rule  message<tail>`, masked, on one line. */
function logLine(f: Finding, lead: string, tail: string, mask: (text: string) => string): string {
  const { line, column } = f.location.range.start
  return oneLine(escapeControls(mask(`${lead}  ${f.location.file}:${line}:${column}  ${f.ruleId}  ${f.message}${tail}`)))
}

/**
 * The step log's lines for the suppressed findings, after the others (SPEC §5: counted and listed,
 * never dropped; under act there is no job summary to list them): position, rule, and how and why.
 */
export function suppressedLogLines(findings: readonly Finding[], mask: (text: string) => string = (text) => text): string[] {
  return sortFindings(findings.filter((f) => f.suppressed)).map((f) => logLine(f, 'suppressed', `  (by ${f.suppressed!.by}: ${f.suppressed!.reason})`, mask))
}

/**
 * Text for one line of the step log. Line breaks become spaces: the runner reads every line that
 * starts with `::` as a workflow command. And `##[`, which its legacy parser finds anywhere in a
 * line (`##[warning]…`, `##[stop-commands]…`), gets a zero-width space inside.
 */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/##\[/g, '#\u200b#[')
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
