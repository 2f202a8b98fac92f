// A fast path for the YAML that renderers write.
//
// `helm template`, `kustomize build`, hand-written manifests and JSON use a small part of YAML:
// block mappings with plain or quoted keys, block sequences, plain and quoted scalars (over lines
// too), flow collections (`{cpu: 100m}`, `["sh", "-c"]`, whole JSON documents), literal and folded
// block scalars, and comments. This module parses one document written only with those, straight
// into the same values and the same position records as js-yaml 4 with the listener (yaml.ts
// `parseChunk`) would give, at a fraction of the cost (no listener calls, no generic scanner, no
// implicit-type regexes on plain words). With a ParseFilter it also prunes as it goes: what the
// filter leaves out is read and checked, not built.
//
// It accepts a document only when it is sure of the result: anything else (anchors, aliases,
// tags, explicit keys, tabs in indentation, duplicate keys, empty or nested `- -` sequence items,
// empty flow values, anything that may be an error…) makes it give up on the whole document, which
// js-yaml then parses as before, errors included. So a document that js-yaml rejects is never
// accepted here, and an accepted one gives exactly js-yaml's values: test/source/fastyaml.test.ts
// checks both on the corpus, on a synthetic repository and on thousands of mutated documents.
import type { PositionTable } from './yaml.js'
import { KUBE_SCHEMA } from './schema.js'
import { isTemplateKey, stringMarkerAt } from './templates.js'
import { COLON, CR, DASH, DQUOTE, HASH, isKeyChar, isLetter, isWsOrEol, NL, NOT_STRINGS, SPACE, SQUOTE, TAB } from './chars.js'

interface ImplicitType {
  tag: string
  resolve(data: string): boolean
  construct(data: string): unknown
}

/** The implicit scalar types of the schema js-yaml reads with (KUBE_SCHEMA), in its order (null, bool, int, float, merge). */
const IMPLICIT: readonly ImplicitType[] | undefined = (KUBE_SCHEMA as unknown as { compiledImplicit?: ImplicitType[] }).compiledImplicit
const MERGE_TAG = 'tag:yaml.org,2002:merge'
/** Non-printable characters js-yaml rejects in its input (loader.js PATTERN_NON_PRINTABLE). */
// eslint-disable-next-line no-control-regex -- the very characters to find
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/
const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/
const MAX_DEPTH = 64

/**
 * Which parts of a document to build (the others are read and checked all the same, but give no
 * values and no position records): pruning at parse time, see prune.ts `parseFilter`. A mapping
 * entry whose key is not in `keep` is read and left out; `sub` gives the filters of the values of
 * some keys, `items` that of a sequence's items. Flow collections are built whole.
 */
export interface ParseFilter {
  keep?: ReadonlySet<string>
  sub?: ReadonlyMap<string, ParseFilter>
  items?: ParseFilter
  /**
   * For the root: true when the filtered value is what pruning the whole value would give;
   * otherwise the document is parsed again with `fallback`.
   */
  check?: (value: Record<string, unknown>) => boolean
  /** The filter to parse again with when `check` fails (none: build it all). */
  fallback?: ParseFilter
}

/** False while reading a part that the filter leaves out. */
let BUILD = true

/**
 * True while parsing a document of a file that holds `{{`, where template detection (templates.ts)
 * reads every key and every string: in the parts left out, the keys and strings it would flag
 * are noted in `marks` instead (offsets, as findTemplateMarker computes them).
 */
let PROBE = false
let marks: number[] = []

/** A string read in a part left out: a template marker, as findTemplateMarker sees one? */
function probeString(value: string, start: number, end: number): void {
  const at = stringMarkerAt(value, S, start, end)
  if (at >= 0) marks.push(at)
}

function probeKey(key: string, start: number): void {
  if (isTemplateKey(key)) marks.push(start)
}

/** The anchors of the document and their scalar values (NOT_AVAILABLE: a collection, or a part not built). */
const anchors = new Map<string, unknown>()
const NOT_AVAILABLE = Symbol('not available')

/** Thrown to give up on a document; one object, no stack trace. */
const BAIL = { bail: true }

// The document being parsed (parsing is synchronous: one at a time).
let S = ''
/** End of the document's chunk (exclusive): the parser treats it as the end of the input. */
let E = 0
/** Current offset. */
let P = 0
/** Indent of the content line at P, or -1 at the end of the document. */
let IND = -1
let T: PositionTable
let depth = 0
/** Start and end of the node just parsed, and whether it was empty (a null without text). */
let NS = 0
let NE = 0
let NEMPTY = false
// Children of the collections being built: keys and spans (key start, key end, value start, value end; items use two).
let keys: string[] = []
let nums: number[] = []
let kTop = 0
let nTop = 0
/** Collections recorded in the table for the current document (forgotten if it gives up). */
let made: object[] = []

function bail(): never {
  throw BAIL
}

/** True when js-yaml would reject the text for a non-printable character (it checks each document). */
function nonPrintable(text: string, start: number, end: number): boolean {
  const chunk = text.slice(start, end)
  // Most documents are printable ASCII, which a simpler pattern finds faster.
  return NOT_PLAIN_ASCII.test(chunk) && NON_PRINTABLE.test(chunk)
}

