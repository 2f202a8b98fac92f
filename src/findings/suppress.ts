// Suppressions in the manifests: the `pullcheck.dev/ignore` annotation on the object, or a
// `# pullcheck-ignore <rule>: <reason>` comment, alone on the line before or at the end of the
// offending line. A reason is required.
import yaml from 'js-yaml'
import type { SourceFile } from '../source/files.js'
import { KUBE_SCHEMA } from '../source/schema.js'
import { skipSpaceAndComments, trimBack } from '../source/yaml.js'
import { annotations, get, type Resource } from '../model/resources.js'
import { podSpecPath } from '../model/workloads.js'
import { nearest } from '../nearest.js'

export const IGNORE_ANNOTATION = 'pullcheck.dev/ignore'
/** A comment's text (from its `#`) that is a pullcheck-ignore directive. */
const DIRECTIVE = /^#\s*pullcheck-ignore\s+([^:]+?)\s*(?::\s*(.*?))?\s*$/

export interface SuppressionMatch {
  reason?: string
  by: 'annotation' | 'comment'
  /** Set when no entry names the rule but one names no rule and is a typo of it: what it wrote. */
  misspelt?: string
  /** Set when no entry names the rule but one means it in a form that does not apply: why. */
  hint?: string
}

/** The rule ids an ignore names, and its reason. */
type Directive = { rules: string[]; reason?: string }

/** Parses `rule-a,rule-b: reason` into rule ids and the reason. */
export function parseIgnore(text: string): Directive {
  const colon = text.indexOf(':')
  const head = colon === -1 ? text : text.slice(0, colon)
  const reason = colon === -1 ? undefined : text.slice(colon + 1).trim() || undefined
  const rules = head.split(',').map((s) => s.trim()).filter(Boolean)
  return reason === undefined ? { rules } : { rules, reason }
}

/** Where a file spells `pullcheck-ignore`, and the directives of its lines read so far. */
interface CommentIndex {
  at: number[]
  lines: Map<number, Directive | undefined>
}

const indexes = new WeakMap<SourceFile, CommentIndex>()

/**
 * The pullcheck-ignore directive of a line of `file`: a comment alone on it (`whole`), or the
 * comment that ends it. Lines are read only where the file spells the directive, and each line
 * once: a finding must not cost a scan of its line (a one-line JSON file is all one line).
 */
function lineDirective(file: SourceFile, line: number, whole: boolean): Directive | undefined {
  let ix = indexes.get(file)
  if (!ix) {
    const at: number[] = []
    for (let i = file.text.indexOf('pullcheck-ignore'); i !== -1; i = file.text.indexOf('pullcheck-ignore', i + 1)) at.push(i)
    ix = { at, lines: new Map() }
    indexes.set(file, ix)
  }
  const key = whole ? -line : line
  if (ix.at.length === 0 || line < 1 || ix.lines.has(key)) return ix.lines.get(key)
  let found: Directive | undefined
  const bounds = lineBounds(file, line)
  if (bounds !== undefined) {
    const [start, end] = bounds
    // The first spelling at or after the line's start, by bisection.
    let lo = 0
    let hi = ix.at.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (ix.at[mid] < start) lo = mid + 1
      else hi = mid
    }
    if (lo < ix.at.length && ix.at[lo] < end) {
      const text = lineText(file, line, bounds)!
      found = directive(text, whole)
      if (found) {
        // What looks like a comment inside a scalar (a shell script in a block scalar, a quoted
        // string running over lines) is text. The file's scalars tell, when it parses; else the
        // lines above it (block scalars only).
        const hash = start + (whole ? text.length - text.trimStart().length : text.length - commentOf(text)!.length)
        const inside = insideScalar(file, hash)
        if (inside ?? (whole && inBlockScalar(file, line))) found = undefined
      }
    }
  }
  ix.lines.set(key, found)
  return found
}

/** Start and end (after its line break) of a line (1-based) of `file`, or undefined past its end. */
function lineBounds(file: SourceFile, line: number): [number, number] | undefined {
  const start = file.positions.offsetOfLine(line)
  return start === undefined ? undefined : [start, file.positions.offsetOfLine(line + 1) ?? file.text.length]
}

/** The text of a line (1-based) of `file`, without its line break (its bounds, when known). */
function lineText(file: SourceFile, line: number, bounds = lineBounds(file, line)): string | undefined {
  return bounds && file.text.slice(bounds[0], bounds[1]).replace(/\r?\n$/, '')
}

/**
 * The comment at the end of a YAML line, from its `#`, or undefined: a `#` after a space or a tab
 * (or at the start) outside a quoted scalar, as YAML reads it. A quote opens a scalar only where a
 * scalar can start (after a space, a tab, `[`, `{`, `,` or the `:` of a JSON-style `"key":"value"`,
 * or at the start); a line that ends inside an open quoted scalar has no comment.
 */
