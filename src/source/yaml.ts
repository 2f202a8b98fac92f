// YAML/JSON parsing with source positions.
//
// js-yaml 4 builds plain JS values; its `listener` option reports every node's open and close
// with the parser's offset. We rebuild, beside the values, a side table keyed by each
// mapping/sequence object holding the offsets of every key and value, so that a rule can point
// at the exact node it blames. Files are split into documents at `---` markers first (a marker
// at column 0 ends any scalar, so the split is exact): one broken document never hides the others.
//
// The table is flat (one Int32Array of records per file, and an object → record map) rather than
// an object per span: parsing allocates little beside js-yaml's own values, and the table can
// cross a worker_threads boundary as a transferable buffer (see `exportPositions`/`importPositions`).
//
// Documents whose kind cannot matter to pullcheck (SKIPPABLE_KINDS) are not built: a look at the
// document's top-level lines finds `kind:`, and only `apiVersion`, `kind` and `metadata` are parsed.
//
// Every other document goes to the fast path first (fastyaml.ts: the same values and records as
// js-yaml gives, for the YAML renderers write, pruned as it parses); js-yaml parses the documents
// the fast path declines.
import yaml from 'js-yaml'
import { refusedTab } from './tabs.js'
import { templateMarkerIn } from './templates.js'
import { fastDocument } from './fastyaml.js'
import { KUBE_SCHEMA } from './schema.js'
import { CR, DASH, DOT, DQUOTE, HASH, isKeyChar, isWsOrEol, NL, NOT_STRINGS, SPACE, TAB } from './chars.js'
import { ONLY_METADATA, parseFilter } from './prune.js'

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
  /** What to do, when "fix the file so it parses" would be wrong (kubectl parses it, and ignores a part). */
  fix?: string
}

export interface ParsedFile {
  text: string
  documents: ParsedDocument[]
  errors: DocumentError[]
  positions: PositionTable
  /** Documents not built because their kind cannot matter (SKIPPABLE_KINDS): only apiVersion, kind and metadata are in `documents`. */
  skipped: number
  /**
   * In a file that holds `{{`: offsets of the template markers in the parts of documents that
   * pruning left out while parsing (fastyaml.ts), which template detection cannot walk.
   */
  templateMarks?: number[]
}

const REC_MAP = 1
const REC_SEQ = 2
/** Record header: type, span start, span end, count (-1: entries or items unknown). */
const HEADER = 4
const MAP_ENTRY = 5 // key index, key start, key end, value start, value end
const SEQ_ITEM = 2 // start, end

/** The position records of a file in transferable form (see `exportPositions`). */
export interface TransferredPositions {
  data: Int32Array
  keys: string[]
  /** Record offset (or -1) of every collection of the documents, in `walkCollections` order. */
  order: Int32Array
}

/** Positions of every mapping and sequence of a file, plus offset → line/column conversion. */
export class PositionTable {
  /** Offset in `data` of each collection's record. */
  private index = new Map<object, number>()
  private data: Int32Array = EMPTY_DATA
  private size = 0
  /** The distinct mapping keys of the file, referenced by index from the records. */
  private keys: string[] = []
  private keyIndex: Map<string, number> | undefined = new Map()
  private lineStarts: Int32Array | undefined

  constructor(readonly text: string) {}

  /** The positions of a mapping or sequence, as objects (built on demand). */
  get(obj: unknown): CollectionPositions | undefined {
    const o = this.offset(obj)
    if (o === undefined) return undefined
    const d = this.data
    const span = { start: d[o + 1], end: d[o + 2] }
    const n = d[o + 3]
    if (d[o] === REC_SEQ) {
      if (n < 0) return { span }
      const items: Span[] = []
      for (let i = 0, p = o + HEADER; i < n; i++, p += SEQ_ITEM) items.push({ start: d[p], end: d[p + 1] })
      return { span, items }
    }
    if (n < 0) return { span, entries: undefined }
    const entries = new Map<string, EntrySpan>()
    for (let i = 0, p = o + HEADER; i < n; i++, p += MAP_ENTRY) {
      entries.set(this.keys[d[p]], { key: { start: d[p + 1], end: d[p + 2] }, value: { start: d[p + 3], end: d[p + 4] } })
    }
    return { span, entries }
  }

  /** Span of `obj[key]`'s value (or of the item at index `key` of a sequence). */
  valueSpan(obj: unknown, key: string | number): Span | undefined {
    const o = this.offset(obj)
    if (o === undefined) return undefined
    const d = this.data
    if (typeof key === 'number') {
      if (d[o] !== REC_SEQ || !Number.isInteger(key) || key < 0 || key >= d[o + 3]) return undefined
      const p = o + HEADER + key * SEQ_ITEM
      return { start: d[p], end: d[p + 1] }
    }
    const p = this.entry(o, key)
    return p < 0 ? undefined : { start: d[p + 3], end: d[p + 4] }
  }

  keySpan(obj: unknown, key: string): Span | undefined {
    const o = this.offset(obj)
    if (o === undefined) return undefined
    const p = this.entry(o, key)
    return p < 0 ? undefined : { start: this.data[p + 1], end: this.data[p + 2] }
  }