/**
 * Parses the document in `text` from `start` to `end` (one chunk of splitDocuments) if it is
 * written in the subset this module knows; records its positions in `table`. Undefined when it is
 * not (nothing is left recorded then): parse it with js-yaml.
 */
export function fastDocument(
  text: string,
  start: number,
  end: number,
  table: PositionTable,
  filter?: ParseFilter,
  kind?: string,
  templateMarks?: number[],
  /** The caller found the document to be printable ASCII: no need to look again. */
  ascii = false,
): { value: unknown; start: number; end: number } | undefined {
  if (IMPLICIT === undefined || (!ascii && nonPrintable(text, start, end))) return undefined
  PROBE = templateMarks !== undefined && filter !== undefined
  try {
    let doc = parseDocument(text, start, end, table, filter)
    if (doc && filter && kind !== undefined && (doc.value as Record<string, unknown> | null)?.kind !== kind) {
      // The filter was chosen for another kind (a `kind:` line inside a scalar or a flow): build it all.
      table.rollback(doc.mark, doc.made)
      PROBE = false
      doc = parseDocument(text, start, end, table, undefined)
    } else if (doc && filter?.check && !filter.check(doc.value as Record<string, unknown>)) {
      // Pruning would keep what the filter left out: parse again with less left out.
      table.rollback(doc.mark, doc.made)
      PROBE = templateMarks !== undefined && filter.fallback !== undefined
      doc = parseDocument(text, start, end, table, filter.fallback)
    }
    // The marks of the attempt that counts (parseDocument starts each attempt with none).
    if (doc && templateMarks) templateMarks.push(...marks)
    return doc
  } finally {
    PROBE = false
    marks = []
  }
}

function parseDocument(
  text: string,
  start: number,
  end: number,
  table: PositionTable,
  filter: ParseFilter | undefined,
): { value: unknown; start: number; end: number; mark: number; made: object[] } | undefined {
  S = text
  E = end
  P = start
  T = table
  depth = 0
  kTop = 0
  nTop = 0
  BUILD = true
  made = []
  if (marks.length) marks = []
  if (anchors.size) anchors.clear() // clear() allocates a new table even when empty
  const mark = table.mark()
  try {
    if (text.startsWith('---', start)) {
      P = start + 3
      endLine()
    } else {
      nextContent()
    }
    if (IND < 0) bail()
    let value: unknown
    const first = S.charCodeAt(P)
    if (first === 123 || first === 91) {
      // A flow collection as the document (JSON): built whole, pruned after.
      depth++
      value = flowCollection(P)
      endLine()
    } else {
      value = blockNode(IND, filter)
    }
    const s = NS
    const e = NE
    if (IND !== -1) bail()
    return { value, start: s, end: e, mark, made }
  } catch (err) {
    if (err !== BAIL) throw err
    table.rollback(mark, made)
    return undefined
  } finally {
    S = ''
    made = []
    if (anchors.size) anchors.clear()
    BUILD = true
    keys.fill('', 0, kTop)
    if (keys.length > 4096) {
      keys = []
      nums = []
    }
  }
}

/** End of the name of an anchor (`&name`) or an alias (`*name`) at `q`; gives up on an empty one. */
function propertyEnd(q: number): number {
  let k = q + 1
  while (k < E && !isWsOrEol(S.charCodeAt(k)) && !isFlowIndicator(S.charCodeAt(k))) k++
  if (k === q + 1) bail()
  return k
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125
}

/** Character at `i`, with the end of the chunk read as a line break. */
function at(i: number): number {
  return i < E ? S.charCodeAt(i) : NL
}

/** Skips spaces on the line (a tab gives up: js-yaml has rules of its own for tabs). */
function skipSpaces(i: number): number {
  for (;;) {
    const c = at(i)
    if (c === SPACE) i++
    else if (c === TAB) bail()
    else return i
  }
}

/** From P, after a node: only spaces and a comment may be left on the line; then goes to the next content line. */
function endLine(): void {
  let i = skipSpaces(P)
  let c = at(i)
  if (c === HASH) {
    if (i === P && i > 0 && !isWsOrEol(S.charCodeAt(i - 1))) bail()
    while (i < E && (c = S.charCodeAt(i)) !== NL && c !== CR) i++
    c = at(i)
  }
  if (c !== NL && c !== CR) bail()
  P = lineBreak(i)
  nextContent()
}

/** Offset after the line break at `i` (a lone CR gives up). */
function lineBreak(i: number): number {
  if (i >= E) return E
  if (S.charCodeAt(i) === CR) {
    if (at(i + 1) !== NL) bail()
    return i + 2
  }
  return i + 1
}

