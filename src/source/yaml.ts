// YAML/JSON parsing with source positions.
//
// js-yaml 4 builds plain JS values; its `listener` option reports every node's open and close
// with the parser's offset. We rebuild, beside the values, a side table (WeakMap keyed by each
// mapping/sequence object) holding the offsets of every key and value, so that a rule can point
// at the exact node it blames. Files are split into documents at `---` markers first (a marker
// at column 0 ends any scalar, so the split is exact): one broken document never hides the others.
import yaml from 'js-yaml'

export interface Span {
  start: number
  end: number
}

/** Offsets of one mapping entry: its key and its value. */
export interface EntrySpan {
  key: Span
  value: Span
}

export interface CollectionPositions {
  span: Span
  /** For mappings: each key's span and its value's span. */
  entries?: Map<string, EntrySpan>
  /** For sequences: each item's span. */
  items?: Span[]
}

export interface ParsedDocument {
  /** The document's value (usually a mapping). */
  value: unknown
  span: Span
  /** Index of the document in the file (0-based), counting empty ones. */
  index: number
}

export interface DocumentError {
  message: string
  /** Offset in the file. */
  offset: number
  /** The document's span in the file. */
  span: Span
  index: number
}

export interface ParsedFile {
  text: string
  documents: ParsedDocument[]
  errors: DocumentError[]
  positions: PositionTable
}

/** Positions of every mapping and sequence of a file, plus offset → line/column conversion. */
export class PositionTable {
  readonly byObject = new WeakMap<object, CollectionPositions>()
  private lineStarts: number[] | undefined

  constructor(readonly text: string) {}

  get(obj: unknown): CollectionPositions | undefined {
    return obj !== null && typeof obj === 'object' ? this.byObject.get(obj) : undefined
  }

  /** Span of `obj[key]`'s value (or of the item at index `key` of a sequence). */
  valueSpan(obj: unknown, key: string | number): Span | undefined {
    const p = this.get(obj)
    if (!p) return undefined
    if (typeof key === 'number') return p.items?.[key]
    return p.entries?.get(key)?.value
  }

  keySpan(obj: unknown, key: string): Span | undefined {
    return this.get(obj)?.entries?.get(key)?.key
  }

  span(obj: unknown): Span | undefined {
    return this.get(obj)?.span
  }

  /** Offset where a 1-based line starts, if the line exists. */
  offsetOfLine(line: number): number | undefined {
    const starts = (this.lineStarts ??= computeLineStarts(this.text))
    return line >= 1 && line <= starts.length ? starts[line - 1] : undefined
  }

  /** 1-based line and column of an offset. */
  lineCol(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= computeLineStarts(this.text))
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 }
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0]
  let i = text.indexOf('\n')
  while (i !== -1) {
    starts.push(i + 1)
    i = text.indexOf('\n', i + 1)
  }
  return starts
}

export interface DocumentChunk {
  /** Offset of the chunk in the file. */
  start: number
  end: number
  index: number
}

const CH_NL = 10
const CH_CR = 13
const CH_SPACE = 32
const CH_TAB = 9
const CH_HASH = 35
const CH_DASH = 45
const CH_DOT = 46

