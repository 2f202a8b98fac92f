// Reading one manifest file: size and binary guards, UTF-8, BOM, JSON or YAML, template markers.
import { isUtf8 } from 'node:buffer'
import { parseYamlFile, PositionTable, type ParsedFile, type ParseOptions, type Span } from './yaml.js'
import { findTemplateMarker, templateMarkerIn } from './templates.js'
import { pruneObjects } from './prune.js'
import { forEachObject, undecodableMetadata } from '../model/resources.js'
import { undecodablePodField } from '../model/workloads.js'
import type { Location, Range } from '../findings/types.js'

export const MAX_FILE_BYTES = 64 * 1024 * 1024

/** A problem with a whole file or one of its documents, before any resource exists. */
export interface FileProblem {
  kind: 'syntax' | 'template'
  message: string
  span: Span
  /** What to do, when it is not to fix the syntax (a file that is not read at all). */
  fix?: string
}

export interface SourceFile {
  path: string
  text: string
  positions: PositionTable
  parsed?: ParsedFile
  problems: FileProblem[]
  /** Set when the file could not be read (the error code). */
  readError?: string
}

/** Range of a span, 1-based, end-exclusive. */
export function spanRange(file: SourceFile, span: Span): Range {
  return { start: file.positions.lineCol(span.start), end: file.positions.lineCol(Math.max(span.end, span.start)) }
}

export function spanLocation(file: SourceFile, span: Span): Location {
  return { file: file.path, range: spanRange(file, span) }
}

function looksBinary(text: string): boolean {
  const probe = text.length > 8192 ? text.slice(0, 8192) : text
  return probe.includes('\u0000')
}

const BOM_AFTER_MARKER = /^(---[^\n\r]*)(\r?\n)\uFEFF/m
const BOM_AFTER_MARKER_ALL = /^(---[^\n\r]*)(\r?\n)\uFEFF/gm
const LONE_CR = /\r(?!\n)/
const LONE_CR_ALL = /\r(?!\n)/g

/**
 * Turns the bytes of a file into a SourceFile: parsed documents with positions, or problems.
 * Documents of kinds that cannot matter are not built unless `options.skipKinds` is false.
 */