/** From a line start, skips blank and comment lines: P at the first content character of the next line, IND its indent (-1 at the end). */
function nextContent(): void {
  for (;;) {
    if (P >= E) {
      IND = -1
      P = E
      return
    }
    const lineStart = P
    let i = P
    while (i < E && S.charCodeAt(i) === SPACE) i++
    const c = at(i)
    if (c === NL || c === CR) {
      P = lineBreak(i)
      continue
    }
    if (c === HASH) {
      while (i < E && S.charCodeAt(i) !== NL && S.charCodeAt(i) !== CR) i++
      P = lineBreak(i)
      continue
    }
    if (c === TAB) bail()
    if (i === lineStart) {
      // A document end marker (the chunk ends with its line), a directive or a document start.
      if ((c === 46 /* . */ && S.startsWith('...', i)) || (c === DASH && S.startsWith('---', i))) {
        if (isWsOrEol(at(i + 3)) && c === 46) {
          P = i + 3
          const before = E
          endLine()
          if (IND !== -1 || before !== E) bail()
          return
        }
        if (isWsOrEol(at(i + 3))) bail()
      }
      if (c === 37 /* % */) bail()
    }
    P = i
    IND = i - lineStart
    return
  }
}

/** The node that starts the content line at P (indent `ind`): a block sequence or a block mapping. */
function blockNode(ind: number, filter: ParseFilter | undefined): unknown {
  if (++depth > MAX_DEPTH) bail()
  let value: unknown
  if (S.charCodeAt(P) === DASH && isWsOrEol(at(P + 1))) value = blockSequence(ind, filter?.items)
  else if (mappingColon(P) >= 0) value = blockMapping(ind, filter)
  else bail()
  depth--
  return value
}

/**
 * The offset of the `:` that makes the line from `i` a mapping entry, or -1 when the line holds a
 * scalar. A key that this module does not handle gives up.
 */
function mappingColon(i: number): number {
  const c = S.charCodeAt(i)
  if (c === DQUOTE || c === SQUOTE) {
    const close = closeQuoteOnLine(i)
    if (close < 0) return -1 // a quoted scalar over lines: never a key
    const after = at(close)
    if (after === COLON && isWsOrEol(at(close + 1))) return close
    return -1
  }
  if (c === 123 /* { */ || c === 91 /* [ */) return -1
  for (let k = i; k < E; k++) {
    const ch = S.charCodeAt(k)
    if (ch === COLON) {
      if (isWsOrEol(at(k + 1))) return k
    } else if (ch === HASH) {
      if (k > i && isWsOrEol(S.charCodeAt(k - 1))) return -1
    } else if (ch === NL || ch === CR) {
      return -1
    }
  }
  return -1
}

/** Offset after the closing quote of the quoted scalar at `i`, on its line; -1 if it runs on. */
function closeQuoteOnLine(i: number): number {
  const q = S.charCodeAt(i)
  for (let j = i + 1; j < E; j++) {
    const c = S.charCodeAt(j)
    if (c === q) {
      if (q === SQUOTE && at(j + 1) === SQUOTE) j++
      else return j + 1
    } else if (c === NL || c === CR) {
      return -1
    } else if (c === 92 /* \ */ && q === DQUOTE) {
      j++ // the escaped character (a line break there makes the scalar run on: the next turn sees it)
      const e = at(j)
      if (e === NL || e === CR) return -1
    }
  }
  return -1
}

/**
 * The quoted scalar that opens at `q`, on one line or over several (js-yaml's readSingleQuotedScalar
 * and readDoubleQuotedScalar): P is left after its closing quote. A line break folds to a space,
 * n > 1 of them to n - 1 line feeds; the white space around a break is dropped; in double quotes a
 * `\\` before the break joins the lines.
 */
function quoted(q: number): string {
  const close = closeQuoteOnLine(q)
  if (close >= 0) {
    P = close
    return quotedValue(q, close)
  }
  const double = S.charCodeAt(q) === DQUOTE
  let result = ''
  let i = q + 1
  let captureStart = i
  let captureEnd = i
  for (;;) {
    if (i >= E) bail() // not closed in the document
    const ch = S.charCodeAt(i)
    if (double ? ch === DQUOTE : ch === SQUOTE) {
      result += S.slice(captureStart, i)
      if (!double && at(i + 1) === SQUOTE) {
        captureStart = i + 1
        i += 2
        captureEnd = i
        continue
      }
      P = i + 1
      return result
    }
    if (double && ch === 92 /* \\ */) {
      result += S.slice(captureStart, i)
      const e = at(i + 1)
      if (e === NL || e === CR) {
        i = separation(i + 1).at
      } else {
        const hex = HEX_ESCAPES.get(e) ?? 0
        if (i + 2 + hex > E) bail()
        result += unescapeDoubleQuoted(S.slice(i, i + 2 + hex))
        i += 2 + hex
      }
      captureStart = captureEnd = i
    } else if (ch === NL || ch === CR) {
      result += S.slice(captureStart, captureEnd)
      const sep = separation(i)
      result += sep.breaks === 1 ? ' ' : '\n'.repeat(sep.breaks - 1)
      i = captureStart = captureEnd = sep.at
    } else {
      i++
      if (ch !== SPACE && ch !== TAB) captureEnd = i
    }
  }
}

/** From a line break at `i`: the line breaks and the white space around them (js-yaml's skipSeparationSpace without comments). */
function separation(i: number): { at: number; breaks: number } {
  let breaks = 0
  for (;;) {
    while (i < E && (S.charCodeAt(i) === SPACE || S.charCodeAt(i) === TAB)) i++
    const c = at(i)
    if (i >= E || (c !== NL && c !== CR)) return { at: i, breaks }
    i = lineBreak(i)
    breaks++
  }
}