/**
 * Splits a YAML stream into documents at lines that start with `---` or `...` followed by white
 * space or the end of the line. Such a line is a document marker wherever it appears (YAML 1.2
 * §9.1.4, c-forbidden), so this agrees with a full parser.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = []
  let chunkStart = 0
  let lineStart = 0
  const n = text.length
  while (lineStart < n) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd === -1) lineEnd = n
    const c0 = text.charCodeAt(lineStart)
    if ((c0 === CH_DASH || c0 === CH_DOT) && text.charCodeAt(lineStart + 1) === c0 && text.charCodeAt(lineStart + 2) === c0) {
      const after = text.charCodeAt(lineStart + 3)
      if (lineStart + 3 >= n || after === CH_SPACE || after === CH_TAB || after === CH_NL || after === CH_CR) {
        if (c0 === CH_DASH) {
          // `---` starts a new document; content may follow on the same line.
          if (lineStart > chunkStart) chunks.push({ start: chunkStart, end: lineStart, index: chunks.length })
          chunkStart = lineStart
        } else {
          // `...` ends the current document.
          chunks.push({ start: chunkStart, end: lineEnd, index: chunks.length })
          chunkStart = Math.min(n, lineEnd + 1)
        }
      }
    }
    lineStart = lineEnd + 1
  }
  if (chunkStart < n) chunks.push({ start: chunkStart, end: n, index: chunks.length })
  return chunks
}

function isBlank(text: string, start: number, end: number): boolean {
  let i = start
  while (i < end) {
    const c = text.charCodeAt(i)
    if (c === CH_SPACE || c === CH_TAB || c === CH_NL || c === CH_CR) {
      i++
    } else if (c === CH_HASH) {
      const nl = text.indexOf('\n', i)
      if (nl === -1 || nl >= end) return true
      i = nl + 1
    } else if (c === CH_DASH && text.startsWith('---', i) && (i === start || text.charCodeAt(i - 1) === CH_NL)) {
      i += 3
    } else {
      return false
    }
  }
  return true
}

/** First offset at or after `i` that is not white space or inside a comment. */
function skipSpaceAndComments(text: string, i: number, limit: number): number {
  while (i < limit) {
    const c = text.charCodeAt(i)
    if (c === CH_SPACE || c === CH_TAB || c === CH_NL || c === CH_CR) i++
    else if (c === CH_HASH && (i === 0 || isSpace(text.charCodeAt(i - 1)))) {
      const nl = text.indexOf('\n', i)
      i = nl === -1 ? limit : nl + 1
    } else break
  }
  return i
}

function isSpace(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_NL || c === CH_CR
}

/** Last offset (exclusive) before `i` that is not white space. */
function trimBack(text: string, i: number, floor: number): number {
  while (i > floor && isSpace(text.charCodeAt(i - 1))) i--
  return i
}

interface Kid {
  start: number
  end: number
  value: unknown
  empty: boolean
}

interface Frame {
  open: number
  kids: Kid[]
}

export interface ParseLimits {
  /** Maximum nesting depth (js-yaml maxDepth). */
  maxDepth: number
  /** Maximum number of nodes after alias expansion, per document. */
  maxExpandedNodes: number
}

export const DEFAULT_LIMITS: ParseLimits = { maxDepth: 100, maxExpandedNodes: 1_000_000 }

/**
 * Parses one document chunk of `text` (from `start` to `end`) and records positions into `table`.
 * Throws js-yaml's exception on a syntax error.
 */
function parseChunk(text: string, start: number, end: number, table: PositionTable, limits: ParseLimits): { docs: Kid[]; aliases: number } {
  const src = start === 0 && end === text.length ? text : text.slice(start, end)
  const byObject = table.byObject
  const stack: Frame[] = []
  const roots: Kid[] = []
  let aliases = 0
  const limit = src.length

  const listener = (event: 'open' | 'close', state: { position: number; result: unknown }): void => {
    if (event === 'open') {
      stack.push({ open: state.position, kids: [] })
      return
    }
    const frame = stack.pop()
    if (!frame) return
    const close = state.position
    const value = state.result
    let s = skipSpaceAndComments(src, frame.open, limit)
    let e: number
    let empty = false
    if (s >= close) {
      // No content: an empty value (`key:` with nothing after it) or a probe by the parser.
      s = frame.open
      e = frame.open
      empty = true
    } else {
      // Node properties (anchor `&a`, tag `!t`) precede the content: point at the content.
      let c = src.charCodeAt(s)
      while ((c === 38 /* & */ || c === 33 /* ! */) && s < close) {
        while (s < close && !isSpace(src.charCodeAt(s))) s++
        s = skipSpaceAndComments(src, s, limit)
        c = src.charCodeAt(s)
      }
      const kids = frame.kids
      if (c === 42 /* '*' alias */) {
        aliases++
        e = trimBack(src, close, s)
        ;(stack.length ? stack[stack.length - 1].kids : roots).push({ start: s + start, end: e + start, value, empty })
        return
      }
      const isFlow = c === 123 /* { */ || c === 91 /* [ */
      e = !isFlow && kids.length > 0 && value !== null && typeof value === 'object' ? lastEnd(kids) - start : trimBack(src, close, s)
      if (value !== null && typeof value === 'object' && !byObject.has(value)) {
        const span = { start: s + start, end: e + start }
        if (Array.isArray(value)) {
          const items = kids.length === value.length ? kids : kids.filter((k) => !k.empty)
          byObject.set(value, items.length === value.length ? { span, items: items.map(toSpan) } : { span })
        } else {
          byObject.set(value, { span, entries: pairEntries(kids, value as Record<string, unknown>) })
        }
      }
    }
    const kid = { start: s + start, end: e + start, value, empty }
    ;(stack.length ? stack[stack.length - 1].kids : roots).push(kid)
  }

  yaml.loadAll(src, () => undefined, { listener, maxDepth: limits.maxDepth } as yaml.LoadOptions)
  return { docs: roots, aliases }
}

