// JSON reporter: a stable machine-readable report (findings, image classification, files,
// graph statistics, assumptions). Pure; keys in a fixed order and arrays sorted, so the same
// result always gives the same bytes. Never includes `secretValues`, and masks them anywhere.
import type { AnalyzeResult, FailOn, FileReport, Finding, ImageReport } from '../findings/types.js'
import { compareRelated, compareStrings, jsonTextMasker, maskDeep, reportWords, secretMasker, severityRank, sortFindings, sortImages } from './text.js'

export interface JsonOptions {
  toolVersion: string
  /** When given, `summary.failOn` and `summary.result` (`pass`/`fail`) are included. */
  failOn?: FailOn
}

export interface JsonReport {
  tool: { name: 'pullcheck'; version: string }
  summary: {
    counts: { error: number; warning: number; notice: number; suppressed: number }
    checkedImages: number
    unclassifiedImages: number
    failOn?: FailOn
    result?: 'pass' | 'fail'
  }
  findings: Finding[]
  images: ImageReport[]
  files: FileReport[]
  stats: AnalyzeResult['stats']
  assumptions: string[]
}

/** `fail` when an unsuppressed finding is at or above `failOn` (never with `never`). */
export function outcome(findings: readonly Finding[], failOn: FailOn): 'pass' | 'fail' {
  if (failOn === 'never') return 'pass'
  const threshold = severityRank(failOn)
  return findings.some((finding) => !finding.suppressed && severityRank(finding.severity) >= threshold) ? 'fail' : 'pass'
}

export function buildJsonReport(result: AnalyzeResult, opts: JsonOptions): JsonReport {
  const report = unmaskedReport(result, opts)
  const masked = maskDeep(report, secretMasker(result.secretValues, reportWords(result)))
  // Fixed words and numbers only: never masked (a password `fail` must not hide the result).
  for (const key of UNMASKED) (masked as unknown as Record<string, unknown>)[key] = report[key]
  return masked
}

/** The entries of the report that hold no text from the manifests: the tool, the counts and verdict, the statistics. */
const UNMASKED = ['tool', 'summary', 'stats'] as const

/** The report with its long lists still unordered inside (sorted, each item ordered when written). */
function reportParts(result: AnalyzeResult, opts: JsonOptions): { report: JsonReport; items: Partial<Record<keyof JsonReport, (item: never) => unknown>> } {
  const { error, warning, notice, suppressed } = result.counts
  const summary: JsonReport['summary'] = {
    counts: { error, warning, notice, suppressed },
    checkedImages: result.checkedImages,
    unclassifiedImages: result.unclassifiedImages,
  }
  if (opts.failOn !== undefined) {
    summary.failOn = opts.failOn
    summary.result = outcome(result.findings, opts.failOn)
  }
  const report: JsonReport = {
    tool: { name: 'pullcheck', version: opts.toolVersion },
    summary,
    findings: sortFindings(result.findings),
    images: sortImages(result.images),
    files: [...result.files].sort((a, b) => compareStrings(a.file, b.file)),
    stats: orderKeys(result.stats, STATS_KEYS),
    assumptions: [...new Set(result.assumptions)].sort(compareStrings),
  }
  return { report, items: { findings: orderFinding, images: orderImage, files: (file: FileReport) => orderKeys(file, FILE_KEYS) } }
}

function unmaskedReport(result: AnalyzeResult, opts: JsonOptions): JsonReport {
  const { report, items } = reportParts(result, opts)
  const out: Record<string, unknown> = { ...report }
  for (const [key, order] of Object.entries(items)) out[key] = (out[key] as never[]).map(order)
  return out as unknown as JsonReport
}

/** The report as JSON text: the values of buildJsonReport (masked in the text, which is cheaper than in the values). */
export function formatJson(result: AnalyzeResult, opts: JsonOptions): string {
  let out = ''
  for (const piece of jsonPieces(result, opts)) out += piece
  return out
}

/**
 * The text of formatJson in pieces of about `chunkSize` characters, each masked: the items of the
 * long lists are ordered, serialised and masked one by one, so that neither the whole text nor an
 * ordered copy of every finding is ever held at once.
 */
export function* jsonPieces(result: AnalyzeResult, opts: JsonOptions, chunkSize = 1 << 20): Generator<string> {
  const mask = jsonTextMasker(result.secretValues, reportWords(result))
  const { report, items } = reportParts(result, opts)
  let buffer = ''
  // Byte for byte what JSON.stringify(value, null, 2) writes, one top-level entry at a time.
  const entries = Object.entries(report).filter(([, value]) => value !== undefined)
  buffer += '{'
  for (const [i, [key, value]] of entries.entries()) {
    if ((UNMASKED as readonly string[]).includes(key)) {
      // Written as it is (see UNMASKED), after the masked text before it.
      yield mask(buffer)
      buffer = ''
      yield `\n  ${JSON.stringify(key)}: ${nested(value, 1)}${i < entries.length - 1 ? ',' : ''}`
      continue
    }
    buffer += `\n  ${JSON.stringify(key)}: `
    const order = items[key as keyof JsonReport] as ((item: unknown) => unknown) | undefined
    if (Array.isArray(value) && value.length > 0) {
      buffer += '['
      for (let j = 0; j < value.length; j++) {
        buffer += `${j ? ',' : ''}\n    ${nested(order ? order(value[j]) : value[j], 2)}`
        if (buffer.length >= chunkSize) {
          yield mask(buffer)
          buffer = ''
        }
      }
      buffer += '\n  ]'
    } else {
      buffer += nested(value, 1)
    }
    if (i < entries.length - 1) buffer += ','
    if (buffer.length >= chunkSize) {
      yield mask(buffer)
      buffer = ''
    }
  }
  yield mask(buffer + '\n}\n')
}