/** Escapes of double-quoted scalars with one character of value (js-yaml's simpleEscapeSequence). */
const SIMPLE_ESCAPES = new Map<number, string>([
  [48, '\x00'], [97, '\x07'], [98, '\x08'], [116, '\x09'], [9, '\x09'], [110, '\x0A'], [118, '\x0B'], [102, '\x0C'],
  [114, '\x0D'], [101, '\x1B'], [32, ' '], [34, '"'], [47, '/'], [92, '\\'], [78, '\x85'], [95, '\xA0'], [76, '\u2028'], [80, '\u2029'],
])
const HEX_ESCAPES = new Map<number, number>([[120, 2], [117, 4], [85, 8]])

/** The value of the quoted scalar from `i` to `close` (on one line). */
function quotedValue(i: number, close: number): string {
  const inner = S.slice(i + 1, close - 1)
  if (S.charCodeAt(i) === SQUOTE) return inner.includes("''") ? inner.replaceAll("''", "'") : inner
  return inner.includes('\\') ? unescapeDoubleQuoted(inner) : inner
}

/** Decodes the escapes of double-quoted text (no line breaks in it) as js-yaml does; gives up on one it would reject. */
function unescapeDoubleQuoted(text: string): string {
  let out = ''
  let last = 0
  for (let k = text.indexOf('\\'); k >= 0; k = text.indexOf('\\', last)) {
    out += text.slice(last, k)
    const c = text.charCodeAt(k + 1)
    const simple = SIMPLE_ESCAPES.get(c)
    if (simple !== undefined) {
      out += simple
      last = k + 2
      continue
    }
    const digits = HEX_ESCAPES.get(c)
    if (digits === undefined || k + 2 + digits > text.length) bail()
    const hex = text.slice(k + 2, k + 2 + digits)
    if (!/^[0-9A-Fa-f]+$/.test(hex)) bail()
    const code = parseInt(hex, 16)
    if (code > 0x10ffff) bail()
    out += code <= 0xffff ? String.fromCharCode(code) : String.fromCharCode(((code - 0x10000) >> 10) + 0xd800, ((code - 0x10000) & 0x3ff) + 0xdc00)
    last = k + 2 + digits
  }
  return out + text.slice(last)
}

/** The value of a plain scalar's text, typed as js-yaml's default schema does. */
function plainValue(s: string): unknown {
  const c = s.charCodeAt(0)
  if (isLetter(c) && !NOT_STRINGS.has(s)) return s
  for (const type of IMPLICIT!) {
    if (type.resolve(s)) {
      if (type.tag === MERGE_TAG) bail()
      return type.construct(s)
    }
  }
  return s
}

/**
 * Keys seen lately, by a hash of their text: the same few keys (name, image, metadata…) make most
 * of a manifest, and reusing one string saves a copy and its lookup as a property name.
 */
const KEY_CACHE: string[] = new Array<string>(4096).fill('')

/** A plain key: characters that need no thought, and a string once typed. */
function plainKey(i: number, end: number): string {
  if (end <= i) bail()
  let h = 0
  for (let k = i; k < end; k++) {
    const c = S.charCodeAt(k)
    if (!isKeyChar(c)) bail()
    h = (Math.imul(h, 31) + c) | 0
  }
  return cachedKey(i, end, h)
}

/**
 * The usual mapping entry, read in one pass: a plain key of key characters only, right before a
 * `:` that a space or the line's end follows. The key (its `:` is right after it), or undefined
 * for anything else (mappingColon and plainKey then read the line, and give up where they must).
 */
function simpleKey(i: number): string | undefined {
  let h = 0
  let k = i
  let c = 0
  for (; k < E; k++) {
    c = S.charCodeAt(k)
    if (!isKeyChar(c)) break
    h = (Math.imul(h, 31) + c) | 0
  }
  if (k === i || k >= E || c !== COLON || !isWsOrEol(at(k + 1))) return undefined
  return cachedKey(i, k, h)
}

/** The key of S from `i` to `end` (characters checked, `h` their hash), reused from KEY_CACHE when it is there. */
function cachedKey(i: number, end: number, h: number): string {
  const n = end - i
  const slot = (h + Math.imul(n, 0x9e3779b1)) & 4095
  const cached = KEY_CACHE[slot]
  if (cached.length === n && S.startsWith(cached, i)) return cached
  const key = S.slice(i, end)
  const c0 = key.charCodeAt(0)
  if (c0 === DASH && (key.length === 1 || isWsOrEol(key.charCodeAt(1)))) bail()
  // A key that is not a string (`1:`, `null:`, YAML 1.1's `y:` or `on:`, which js-yaml and
  // sigs.k8s.io/yaml turn into "true"): js-yaml reads the document.
  if (plainValue(key) !== key) bail()
  KEY_CACHE[slot] = key
  return key
}

/** Records a mapping built from the entries at `kBase` (keys) and `nBase` (spans) of the scratch. */
function recordMap(obj: object, start: number, end: number, kBase: number, nBase: number): void {
  const n = kTop - kBase
  const o = T.beginMap(obj, start, end, n)
  for (let i = 0, p = nBase; i < n; i++, p += 4) T.pushEntry(keys[kBase + i], nums[p], nums[p + 1], nums[p + 2], nums[p + 3])
  T.finish(o, n)
  made.push(obj)
}