  span(obj: unknown): Span | undefined {
    const o = this.offset(obj)
    return o === undefined ? undefined : { start: this.data[o + 1], end: this.data[o + 2] }
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

  private offset(obj: unknown): number | undefined {
    if (obj === null || typeof obj !== 'object') return undefined
    const o = this.index.get(obj)
    return o === undefined || o < 0 ? undefined : o
  }

  /** Offset of the entry `key` of the mapping record at `o`, or -1. */
  private entry(o: number, key: string): number {
    const d = this.data
    if (d[o] !== REC_MAP) return -1
    const n = d[o + 3]
    for (let i = 0, p = o + HEADER; i < n; i++, p += MAP_ENTRY) if (this.keys[d[p]] === key) return p
    return -1
  }

  /** True when `obj` already has a record (the first one wins: an alias never moves its anchor). */
  has(obj: object): boolean {
    return this.index.has(obj)
  }

  /** Starts a record for `obj`; the caller then writes `count` entries or items. */
  begin(obj: object, type: number, start: number, end: number, count: number): number {
    const o = this.size
    this.reserve(HEADER + Math.max(0, count) * (type === REC_MAP ? MAP_ENTRY : SEQ_ITEM))
    const d = this.data
    d[o] = type
    d[o + 1] = start
    d[o + 2] = end
    d[o + 3] = count
    this.size = o + HEADER
    this.index.set(obj, o)
    return o
  }

  beginMap(obj: object, start: number, end: number, count: number): number {
    return this.begin(obj, REC_MAP, start, end, count)
  }

  beginSeq(obj: object, start: number, end: number, count: number): number {
    return this.begin(obj, REC_SEQ, start, end, count)
  }

  /** The table's current size, to roll back to (see `rollback`). */
  mark(): number {
    return this.size
  }

  /** Drops the records written since `mark`, those of `objects`. */
  rollback(mark: number, objects: readonly object[]): void {
    for (const obj of objects) this.index.delete(obj)
    this.size = mark
  }

  pushItem(start: number, end: number): void {
    const d = this.data
    const p = this.size
    d[p] = start
    d[p + 1] = end
    this.size = p + SEQ_ITEM
  }

  pushEntry(key: string, ks: number, ke: number, vs: number, ve: number): void {
    const d = this.data
    const p = this.size
    // Keys repeat (name, image, metadata…): one string of each, and a small table to send.
    const index = (this.keyIndex ??= new Map(this.keys.map((key, i) => [key, i])))
    let k = index.get(key)
    if (k === undefined) {
      k = this.keys.length
      this.keys.push(key)
      index.set(key, k)
    }
    d[p] = k
    d[p + 1] = ks
    d[p + 2] = ke
    d[p + 3] = vs
    d[p + 4] = ve
    this.size = p + MAP_ENTRY
  }

  /** Sets the entry or item count of the record at `o` (-1: unknown, the entries written are dropped). */
  finish(o: number, count: number): void {
    this.data[o + 3] = count
    if (count < 0) this.size = o + HEADER
  }

  forget(obj: object): void {
    this.index.delete(obj)
  }

  /**
   * Keeps only the records of collections still reachable from the documents (after pruning), so
   * the objects pruned away, and their records, can be freed.
   */
  retainReachable(documents: readonly ParsedDocument[]): void {
    const d = this.data
    const kept: [object, number][] = []
    let size = 0
    walkCollections(documents, (obj) => {
      const o = this.index.get(obj)
      if (o === undefined) return
      kept.push([obj, o])
      if (o >= 0) size += d[o + 3] < 0 ? HEADER : HEADER + d[o + 3] * (d[o] === REC_MAP ? MAP_ENTRY : SEQ_ITEM)
    })
    const data = new Int32Array(size)
    const index = new Map<object, number>()
    let at = 0
    for (const [obj, o] of kept) {
      if (o < 0) {
        index.set(obj, o)
        continue
      }
      const len = d[o + 3] < 0 ? HEADER : HEADER + d[o + 3] * (d[o] === REC_MAP ? MAP_ENTRY : SEQ_ITEM)
      data.set(d.subarray(o, o + len), at)
      index.set(obj, at)
      at += len
    }
    this.data = data
    this.size = size
    this.index = index
    this.keyIndex = undefined
  }

  /** Drops the spare capacity (tables live as long as their file). */
  compact(): void {
    if (this === scratchOwner) {
      // The records move out of the shared buffer, which the next file's table then borrows.
      this.data = this.data.slice(0, this.size)
      scratchOwner = undefined
    } else if (this.data.length > this.size + (this.size >> 3)) {
      this.data = this.data.slice(0, this.size)
    }
    this.keyIndex = undefined
  }

  private reserve(n: number): void {
    if (this.size + n <= this.data.length) return
    if (this.size === 0 && scratchOwner === undefined) {
      // The first records of a table: written into the shared buffer until compact().
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the lender must know which table holds its buffer
      scratchOwner = this
      this.data = scratch
      if (n <= scratch.length) return
    }
    let cap = Math.max(this.data.length === 0 ? Math.max(256, this.text.length >> 3) : 256, this.data.length * 2)
    while (cap < this.size + n) cap *= 2
    const next = new Int32Array(cap)
    next.set(this.data.subarray(0, this.size))
    if (this === scratchOwner) scratch = next
    this.data = next
  }

  /** The records in a form that structured clone copies cheaply (the buffer can be transferred). */
  exportPositions(documents: readonly ParsedDocument[]): TransferredPositions {
    const order: number[] = []
    walkCollections(documents, (obj) => {
      const o = this.index.get(obj)
      order.push(o === undefined ? -1 : o)
    })
    return { data: this.data.slice(0, this.size), keys: this.keys, order: Int32Array.from(order) }
  }

  /** Rebuilds a table on structured-cloned documents from `exportPositions` of the original ones. */
  static importPositions(text: string, documents: readonly ParsedDocument[], t: TransferredPositions): PositionTable {
    const table = new PositionTable(text)
    table.data = t.data
    table.size = t.data.length
    table.keys = t.keys
    table.keyIndex = undefined
    let i = 0
    const order = t.order
    walkCollections(documents, (obj) => {
      table.index.set(obj, i < order.length ? order[i] : -1)
      i++
    })
    return table
  }
}

const EMPTY_DATA = new Int32Array(0)

/**
 * One buffer for the records of the table being filled (files are parsed one at a time on a
 * thread), instead of a new one, grown by copies, per file: compact() copies the records out of it
 * at the end of the file and gives it back. A table that finds it lent out allocates its own.
 */
let scratch = new Int32Array(1 << 16)
let scratchOwner: PositionTable | undefined

/**
 * Calls `visit` once for every mapping and sequence reachable from the documents, depth first in
 * property order. Structured clone keeps property order and shared references, so the walk over a
 * clone meets the objects in the same order as over the original.
 */
function walkCollections(documents: readonly ParsedDocument[], visit: (obj: object) => void): void {
  const seen = new Set<object>()
  const stack: unknown[] = []
  for (let d = documents.length - 1; d >= 0; d--) stack.push(documents[d].value)
  while (stack.length) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object' || seen.has(v)) continue
    seen.add(v)
    visit(v)
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const x: unknown = v[i]
        if (x !== null && typeof x === 'object') stack.push(x)
      }
    } else {
      const vals = Object.values(v)
      for (let i = vals.length - 1; i >= 0; i--) {
        const x: unknown = vals[i]
        if (x !== null && typeof x === 'object') stack.push(x)
      }
    }
  }
}

/** Offsets where the lines start, in a typed array (4 bytes a line). */
function computeLineStarts(text: string): Int32Array {
  // One pass into a shared buffer (grown when a file has more lines), then copied out at its size.
  let starts = lineScratch
  let n = 1
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (n === starts.length) {
      const grown = new Int32Array(starts.length * 2)
      grown.set(starts)
      starts = lineScratch = grown
    }
    starts[n++] = i + 1
  }
  return starts.slice(0, n)
}

/** computeLineStarts' buffer; its first entry, line 1's start, is always 0. */
let lineScratch = new Int32Array(1 << 14)

export interface DocumentChunk {
  /** Offset of the chunk in the file. */
  start: number
  end: number
  index: number
  /** The chunk is not built: kubectl stops reading the file here with this error (at `start`). */
  error?: string
  /** What to do about `error`, when not the usual fix. */
  fix?: string
  /** Where `error` is, when not at `start`. */
  errorAt?: number
}

/**
 * The documents of a file that kubectl reads as a stream of JSON values (apimachinery's
 * YAMLOrJSONDecoder): when the first character that is not white space is `{`, it decodes one
 * JSON value after another, as Go's json.Decoder does (`{…}{…}` or one object per line, which is
 * no YAML). When a value does not decode and at most one did before, it reads the rest of the
 * file as YAML from there; after two or more, the file is a JSON stream and it stops with an
 * error. Undefined when the file is not such a stream of more than one value (the YAML splitter
 * then reads it as before: a JSON file of one object is YAML).
 */
export function splitJsonStream(text: string): DocumentChunk[] | undefined {
  const first = skipJsonSpace(text, skipUnicodeSpace(text, 0))
  if (text.charCodeAt(first) !== 123 /* { */) return undefined
  const firstEnd = jsonValueEnd(text, first)
  if (firstEnd < 0 || skipJsonSpace(text, firstEnd) === text.length) return undefined
  const chunks: DocumentChunk[] = []
  let pos = first
  let end = firstEnd
  for (;;) {
    if (end >= 0 && isJson(text, pos, end)) {
      chunks.push({ start: pos, end, index: chunks.length })
      pos = skipJsonSpace(text, end)
      if (pos >= text.length) return chunks
      end = jsonValueEnd(text, pos)
      continue
    }
    if (chunks.length > 1) {
      const what = end < 0 && text.charCodeAt(pos) !== 123 && text.charCodeAt(pos) !== 91 ? 'no JSON value starts here' : 'this JSON value does not parse'
      const message = `invalid JSON after ${chunks.length} JSON objects: ${what}. A file whose first character is "{" is read by kubectl as a stream of JSON values, and it stops at the first one that does not parse`
      chunks.push({ start: pos, end: text.length, index: chunks.length, error: message })
      return chunks
    }
    if (chunks.length === 0) return undefined
    // One value decoded: the rest is YAML (kubectl skips the white space before it, as here).
    for (const chunk of splitDocuments(text, pos)) chunks.push({ ...chunk, index: chunks.length })
    return chunks
  }
}

function skipJsonSpace(text: string, i: number): number {
  while (i < text.length && isWsOrEol(text.charCodeAt(i))) i++
  return i
}

/** Past the white space Go's unicode.IsSpace knows, at the start of a stream (GuessJSONStream). JSON's own white space is isWsOrEol. */
function skipUnicodeSpace(text: string, i: number): number {
  while (i < text.length && /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(text[i])) i++
  return i
}

/**
 * The end of the JSON object or array that opens at `i` (brackets balanced outside strings), or
 * -1: not an object or array, or not closed. Whether it is valid JSON is isJson's question.
 */
function jsonValueEnd(text: string, i: number): number {
  const open = text.charCodeAt(i)
  if (open !== 123 && open !== 91) return -1
  let depth = 0
  for (let k = i; k < text.length; k++) {
    const c = text.charCodeAt(k)
    if (c === DQUOTE) {
      for (k++; k < text.length; k++) {
        const d = text.charCodeAt(k)
        if (d === 92 /* \ */) k++
        else if (d === DQUOTE) break
      }
    } else if (c === 123 || c === 91) {
      depth++
    } else if (c === 125 || c === 93) {
      if (--depth === 0) return k + 1
    }
  }
  return -1
}

