// SARIF 2.1.0 reporter for GitHub code scanning (`github/codeql-action/upload-sarif`): one run,
// every rule with help, results with regions, related locations, partial fingerprints and
// in-source suppressions. Pure and deterministic; secret values are masked in every string.
import type { AnalyzeResult, Finding, Range, RuleMeta, Severity } from '../findings/types.js'
import { compareRelated, compareStrings, jsonTextMasker, maskDeep, reportWords, secretMasker, severityRank, sortFindings } from './text.js'

export interface SarifOptions {
  toolVersion: string
  /** The tool's home page; defaults to the pullcheck repository. */
  informationUri?: string
  /**
   * POSIX path of the working directory relative to the repository root (e.g. `deploy/rendered`).
   * Code scanning resolves artifact URIs against the repository root, while findings are relative
   * to the working directory, so this is prefixed to every URI. `''` or `.` means none.
   */
  repoPathPrefix?: string
}

export type SarifLevel = 'error' | 'warning' | 'note'

export interface SarifMessage {
  text: string
  markdown?: string
}

export interface SarifRegion {
  startLine: number
  startColumn: number
  endLine?: number
  endColumn?: number
}

export interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId: string }
  region: SarifRegion
}

export interface SarifReportingDescriptor {
  id: string
  name: string
  shortDescription: SarifMessage
  fullDescription: SarifMessage
  help: { text: string; markdown: string }
  helpUri: string
  defaultConfiguration: { level: SarifLevel }
  properties: { tags: string[] }
}

export interface SarifResult {
  ruleId: string
  ruleIndex: number
  level: SarifLevel
  message: SarifMessage
  locations: { physicalLocation: SarifPhysicalLocation }[]
  relatedLocations?: { id: number; message: SarifMessage; physicalLocation: SarifPhysicalLocation }[]
  partialFingerprints: Record<string, string>
  suppressions?: { kind: 'inSource'; justification: string }[]
}

export interface SarifLog {
  $schema: string
  version: '2.1.0'
  runs: [
    {
      tool: {
        driver: {
          name: 'pullcheck'
          version: string
          semanticVersion?: string
          informationUri: string
          rules: SarifReportingDescriptor[]
        }
      }
      originalUriBaseIds: Record<string, { description: SarifMessage }>
      columnKind: 'utf16CodeUnits'
      results: SarifResult[]
      properties: { checkedImages: number; unclassifiedImages: number; assumptions: string[]; omittedResults?: number }
      invocations?: { executionSuccessful: boolean; toolExecutionNotifications: { level: 'warning'; message: SarifMessage }[] }[]
    },
  ]
}

/**
 * GitHub code scanning rejects a run of more results ("SARIF file rejected due to result
 * limits"): beyond it, the most important are kept (unsuppressed first, then by severity).
 */
export const SARIF_MAX_RESULTS = 25_000

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'
export const DEFAULT_INFORMATION_URI = 'https://github.com/pullcheck/pullcheck'
export const FINGERPRINT_KEY = 'pullcheck/v1'
const SRCROOT = '%SRCROOT%'

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'notice' ? 'note' : severity
}

/** `pull-secret-not-found` → `PullSecretNotFound`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')
}

export function ruleHelpUri(id: string): string {
  return `https://github.com/pullcheck/pullcheck/blob/main/docs/rules.md#${id}`
}

export function formatSarif(result: AnalyzeResult, opts: SarifOptions): SarifLog {
  return maskDeep(unmaskedSarif(result, opts), secretMasker(result.secretValues, reportWords(result)))
}

function unmaskedSarif(result: AnalyzeResult, opts: SarifOptions): SarifLog {
  const all = sortFindings(result.findings)
  const findings = all.length > SARIF_MAX_RESULTS ? mostImportant(all, SARIF_MAX_RESULTS) : all
  const omitted = all.length - findings.length
  const rules = ruleTable(result.rules, findings)
  const indexOf = new Map(rules.map((rule, index) => [rule.id, index]))
  const prefix = normalisePrefix(opts.repoPathPrefix)

  const log: SarifLog = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pullcheck',
            version: opts.toolVersion,
            ...(isSemver(opts.toolVersion) ? { semanticVersion: opts.toolVersion } : {}),
            informationUri: opts.informationUri ?? DEFAULT_INFORMATION_URI,
            rules: rules.map(descriptor),
          },
        },
        originalUriBaseIds: {
          [SRCROOT]: { description: { text: 'The root of the repository that holds the checked manifests.' } },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => sarifResult(finding, indexOf.get(finding.ruleId) ?? 0, prefix)),
        properties: {
          checkedImages: result.checkedImages,
          unclassifiedImages: result.unclassifiedImages,
          assumptions: [...new Set(result.assumptions)].sort(compareStrings),
        },
      },
    ],
  }
  if (omitted > 0) {
    const run = log.runs[0]
    run.properties.omittedResults = omitted
    const text = `${omitted} of ${all.length} findings are left out: GitHub code scanning takes at most ${SARIF_MAX_RESULTS} results per run; these are the most important (unsuppressed first, then errors, warnings, notices). A JSON report (report-file, --report-file) holds every finding.`
    run.invocations = [{ executionSuccessful: true, toolExecutionNotifications: [{ level: 'warning', message: { text } }] }]
  }
  return log
}

/** The `count` most important of `sorted` (unsuppressed, then by severity), in the order of `sorted`. */
function mostImportant(sorted: readonly Finding[], count: number): Finding[] {
  const rank = (f: Finding) => (f.suppressed ? 0 : 4) + severityRank(f.severity)
  const order = sorted.map((f, i) => i).sort((a, b) => rank(sorted[b]) - rank(sorted[a]) || a - b)
  const keep = new Set(order.slice(0, count))
  return sorted.filter((_, i) => keep.has(i))
}