/** Records a sequence built from the item spans at `nBase` of the scratch. */
function recordSeq(arr: unknown[], start: number, end: number, nBase: number): void {
  const o = T.beginSeq(arr, start, end, arr.length)
  for (let p = nBase; p < nTop; p += 2) T.pushItem(nums[p], nums[p + 1])
  T.finish(o, arr.length)
  made.push(arr)
}

/** True when a mapping whose entries start at `kBase` of the scratch already has `key` (for mappings not built). */
function seenKey(kBase: number, key: string): boolean {
  for (let i = kBase; i < kTop; i++) if (keys[i] === key) return true
  return false
}

function pushEntry(key: string, ks: number, ke: number, vs: number, ve: number): void {
  keys[kTop++] = key
  nums[nTop++] = ks
  nums[nTop++] = ke
  nums[nTop++] = vs
  nums[nTop++] = ve
}

/** A block mapping whose first key is at P, at column `col`. */
function blockMapping(col: number, filter: ParseFilter | undefined): Record<string, unknown> | undefined {
  const obj: Record<string, unknown> | undefined = BUILD ? {} : undefined
  const kBase = kTop
  const nBase = nTop
  const start = P
  let end = P
  for (;;) {
    const ks = P
    let ke: number
    let key: string
    const c = S.charCodeAt(P)
    if (c === DQUOTE || c === SQUOTE) {
      ke = closeQuoteOnLine(P)
      if (ke < 0 || at(ke) !== COLON || !isWsOrEol(at(ke + 1))) bail()
      key = quotedValue(P, ke)
      P = ke + 1
    } else {
      const simple = simpleKey(P)
      if (simple !== undefined) {
        key = simple
        ke = P + simple.length
        P = ke + 1
      } else {
        const colon = mappingColon(P)
        if (colon < 0) bail()
        // `key :` is allowed: the key ends at its last character.
        ke = colon
        while (ke > P && S.charCodeAt(ke - 1) === SPACE) ke--
        key = plainKey(P, ke)
        P = colon + 1
      }
    }
    const left = obj !== undefined && filter?.keep !== undefined && !filter.keep.has(key)
    // A key left out is not in obj: look for it among the keys read (as for a mapping not built).
    if (key === '__proto__' || key === '<<' || (obj && !left ? Object.prototype.hasOwnProperty.call(obj, key) : seenKey(kBase, key))) bail()
    if (PROBE && (!obj || left)) probeKey(key, ks)
    if (!obj) {
      entryValue(col, undefined)
    } else if (left) {
      // Read, not built; its entry is recorded all the same (as js-yaml's, then pruned, would be).
      BUILD = false
      entryValue(col, undefined)
      BUILD = true
    } else {
      obj[key] = entryValue(col, filter?.sub?.get(key))
    }
    pushEntry(key, ks, ke, NS, NE)
    end = NEMPTY ? ke : NE
    if (IND !== col) break
    if (S.charCodeAt(P) === DASH && isWsOrEol(at(P + 1))) bail()
  }
  if (IND > col) bail()
  if (obj) recordMap(obj, start, end, kBase, nBase)
  kTop = kBase
  nTop = nBase
  NS = start
  NE = end
  NEMPTY = false
  return obj
}

/** The value of a mapping entry whose key (at column `col`) ends before P (just after the `:`). */
function entryValue(col: number, filter: ParseFilter | undefined): unknown {
  const open = P
  const q = skipSpaces(P)
  const c = at(q)
  if (c === NL || c === CR || c === HASH) {
    if (c === HASH && q === P) bail()
    P = q
    endLine()
    if (IND > col) {
      const first = S.charCodeAt(P)
      // A flow collection or a quoted scalar on the lines below its key.
      if (first === 123 || first === 91 || ((first === DQUOTE || first === SQUOTE) && mappingColon(P) < 0)) return inlineValue(P, col)
      return blockNode(IND, filter)
    }
    if (IND === col && S.charCodeAt(P) === DASH && isWsOrEol(at(P + 1))) {
      if (++depth > MAX_DEPTH) bail()
      const seq = blockSequence(col, filter?.items)
      depth--
      return seq
    }
    NS = NE = open
    NEMPTY = true
    return null
  }
  return inlineValue(q, col)
}

/**
 * A node that starts on the current line at `q`, not a block collection: a scalar (plain,
 * quoted or block) or a flow collection, each of which may run over the next lines. `parent` is
 * the indent of the collection that holds it: once the node ends, the next content line must not
 * be indented past it.
 */