function isJson(text: string, start: number, end: number): boolean {
  try {
    JSON.parse(text.slice(start, end))
    return true
  } catch {
    return false
  }
}

/**
 * Splits a YAML stream into documents at lines that start with `---` or `...` followed by white
 * space or the end of the line. Such a line is a document marker wherever it appears (YAML 1.2
 * §9.1.4, c-forbidden), so this agrees with a full parser.
 */
export function splitDocuments(text: string, from = 0): DocumentChunk[] {
  const chunks: DocumentChunk[] = []
  let chunkStart = from
  const n = text.length
  // Only lines that start with `---` or `...` matter: jump from one to the next.
  const re = MARKER_LINE
  re.lastIndex = Math.max(0, from - 1)
  const atLineStart = from === 0 || text.charCodeAt(from - 1) === NL
  let lineStart = atLineStart && (text.startsWith('---', from) || text.startsWith('...', from)) ? from : nextMatch(re, text)
  // Whether chunkStart follows a `...` line: what comes before the next `---` is no document to kubectl.
  let afterEnd = false
  /** The chunk from chunkStart to `end`, refused when it follows `...` and holds content. */
  const push = (end: number) => {
    if (afterEnd && !isBlank(text, chunkStart, end) && !directivesOnly(text, chunkStart, end)) {
      const at = skipSpaceAndComments(text, chunkStart, end)
      chunks.push({ start: at, end, index: chunks.length, error: AFTER_END_MARKER, fix: 'write a --- line before it' })
    } else chunks.push({ start: chunkStart, end, index: chunks.length })
  }
  while (lineStart !== -1) {
    const c0 = text.charCodeAt(lineStart)
    const after = text.charCodeAt(lineStart + 3)
    const separator = c0 === DASH ? separatorLine(text, lineStart) : 'plain'
    if (separator !== 'plain' && separator !== 'odd') {
      // kubectl's YAMLReader stops the file at a `---` line with more than a comment after it, and
      // drops what it had read since the last `---` with it.
      const start = lineStart > chunkStart && !isBlank(text, chunkStart, lineStart) ? chunkStart : lineStart
      chunks.push({ start, end: n, index: chunks.length, error: separator, errorAt: lineStart, fix: 'write --- alone on its line (a comment may follow it), and the content on the next line' })
      return chunks
    }
    if (separator === 'odd') {
      // A separator to kubectl (which never parses the line) that YAML would read otherwise
      // (`---#c`, `---` and a no-break space, a control character in its comment): the next
      // document starts on the next line.
      if (lineStart > chunkStart && !directivesOnly(text, chunkStart, lineStart)) push(lineStart)
      let lineEnd = text.indexOf('\n', lineStart)
      if (lineEnd === -1) lineEnd = n
      chunkStart = Math.min(n, lineEnd + 1)
      afterEnd = false
    } else if (lineStart + 3 >= n || isWsOrEol(after)) {
      if (c0 === DASH) {
        // `---` starts a new document; content may follow on the same line. Directives (`%YAML`,
        // `%TAG`) before it belong to that document.
        if (lineStart > chunkStart && !directivesOnly(text, chunkStart, lineStart)) {
          push(lineStart)
          chunkStart = lineStart
        }
        afterEnd = false
      } else {
        // `...` ends the current document.
        let lineEnd = text.indexOf('\n', lineStart)
        if (lineEnd === -1) lineEnd = n
        if (afterEnd) push(lineStart)
        else chunks.push({ start: chunkStart, end: lineEnd, index: chunks.length })
        chunkStart = Math.min(n, lineEnd + 1)
        afterEnd = true
      }
    }
    re.lastIndex = lineStart
    lineStart = nextMatch(re, text)
  }
  if (chunkStart < n) push(n)
  return chunks
}

/**
 * kubectl splits a file at `---` lines only, and reads the first YAML document of each piece
 * (goyaml's Unmarshal): a document after `...` and before the next `---` is never applied.
 */
const AFTER_END_MARKER =
  'kubectl never applies this document: after a "..." line, another document starts only at a "---" line (kubectl splits the file at --- lines, reads the first document of each piece and drops the rest without a word)'