export function loadSource(path: string, bytes: Buffer | string, options: ParseOptions = {}): SourceFile {
  if (typeof bytes !== 'string' && bytes.length > MAX_FILE_BYTES) return oversizedSource(path, bytes.length)
  // A UTF-16 file with its byte order mark (what Windows PowerShell 5's `>` writes) is decoded as
  // kubectl decodes it (cli-runtime's FileVisitor: unicode.BOMOverride); anything else is UTF-8.
  const utf16 = typeof bytes === 'string' ? undefined : decodeUtf16(bytes)
  let text = typeof bytes === 'string' ? bytes : (utf16 ?? bytes.toString('utf8'))
  // Bytes that are not UTF-8 decode to U+FFFD (a one-byte text cannot hold it: no search then).
  let invalid: InvalidByte[] | undefined
  if (typeof bytes !== 'string' && utf16 === undefined && text.includes('\uFFFD') && !isUtf8(bytes)) ({ text, invalid } = decodeInvalidUtf8(bytes))
  let bom = 0
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1)
    bom = 1
  }
  // A lone CR ends a line for YAML (js-yaml, goyaml) as LF does; the splitters and line tables
  // know LF and CRLF only, so lone CRs become LFs (the same length: offsets do not move).
  if (text.includes('\r') && LONE_CR.test(text)) text = text.replace(LONE_CR_ALL, '\n')
  // Files saved with a BOM and joined with `---`: kubectl parses each document on its own, and
  // goyaml drops a BOM that opens its input. The BOM leaves the line after the marker and a space
  // ends the marker line instead: the same length, so every later offset stays where it was.
  if (text.includes('\uFEFF') && BOM_AFTER_MARKER.test(text)) text = text.replace(BOM_AFTER_MARKER_ALL, '$1 $2')
  if (looksBinary(text)) return unparsedSource(path, 'binary file (it contains NUL bytes); it is not YAML or JSON', 'leave it out of manifests, or save it as UTF-8 text (kubectl would reject it too)')
  // kubectl reads a JSON stream (a file that opens with `{`) with Go's JSON decoder, which takes
  // such bytes as U+FFFD; its YAML parser rejects the document that holds them.
  const badBytes = invalid && !/^\s*\{/.test(text) ? invalid.map((b) => ({ offset: b.offset - bom, byte: b.byte })) : undefined
  const parsed = parseYamlFile(text, undefined, options, badBytes)
  const problems: FileProblem[] = []
  const marker = findTemplateMarker(parsed)
  if (marker) {
    problems.push({ kind: 'template', message: 'file still contains Helm/Go template markers ({{ … }}); render it (helm template, kustomize build) and check the output', span: marker.span })
  }
  for (const err of parsed.errors) {
    // A document that fails because of template markers is explained by the template problem.
    if (marker && templateMarkerIn(text.slice(err.span.start, err.span.end)) >= 0) continue
    problems.push({ kind: 'syntax', message: err.message, span: { start: err.offset, end: Math.min(err.offset + charLength(text, err.offset), Math.max(text.length, err.offset)) }, ...(err.fix === undefined ? {} : { fix: err.fix }) })
  }
  if (options.prune !== false && parsed.documents.length) {
    // Most of it was pruned while parsing (fastyaml.ts); the records of what is deleted now, and
    // of documents that failed half-way, must go.
    const deleted = pruneObjects(parsed.documents.map((d) => d.value))
    if (deleted || parsed.errors.length) parsed.positions.retainReachable(parsed.documents)
  }
  for (const doc of parsed.documents) {
    forEachObject(doc.value, (obj) => {
      const field = obj && undecodablePodField(obj)
      if (obj && field) {
        // kubectl cannot decode the object (a container list that is no list of mappings, a ServiceAccount name that is no string): it never exists.
        const span = parsed.positions.valueSpan(field.holder, field.key) ?? { start: doc.span.start, end: doc.span.start }
        if (field.string) {
          const value = (field.holder as Record<string, unknown>)[field.key]
          const written = text.slice(span.start, span.end)
          // `serviceAccountName: {{ include … }}` (every `helm create` chart): unrendered-template says it.
          if (templateMarkerIn(written) >= 0) return
          const scalar = typeof value === 'boolean' || typeof value === 'number'
          const what = !scalar ? field.what : written === String(value) ? `the ${typeof value} ${written}` : `the ${typeof value} ${String(value)} (YAML reads ${written} as one)`
          problems.push({
            kind: 'syntax',
            message: `${field.path} is ${what}, not a string, so the API server cannot decode the ${String(obj.kind)} and it never exists`,
            span,
            fix: scalar ? `quote it: ${field.key}: "${written}"` : 'write the ServiceAccount\'s name as a string',
          })
        } else {
          problems.push({
            kind: 'syntax',
            message: `${field.path} is ${field.what}, not ${field.list ? 'a list' : 'a mapping'}, so kubectl cannot decode the ${String(obj.kind)} and it never exists`,
            span,
            fix: field.list ? 'write the containers as a list of mappings (- name: … image: …)' : 'write the container as a mapping (name: …, image: …)',
          })
        }
      }
      const key = obj && undecodableMetadata(obj)
      if (!obj || !key) return
      // kubectl cannot decode the object (a string field holds a number or a boolean): it never exists.
      const meta = obj.metadata as Record<string, unknown>
      const span = parsed.positions.valueSpan(meta, key) ?? { start: doc.span.start, end: doc.span.start }
      const written = text.slice(span.start, span.end)
      const value = meta[key]
      const scalar = typeof value === 'boolean' || typeof value === 'number'
      const what = !scalar ? (Array.isArray(value) ? 'a list' : 'a mapping') : written === String(value) ? `the ${typeof value} ${written}` : `the ${typeof value} ${String(value)} (YAML reads ${written} as one)`
      problems.push({
        kind: 'syntax',
        message: `metadata.${key} is ${what}, not a string, so kubectl cannot decode the ${String(obj.kind)} and it never exists`,
        span,
        fix: scalar ? `quote it: ${key}: "${written}"` : `write the ${key} as a string`,
      })
    })
  }
  return { path, text, positions: parsed.positions, parsed, problems }
}