function inlineValue(q: number, parent: number): unknown {
  const c = S.charCodeAt(q)
  let value: unknown
  switch (c) {
    case 124: // |
    case 62: // >
      return blockScalar(q, parent)
    case DQUOTE:
    case SQUOTE: {
      value = quoted(q)
      NS = q
      NE = P
      if (!BUILD && PROBE) probeString(value as string, NS, NE)
      break
    }
    case 91: // [
    case 123: // {
      if (++depth > MAX_DEPTH) bail()
      value = flowCollection(q)
      depth--
      break
    case 38: {
      // An anchor on a node written on this line (`&name value`): the node is read as if it had
      // none (its span is its content's, as js-yaml's listener gives); a scalar's value is kept for
      // the aliases that name it.
      const k = propertyEnd(q)
      if (S.charCodeAt(k) !== SPACE) bail()
      const name = S.slice(q + 1, k)
      const next = skipSpaces(k)
      const n = at(next)
      if (n === NL || n === CR || n === HASH || n === 38 || n === 42 || n === 33) bail()
      const built = BUILD
      // A scalar is built even in a part left out: an alias in a part kept may name it. (Scalars
      // make no position records, so nothing is recorded for the part left out.)
      const scalar = n !== 91 && n !== 123
      if (scalar) BUILD = true
      const anchored = inlineValue(next, parent)
      BUILD = built
      if (!built && PROBE && typeof anchored === 'string') probeString(anchored, NS, NE)
      anchors.set(name, (built || scalar) && (anchored === null || typeof anchored !== 'object') ? anchored : NOT_AVAILABLE)
      return anchored
    }
    case 42: {
      // An alias of an anchored scalar (the value itself, as js-yaml gives it; the span is the alias's).
      const k = propertyEnd(q)
      const name = S.slice(q + 1, k)
      if (!anchors.has(name)) bail()
      const aliased = anchors.get(name)
      if ((BUILD || PROBE) && aliased === NOT_AVAILABLE) bail() // a collection's
      if (!BUILD && PROBE && typeof aliased === 'string') probeString(aliased, q, k)
      value = aliased
      NS = q
      NE = k
      P = k
      break
    }
    case 33: // !
    case 37: // %
    case 64: // @
    case 96: // `
    case 63: // ?
    case 44: // ,
    case 93: // ]
    case 125: // }
    case HASH:
      bail()
    // eslint-disable-next-line no-fallthrough
    default: {
      // A plain scalar may start with `:` or `-` when a non-space follows (`:8080`, `-c`).
      if (c === COLON && isWsOrEol(at(q + 1))) bail()
      if (c === DASH && isWsOrEol(at(q + 1))) bail()
      let captureEnd = plainLineEnd(q)
      const collect = BUILD || PROBE
      let text = collect ? S.slice(q, captureEnd) : ''
      const oneLine = captureEnd - q
      // Lines indented past the parent carry the scalar on (js-yaml readPlainScalar): one line
      // break reads as a space, n > 1 as n - 1 line feeds; a comment line ends it.
      let k = lineEndAfter(captureEnd)
      while (k >= 0) {
        let j = k
        let breaks = 0
        let indent = 0
        for (;;) {
          const ch = at(j)
          if (j >= E) break
          if (ch === NL || ch === CR) {
            j = lineBreak(j)
            breaks++
            indent = 0
            while (j < E && S.charCodeAt(j) === SPACE) {
              indent++
              j++
            }
          } else if (ch === TAB) {
            bail()
          } else {
            break
          }
        }
        if (j >= E || indent <= parent || S.charCodeAt(j) === HASH) break
        const lineEnd = plainLineEnd(j)
        if (collect) text += (breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)) + S.slice(j, lineEnd)
        captureEnd = lineEnd
        k = lineEndAfter(lineEnd)
      }
      if (BUILD) value = plainValue(text)
      else if (oneLine === 2 && captureEnd - q === 2 && S.startsWith('<<', q)) bail() // what plainValue gives up on
      else if (PROBE) probeString(text, q, captureEnd) // (text with `{{` is never typed as anything but a string)
      NS = q
      NE = captureEnd
      P = captureEnd
    }
  }
  NEMPTY = false
  endLine()
  if (IND > parent) bail()
  return value
}

/**
 * End (trimmed) of the plain scalar text on the line from `i`: up to the line break or a ` #`
 * comment. A `: ` (or `:` at the end) gives up: it would make the line a mapping entry.
 */
function plainLineEnd(i: number): number {
  let end = i
  for (let k = i; k < E; k++) {
    const ch = S.charCodeAt(k)
    if (ch === NL || ch === CR) break
    if (ch === COLON) {
      if (isWsOrEol(at(k + 1))) bail()
    } else if (ch === HASH) {
      if (k > i && isWsOrEol(S.charCodeAt(k - 1))) break
    }
    if (ch !== SPACE && ch !== TAB) end = k + 1
  }
  return end
}

/** The line break that ends the line of `i` when only spaces or tabs come before it; -1 when a comment or anything else does, or at the end. */
function lineEndAfter(i: number): number {
  for (let k = i; k < E; k++) {
    const ch = S.charCodeAt(k)
    if (ch === NL || ch === CR) return k
    if (ch !== SPACE && ch !== TAB) return -1
  }
  return -1
}