// Go's unicode.IsSpace, which strings.TrimSpace trims (a byte order mark is none).
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g')
// What YAML and kubectl both read as a separator line: `---`, then blanks and a printable comment.
// eslint-disable-next-line no-control-regex -- the characters a comment must not hold
const PLAIN_SEPARATOR = /^---(?:[ \t]*|[ \t]+#[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]*)\r?$/

/**
 * What kubectl's YAMLReader (apimachinery util/yaml) makes of the line at `lineStart`, which opens
 * with `---`: a separator YAML reads alike ('plain'); a separator to kubectl that YAML would read
 * otherwise ('odd': `---#c`, `---` and a no-break space, a control character in its comment); or
 * why kubectl refuses it: more than white space or a comment after the dashes (`---foo`,
 * `--- !!map`, `--- {a: 1}`), which it takes for a broken separator.
 */
function separatorLine(text: string, lineStart: number): 'plain' | 'odd' | string {
  const next = text.charCodeAt(lineStart + 3)
  if (next !== next || next === NL || next === 13 /* \r */) return 'plain' // NaN: the end of the text
  let lineEnd = text.indexOf('\n', lineStart)
  if (lineEnd === -1) lineEnd = text.length
  const line = text.slice(lineStart, lineEnd)
  if (PLAIN_SEPARATOR.test(line)) return 'plain'
  const rest = line.slice(3).replace(GO_TRIM, '')
  if (rest === '' || rest.startsWith('#')) return 'odd'
  const shown = rest.length > 40 ? `${rest.slice(0, 40)}…` : rest
  return `invalid document separator: kubectl takes a line that starts with --- for one, and allows only a comment after it ("invalid Yaml document separator: ${shown}"); it reads nothing of the file from here`
}

/** True when the range holds directive lines (`%…`) and nothing else but comments and blank lines. */
function directivesOnly(text: string, start: number, end: number): boolean {
  let directive = false
  for (let i = start; i < end; ) {
    let nl = text.indexOf('\n', i)
    if (nl === -1 || nl > end) nl = end
    const c = text.charCodeAt(i)
    if (c === 37 /* % */) directive = true
    else if (!restIsBlank(text, i, nl) && c !== HASH) return false
    i = nl + 1
  }
  return directive
}

/** A line that starts with `---` or `...` (the match starts at the new line before it). */
const MARKER_LINE = /\n(?:---|\.\.\.)/g
/** A line that does not start with a space (the match starts at the new line before it). */
const UNINDENTED_LINE = /\n[^ \n]/g

/** Start of the line after the next match of `re` (from its lastIndex), or -1. */
function nextMatch(re: RegExp, text: string): number {
  const m = re.exec(text)
  return m ? m.index + 1 : -1
}

function isBlank(text: string, start: number, end: number): boolean {
  let i = start
  while (i < end) {
    const c = text.charCodeAt(i)
    if (isWsOrEol(c)) {
      i++
    } else if (c === HASH) {
      const nl = text.indexOf('\n', i)
      if (nl === -1 || nl >= end) return true
      i = nl + 1
    } else if (c === DASH && text.startsWith('---', i) && (i === start || text.charCodeAt(i - 1) === NL)) {
      i += 3
    } else {
      return false
    }
  }
  return true
}

/** First offset at or after `i` that is not white space or inside a comment. */
export function skipSpaceAndComments(text: string, i: number, limit: number): number {
  while (i < limit) {
    const c = text.charCodeAt(i)
    if (isWsOrEol(c)) i++
    else if (c === HASH && (i === 0 || isWsOrEol(text.charCodeAt(i - 1)))) {
      const nl = text.indexOf('\n', i)
      i = nl === -1 ? limit : nl + 1
    } else break
  }
  return i
}

/** Last offset (exclusive) before `i` that is not white space. */
export function trimBack(text: string, i: number, floor: number): number {
  while (i > floor && isWsOrEol(text.charCodeAt(i - 1))) i--
  return i
}

export interface ParseLimits {
  /** Maximum nesting depth (js-yaml maxDepth). */
  maxDepth: number
  /** Maximum number of nodes after alias expansion, per document. */
  maxExpandedNodes: number
}

export const DEFAULT_LIMITS: ParseLimits = { maxDepth: 100, maxExpandedNodes: 1_000_000 }

/** A node js-yaml closed at the top level of a chunk. */
interface RootNode {
  start: number
  end: number
  value: unknown
}

// Scratch stacks of the listener, shared by every parse (parsing is synchronous): the open
// position of each node being built, and the children (start, end, empty, value) closed so far.
let frameOpen: number[] = []
let frameBase: number[] = []
let kidStart: number[] = []
let kidEnd: number[] = []
let kidEmpty: boolean[] = []
let kidValue: unknown[] = []

/**
 * Parses one document chunk of `text` (from `start` to `end`) and records positions into `table`.
 * Throws js-yaml's exception on a syntax error.
 */
function parseChunk(
  text: string,
  start: number,
  end: number,
  table: PositionTable,
  limits: ParseLimits,
): { docs: RootNode[]; aliases: number; recursive: number } {
  // js-yaml drops a BOM that opens its input (a document after `...`, a JSON value after another):
  // its offsets then count from the character after it.
  if (start < end && text.charCodeAt(start) === 0xfeff) start++
  const src = start === 0 && end === text.length ? text : text.slice(start, end)
  const fOpen = frameOpen
  const fBase = frameBase
  const kS = kidStart
  const kE = kidEnd
  const kEmpty = kidEmpty
  const kV = kidValue
  let fTop = 0
  let kTop = 0
  let aliases = 0
  // Offset of the first alias inside the node its anchor names (js-yaml builds a cycle), or -1.
  let recursive = -1
  const limit = src.length

  const listener = (event: 'open' | 'close', state: { position: number; result: unknown }): void => {
    if (event === 'open') {
      fOpen[fTop] = state.position
      fBase[fTop] = kTop
      fTop++
      return
    }
    if (fTop === 0) return
    fTop--
    const open = fOpen[fTop]
    const base = fBase[fTop]
    // js-yaml reads a line break it adds after input that lacks one: never past the text.
    const close = Math.min(state.position, limit)
    const value = state.result
    let s = skipSpaceAndComments(src, open, limit)
    let e: number
    let empty = false
    if (s >= close) {
      // No content: an empty value (`key:` with nothing after it) or a probe by the parser.
      s = open
      e = open
      empty = true
    } else {
      // Node properties (anchor `&a`, tag `!t`) precede the content: point at the content.
      let c = src.charCodeAt(s)
      while ((c === 38 /* & */ || c === 33 /* ! */) && s < close) {
        while (s < close && !isWsOrEol(src.charCodeAt(s))) s++
        s = skipSpaceAndComments(src, s, limit)
        c = src.charCodeAt(s)
      }
      if (c === 42 /* '*' alias */) {
        aliases++
        // A collection is recorded when it closes: one not yet recorded is still open around its alias.
        if (recursive < 0 && value !== null && typeof value === 'object' && !table.has(value)) recursive = s + start
        // The alias's name, as readAlias reads it (js-yaml closes the node after a comment that follows).
        e = s + 1
        for (let c2 = src.charCodeAt(e); e < close && !isWsOrEol(c2) && c2 !== 44 && c2 !== 91 && c2 !== 93 && c2 !== 123 && c2 !== 125; c2 = src.charCodeAt(++e));
      } else {
        const isObject = value !== null && typeof value === 'object'
        const isFlow = c === 123 /* { */ || c === 91 /* [ */
        e = !isFlow && kTop > base && isObject ? lastEnd(kE, kEmpty, base, kTop) - start : trimBack(src, close, s)
        if (isObject && !table.has(value)) record(table, value, s + start, e + start, base, kTop)
      }
    }
    kTop = base
    kS[kTop] = s + start
    kE[kTop] = e + start
    kEmpty[kTop] = empty
    kV[kTop] = value
    kTop++
  }

  try {
    // json: a key written twice keeps its last value instead of failing the document, as goyaml.v2
    // (kubectl's YAML decoder, into map[string]interface{}) and Go's JSON decoder keep it.
    yaml.loadAll(src, () => undefined, { schema: KUBE_SCHEMA, listener, maxDepth: limits.maxDepth, json: true } as yaml.LoadOptions)
    const docs: RootNode[] = []
    for (let i = 0; i < kTop; i++) docs.push({ start: kS[i], end: kE[i], value: kV[i] })
    return { docs, aliases, recursive }
  } finally {
    // Drop the references to the values; keep the stacks if they stayed small.
    kV.fill(undefined, 0, kTop)
    if (kV.length > 65536) {
      frameOpen = []
      frameBase = []
      kidStart = []
      kidEnd = []
      kidEmpty = []
      kidValue = []
    }
  }
}

function lastEnd(kE: number[], kEmpty: boolean[], base: number, top: number): number {
  for (let i = top - 1; i >= base; i--) if (!kEmpty[i]) return kE[i]
  return kE[top - 1]
}

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Records a collection's span and its children: a sequence's items, or a mapping's children
 * paired as key, value, key, value… (checked against the value: no record of entries otherwise).
 */
function record(table: PositionTable, value: object, start: number, end: number, base: number, top: number): void {
  const kS = kidStart
  const kE = kidEnd
  const kEmpty = kidEmpty
  if (Array.isArray(value)) {
    const n = top - base
    let nonEmpty = n
    if (n !== value.length) {
      nonEmpty = 0
      for (let i = base; i < top; i++) if (!kEmpty[i]) nonEmpty++
    }
    const items = n === value.length ? n : nonEmpty
    if (items !== value.length) {
      table.begin(value, REC_SEQ, start, end, -1)
      return
    }
    table.begin(value, REC_SEQ, start, end, items)
    for (let i = base; i < top; i++) if (n === items || !kEmpty[i]) table.pushItem(kS[i], kE[i])
    return
  }
  let last = top
  if ((top - base) % 2 === 1) {
    // A trailing probe the parser made for a next key that was not there.
    if (kEmpty[top - 1]) last = top - 1
    else {
      table.begin(value, REC_MAP, start, end, -1)
      return
    }
  }
  const kV = kidValue
  // A key written twice: its last value is the one kept (as kubectl's decoder keeps it), and its
  // position with it.
  let later: Set<string> | undefined
  const seen = new Set<string>()
  for (let i = last - 2; i >= base; i -= 2) {
    const key = String(kV[i])
    if (key === '<<') continue
    if (seen.has(key)) (later ??= new Set()).add(`${i}`)
    else seen.add(key)
  }
  const o = table.begin(value, REC_MAP, start, end, (last - base) >> 1)
  let count = 0
  let merged = false
  for (let i = base; i + 1 < last; i += 2) {
    const key = String(kV[i])
    if (later?.has(`${i}`)) continue
    if (key === '<<') {
      // Only the first merge key is kept (as a Map would keep it).
      if (merged) continue
      merged = true
    } else if (!hasOwn.call(value, key)) {
      table.finish(o, -1)
      return
    }
    table.pushEntry(key, kS[i], kE[i], kS[i + 1], kE[i + 1])
    count++
  }
  table.finish(o, count)
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
  return redactYamlReason(reason.replace(/\s*\(\d+:\d+\)\s*$/, ''))
}

/**
 * js-yaml's reasons that quote a piece of the source: an alias or tag name, which an unquoted
 * password starting with `*` or `!` becomes (`password: *Zq8…`). The name is left out, and the
 * message says what to do; the position still points at it.
 */
export function redactYamlReason(reason: string): string {
  if (/^unidentified alias /.test(reason)) return 'unidentified alias (a value that starts with * names an anchor: quote it if it is a plain value)'
  // schema.ts: the value does not have the form its tag asks (goyaml fails the document the same way).
  if (reason.startsWith('cannot resolve a node with !<tag:yaml.org,2002:binary>')) return '!!binary value contains invalid base64 data'
  if (reason.startsWith('cannot resolve a node with !<tag:yaml.org,2002:timestamp>')) return 'a !!timestamp value that is not a timestamp (drop the tag)'
  if (/^(unknown tag|undeclared tag handle|tag name cannot contain|tag name is malformed|tag suffix cannot contain)/.test(reason)) {
    return `${reason.replace(/\s*(!<.*>|".*"|:.*)$/, '')} (a value that starts with ! is a tag: quote it if it is a plain value)`
  }
  return reason
}

/**
 * Kinds whose documents are not built: only `apiVersion`, `kind` and `metadata` are parsed (the
 * metadata keeps the namespace and name, so counts and namespaces do not change), and when:
 *  - `always`: whatever the document holds;
 *  - `no-spec`: when the document has no top-level `spec`;
 *  - `plain`: when the document's text holds none of `containers`, `ullSecret` (as in
 *    imagePullSecrets, pullSecrets, imagePullSecretName…) and `\\` (an escape could spell them).
 *
 * Why they cannot matter: the graph reads PodSpecs (a fixed path for Pod/PodTemplate/CronJob, else
 * `spec.template.spec` or `spec.jobTemplate.spec.template.spec` of any kind, which needs a
 * `containers` list), ServiceAccounts, Secrets and their producers (SealedSecret, ExternalSecret,
 * ClusterExternalSecret), the pull-secret-like fields anywhere under the `spec` of every other
 * kind (CustomResourceDefinition and ConfigMap excepted), and the namespaces and counts of every
 * object. A CustomResourceDefinition is cluster-scoped and never searched. The other kinds here
 * matter only through a `spec` they do not have, or, for `plain`, through names their text does not
 * contain. Unknown kinds (custom resources) are always built: they may hold a PodSpec or a pull
 * secret.
 *
 * A skipped document is not checked for syntax errors beyond its top-level lines and metadata.
 * In a file that holds `{{`, a document is skipped only when its text shows that template
 * detection could not flag it (templateSafe); the others are parsed with the parse filters, and
 * the fast path notes the template markers of the parts it leaves out (fastyaml.ts).
 */
export const SKIPPABLE_KINDS: ReadonlyMap<string, 'always' | 'no-spec' | 'plain'> = new Map([
  ['CustomResourceDefinition', 'always'],
  ['ConfigMap', 'no-spec'],
  ['Role', 'no-spec'],
  ['ClusterRole', 'no-spec'],
  ['RoleBinding', 'no-spec'],
  ['ClusterRoleBinding', 'no-spec'],
  ['MutatingWebhookConfiguration', 'no-spec'],
  ['ValidatingWebhookConfiguration', 'no-spec'],
  ['Service', 'plain'],
  ['Ingress', 'plain'],
  ['IngressClass', 'plain'],
  ['NetworkPolicy', 'plain'],
  ['PodDisruptionBudget', 'plain'],
  ['HorizontalPodAutoscaler', 'plain'],
  ['PersistentVolumeClaim', 'plain'],
  ['PersistentVolume', 'plain'],
  ['StorageClass', 'plain'],
  ['PriorityClass', 'plain'],
  ['Endpoints', 'plain'],
  ['EndpointSlice', 'plain'],
  ['LimitRange', 'plain'],
  ['ResourceQuota', 'plain'],
  ['APIService', 'plain'],
  ['Lease', 'plain'],
])

/** Whether a needle occurs in a range of a text, for ranges asked in increasing order (each occurrence is searched once). */
class Occurrences {
  private at = -2

  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  within(start: number, end: number): boolean {
    return this.first(start, end) >= 0
  }

  /** Offset of the first occurrence in [start, end), or -1. */
  first(start: number, end: number): number {
    if (this.at === -2 || (this.at !== -1 && this.at < start)) this.at = this.text.indexOf(this.needle, start)
    return this.at !== -1 && this.at < end ? this.at : -1
  }
}

export interface ParseOptions {
  /** Build only apiVersion, kind and metadata of documents of SKIPPABLE_KINDS (default true). */
  skipKinds?: boolean
  /** Delete, right after parsing, the fields the graph never reads (default true; see prune.ts). */
  prune?: boolean
  /** Parse the documents written in the common subset of YAML with fastyaml.ts (default true); js-yaml parses the others. */
  fast?: boolean
}

/** A top-level `key: value` line of a document: offsets of the key and of the value's text. */
interface TopLine {
  key: string
  lineStart: number
  valueStart: number
  valueEnd: number
  /** The value has node properties (an anchor or a tag). */
  props: boolean
}

const PLAIN_KEY_START = /[A-Za-z_]/
/** A plain scalar that stays a string in KUBE_SCHEMA (no null/bool/number form). */
const SIMPLE_TOKEN = /^[A-Za-z][A-Za-z0-9./_-]*$/

/** Offset after the quoted scalar starting at `i` if it closes before `end`, else -1. */
function closeQuote(text: string, i: number, end: number): number {
  const q = text.charCodeAt(i)
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j)
    if (q === 34 && c === 92 /* \\ */) j++
    else if (c === q) {
      if (q === 39 && text.charCodeAt(j + 1) === 39) j++
      else return j + 1
    }
  }
  return -1
}

