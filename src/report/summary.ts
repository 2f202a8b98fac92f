// The job summary (GitHub-flavoured Markdown): totals, the findings with links to their lines,
// suppressed findings, unclassified images with a hint, assumptions, and a Mermaid graph of the
// failing paths Namespace → ServiceAccount → Secret → workload. Pure and deterministic; every
// string from the manifests is masked and escaped; the whole stays under a byte limit (GitHub
// refuses step summaries over 1 MiB), cutting the tables with a note rather than failing.
import type { AnalyzeResult, FailOn, Finding, ImageReport, ResourceRef, RuleMeta } from '../findings/types.js'
import { outcome } from './json.js'
import { SARIF_MAX_RESULTS } from './sarif.js'
import { compareStrings, escapeControls, reportWords, secretMasker, sortFindings, sortImages } from './text.js'
import { annotationOrder } from './workflow-commands.js'

/** GitHub's limit for one step's summary is 1 MiB; keep clear of it. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 4096

export interface SummaryOptions {
  failOn: FailOn
  /** `https://github.com`: with `repository` and `sha`, locations link to `<server>/<repo>/blob/<sha>/<path>#L<line>`. */
  serverUrl?: string
  /** `owner/repo` */
  repository?: string
  /** The commit the paths are read at (a pull request's head). */
  sha?: string
  /** Sentences shown under the totals (the scope of only-changed, fallbacks). */
  notes?: string[]
  /** Where the complete results are (paths as the user sees them). */
  sarifFile?: string
  reportFile?: string
  /** Default SUMMARY_MAX_BYTES. */
  maxBytes?: number
  /** The limit `maxBytes` keeps under, as a note names it; default GitHub's 1 MiB of a job summary. */
  limitName?: string
  /** Heading level of the title (2 → `##`); default 2. */
  headingLevel?: number
}

/** Markdown of the job summary, at most `maxBytes` UTF-8 bytes. */
export function formatSummary(result: AnalyzeResult, opts: SummaryOptions): string {
  return summaryText(result, opts).text
}

/** The job summary, and whether it was cut to fit (then it does not hold every finding). */
export function summaryText(result: AnalyzeResult, opts: SummaryOptions): { text: string; complete: boolean } {
  const maxBytes = opts.maxBytes ?? SUMMARY_MAX_BYTES
  const data = prepare(result, opts)
  const full = render(data, Number.POSITIVE_INFINITY)
  if (byteLength(full) <= maxBytes) return { text: full, complete: true }
  // Cut every list to the same number of rows: the largest that fits.
  let lo = 0
  let hi = Math.max(data.active.length, data.suppressed.length, data.unclassified.length, data.assumptions.length, data.paths.length)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (byteLength(render(data, mid)) <= maxBytes) lo = mid
    else hi = mid - 1
  }
  const cut = render(data, lo)
  return { text: byteLength(cut) <= maxBytes ? cut : truncateBytes(cut, maxBytes), complete: false }
}

/** Everything sorted and derived once; `render` only slices and joins. */
interface Prepared {
  result: AnalyzeResult
  opts: SummaryOptions
  mask: (text: string) => string
  active: Finding[]
  suppressed: Finding[]
  unclassified: ImageReport[]
  assumptions: string[]
  paths: FailingPath[]
  /** Failing paths the findings count but do not list (each keeps at most 20). */
  omittedPaths: number
  /** Rendered rows by section and object: the size search renders the same rows many times. */
  rows: Map<string, Map<unknown, string>>
}

function prepare(result: AnalyzeResult, opts: SummaryOptions): Prepared {
  const active = annotationOrder(result.findings)
  return {
    result,
    opts,
    mask: secretMasker(result.secretValues, reportWords(result)),
    active,
    suppressed: sortFindings(result.findings.filter((f) => f.suppressed)),
    unclassified: sortImages(result.images.filter((i) => i.classification === 'unclassified')),
    assumptions: [...new Set(result.assumptions)].sort(compareStrings),
    paths: pathsOf(active),
    omittedPaths: active.reduce((n, f) => n + (f.severity === 'error' ? (f.pathsOmitted ?? 0) : 0), 0),
    rows: new Map(),
  }
}

