// Reading one manifest file: size and binary guards, BOM, JSON or YAML, template markers.
import { parseYamlFile, PositionTable, type ParsedFile, type ParseOptions, type Span } from './yaml.js'
import { findTemplateMarker, templateMarkerIn } from './templates.js'
import { pruneObjects } from './prune.js'
import type { Location, Range } from '../findings/types.js'

export const MAX_FILE_BYTES = 64 * 1024 * 1024

/** A problem with a whole file or one of its documents, before any resource exists. */
export interface FileProblem {
  kind: 'syntax' | 'template'
  message: string
  span: Span
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

/**
 * Turns the bytes of a file into a SourceFile: parsed documents with positions, or problems.
 * Documents of kinds that cannot matter are not built unless `options.skipKinds` is false.
 */
export function loadSource(path: string, bytes: Buffer | string, options: ParseOptions = {}): SourceFile {
  if (typeof bytes !== 'string' && bytes.length > MAX_FILE_BYTES) return oversizedSource(path, bytes.length)
  let text = typeof bytes === 'string' ? bytes : bytes.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (looksBinary(text)) {
    const empty = ''
    return {
      path,
      text: empty,
      positions: new PositionTable(empty),
      problems: [{ kind: 'syntax', message: 'binary file (it contains NUL bytes); it is not YAML or JSON', span: { start: 0, end: 0 } }],
    }
  }
  const parsed = parseYamlFile(text, undefined, options)
  const problems: FileProblem[] = []
  const marker = findTemplateMarker(parsed)
  if (marker) {
    problems.push({ kind: 'template', message: 'file still contains Helm/Go template markers ({{ … }}); render it (helm template, kustomize build) and check the output', span: marker.span })
  }
  for (const err of parsed.errors) {
    // A document that fails because of template markers is explained by the template problem.
    if (marker && templateMarkerIn(text.slice(err.span.start, err.span.end)) >= 0) continue
    problems.push({ kind: 'syntax', message: err.message, span: { start: err.offset, end: Math.min(err.offset + 1, Math.max(text.length, err.offset)) } })
  }
  if (options.prune !== false && parsed.documents.length) {
    // Most of it was pruned while parsing (fastyaml.ts); the records of what is deleted now, and
    // of documents that failed half-way, must go.
    const deleted = pruneObjects(parsed.documents.map((d) => d.value))
    if (deleted || parsed.errors.length) parsed.positions.retainReachable(parsed.documents)
  }
  return { path, text, positions: parsed.positions, parsed, problems }
}

/** A file over MAX_FILE_BYTES: not read, one problem. */
export function oversizedSource(path: string, size: number): SourceFile {
  const text = ''
  return {
    path,
    text,
    positions: new PositionTable(text),
    problems: [{ kind: 'syntax', message: `file is ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit; it was not read`, span: { start: 0, end: 0 } }],
  }
}

/** A file that could not be read: no documents, one problem. */
export function unreadableSource(path: string, error: string): SourceFile {
  const file = loadSource(path, '')
  file.readError = error
  file.problems.push({ kind: 'syntax', message: `cannot read the file (${error})`, span: { start: 0, end: 0 } })
  return file
}