/** Offset after the flow collection starting at `i` if it closes before `end`, else -1. */
function closeFlow(text: string, i: number, end: number): number {
  let depth = 0
  for (let j = i; j < end; j++) {
    const c = text.charCodeAt(j)
    if (c === 34 || c === 39) {
      const k = closeQuote(text, j, end)
      if (k < 0) return -1
      j = k - 1
    } else if (c === 91 || c === 123) depth++
    else if (c === 93 || c === 125) {
      if (--depth === 0) return j + 1
    }
  }
  return -1
}

/** True when only white space or a comment is left between `i` and `end`. */
function restIsBlank(text: string, i: number, end: number): boolean {
  const j = skipInlineSpace(text, i, end)
  return j >= end || (text.charCodeAt(j) === HASH && (j === i ? j === 0 || isWsOrEol(text.charCodeAt(j - 1)) : true))
}

function skipInlineSpace(text: string, i: number, end: number): number {
  while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB || text.charCodeAt(i) === CR)) i++
  return i
}

/**
 * The top-level lines of a document chunk when it is a plain block mapping whose every value that
 * starts on its key's line and could run on to later lines (quoted scalars, flow collections) ends
 * on that line; undefined otherwise. Such a document's top-level keys are exactly these lines: a
 * line at column 0 can continue nothing else (block and plain scalars end before it).
 */
function topLevelLines(text: string, start: number, end: number): TopLine[] | undefined {
  const lines: TopLine[] = []
  let i = start
  if (text.startsWith('---', i)) {
    let nl = text.indexOf('\n', i)
    if (nl === -1 || nl > end) nl = end
    if (!restIsBlank(text, i + 3, nl)) return undefined
    i = nl + 1
  }
  // Indented lines are never top-level: go from one line at column 0 to the next.
  const re = UNINDENTED_LINE
  for (; i !== -1 && i < end; re.lastIndex = i, i = nextMatch(re, text)) {
    let nl = text.indexOf('\n', i)
    if (nl === -1 || nl > end) nl = end
    const c = text.charCodeAt(i)
    if (c === SPACE || c === NL || c === CR || c === HASH) continue
    if (c === DOT && text.startsWith('...', i)) {
      // The document end marker: the last line of a chunk.
      if (!restIsBlank(text, i + 3, nl)) return undefined
      continue
    }
    if (c === DASH && (i + 1 >= nl || isWsOrEol(text.charCodeAt(i + 1)))) {
      // An item of a block sequence written at column 0 (`rules:` then `- apiGroups: …`): the
      // content of the previous key, which must have no value on its own line.
      const prev = lines[lines.length - 1]
      if (!prev || prev.valueStart < lineEndOf(text, prev.lineStart, end) || !itemLineEnds(text, i, nl)) return undefined
      continue
    }
    if (!PLAIN_KEY_START.test(text[i])) return undefined
    let k = i + 1
    while (k < nl && isKeyChar(text.charCodeAt(k))) k++
    if (text.charCodeAt(k) !== 58 /* : */) return undefined
    const after = text.charCodeAt(k + 1)
    if (k + 1 < nl && after !== SPACE && after !== TAB && after !== CR) return undefined
    const key = text.slice(i, k)
    for (const l of lines) if (l.key === key) return undefined
    const v0 = skipInlineSpace(text, k + 1, nl)
    const v = skipProperties(text, v0, nl)
    const valueEnd = valueEndOnLine(text, v, nl)
    if (valueEnd < 0) return undefined
    lines.push({ key, lineStart: i, valueStart: v, valueEnd, props: v !== v0 })
  }
  return lines
}