export function commentOf(line: string): string | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    const opens = i === 0 || ' \t[{,:'.includes(line[i - 1])
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(i)
    if (!opens || (c !== '"' && c !== "'")) continue
    let j = i + 1
    for (; j < line.length; j++) {
      if (c === '"' && line[j] === '\\') j++
      else if (line[j] === c) {
        if (c === "'" && line[j + 1] === "'") j++
        else break
      }
    }
    if (j >= line.length) return undefined
    i = j
  }
  return undefined
}

/** Per file: the start and end offsets of its scalars written over several lines, in order; null when it does not parse. */
const scalarsByFile = new WeakMap<SourceFile, Int32Array | null>()

/**
 * Whether the offset `at` of `file` lies inside a scalar written over several lines (a block
 * scalar, a quoted or plain scalar running on), as js-yaml reads the file; undefined when the file
 * does not parse. Only files that spell a directive are parsed again, once.
 */
function insideScalar(file: SourceFile, at: number): boolean | undefined {
  let spans = scalarsByFile.get(file)
  if (spans === undefined) {
    spans = multiLineScalars(file.text)
    scalarsByFile.set(file, spans)
  }
  if (spans === null) return undefined
  // The last span that starts before `at` (spans do not nest: scalars hold no nodes).
  let lo = 0
  let hi = spans.length / 2
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (spans[2 * mid] < at) lo = mid + 1
    else hi = mid
  }
  return lo > 0 && at < spans[2 * (lo - 1) + 1]
}

function multiLineScalars(text: string): Int32Array | null {
  // js-yaml drops a BOM that opens its input, and counts its offsets from the character after it.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const src = shift ? text.slice(1) : text
  const open: number[] = []
  const out: number[] = []
  const listener = (event: 'open' | 'close', state: { position: number; result: unknown }) => {
    if (event === 'open') {
      open.push(state.position)
      return
    }
    const opened = open.pop()
    if (opened === undefined || (typeof state.result === 'object' && state.result !== null)) return
    // The scalar's text starts past the white space and comments before it (a value on the line
    // after its key), and ends at its last character that is not white space (a block scalar's
    // reader stops past the lines that end it).
    const close = Math.min(state.position, src.length)
    const start = skipSpaceAndComments(src, opened, close)
    // An alias (`*name`) is one word: js-yaml closes it past the comments that follow.
    if (src.charCodeAt(start) === 42) return
    const end = trimBack(src, close, start)
    const nl = src.indexOf('\n', start)
    if (nl !== -1 && nl < end) out.push(start + shift, end + shift)
  }
  try {
    yaml.loadAll(src, () => {}, { schema: KUBE_SCHEMA, listener } as yaml.LoadOptions)
  } catch {
    return null
  }
  const pairs: [number, number][] = []
  for (let i = 0; i < out.length; i += 2) pairs.push([out[i], out[i + 1]])
  pairs.sort((a, b) => a[0] - b[0])
  return Int32Array.from(pairs.flat())
}

/** A block scalar's header: `key: |`, `- >-`, `key: &anchor |2`, with a comment or not. */
const BLOCK_HEADER = /^\s*(?:-\s+)*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"-][^#]*?|-[^\s#][^#]*?)\s*:\s+)?(?:-\s+)*(?:[&!]\S*\s+)*[|>][1-9+-]{0,2}\s*(?:#.*)?$/

/**
 * The column a block scalar's content must pass (be more indented than), when `text` is a block
 * scalar's header: the key's column (`- command: |` → the column of `command`), or the last dash's
 * when the scalar is the sequence entry itself (`- |`). Undefined for any other line; a long line
 * (minified JSON) is none, and is not run through the regular expression.
 */
function headerColumn(text: string): number | undefined {
  if (text.length > 1000 || !BLOCK_HEADER.test(text)) return undefined
  let i = 0
  while (text[i] === ' ') i++
  let dash = -1
  while (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
    dash = i
    i += 2
    while (text[i] === ' ' || text[i] === '\t') i++
  }
  return '|>&!'.includes(text[i]) && dash >= 0 ? dash : i
}

/** Per file and line: the first block scalar header at or above it, and the least indent of the lines between. */
type Above = { header: number; least: number } | null
const aboveByFile = new WeakMap<SourceFile, Map<number, Above>>()

/**
 * Whether `line` (1-based) of `file` lies inside a block scalar: some block scalar header above it
 * has every line down to it (blank lines aside), this one included, more indented than its
 * column. Lexical, as the parsers keep no comments. The walk up is remembered per line, so that a
 * run of sibling lines is walked once, not once per comment.
 */