/** A block sequence whose first `-` is at P, at column `col`. */
function blockSequence(col: number, itemFilter: ParseFilter | undefined): unknown[] | undefined {
  const arr: unknown[] | undefined = BUILD ? [] : undefined
  const nBase = nTop
  const start = P
  let end = P
  for (;;) {
    const dash = P
    const q = skipSpaces(P + 1)
    const c = at(q)
    let item: unknown
    if (c === NL || c === CR || c === HASH) {
      if (c === HASH && q === P + 1) bail()
      P = q
      endLine()
      if (IND <= col) bail() // an empty item
      item = blockNode(IND, itemFilter)
    } else if (c === DASH && isWsOrEol(at(q + 1))) {
      bail()
    } else if (mappingColon(q) >= 0) {
      P = q
      if (++depth > MAX_DEPTH) bail()
      item = blockMapping(col + (q - dash), itemFilter)
      depth--
    } else {
      item = inlineValue(q, col)
    }
    arr?.push(item)
    nums[nTop++] = NS
    nums[nTop++] = NE
    end = NE
    if (IND === col && S.charCodeAt(P) === DASH && isWsOrEol(at(P + 1))) continue
    break
  }
  if (IND > col) bail()
  if (arr) recordSeq(arr, start, end, nBase)
  nTop = nBase
  NS = start
  NE = end
  NEMPTY = false
  return arr
}

/**
 * A literal (`|`) or folded (`>`) block scalar whose indicator is at `q`, in a collection at
 * indent `parent`: js-yaml's readBlockScalar, with the end of the chunk read as js-yaml reads the
 * end of its input (a line break, then the end).
 */
function blockScalar(q: number, parent: number): string {
  const folding = S.charCodeAt(q) === 62
  const nodeIndent = parent + 1
  let chomping = 0 // 0 clip, 1 strip, 2 keep
  let textIndent = nodeIndent
  let detectedIndent = false
  let didReadContent = false
  let emptyLines = 0
  let atMoreIndented = false
  let build = BUILD
  let result = ''
  let i = q + 1
  let ch = at(i)
  // The header: a chomping indicator and an indentation indicator, in either order, once each.
  for (;;) {
    if (ch === 43 /* + */ || ch === DASH) {
      if (chomping !== 0) bail()
      chomping = ch === 43 ? 2 : 1
    } else if (ch >= 48 && ch <= 57) {
      if (ch === 48 || detectedIndent) bail()
      textIndent = nodeIndent + (ch - 48) - 1
      detectedIndent = true
    } else {
      break
    }
    ch = at(++i)
  }
  if (ch === SPACE) {
    i = skipSpaces(i)
    if (at(i) === HASH) while (i < E && S.charCodeAt(i) !== NL && S.charCodeAt(i) !== CR) i++
    ch = at(i)
  }
  if (ch !== NL && ch !== CR) bail()
  // Left out, it is read for template markers only if its value could be one line (stripped).
  if (!build && PROBE && chomping === 1) build = true
  // i is at the header's line break.
  let lineStart = i
  for (;;) {
    if (i >= E) {
      // The end of the input: js-yaml reads an indent of 0 here, which ends the scalar.
      lineStart = E
      break
    }
    i = lineBreak(i)
    lineStart = i
    let lineIndent = 0
    ch = i < E ? S.charCodeAt(i) : 0
    while ((!detectedIndent || lineIndent < textIndent) && ch === SPACE) {
      lineIndent++
      ch = ++i < E ? S.charCodeAt(i) : 0
    }
    if (!detectedIndent && lineIndent > textIndent) textIndent = lineIndent
    if (ch === NL || ch === CR) {
      emptyLines++
      continue
    }
    if (i >= E) {
      // Spaces and no line break at the end: js-yaml adds the line break, so this is an empty line.
      if (i > lineStart) emptyLines++
      continue
    }
    // (textIndent is at least parent + 1 ≥ 1: js-yaml's "missing indentation" cannot happen here.)
    if (lineIndent < textIndent) break
    if (folding) {
      if (ch === SPACE || ch === TAB) {
        atMoreIndented = true
        result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines)
      } else if (atMoreIndented) {
        atMoreIndented = false
        result += '\n'.repeat(emptyLines + 1)
      } else if (emptyLines === 0) {
        if (didReadContent) result += ' '
      } else {
        result += '\n'.repeat(emptyLines)
      }
    } else {
      result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines)
    }
    didReadContent = true
    detectedIndent = true
    emptyLines = 0
    const captureStart = i
    while (i < E && (ch = S.charCodeAt(i)) !== NL && ch !== CR) i++
    if (build) result += S.slice(captureStart, i) // (a part the filter leaves out: only its line breaks)
  }
  // Chomping: keep every trailing line break, clip to one, or strip them.
  if (chomping === 2) result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines)
  else if (chomping === 0 && didReadContent) result += '\n'
  NS = q
  let e = lineStart
  while (e > q && isWsOrEol(S.charCodeAt(e - 1))) e--
  NE = e
  NEMPTY = false
  P = lineStart
  if (!BUILD && build) probeString(result, NS, NE)
  nextContent()
  if (IND > parent) bail()
  return result
}