/** Skips node properties (anchor `&a`, tag `!t`) before a value. */
function skipProperties(text: string, v: number, nl: number): number {
  while (v < nl && (text.charCodeAt(v) === 38 || text.charCodeAt(v) === 33)) {
    while (v < nl && !isWsOrEol(text.charCodeAt(v))) v++
    v = skipInlineSpace(text, v, nl)
  }
  return v
}

/**
 * End of a value that starts at `v` on a line ending at `nl`: a quoted scalar or a flow
 * collection must close on the line (else -1); anything else ends with the line.
 */
function valueEndOnLine(text: string, v: number, nl: number): number {
  const vc = text.charCodeAt(v)
  if (v < nl && (vc === 34 || vc === 39 || vc === 91 || vc === 123)) {
    const close = vc === 34 || vc === 39 ? closeQuote(text, v, nl) : closeFlow(text, v, nl)
    return close < 0 || !restIsBlank(text, close, nl) ? -1 : close
  }
  return nl
}

/** True when the sequence item line at `i` (`- …`, `- - …`, `- key: …`) ends its own line. */
function itemLineEnds(text: string, i: number, nl: number): boolean {
  let v = i
  while (v < nl && text.charCodeAt(v) === DASH && (v + 1 >= nl || isWsOrEol(text.charCodeAt(v + 1)))) v = skipInlineSpace(text, v + 1, nl)
  v = skipProperties(text, v, nl)
  if (v < nl && PLAIN_KEY_START.test(text[v])) {
    let k = v + 1
    while (k < nl && isKeyChar(text.charCodeAt(k))) k++
    if (text.charCodeAt(k) === 58 && (k + 1 >= nl || isWsOrEol(text.charCodeAt(k + 1)))) v = skipProperties(text, skipInlineSpace(text, k + 1, nl), nl)
  }
  return valueEndOnLine(text, v, nl) >= 0
}

/**
 * The plain one-word value of a top-level line (`kind: ConfigMap`), or undefined. The next line
 * must start a new top-level entry (or end the document): an indented or blank line could carry
 * on a plain scalar (`kind: ConfigMap` then `  Extra` is the string "ConfigMap Extra").
 */
function plainToken(text: string, line: TopLine, lineEnd: number, end: number): { value: string; end: number } | undefined {
  const word = plainWord(text, line.valueStart, lineEnd)
  if (!word) return undefined
  if (lineEnd + 1 < end) {
    const c = text.charCodeAt(lineEnd + 1)
    if (isWsOrEol(c) || c === HASH) return undefined
  }
  return word
}

/** The one word from `v` to the end of its line (a comment may follow) when it is a plain string (SIMPLE_TOKEN), else undefined. */
function plainWord(text: string, v: number, lineEnd: number): { value: string; end: number } | undefined {
  let e = v
  while (e < lineEnd && !isWsOrEol(text.charCodeAt(e))) e++
  const value = text.slice(v, e)
  if (!SIMPLE_TOKEN.test(value) || NOT_STRINGS.has(value) || !restIsBlank(text, e, lineEnd)) return undefined
  return { value, end: e }
}

function lineEndOf(text: string, i: number, end: number): number {
  const nl = text.indexOf('\n', i)
  return nl === -1 || nl > end ? end : nl
}

/**
 * In a file that holds `{{`, template detection (templates.ts) reads every value of every
 * document: keys that hold `{{` or are objects (`[object Object]`), one-line values that name
 * Helm's objects, and the text of documents that do not parse. A document can be skipped there
 * only if none of that can be in it, which its text shows when nowhere a Helm or structural marker
 * is (templateMarkerIn, which also covers one-line block scalars), and, outside block scalars (`|`,
 * `>`: literal content, never a key), no node opens with `{` (a flow mapping, whose keys may be
 * objects), `?`, `*` or `[` where a key could be (explicit, alias or flow keys), no flow sequence
 * holds a `{`, no key holds a `{` or reads `[object Object]`, no double-quoted scalar holds an
 * escape (which could spell any of these), and no quoted scalar or flow sequence runs on past its
 * line. The continuation lines of a plain scalar (indented past its key) are text, whatever they
 * start with. Anything else makes the document parsed whole.
 */
function templateSafe(text: string, start: number, end: number): boolean {
  // With a marker somewhere, each value is read for markers, except block scalars whose value
  // holds a line break: text, which template detection never flags (istio's sidecar template,
  // dashboards). That is every `|`, `>`, `|+` and `>+` with content (their last line break is
  // kept), and a `|-` over more than one line; a `>-` may fold into one line, so it is read.
  // Without a marker anywhere, only the document's shape counts.
  const markers = templateMarkerIn(text.slice(start, end)) >= 0
  const marked = (from: number, to: number) => markers && templateMarkerIn(text.slice(from, to)) >= 0
  let blockIndent = -1 // inside a block scalar whose parent node starts at this column
  let blockKind: 'text' | 'literal-strip' | 'folded-strip' = 'text'
  let blockContent = -1 // the indentation of its first content line
  let blockLines = 0 // its lines so far, blank or not
  let blockLast = 0 // the number of its last line that is not blank
  let blockMarker = false // a marker in a `|-`: a template unless the value holds a line break
  // The end of a block scalar: false when a `|-` with a marker turned out to be one line.
  const blockEnds = () => !(blockKind === 'literal-strip' && blockMarker && blockLast < 2)
  // After a plain scalar: its continuation lines are indented past this column (text, never keys).
  let plainIndent = -1
  let plainStart = -1 // where that scalar's last line that is not blank starts
  for (let i = start; i < end; ) {
    let nl = text.indexOf('\n', i)
    if (nl === -1 || nl > end) nl = end
    const line = i
    i = nl + 1
    let c0 = line
    while (c0 < nl && text.charCodeAt(c0) === SPACE) c0++
    const indent = c0 - line
    const blank = restIsBlank(text, c0, nl) && text.charCodeAt(c0) !== HASH
    if (blockIndent >= 0 && (blank || indent > blockIndent)) {
      blockLines++
      // An all-space line before the first content line may be too indented, which YAML rejects.
      if (markers && blank && blockContent < 0 && indent > 0) return false
      if (markers && !blank) {
        blockLast = blockLines
        // A content line less indented than the first ends the scalar where YAML cannot go on:
        // let the parser judge that document.
        if (blockContent < 0) blockContent = indent
        else if (indent < blockContent) return false
        if (blockKind !== 'text' && marked(c0, nl)) {
          if (blockKind === 'folded-strip') return false
          blockMarker = true
        }
      }
      continue
    }
    if (blockIndent >= 0 && !blockEnds()) return false
    blockIndent = -1
    if (plainIndent >= 0) {
      // A comment line ends the scalar; a line indented past it goes on with its text.
      if (blank || (indent > plainIndent && text.charCodeAt(c0) !== HASH)) {
        // Its lines fold into one: a marker may run from the line before (blank lines between).
        if (!blank) {
          if (marked(plainStart, nl)) return false
          plainStart = c0
        }
        continue
      }
      plainIndent = -1
    }
    if (blank || text.charCodeAt(c0) === HASH) continue
    if (marked(c0, nl)) return false
    // The node the line opens, after `- ` entries: a block scalar's content must be indented past
    // its parent's column (the key's, or the last `-`'s).
    let v = c0
    let parentColumn = indent
    while (v < nl && text.charCodeAt(v) === DASH && (v + 1 >= nl || isWsOrEol(text.charCodeAt(v + 1)))) {
      parentColumn = v - line
      v = skipInlineSpace(text, v + 1, nl)
    }
    const first = text.charCodeAt(v)
    if (first === 123 /* { */ && emptyFlowMapping(text, v, nl)) continue
    if (first === TAB || first === 123 /* { */ || first === 63 /* ? */ || first === 42 /* * */ || first === 91 /* [ */) return false
    const keyColumn = v - line
    if (first === 34 || first === 39) {
      // A quoted key (closed on the line), or a quoted value, which may run on to later lines.
      const closeOnLine = closeQuote(text, v, nl)
      if (closeOnLine >= 0 && text.charCodeAt(closeOnLine) === 58 /* : */) {
        const key = text.slice(v, closeOnLine)
        if (!quotedSafe(text, v, closeOnLine) || key.includes('{') || key.includes('object Object')) return false
        v = closeOnLine + 1
        parentColumn = keyColumn
      } else {
        const next = afterQuotedValue(text, v, end)
        if (next < 0 || marked(v, next)) return false
        i = next
        continue
      }
    } else {
      // A plain key (its text up to `: `, or to a `:` that ends the line), or a plain scalar.
      let colon = -1
      for (let k = v; k < nl; k++) {
        const c = text.charCodeAt(k)
        if (c === 58 && (k + 1 >= nl || isWsOrEol(text.charCodeAt(k + 1)))) {
          colon = k
          break
        }
        if (c === HASH && isWsOrEol(text.charCodeAt(k - 1))) break
      }
      if (colon !== -1) {
        const key = text.slice(v, colon)
        if (key.includes('{') || key.includes('object Object')) return false
        v = colon + 1
        parentColumn = keyColumn
      } else {
        // A plain scalar: text, whatever it holds. Lines indented at least as far go on with it
        // (its parent is less indented), unless a comment ends it here.
        if (!endsWithComment(text, v, nl)) {
          plainIndent = keyColumn - 1
          plainStart = v
        }
        continue
      }
    }
    v = skipProperties(text, skipInlineSpace(text, v, nl), nl)
    const vc = text.charCodeAt(v)
    if (v >= nl || vc === HASH || (vc === 123 /* { */ && emptyFlowMapping(text, v, nl))) continue
    if (vc === 124 /* | */ || vc === 62 /* > */) {
      // A block scalar header: indentation and chomping indicators, then nothing but a comment.
      // Its content is the lines indented past the parent (a line less indented than an explicit
      // indentation indicator asks ends it, and is then not valid YAML: the document fails).
      let k = v + 1
      for (let n = 0; n < 2 && k < nl && /[1-9+-]/.test(text[k]); n++) k++
      if (!restIsBlank(text, k, nl)) return false
      blockIndent = parentColumn
      blockKind = !text.slice(v + 1, k).includes('-') ? 'text' : vc === 124 ? 'literal-strip' : 'folded-strip'
      blockContent = -1
      blockLines = 0
      blockLast = 0
      blockMarker = false
    } else if (vc === 123 /* { */) {
      return false
    } else if (vc === 91 /* [ */) {
      const close = closeFlow(text, v, nl)
      if (close < 0 || !restIsBlank(text, close, nl) || text.slice(v, close).includes('{') || text.slice(v, close).includes('\\')) return false
    } else if (vc === 34 || vc === 39) {
      const next = afterQuotedValue(text, v, end)
      if (next < 0 || marked(v, next)) return false
      i = next
    } else if (vc !== 42 /* * */ && !endsWithComment(text, v, nl)) {
      // A plain value: the lines indented past its key go on with it.
      plainIndent = parentColumn
      plainStart = v
    }
  }
  return blockIndent < 0 || blockEnds()
}