function render(data: Prepared, maxRows: number): string {
  const { result, opts, mask } = data
  const ctx: Ctx = { ...data, maxRows, cut: false }
  const h = '#'.repeat(Math.min(6, Math.max(1, opts.headingLevel ?? 2)))
  const out: string[] = []
  const { error, warning, notice, suppressed } = result.counts
  const verdict = outcome(result.findings, opts.failOn)
  const problems = error + warning + notice
  out.push(`${h} pullcheck: ${verdict === 'fail' ? '❌' : '✅'} ${problems === 0 ? 'no problems' : `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notice, 'notice')}`}`)
  out.push('')
  out.push(
    `Result: **${verdict}** (fail-on: ${opts.failOn}) · ${plural(result.checkedImages, 'image')} checked · ` +
      `${result.unclassifiedImages} unclassified · ${plural(result.stats.files, 'file')} · ${plural(result.stats.workloads, 'workload')}`,
  )
  out.push('')
  out.push('| Errors | Warnings | Notices | Suppressed | Images checked | Unclassified images | Files |')
  out.push('|---:|---:|---:|---:|---:|---:|---:|')
  out.push(`| ${error} | ${warning} | ${notice} | ${suppressed} | ${result.checkedImages} | ${result.unclassifiedImages} | ${result.stats.files} |`)
  for (const note of opts.notes ?? []) {
    out.push('')
    out.push(`> ${text(note, mask)}`)
  }

  const body: string[] = []
  body.push(...findingsSection(ctx, h))
  body.push(...suppressedSection(ctx, h))
  body.push(...unclassifiedSection(ctx, h))
  body.push(...assumptionsSection(ctx, h))
  body.push(...graphSection(ctx, h))

  if (ctx.cut) {
    out.push('')
    out.push(
      `> **Note:** this summary was cut to stay under ${opts.limitName ?? "GitHub's 1 MiB limit"}; it shows the first ${maxRows} rows of each list. ` +
        `${wherePlaces(opts, result.findings.length) ?? 'Set sarif-file or report-file to get every finding.'}`,
    )
  }
  out.push(...body)
  const places = wherePlaces(opts, result.findings.length)
  if (places && !ctx.cut) {
    out.push('')
    out.push(places)
  }
  return out.join('\n') + '\n'
}

interface Ctx extends Prepared {
  maxRows: number
  /** Set when a list was cut. */
  cut: boolean
}

function take<T>(items: readonly T[], ctx: Ctx): T[] {
  if (items.length <= ctx.maxRows) return [...items]
  ctx.cut = true
  return items.slice(0, ctx.maxRows)
}

function row(ctx: Ctx, section: string, key: unknown, make: () => string): string {
  let rows = ctx.rows.get(section)
  if (!rows) ctx.rows.set(section, (rows = new Map()))
  let line = rows.get(key)
  if (line === undefined) rows.set(key, (line = make()))
  return line
}

function wherePlaces(opts: SummaryOptions, findings: number): string | undefined {
  const places: string[] = []
  // Code scanning takes SARIF_MAX_RESULTS results: a SARIF file of more findings holds the most important.
  if (opts.sarifFile) places.push(`SARIF${findings > SARIF_MAX_RESULTS ? ` (the ${SARIF_MAX_RESULTS} most important)` : ''}: \`${codeSafe(opts.sarifFile)}\``)
  if (opts.reportFile) places.push(`JSON report: \`${codeSafe(opts.reportFile)}\``)
  return places.length ? `${findings > SARIF_MAX_RESULTS && !opts.reportFile ? 'Results' : 'Complete results'} — ${places.join(' · ')}` : undefined
}

const SEVERITY_ICON: Record<Finding['severity'], string> = { error: '🔴', warning: '🟠', notice: '🔵' }

function findingsSection(ctx: Ctx, h: string): string[] {
  const active = ctx.active
  if (active.length === 0) return []
  const remediation = new Map(ctx.result.rules.map((r: RuleMeta) => [r.id, r.remediation]))
  const rows = take(active, ctx)
  const out = ['', `${h}# Findings (${active.length})`, '']
  out.push('| Severity | Location | Rule | Workload | Container | Image | Fix |')
  out.push('|---|---|---|---|---|---|---|')
  for (const f of rows) {
    const fix = f.fix ?? remediation.get(f.ruleId) ?? ''
    out.push(row(ctx, 'finding', f, () =>
      `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${locationLink(f.location.file, f.location.range.start.line, ctx)} | ${code(f.ruleId, ctx.mask)} | ` +
        `${f.resource ? text(resourceLabel(f.resource), ctx.mask) : '—'} | ${f.container !== undefined ? text(f.container, ctx.mask) : '—'} | ` +
        `${f.image !== undefined ? code(f.image, ctx.mask) : '—'} | ${text(fix, ctx.mask)} |`,
    ))
  }
  if (rows.length < active.length) out.push('', `_… and ${active.length - rows.length} more findings not shown._`)
  // The long messages, for the findings shown, in a collapsed block.
  out.push('', '<details><summary>Messages</summary>', '')
  for (const f of rows) {
    out.push(row(ctx, 'message', f, () => `- ${locationLink(f.location.file, f.location.range.start.line, ctx)} ${code(f.ruleId, ctx.mask)}: ${text(f.message, ctx.mask)}`))
  }
  out.push('', '</details>')
  return out
}