/** A flow collection (`[…]` or `{…}`) that opens at `q`, on one line or over several. */
function flowCollection(q: number): unknown {
  const isMap = S.charCodeAt(q) === 123
  const close = isMap ? 125 : 93
  const build = BUILD
  const obj: Record<string, unknown> = {}
  const arr: unknown[] = []
  const kBase = kTop
  const nBase = nTop
  let i = skipFlowSpace(q + 1)
  if (at(i) === close) {
    i++
  } else {
    for (;;) {
      if (isMap) {
        const ks = i
        let key: string
        let ke: number
        const c = S.charCodeAt(i)
        if (c === DQUOTE || c === SQUOTE) {
          ke = closeQuoteOnLine(i)
          if (ke < 0) bail()
          key = quotedValue(i, ke)
        } else {
          ke = flowPlainEnd(i)
          key = plainKey(i, ke)
        }
        // `key: value`; after a quoted (JSON-like) key the value may follow the `:` at once.
        if (at(ke) !== COLON || (c !== DQUOTE && c !== SQUOTE && !isWsOrEol(at(ke + 1)))) bail()
        if (key === '__proto__' || (build ? Object.prototype.hasOwnProperty.call(obj, key) : seenKey(kBase, key))) bail()
        if (!build && PROBE) probeKey(key, ks)
        i = skipFlowSpace(ke + 1)
        const value = flowValue(i)
        if (build) obj[key] = value
        pushEntry(key, ks, ke, NS, NE)
      } else {
        const value = flowValue(i)
        if (build) arr.push(value)
        nums[nTop++] = NS
        nums[nTop++] = NE
      }
      i = skipFlowSpace(P)
      const c = at(i)
      if (c === close) {
        i++
        break
      }
      if (c !== 44 /* , */) bail()
      i = skipFlowSpace(i + 1)
      if (at(i) === 44) bail()
      if (at(i) === close) {
        // A trailing comma, which js-yaml allows (`[a, b, ]`, JSON-like documents written by hand).
        i++
        break
      }
    }
  }
  NS = q
  NE = i
  NEMPTY = false
  P = i
  if (build) {
    if (isMap) recordMap(obj, q, i, kBase, nBase)
    else recordSeq(arr, q, i, nBase)
  }
  kTop = kBase
  nTop = nBase
  return !build ? undefined : isMap ? obj : arr
}

/**
 * Skips the separation inside a flow collection: spaces, line breaks and comments (a flow
 * collection may run over lines, JSON documents do). The end of the document there gives up.
 */
function skipFlowSpace(i: number): number {
  for (;;) {
    if (i >= E) bail()
    const c = S.charCodeAt(i)
    if (c === SPACE || c === NL) {
      i++
    } else if (c === CR) {
      i = lineBreak(i)
    } else if (c === HASH) {
      if (i > 0 && !isWsOrEol(S.charCodeAt(i - 1))) bail()
      while (i < E && S.charCodeAt(i) !== NL && S.charCodeAt(i) !== CR) i++
    } else if (c === TAB) {
      bail()
    } else {
      return i
    }
  }
}

/** End (trimmed) of a plain scalar in a flow collection that starts at `i`; gives up on anything that is not plainly a scalar. */
function flowPlainEnd(i: number): number {
  let end = i
  for (let k = i; ; k++) {
    const c = at(k)
    if (c === 44 || c === 93 || c === 125 || c === COLON) return end
    if ((c === NL || c === CR) && k < E) {
      // At the end of its line the scalar ends if a `,`, `]`, `}` or a comment comes next (JSON's
      // `"port": 80` then `}`); text there would carry it on.
      let j = k
      while (j < E && (S.charCodeAt(j) === SPACE || S.charCodeAt(j) === NL || S.charCodeAt(j) === CR)) j++
      const next = at(j)
      if (j < E && (next === 44 || next === 93 || next === 125 || next === HASH)) return end
      bail()
    }
    if (c === NL || c === CR || c === 91 || c === 123 || c === HASH || c === TAB) bail()
    if (c !== SPACE) end = k + 1
  }
}

/** A value inside a flow collection, at `i`: a scalar or a nested flow collection. */
function flowValue(i: number): unknown {
  const c = at(i)
  if (c === 91 || c === 123) {
    if (++depth > MAX_DEPTH) bail()
    const v = flowCollection(i)
    depth--
    return v
  }
  if (c === DQUOTE || c === SQUOTE) {
    const value = quoted(i)
    NS = i
    NE = P
    NEMPTY = false
    if (!BUILD && PROBE) probeString(value, NS, NE)
    return value
  }
  switch (c) {
    case 38:
    case 42:
    case 33:
    case 37:
    case 64:
    case 96:
    case 63:
    case 44:
    case 93:
    case 125:
    case COLON:
    case HASH:
    case 124: // `|` and `>` start no plain scalar: js-yaml rejects them in a flow collection
    case 62:
    case NL:
    case CR:
      bail()
  }
  if (c === DASH && (isWsOrEol(at(i + 1)) || at(i + 1) === 44 || at(i + 1) === 93 || at(i + 1) === 125)) bail()
  const end = flowPlainEnd(i)
  if (at(end) === COLON) bail() // a single-pair mapping, or a `:` inside the scalar
  NS = i
  NE = end
  P = end
  NEMPTY = false
  if (BUILD) return plainValue(S.slice(i, end))
  if (end - i === 2 && S.startsWith('<<', i)) bail() // what plainValue gives up on
  if (PROBE) probeString(S.slice(i, end), i, end)
  return undefined
}