/** Whether a comment (`#` after a space or tab) follows `v` on its line. */
function endsWithComment(text: string, v: number, nl: number): boolean {
  for (let k = v + 1; k < nl; k++) {
    if (text.charCodeAt(k) !== HASH) continue
    const before = text.charCodeAt(k - 1)
    if (before === SPACE || before === TAB) return true
  }
  return false
}

/** A quoted scalar (from its opening quote to past its closing one) without escapes. */
function quotedSafe(text: string, open: number, close: number): boolean {
  return text.charCodeAt(open) !== 34 || text.slice(open, close).indexOf('\\') === -1
}

/**
 * Where the next line starts after a quoted value that opens at `open` (its content is text, on
 * one line or several: never a key), or -1 when it does not close before `end`, holds an escape,
 * or is followed by more than a comment.
 */
function afterQuotedValue(text: string, open: number, end: number): number {
  const close = closeQuote(text, open, end)
  if (close < 0 || !quotedSafe(text, open, close)) return -1
  const nl = lineEndOf(text, close, end)
  return restIsBlank(text, close, nl) ? nl + 1 : -1
}

/** `{}` and nothing else but a comment on the line. */
function emptyFlowMapping(text: string, v: number, nl: number): boolean {
  const k = skipInlineSpace(text, v + 1, nl)
  return text.charCodeAt(k) === 125 /* } */ && restIsBlank(text, k + 1, nl)
}

/**
 * A skippable document built from its top-level lines: `{apiVersion, kind, metadata}` with
 * positions, or undefined when the document must be parsed whole (not a skippable kind, or not in
 * a form whose top level can be read line by line).
 */
function skippedDocument(
  text: string,
  start: number,
  end: number,
  table: PositionTable,
  limits: ParseLimits,
  fast: boolean,
  filtered: boolean,
  plain: () => boolean,
  safe: () => boolean,
): RootNode | undefined {
  const lines = topLevelLines(text, start, end)
  if (!lines) return undefined
  let kindLine: TopLine | undefined
  let apiLine: TopLine | undefined
  let metaIndex = -1
  let hasSpec = false
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]
    if (l.key === 'kind') kindLine = l
    else if (l.key === 'apiVersion') apiLine = l
    else if (l.key === 'metadata') metaIndex = i
    else if (l.key === 'spec') hasSpec = true
  }
  if (!kindLine || !apiLine) return undefined
  if (kindLine.props || apiLine.props) return undefined
  const kind = plainToken(text, kindLine, lineEndOf(text, kindLine.valueStart, end), end)
  const skip = kind && SKIPPABLE_KINDS.get(kind.value)
  if (!kind || !skip || (skip === 'no-spec' && hasSpec) || (skip === 'plain' && !plain()) || !safe()) return undefined
  const api = plainToken(text, apiLine, lineEndOf(text, apiLine.valueStart, end), end)
  if (!api) return undefined
  let metadata: unknown
  let metaEntry: { ks: number; ke: number; vs: number; ve: number } | undefined
  if (metaIndex >= 0) {
    const m = lines[metaIndex]
    const regionEnd = metaIndex + 1 < lines.length ? lines[metaIndex + 1].lineStart : end
    let root: unknown
    const quick = fast ? fastDocument(text, m.lineStart, regionEnd, table, filtered ? ONLY_METADATA : undefined) : undefined
    if (quick) {
      root = quick.value
    } else {
      try {
        const parsed = parseChunk(text, m.lineStart, regionEnd, table, limits)
        if (parsed.recursive >= 0) return undefined // parsed whole, it is reported there
        root = parsed.docs.length === 1 ? parsed.docs[0].value : undefined
      } catch {
        return undefined
      }
    }
    if (root === null || typeof root !== 'object' || Array.isArray(root) || Object.keys(root).length !== 1 || !hasOwn.call(root, 'metadata')) return undefined
    metadata = (root as Record<string, unknown>).metadata
    const ks = table.keySpan(root, 'metadata')
    const vs = table.valueSpan(root, 'metadata')
    table.forget(root)
    if (!ks || !vs) return undefined
    metaEntry = { ks: ks.start, ke: ks.end, vs: vs.start, ve: vs.end }
  }
  const value: Record<string, unknown> = {}
  const first = lines[0].lineStart
  const last = trimBack(text, end, first)
  const entries: { key: string; ks: number; ke: number; vs: number; ve: number }[] = []
  for (const l of lines) {
    if (l === apiLine) {
      value.apiVersion = api.value
      entries.push({ key: 'apiVersion', ks: l.lineStart, ke: l.lineStart + 10, vs: l.valueStart, ve: api.end })
    } else if (l === kindLine) {
      value.kind = kind.value
      entries.push({ key: 'kind', ks: l.lineStart, ke: l.lineStart + 4, vs: l.valueStart, ve: kind.end })
    } else if (l.key === 'metadata' && metaEntry) {
      value.metadata = metadata
      entries.push({ key: 'metadata', ...metaEntry })
    }
  }
  const o = table.begin(value, REC_MAP, first, last, entries.length)
  for (const e of entries) table.pushEntry(e.key, e.ks, e.ke, e.vs, e.ve)
  table.finish(o, entries.length)
  return { start: first, end: last, value }
}