function suppressedSection(ctx: Ctx, h: string): string[] {
  const suppressed = ctx.suppressed
  if (suppressed.length === 0) return []
  const rows = take(suppressed, ctx)
  const out = ['', `${h}# Suppressed findings (${suppressed.length})`, '']
  out.push('| Location | Rule | Workload | Suppressed by | Reason |')
  out.push('|---|---|---|---|---|')
  for (const f of rows) {
    out.push(
      `| ${locationLink(f.location.file, f.location.range.start.line, ctx)} | ${code(f.ruleId, ctx.mask)} | ` +
        `${f.resource ? text(resourceLabel(f.resource), ctx.mask) : '—'} | ${f.suppressed!.by} | ${text(f.suppressed!.reason, ctx.mask)} |`,
    )
  }
  if (rows.length < suppressed.length) out.push('', `_… and ${suppressed.length - rows.length} more not shown._`)
  return out
}

function unclassifiedSection(ctx: Ctx, h: string): string[] {
  const images = ctx.unclassified
  if (images.length === 0) return []
  const rows = take(images, ctx)
  const out = ['', `${h}# Unclassified images (${images.length}, not checked)`, '']
  out.push('| Image | Used by |')
  out.push('|---|---|')
  for (const image of rows) {
    const first = image.uses[0]
    const where = first
      ? `${text(resourceLabel(first.workload), ctx.mask)} (${text(first.container, ctx.mask)}) at ${locationLink(first.file, first.line, ctx)}` +
        (image.uses.length > 1 ? `, +${image.uses.length - 1} more` : '')
      : '—'
    out.push(`| ${code(image.image, ctx.mask)} | ${where} |`)
  }
  if (rows.length < images.length) out.push('', `_… and ${images.length - rows.length} more not shown._`)
  out.push(
    '',
    'pullcheck cannot tell whether these registries need a credential. Classify them in `.pullcheck.yml` or the inputs: ' +
      '`private-registries` (a pull secret is required), `public-registries` (never checked) or ' +
      "`node-credentials` (pulled with the nodes' own identity, e.g. ECR, Artifact Registry, ACR).",
  )
  return out
}

function assumptionsSection(ctx: Ctx, h: string): string[] {
  const assumptions = ctx.assumptions
  if (assumptions.length === 0) return []
  const out = ['', `${h}# Assumptions`, '']
  for (const a of take(assumptions, ctx)) out.push(`- ${text(a, ctx.mask)}`)
  return out
}

// ---------------------------------------------------------------------------------------------
// The graph of failing paths

/** One failing path: the objects a failing pull goes through, as far as the finding names them. */
export interface FailingPath {
  namespace?: string
  serviceAccount?: string
  /** Pull secrets on the path, by name (in `namespace`); empty when there are none. */
  secrets: string[]
  /** Who lists them (PullPath.secretsFrom): the pod's own list draws no ServiceAccount in between. */
  secretsFrom?: 'pod' | 'serviceAccount'
  workload: ResourceRef
  ruleId: string
}

/** The failing pull paths of each unsuppressed error, as the rules recorded them on the finding. */
export function failingPaths(findings: readonly Finding[]): FailingPath[] {
  return pathsOf(annotationOrder(findings))
}

function pathsOf(ordered: readonly Finding[]): FailingPath[] {
  const out: FailingPath[] = []
  for (const f of ordered) {
    if (f.severity !== 'error') continue
    for (const p of f.paths ?? []) {
      out.push({ namespace: p.namespace, serviceAccount: p.serviceAccount, secrets: [...p.secrets], secretsFrom: p.secretsFrom, workload: p.workload, ruleId: f.ruleId })
    }
  }
  return out
}