function inBlockScalar(file: SourceFile, line: number): boolean {
  const indent = (text: string) => text.length - text.trimStart().length
  const own = indent(lineText(file, line) ?? '')
  if (own === 0) return false
  let memo = aboveByFile.get(file)
  if (!memo) aboveByFile.set(file, (memo = new Map()))
  // Walk up to a line already known, a header, or a line that ends every block scalar above it
  // (at column 0, or a document marker); then fill in the lines walked, from the top down.
  type Walked = { n: number; kind: 'header' | 'end' | 'blank' | 'line'; at: number }
  const walked: Walked[] = []
  let top: Above = null
  for (let n = line - 1; n >= 1; n--) {
    const known = memo.get(n)
    if (known !== undefined) {
      top = known
      break
    }
    const text = lineText(file, n)
    if (text === undefined) break
    const header = headerColumn(text)
    const at = indent(text)
    const kind = header !== undefined ? 'header' : text.trim() === '' ? 'blank' : at === 0 || /^(?:---|\.\.\.)(?:\s|$)/.test(text) ? 'end' : 'line'
    walked.push({ n, kind, at: header ?? at })
    if (kind === 'header' || kind === 'end') break
  }
  let found: Above = top
  for (let k = walked.length - 1; k >= 0; k--) {
    const w = walked[k]
    if (w.kind === 'header') found = { header: w.at, least: Infinity }
    else if (w.kind === 'end') found = null
    else if (w.kind === 'line' && found !== null) found = { header: found.header, least: Math.min(found.least, w.at) }
    memo.set(w.n, found)
  }
  return found !== null && Math.min(found.least, own) > found.header
}

/** The pullcheck.dev/ignore annotation of a workload's pod template (spec.template, a CronJob's job template's, a PodTemplate's template). */
function templateIgnore(resource: Resource): string | undefined {
  const path = podSpecPath(resource)
  if (!path || path.length < 2) return undefined // a Pod: its own annotations
  const value = get(resource.obj, [...path.slice(0, -1), 'metadata', 'annotations', IGNORE_ANNOTATION])
  return typeof value === 'string' ? value : undefined
}

/** The rules and reason of a pullcheck-ignore comment in `line`; `whole`: only a line of the comment alone. */
function directive(line: string, whole: boolean): Directive | undefined {
  const comment = whole ? (/^\s*#/.test(line) ? line.trimStart() : undefined) : commentOf(line)
  const m = comment === undefined ? null : DIRECTIVE.exec(comment)
  return m ? parseIgnore(m[1] + (m[2] !== undefined ? ':' + m[2] : '')) : undefined
}

/**
 * The suppression that applies to a finding of `ruleId` at `line` of `file` on `resource`, if any:
 * the first entry that names the rule with a reason (annotation entries, then a comment alone on
 * the line before, then a comment at the end of the line); else the first that names it without
 * one, which does not apply (the finding says so). A reasonless entry never hides a reasoned one beside it. When no entry names the rule but
 * one names an id that is not among `known` and is nearest to this rule, that typo is returned
 * (`misspelt`), so that the finding can say why it was not suppressed.
 */
export function findSuppression(
  ruleId: string,
  file: SourceFile | undefined,
  line: number,
  resource: Resource | undefined,
  known: readonly string[] = [],
): SuppressionMatch | undefined {
  let reasonless: SuppressionMatch | undefined
  let misspelt: SuppressionMatch | undefined
  let hinted: SuppressionMatch | undefined
  const consider = (p: Directive, by: SuppressionMatch['by'], wildcard: boolean) => {
    if (p.rules.includes(ruleId) || (wildcard && p.rules.includes('*'))) {
      if (p.reason) return { by, reason: p.reason }
      reasonless ??= { by }
      return undefined
    }
    if (misspelt === undefined && known.length) {
      const typo = p.rules.find((id) => id !== '*' && !known.includes(id) && nearest(id, known) === ruleId)
      if (typo !== undefined) misspelt = { by, misspelt: typo }
    }
    // Forms that mean this rule but do not apply: the reason without its colon, `*` in a comment.
    const unparted = p.rules.find((id) => id !== ruleId && id.split(/\s+/)[0] === ruleId)
    if (hinted === undefined && unparted !== undefined) {
      hinted = { by, hint: `a pullcheck ignore ${by} names "${unparted}", which is no rule: put a colon between the rule and the reason ("${ruleId}: <reason>")` }
    } else if (hinted === undefined && !wildcard && p.rules.includes('*')) {
      hinted = { by, hint: `a pullcheck ignore comment names *, which only the ${IGNORE_ANNOTATION} annotation accepts: name the rule ("${ruleId}: <reason>")` }
    }
    return undefined
  }
  if (resource) {
    // The object's own annotation, then its pod template's (the pods made from it carry that one).
    for (const ann of [annotations(resource)[IGNORE_ANNOTATION], templateIgnore(resource)]) {
      if (ann === undefined) continue
      // Several entries may be separated by `;` or new lines.
      for (const part of ann.split(/[;\n]/)) {
        const found = consider(parseIgnore(part), 'annotation', true)
        if (found) return found
      }
    }
  }
  if (file) {
    // A comment alone on the line before, then one at the end of the line itself.
    for (const p of [lineDirective(file, line - 1, true), lineDirective(file, line, false)]) {
      const found = p && consider(p, 'comment', false)
      if (found) return found
    }
  }
  return reasonless ?? misspelt ?? hinted
}