/**
 * Start of the first line in [start, end) that begins with `kind:`, or -1 (`breaks`: the
 * occurrences of `\nkind:` in the text; documents asked in increasing order).
 */
function kindLine(text: string, breaks: Occurrences, start: number, end: number): number {
  if (start === 0 && text.startsWith('kind:')) return 0
  const nl = breaks.first(Math.max(0, start - 1), end - 1)
  return nl < 0 ? -1 : nl + 1
}

/**
 * The kind named by the first `kind:` line at column 0 of a document, when it holds a plain word:
 * the kind to choose the parse filter by (fastDocument checks that the document has that kind).
 */
function kindOf(text: string, chunk: DocumentChunk, kinds: Occurrences): string | undefined {
  const line = kindLine(text, kinds, chunk.start, chunk.end)
  if (line < 0) return undefined
  const nl = lineEndOf(text, line, chunk.end)
  return plainWord(text, skipInlineSpace(text, line + 5, nl), nl)?.value
}

// What goyaml's reader (yaml_parser_update_buffer) refuses: C0 controls but tab, LF and CR; DEL and
// the C1 controls but NEL; U+FFFE and U+FFFF. (NUL makes the file binary before this.)
// eslint-disable-next-line no-control-regex -- the very characters to find
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/

const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/

/** The offset of the first character goyaml refuses between `start` and `end`, or undefined. */
function controlCharacterAt(text: string, start: number, end: number): number | undefined {
  const m = CONTROL.exec(text.slice(start, end))
  return m === null ? undefined : start + m.index
}

/**
 * Parses a whole YAML (or JSON) file into documents with positions. Never throws: errors come back
 * per document with their offset. A document that holds one of `invalidBytes` (bytes of the file
 * that are not UTF-8, at their offsets in `text`) is not built: it is an error there, as in
 * kubectl's YAML parser.
 */
export function parseYamlFile(
  text: string,
  limits: ParseLimits = DEFAULT_LIMITS,
  options: ParseOptions = {},
  invalidBytes: readonly { offset: number; byte: number }[] = [],
): ParsedFile {
  const table = new PositionTable(text)
  const documents: ParsedDocument[] = []
  const errors: DocumentError[] = []
  const jsonStream = splitJsonStream(text)
  const chunks = jsonStream ?? splitDocuments(text)
  // Tabs, where goyaml refuses some that js-yaml takes (tabs.ts); a JSON stream takes any.
  const tabs = jsonStream === undefined ? new Occurrences(text, '\t') : undefined
  const skipKinds = options.skipKinds !== false
  // Whether template detection will read the values (only when the file has `{{`).
  const hasBraces = text.includes('{{')
  const templated = skipKinds && hasBraces
  let skipped = 0
  const containers = new Occurrences(text, 'containers')
  const pullSecret = new Occurrences(text, 'ullSecret')
  const backslash = new Occurrences(text, '\\')
  const fast = options.fast !== false
  // Pruning at parse time (prune.ts parseFilter), by the kind each document's top-level line names.
  const filtered = fast && options.prune !== false
  // The lines that start with `kind:`, found once per file: a document without one is neither
  // skipped by kind nor filtered.
  const kinds = new Occurrences(text, '\nkind:')
  const templateMarks: number[] | undefined = hasBraces && filtered ? [] : undefined
  let nextInvalid = 0
  // Characters goyaml's reader refuses anywhere in a YAML stream, comments and quoted strings
  // included, are looked for in the documents that are built (a skipped kind is not read for
  // them). A file that opens with `{` is read by Go's JSON decoder, which takes DEL and C1.
  const controlsRefused = jsonStream === undefined && text.charCodeAt(skipJsonSpace(text, skipUnicodeSpace(text, 0))) !== 123
  /** The chunk's document is not built: an error at `offset`. */
  const refuse = (chunk: DocumentChunk, message: string, offset: number, fix?: string) =>
    errors.push({ message, offset, span: { start: chunk.start, end: chunk.end }, index: chunk.index, ...(fix === undefined ? {} : { fix }) })
  for (const chunk of chunks) {
    while (nextInvalid < invalidBytes.length && invalidBytes[nextInvalid].offset < chunk.start) nextInvalid++
    const bad = invalidBytes[nextInvalid]
    if (bad !== undefined && bad.offset < chunk.end) {
      const hex = bad.byte.toString(16).toUpperCase().padStart(2, '0')
      refuse(chunk, `invalid UTF-8: byte 0x${hex} is not part of a UTF-8 character (save the file as UTF-8)`, bad.offset)
      continue
    }
    if (chunk.error !== undefined) {
      refuse(chunk, chunk.error, chunk.errorAt ?? chunk.start, chunk.fix)
      continue
    }
    if (isBlank(text, chunk.start, chunk.end)) continue
    if (tabs?.within(chunk.start, chunk.end)) {
      const tab = refusedTab(text, chunk.start, chunk.end)
      if (tab !== undefined) {
        refuse(chunk, `a tab where YAML takes only spaces (in the indentation, or after "- "): kubectl refuses it ("found ${tab.found}"); write spaces`, tab.offset)
        continue
      }
    }
    // The kind its first `kind:` line names: a document of another kind is never skipped, and
    // reading its top-level lines for skippedDocument would be wasted.
    const named = kindOf(text, chunk, kinds)
    if (skipKinds && named !== undefined && SKIPPABLE_KINDS.has(named)) {
      const { start, end } = chunk
      const plain = () => !containers.within(start, end) && !pullSecret.within(start, end) && !backslash.within(start, end)
      const safe = () => !templated || templateSafe(text, start, end)
      const stub = skippedDocument(text, start, end, table, limits, fast, filtered, plain, safe)
      if (stub) {
        documents.push({ value: stub.value, span: { start: stub.start, end: stub.end }, index: chunk.index })
        skipped++
        continue
      }
    }
    // Printable ASCII (most documents) holds none of the characters the parsers refuse.
    const ascii = !NOT_PLAIN_ASCII.test(text.slice(chunk.start, chunk.end))
    if (!ascii && controlsRefused) {
      const at = controlCharacterAt(text, chunk.start, chunk.end)
      if (at !== undefined) {
        const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')
        const what = code === 'FFFE' || code === 'FFFF' ? 'a noncharacter' : 'a control character'
        refuse(chunk, `${what} (U+${code}) where YAML allows none: kubectl refuses the document ("control characters are not allowed"); remove it, or write it as an escape in a double-quoted string`, at)
        continue
      }
    }
    if (fast) {
      // In a file that holds `{{`, the parts left out are read for template markers as they are
      // parsed (templateMarks: on the values, so an escape that spells a marker is seen too).
      const kind = filtered ? named : undefined
      const doc = fastDocument(text, chunk.start, chunk.end, table, kind === undefined ? undefined : parseFilter(kind), kind, templateMarks, ascii)
      if (doc) {
        documents.push({ value: doc.value, span: { start: doc.start, end: doc.end }, index: chunk.index })
        continue
      }
    }
    try {
      const { docs, aliases, recursive } = parseChunk(text, chunk.start, chunk.end, table, limits)
      for (const d of docs) {
        if (recursive >= d.start && recursive < d.end) {
          // goyaml (kubectl) refuses it: "anchor 'x' value contains itself". (Its name is not
          // quoted: an unquoted password that starts with * is an alias.)
          refuse(chunk, 'an alias is inside the value its anchor names (a recursive alias, which kubectl rejects: "anchor value contains itself")', recursive)
          continue
        }
        if (aliases > 0 && expandedSize(d.value, new Map(), limits.maxExpandedNodes) > limits.maxExpandedNodes) {
          refuse(chunk, `excessive aliasing: the document expands to more than ${limits.maxExpandedNodes} nodes (an alias bomb?)`, d.start)
          continue
        }
        documents.push({ value: d.value, span: { start: d.start, end: d.end }, index: chunk.index })
      }
    } catch (err) {
      const mark = (err as YamlErrorLike).mark
      refuse(chunk, safeYamlMessage(err), chunk.start + Math.max(0, Math.min(mark?.position ?? 0, chunk.end - chunk.start)))
    }
  }
  table.compact()
  const file: ParsedFile = { text, documents, errors, positions: table, skipped }
  if (templateMarks?.length) file.templateMarks = templateMarks
  return file
}