/**
 * What GitHub's Mermaid draws: by default at most 500 edges (some releases stopped at 280) and
 * 50,000 characters of diagram text; past either, the summary shows an error box, not the graph.
 * The graph keeps under both with room to spare, and says how many paths it leaves out.
 */
export const MERMAID_MAX_EDGES = 250
export const MERMAID_MAX_CHARS = 45_000
/** A path has 23 labels at most (namespace, ServiceAccount, 20 secrets, workload): 23 × 200 characters, each at most 8 once escaped, is 36,800. */
const MERMAID_MAX_LABEL = 200

function graphSection(ctx: Ctx, h: string): string[] {
  const paths = ctx.paths
  if (paths.length === 0) return []
  const ids = new Map<string, string>()
  const nodes: string[] = []
  const edges = new Map<string, Set<string>>()
  const workloads = new Set<string>()
  // Characters of the diagram so far: its first line, nodes, edges (each label counted once) and
  // the class line (an id and a comma per workload).
  let chars = 'flowchart LR\n'.length + 120
  // A label of at most MERMAID_MAX_LABEL characters (names the API server would refuse can be
  // longer), so that even the first path, always drawn, keeps under MERMAID_MAX_CHARS.
  // Masked before it is cut: a secret cut in two would no longer be found.
  const label = (text: string) => {
    const masked = ctx.mask(text)
    return mermaidLabel(masked.length > MERMAID_MAX_LABEL ? `${masked.slice(0, MERMAID_MAX_LABEL - 1)}…` : masked)
  }
  const nodeLine = (id: string, text: string) => `  ${id}["${label(text)}"]`
  const edgeChars = (from: string, to: string) => `  ${from} -->|""| ${to}\n`.length
  const candidates = take(paths, ctx)
  let shown = 0
  for (const p of candidates) {
    const ns = p.namespace ?? '(cluster)'
    // The path's nodes (key, label) and edges (from key, to key, rule), before anything is added.
    const pathNodes: [string, string][] = [[`ns|${ns}`, `Namespace ${ns}`]]
    // The pod's own list replaces its ServiceAccount's: its secrets hang off the namespace.
    if (p.serviceAccount && p.secretsFrom !== 'pod') pathNodes.push([`sa|${ns}|${p.serviceAccount}`, `ServiceAccount ${p.serviceAccount}`])
    const workloadKey = `w|${p.workload.kind}|${ns}|${p.workload.name}`
    const pathEdges: [string, string, string | undefined][] = []
    for (let i = 1; i < pathNodes.length; i++) pathEdges.push([pathNodes[i - 1][0], pathNodes[i][0], undefined])
    const last = pathNodes[pathNodes.length - 1][0]
    if (p.secrets.length === 0) pathEdges.push([last, workloadKey, p.ruleId])
    for (const secret of p.secrets) {
      const key = `s|${ns}|${secret}`
      pathNodes.push([key, `Secret ${secret}`])
      pathEdges.push([last, key, undefined], [key, workloadKey, p.ruleId])
    }
    pathNodes.push([workloadKey, `${p.workload.kind} ${p.workload.name}`])
    // What it would add.
    let nextId = ids.size
    const newNodes = new Map<string, { id: string; line: string }>()
    let addChars = 0
    for (const [key, text] of pathNodes) {
      if (ids.has(key) || newNodes.has(key)) continue
      const id = `n${nextId++}`
      const line = nodeLine(id, text)
      newNodes.set(key, { id, line })
      addChars += line.length + 1
    }
    const idOf = (key: string) => ids.get(key) ?? newNodes.get(key)!.id
    let addEdges = 0
    for (const [from, to, rule] of pathEdges) {
      const key = `${idOf(from)} ${idOf(to)}`
      const labels = edges.get(key)
      if (!labels) {
        addEdges++
        addChars += edgeChars(idOf(from), idOf(to)) + (rule ? label(rule).length : 0)
      } else if (rule && !labels.has(rule)) addChars += label(rule).length + 2
    }
    if (!workloads.has(idOf(workloadKey))) addChars += idOf(workloadKey).length + 1
    if (shown > 0 && (edges.size + addEdges > MERMAID_MAX_EDGES || chars + addChars > MERMAID_MAX_CHARS)) break
    // Add it.
    for (const [key, { id, line }] of newNodes) {
      ids.set(key, id)
      nodes.push(line)
    }
    for (const [from, to, rule] of pathEdges) {
      const key = `${idOf(from)} ${idOf(to)}`
      const labels = edges.get(key) ?? new Set<string>()
      if (rule) labels.add(rule)
      edges.set(key, labels)
    }
    workloads.add(idOf(workloadKey))
    chars += addChars
    shown++
  }
  const lines = ['flowchart LR', ...nodes]
  for (const [key, labels] of edges) {
    const [from, to] = key.split(' ')
    const text = [...labels].sort(compareStrings).join(', ')
    lines.push(text ? `  ${from} -->|"${label(text)}"| ${to}` : `  ${from} --> ${to}`)
  }
  lines.push('  classDef failing fill:#ffebe9,stroke:#cf222e,color:#82071e')
  lines.push(`  class ${[...workloads].join(',')} failing`)
  const out = ['', `${h}# Failing paths`, '', 'Namespace → ServiceAccount → Secret → workload for each error (Namespace → Secret → workload when the pod lists its own pull secrets); the edge into a workload names the rule.', '']
  const total = paths.length + ctx.omittedPaths
  if (shown < total) {
    const why = [
      // Cut for the summary's size first (take), then for what Mermaid draws.
      candidates.length < paths.length ? `this summary keeps the first ${candidates.length} rows of each list to stay under its size limit` : '',
      shown < candidates.length ? "GitHub's Mermaid draws no graph of more than 500 edges (280 in some releases) or 50,000 characters" : '',
      ctx.omittedPaths > 0 ? `each finding lists at most 20 of its paths (${ctx.omittedPaths} more are counted in the JSON report's pathsOmitted)` : '',
    ].filter(Boolean)
    out.push(`The graph shows ${shown} of ${total} failing paths: ${why.join(', and ')}. The findings name the workloads.`, '')
  }
  out.push('```mermaid', ...lines, '```')
  return out
}