/**
 * JSON.stringify(value, null, 2) as it reads nested `depth` (1 or 2) levels deep: the value is
 * serialised inside as many arrays, which are then cut off (cheaper than indenting every line).
 */
function nested(value: unknown, depth: 1 | 2): string {
  return depth === 1 ? JSON.stringify([value], null, 2).slice(4, -2) : JSON.stringify([[value]], null, 2).slice(10, -6)
}

const FINDING_KEYS = [
  'ruleId', 'severity', 'message', 'location', 'resource', 'container', 'image', 'fix', 'related', 'fingerprint', 'suppressed',
]
const IMAGE_KEYS = ['image', 'repository', 'classification', 'reason', 'assumedCovered', 'uses']
const FILE_KEYS = ['file', 'status', 'documents', 'resources', 'nonKubernetes', 'skippedKinds']
const STATS_KEYS = [
  'files', 'documents', 'resources', 'nonKubernetes', 'workloads', 'podSpecs', 'images',
  'serviceAccounts', 'secrets', 'secretProducers', 'namespaces',
]

/**
 * The value with the known keys first, in the given order, then any others alphabetically: a
 * field added to the types later still appears, and still in a stable place. Undefined values are
 * dropped. A value already in that order is returned as it is (the analysis builds them so): no copy.
 */
function orderKeys<T extends object>(value: T, known: readonly string[]): T {
  if (inOrder(value as Record<string, unknown>, known)) return value
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of known) if (source[key] !== undefined) out[key] = source[key]
  for (const key of Object.keys(source).sort(compareStrings)) {
    if (!(key in out) && source[key] !== undefined) out[key] = source[key]
  }
  return out as T
}

/** True when orderKeys would give a copy that serialises as `source` does (same keys, same order). */
function inOrder(source: Record<string, unknown>, known: readonly string[]): boolean {
  let k = 0 // known[k…] may still come
  let unknown: string | undefined // the last key not in `known` (those come last, sorted)
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) return false
    if (source[key] === undefined) continue // left out, by orderKeys and JSON alike
    if (unknown === undefined) {
      let i = k
      while (i < known.length && known[i] !== key) i++
      if (i < known.length) {
        k = i + 1
        continue
      }
      if (known.includes(key)) return false
    } else if (known.includes(key) || key <= unknown) {
      return false
    }
    unknown = key
  }
  return true
}

/** True when `value`'s own keys are exactly `keys`, in that order. */
function exactly(value: object, keys: readonly string[]): boolean {
  let i = 0
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key) || key !== keys[i]) return false
    i++
  }
  return i === keys.length
}

const LOCATION_KEYS = ['file', 'range']
const RANGE_KEYS = ['start', 'end']
const POSITION_KEYS = ['line', 'column']
const RELATED_KEYS = ['message', 'location']
const SUPPRESSED_KEYS = ['reason', 'by']
const REF_KEYS = ['kind', 'namespace', 'name']
const USE_KEYS = ['file', 'line', 'workload', 'container']

function locationInOrder(location: Finding['location']): boolean {
  const range = location.range
  return exactly(location, LOCATION_KEYS) && exactly(range, RANGE_KEYS) && exactly(range.start, POSITION_KEYS) && exactly(range.end, POSITION_KEYS)
}

function orderLocation(location: Finding['location']): Finding['location'] {
  if (locationInOrder(location)) return location
  const { start, end } = location.range
  return { file: location.file, range: { start: { line: start.line, column: start.column }, end: { line: end.line, column: end.column } } }
}

/** Already as orderFinding would write it (related sorted, every part in order): most findings are. */
function findingInOrder(finding: Finding): boolean {
  if (!inOrder(finding as unknown as Record<string, unknown>, FINDING_KEYS) || !locationInOrder(finding.location)) return false
  if (finding.resource && !inOrder(finding.resource as unknown as Record<string, unknown>, REF_KEYS)) return false
  if (finding.suppressed && !exactly(finding.suppressed, SUPPRESSED_KEYS)) return false
  const related = finding.related
  for (let i = 0; i < related.length; i++) {
    if (!exactly(related[i], RELATED_KEYS) || !locationInOrder(related[i].location)) return false
    if (i > 0 && compareRelated(related[i - 1], related[i]) > 0) return false
  }
  return true
}

function orderFinding(finding: Finding): Finding {
  if (findingInOrder(finding)) return finding
  return orderKeys(
    {
      ...finding,
      location: orderLocation(finding.location),
      resource: finding.resource ? orderKeys(finding.resource, REF_KEYS) : undefined,
      related: [...finding.related]
        .sort(compareRelated)
        .map((related) => ({ message: related.message, location: orderLocation(related.location) })),
      suppressed: finding.suppressed ? { reason: finding.suppressed.reason, by: finding.suppressed.by } : undefined,
    },
    FINDING_KEYS,
  )
}

function useInOrder(use: ImageReport['uses'][number]): boolean {
  return exactly(use, USE_KEYS) && inOrder(use.workload as unknown as Record<string, unknown>, REF_KEYS)
}

function orderImage(image: ImageReport): ImageReport {
  if (inOrder(image as unknown as Record<string, unknown>, IMAGE_KEYS) && image.uses.every(useInOrder)) return image
  return orderKeys(
    {
      ...image,
      uses: image.uses.map((use) =>
        useInOrder(use)
          ? use
          : {
              file: use.file,
              line: use.line,
              workload: orderKeys(use.workload, REF_KEYS),
              container: use.container,
            },
      ),
    },
    IMAGE_KEYS,
  )
}