/** The log as JSON text: the values of formatSarif (masked in the text, which is cheaper than in the values). */
export function sarifString(result: AnalyzeResult, opts: SarifOptions): string {
  return jsonTextMasker(result.secretValues, reportWords(result))(JSON.stringify(unmaskedSarif(result, opts), null, 2)) + '\n'
}

/**
 * Every rule of the result, by id; a finding whose rule is missing from `result.rules` still
 * gets a descriptor, because code scanning rejects a result whose ruleId has none.
 */
function ruleTable(rules: readonly RuleMeta[], findings: readonly Finding[]): RuleMeta[] {
  const byId = new Map<string, RuleMeta>()
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule)
  for (const finding of findings) {
    if (!byId.has(finding.ruleId)) {
      byId.set(finding.ruleId, {
        id: finding.ruleId,
        severity: finding.severity,
        description: finding.ruleId,
        rationale: '',
        remediation: '',
      })
    }
  }
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id))
}

function descriptor(rule: RuleMeta): SarifReportingDescriptor {
  const helpUri = ruleHelpUri(rule.id)
  const fullDescription = [rule.description, rule.rationale].filter((part) => part.trim() !== '').join(' ')
  const textParts = [rule.rationale, rule.remediation && `How to fix: ${rule.remediation}`, `Documentation: ${helpUri}`]
  const markdownParts = [
    `**${rule.id}** — ${rule.description}`,
    rule.rationale,
    rule.remediation && `**How to fix:** ${rule.remediation}`,
    `[Documentation](${helpUri})`,
  ]
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: fullDescription || rule.id },
    help: {
      text: textParts.filter((part) => part.trim() !== '').join('\n\n'),
      markdown: markdownParts.filter((part) => part.trim() !== '').join('\n\n'),
    },
    helpUri,
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: { tags: ['image-pull-secrets', 'kubernetes'] },
  }
}

function sarifResult(finding: Finding, ruleIndex: number, prefix: string): SarifResult {
  const out: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: finding.message },
    locations: [{ physicalLocation: physicalLocation(finding.location.file, finding.location.range, prefix) }],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  }
  if (finding.related.length > 0) {
    out.relatedLocations = [...finding.related].sort(compareRelated).map((related, index) => ({
      id: index + 1,
      message: { text: related.message },
      physicalLocation: physicalLocation(related.location.file, related.location.range, prefix),
    }))
  }
  if (finding.suppressed) {
    out.suppressions = [{ kind: 'inSource', justification: finding.suppressed.reason }]
  }
  return out
}

function physicalLocation(file: string, range: Range, prefix: string): SarifPhysicalLocation {
  return { artifactLocation: { uri: fileUri(prefix + file), uriBaseId: SRCROOT }, region: region(range) }
}

/**
 * Our ranges are 1-based and end-exclusive, as SARIF's are (§3.30.5: endColumn is one past the
 * last character), so they map directly. A degenerate end is dropped rather than emitted inverted.
 */
function region(range: Range): SarifRegion {
  const startLine = Math.max(1, range.start.line)
  const startColumn = Math.max(1, range.start.column)
  const out: SarifRegion = { startLine, startColumn }
  const { line: endLine, column: endColumn } = range.end
  if (endLine > startLine || (endLine === startLine && endColumn > startColumn)) {
    out.endLine = endLine
    out.endColumn = Math.max(1, endColumn)
  }
  return out
}

/**
 * A relative URI reference: each segment percent-encoded, so `#`, `?`, spaces and a `:` in the
 * first segment (which would read as a scheme) cannot change its meaning.
 */
function fileUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment, index) => !(segment === '.' || (segment === '' && index > 0)))
    .map(encodeURIComponent)
    .join('/')
}

function normalisePrefix(prefix: string | undefined): string {
  const clean = (prefix ?? '').replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/^\/+|\/+$/g, '')
  return clean === '' || clean === '.' ? '' : `${clean}/`
}

function isSemver(version: string): boolean {
  return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version)
}