/** The text of a file that opens with a UTF-16 byte order mark (little or big endian), without it; else undefined. */
function decodeUtf16(bytes: Buffer): string | undefined {
  if (bytes.length < 2) return undefined
  const even = bytes.length - (bytes.length % 2) // a last odd byte is no character
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2, even)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, even)).swap16().toString('utf16le')
  return undefined
}

/** A byte that is not part of a UTF-8 character, and where it stands in the decoded text. */
export interface InvalidByte {
  offset: number
  byte: number
}

/**
 * Decodes bytes that are not all UTF-8: valid runs as UTF-8, each byte that is not part of a
 * well-formed character (Unicode's table 3-7) as one U+FFFD, whose offsets are returned.
 */
export function decodeInvalidUtf8(bytes: Buffer): { text: string; invalid: InvalidByte[] } {
  const parts: string[] = []
  const invalid: InvalidByte[] = []
  let length = 0
  let runStart = 0
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < bytes.length && bytes[i] >= lo && bytes[i] <= hi
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]
    let n = 0
    if (b < 0x80) n = 1
    else if (b >= 0xc2 && b <= 0xdf) n = cont(i + 1) ? 2 : 0
    else if (b >= 0xe0 && b <= 0xef) {
      const lo = b === 0xe0 ? 0xa0 : 0x80
      const hi = b === 0xed ? 0x9f : 0xbf
      n = cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lo = b === 0xf0 ? 0x90 : 0x80
      const hi = b === 0xf4 ? 0x8f : 0xbf
      n = cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0
    }
    if (n > 0) {
      i += n
      continue
    }
    if (runStart < i) {
      const run = bytes.toString('utf8', runStart, i)
      parts.push(run)
      length += run.length
    }
    invalid.push({ offset: length, byte: b })
    parts.push('\uFFFD')
    length++
    i++
    runStart = i
  }
  if (runStart < bytes.length) parts.push(bytes.toString('utf8', runStart))
  return { text: parts.join(''), invalid }
}

/** A file over MAX_FILE_BYTES: not read, one problem. */
export function oversizedSource(path: string, size: number): SourceFile {
  return unparsedSource(path, `file is ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit; it was not read`, 'split it into smaller files, or leave it out of manifests')
}

/** A file that is not parsed: no text, one problem at its start. */
function unparsedSource(path: string, message: string, fix: string): SourceFile {
  return { path, text: '', positions: new PositionTable(''), problems: [{ kind: 'syntax', message, span: { start: 0, end: 0 }, fix }] }
}

/** A file that could not be read: no documents, one problem. */
export function unreadableSource(path: string, error: string): SourceFile {
  const file = loadSource(path, '')
  file.readError = error
  // A FIFO or device reached by a pattern is not opened (it could block the run); named on the command line, it is read.
  const fix = error.startsWith('not a regular file') ? 'leave it out of manifests (only the CLI reads a FIFO or a device, when it is named as a file)' : 'make it readable, or leave it out of manifests'
  file.problems.push({ kind: 'syntax', message: `cannot read the file (${error})`, span: { start: 0, end: 0 }, fix })
  return file
}

/** UTF-16 units of the character at `offset`: 2 for a surrogate pair (an emoji), so that a range never splits one. */
function charLength(text: string, offset: number): number {
  const c = text.charCodeAt(offset)
  return c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(offset + 1) & 0xfc00) === 0xdc00 ? 2 : 1
}