/** Mermaid label text: anything but letters, digits, space and `./_-` as an entity code (`#34;`). */
export function mermaidLabel(label: string): string {
  return label.replace(/[\r\n]+/g, ' ').replace(/[^A-Za-z0-9 ./_-]/gu, (ch) => `#${ch.codePointAt(0)};`)
}

// ---------------------------------------------------------------------------------------------
// Markdown helpers

/**
 * Text for a table cell or a list item: HTML and Markdown specials as character references, so
 * manifest content cannot add links, images, mentions, emphasis, math or table columns.
 */
export function escapeMarkdown(value: string): string {
  return escapeControls(value)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>|\\`*_[\]~$@!#]/g, (ch) => `&#${ch.codePointAt(0)};`)
}

function text(value: string, mask: (text: string) => string): string {
  return escapeMarkdown(mask(value))
}

function code(value: string, mask: (text: string) => string): string {
  return `<code>${escapeMarkdown(mask(value))}</code>`
}

/** Inside backticks: a backtick cannot be escaped, so it is replaced. */
function codeSafe(value: string): string {
  return escapeControls(value).replace(/`/g, "'").replace(/[\r\n]+/g, ' ')
}

function resourceLabel(r: ResourceRef): string {
  return r.namespace !== undefined ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`
}

/** `[file:line](<server>/<repo>/blob/<sha>/<path>#L<line>)`, or the plain text when there is no commit to link to. */
function locationLink(file: string, line: number, ctx: Ctx): string {
  const label = text(`${file}:${line}`, ctx.mask)
  const { serverUrl, repository, sha } = ctx.opts
  if (!serverUrl || !repository || !sha) return label
  const path = ctx.mask(file)
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[()!'*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/')
  const url = `${serverUrl.replace(/\/+$/, '')}/${repository.split('/').map(encodeURIComponent).join('/')}/blob/${encodeURIComponent(sha)}/${path}#L${line}`
  return `[${label}](${url})`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

/** Last resort (a single huge row): cut at a line boundary under the limit and say so. */
function truncateBytes(s: string, maxBytes: number): string {
  const note = '\n\n> **Note:** the summary was cut here to stay under 1 MiB.\n'
  const budget = maxBytes - byteLength(note)
  const buf = Buffer.from(s, 'utf8').subarray(0, Math.max(0, budget))
  let cut = buf.toString('utf8')
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1)
  const nl = cut.lastIndexOf('\n')
  return (nl > 0 ? cut.slice(0, nl) : cut) + note
}