function lastEnd(kids: Kid[]): number {
  for (let i = kids.length - 1; i >= 0; i--) if (!kids[i].empty) return kids[i].end
  return kids[kids.length - 1].end
}

function toSpan(k: Kid): Span {
  return { start: k.start, end: k.end }
}

/** Pairs a mapping's children as key, value, key, value… and checks the pairing against the value. */
function pairEntries(kids: Kid[], value: Record<string, unknown>): Map<string, EntrySpan> | undefined {
  let list = kids
  if (list.length % 2 === 1) {
    // A trailing probe the parser made for a next key that was not there.
    if (list[list.length - 1].empty) list = list.slice(0, -1)
    else return undefined
  }
  const entries = new Map<string, EntrySpan>()
  for (let i = 0; i + 1 < list.length; i += 2) {
    const k = list[i]
    const key = String(k.value)
    if (key !== '<<' && !Object.prototype.hasOwnProperty.call(value, key)) return undefined
    if (!entries.has(key) || key !== '<<') entries.set(key, { key: toSpan(k), value: toSpan(list[i + 1]) })
  }
  return entries
}

/** Nodes a value stands for once aliases are expanded (memoised, so alias bombs cost linear time). */
function expandedSize(value: unknown, memo: Map<object, number>, cap: number): number {
  if (value === null || typeof value !== 'object') return 1
  const known = memo.get(value)
  if (known !== undefined) return known
  memo.set(value, 1)
  let n = 1
  const children = Array.isArray(value) ? value : Object.values(value)
  for (const child of children) {
    n += expandedSize(child, memo, cap)
    if (n > cap) break
  }
  memo.set(value, n)
  return n
}

export interface YamlErrorLike {
  reason?: string
  message: string
  mark?: { position: number; line: number; column: number }
}

/** A syntax error message without the source snippet js-yaml appends (it may quote secrets). */
export function safeYamlMessage(err: unknown): string {
  const e = err as YamlErrorLike
  const reason = typeof e?.reason === 'string' && e.reason ? e.reason : String(e?.message ?? err).split('\n')[0]
  return reason.replace(/\s*\(\d+:\d+\)\s*$/, '')
}

/**
 * Parses a whole YAML (or JSON) file into documents with positions. Never throws: errors come back
 * per document with their offset.
 */
export function parseYamlFile(text: string, limits: ParseLimits = DEFAULT_LIMITS, wanted?: (chunk: string) => boolean): ParsedFile {
  const table = new PositionTable(text)
  const documents: ParsedDocument[] = []
  const errors: DocumentError[] = []
  const chunks = splitDocuments(text)
  for (const chunk of chunks) {
    if (isBlank(text, chunk.start, chunk.end)) continue
    if (wanted && !wanted(text.slice(chunk.start, Math.min(chunk.end, chunk.start + 4096)))) continue
    try {
      const { docs, aliases } = parseChunk(text, chunk.start, chunk.end, table, limits)
      for (const d of docs) {
        if (aliases > 0 && expandedSize(d.value, new Map(), limits.maxExpandedNodes) > limits.maxExpandedNodes) {
          errors.push({
            message: `excessive aliasing: the document expands to more than ${limits.maxExpandedNodes} nodes (an alias bomb?)`,
            offset: d.start,
            span: { start: chunk.start, end: chunk.end },
            index: chunk.index,
          })
          continue
        }
        documents.push({ value: d.value, span: { start: d.start, end: d.end }, index: chunk.index })
      }
    } catch (err) {
      const mark = (err as YamlErrorLike).mark
      const offset = chunk.start + Math.max(0, Math.min(mark?.position ?? 0, chunk.end - chunk.start))
      errors.push({ message: safeYamlMessage(err), offset, span: { start: chunk.start, end: chunk.end }, index: chunk.index })
    }
  }
  return { text, documents, errors, positions: table }
}
