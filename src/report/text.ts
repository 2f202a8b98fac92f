// Terminal reporter: eslint-"stylish"-like lines grouped by file, then suppressed findings,
// unclassified images, assumptions and a totals line. Pure: no I/O, deterministic order.
// Also home of the helpers every reporter shares (ordering, secret masking).
import type { AnalyzeResult, Finding, ImageReport, Severity } from '../findings/types.js'

export interface TextOptions {
  /** Emit ANSI colour (the CLI passes `process.stdout.isTTY`, honouring NO_COLOR/FORCE_COLOR). */
  color: boolean
  /**
   * How the user reaches the working directory from where they ran the command (e.g.
   * `charts/out`). Prefixed to every displayed path so `file:line:col` stays clickable.
   * `''` or `.` means none.
   */
  cwdLabel?: string
  /** The findings only: no suppressed list, unclassified images, assumptions or totals line. */
  quiet?: boolean
}

export const MASK = '***'

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 }

/** Higher is more severe: error 3, warning 2, notice 1. */
export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity]
}

/** Code-unit order: unlike localeCompare it does not depend on the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** File, line, column, most severe first, rule id, message (fingerprint breaks the last ties). */
export function compareFindings(a: Finding, b: Finding): number {
  const ra = a.location.range.start
  const rb = b.location.range.start
  return (
    compareStrings(a.location.file, b.location.file) ||
    ra.line - rb.line ||
    ra.column - rb.column ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message) ||
    compareStrings(a.fingerprint, b.fingerprint)
  )
}

/** A sorted copy; the input is left as it is. */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort(compareFindings)
}

function compareUses(a: ImageReport['uses'][number], b: ImageReport['uses'][number]): number {
  return compareStrings(a.file, b.file) || a.line - b.line || compareStrings(a.container, b.container)
}

function compareImages(a: ImageReport, b: ImageReport): number {
  return compareStrings(a.image, b.image) || compareStrings(a.classification, b.classification)
}

function isSorted<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return false
  return true
}

/**
 * Images by reference, each with its uses by file and line. The input is left as it is; an image
 * whose uses are in order already (as analyze() gives them) is not copied.
 */
export function sortImages(images: readonly ImageReport[]): ImageReport[] {
  const sorted = isSorted(images, compareImages) ? [...images] : [...images].sort(compareImages)
  return sorted.map((image) => (isSorted(image.uses, compareUses) ? image : { ...image, uses: [...image.uses].sort(compareUses) }))
}

/** The distinct non-blank secret values, longest first (then in code-unit order). */
function distinctSecrets(secretValues: readonly string[]): string[] {
  return [...new Set(secretValues)].filter((value) => value.trim() !== '').sort((a, b) => b.length - a.length || compareStrings(a, b))
}

/**
 * Finds secrets in text. Reports hold hundreds of thousands of strings and a repository thousands
 * of secrets: a regular expression alternation of the secrets tries each of them at each offset.
 * This is Wu and Manber's multi-pattern search instead: a window as long as the shortest secret
 * slides over the text; the last `b` characters of the window, hashed, give how far it can move
 * without passing the start of any secret (a table of 2^16 entries, built from every `b`-gram of
 * the secrets' first `min` characters); only where that is 0 are the secrets of that hash compared,
 * longest first. The matches are those of the alternation (leftmost, then longest), and most of
 * the text is never looked at.
 */
/** Bits of the b-gram hash: a table of 2^16 shifts stays in the processor's cache. */
const HASH_BITS = 16

class SecretIndex {
  /** Length of the shortest secret. */
  readonly min: number
  /** Length of the last match `find` returned. */
  found = 0
  private readonly b: number
  private readonly shift: Uint8Array
  /**
   * The secrets by the hash of their b-gram, then by length (longest first) as sets: a window is
   * looked up once per length, not compared with every secret of its bucket (thousands of tokens
   * share `ghp_`, and a report may say `ghp_` thousands of times).
   */
  private readonly byHash = new Map<number, { lengths: number[]; byLength: Map<number, Set<string>> }>()
  /** Per secret, the words of the vocabulary that hold it, with where: a match there is that word. */
  private readonly within = new Map<string, { word: string; offset: number }[]>()

  /**
   * `secrets`: non-empty, longest first. `vocabulary`: the reports' own words (see reportWords).
   * `json`: the text is JSON, where the letter before a match may end an escape (`\n`, `\u00e9`).
   */
  constructor(
    secrets: readonly string[],
    vocabulary: readonly string[],
    private readonly json: boolean,
  ) {
    for (const secret of secrets) {
      for (const word of vocabulary) {
        for (let at = word.indexOf(secret); at >= 0; at = word.indexOf(secret, at + 1)) {
          const list = this.within.get(secret)
          if (list) list.push({ word, offset: at })
          else this.within.set(secret, [{ word, offset: at }])
        }
      }
    }
    const min = (this.min = secrets[secrets.length - 1].length)
    const b = (this.b = Math.min(4, min))
    const most = Math.min(255, min - b + 1)
    this.shift = new Uint8Array(1 << HASH_BITS).fill(most)
    for (const secret of secrets) {
      for (let q = 0; q + b <= min; q++) {
        const h = this.hash(secret, q)
        const d = min - b - q
        if (d < this.shift[h]) this.shift[h] = d
      }
      const h = this.hash(secret, min - b)
      let bucket = this.byHash.get(h)
      if (!bucket) this.byHash.set(h, (bucket = { lengths: [], byLength: new Map() }))
      const same = bucket.byLength.get(secret.length)
      if (same) same.add(secret)
      else {
        bucket.byLength.set(secret.length, new Set([secret]))
        bucket.lengths.push(secret.length)
      }
    }
    for (const bucket of this.byHash.values()) bucket.lengths.sort((x, y) => y - x)
  }

  /** Start of the first secret in `text` from `i` that ends by `to` (its length in `found`), or -1. */
  find(text: string, i: number, to: number): number {
    const min = this.min
    const b = this.b
    const shift = this.shift
    const last = min - b // offset of the hashed b-gram in the window
    while (i + min <= to) {
      // hash(text, i + last), written out: this loop runs over every report's whole text.
      const k = i + last
      let h = Math.imul(0x811c9dc5 ^ text.charCodeAt(k), 0x9e3779b1)
      if (b > 1) h = Math.imul(h ^ text.charCodeAt(k + 1), 0x9e3779b1)
      if (b > 2) h = Math.imul(h ^ text.charCodeAt(k + 2), 0x9e3779b1)
      if (b > 3) h = Math.imul(h ^ text.charCodeAt(k + 3), 0x9e3779b1)
      h >>>= 32 - HASH_BITS
      const d = shift[h]
      if (d > 0) {
        i += d
        continue
      }
      const bucket = this.byHash.get(h)
      if (bucket) {
        // Longest first, as the secrets are tried everywhere else.
        for (const length of bucket.lengths) {
          if (i + length > to) continue
          const candidate = text.slice(i, i + length)
          if (bucket.byLength.get(length)!.has(candidate) && !this.partOfWord(text, i, candidate)) {
            this.found = length
            return i
          }
        }
      }
      i++
    }
    return -1
  }

  /**
   * True when the secret at `i` is only part of a longer word, which is not the secret: letters
   * or digits go on past an end of it that is a letter or digit (`pass` in `password`), or the
   * match lies inside a word of the vocabulary (`registry` in `registry-not-covered`).
   */
  private partOfWord(text: string, i: number, secret: string): boolean {
    const end = i + secret.length
    if (isWordChar(secret.charCodeAt(0)) && i > 0 && isWordChar(text.charCodeAt(i - 1)) && !this.escapeEndsAt(text, i - 1)) return true
    const last = secret.length - 1
    if (isWordChar(secret.charCodeAt(last)) && !(this.json && insideEscape(secret, last)) && end < text.length && isWordChar(text.charCodeAt(end))) {
      return true
    }
    for (const { word, offset } of this.within.get(secret) ?? []) {
      if (i >= offset && text.startsWith(word, i - offset) && !(this.json && insideEscape(text, i - offset))) return true
    }
    return false
  }

  /** True when the character at `k` ends an escape: JSON's (`\n`, `\u00e9`) or a terminal colour (`ESC[31m`). */
  private escapeEndsAt(text: string, k: number): boolean {
    if (this.json) return insideEscape(text, k)
    if (text.charCodeAt(k) !== 109 /* m */) return false
    let j = k - 1
    while (j >= 0 && ((text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) || text.charCodeAt(j) === 59)) j--
    return j >= 1 && text.charCodeAt(j) === 91 /* [ */ && text.charCodeAt(j - 1) === 27
  }

  /** The `b` characters at `i`, hashed to HASH_BITS bits (as find hashes them). */
  private hash(text: string, i: number): number {
    let h = 0x811c9dc5
    for (let j = 0; j < this.b; j++) h = Math.imul(h ^ text.charCodeAt(i + j), 0x9e3779b1)
    return h >>> (32 - HASH_BITS)
  }
}

/**
 * The words of the reports themselves, besides the rule ids: severities, SARIF levels, image
 * classes, and SARIF's fixed values that code scanning reads (its version, schema and root, the
 * suppression kind, the tool's page: sarif.ts). Not `pass` or `fail`: a password that is a common
 * word is still masked where it stands alone.
 */
const REPORT_WORDS: readonly string[] = [
  ...['error', 'warning', 'notice', 'note', 'none', 'invalid', 'node-credentials', 'public', 'private', 'inferred-private', 'unclassified'],
  ...['2.1.0', 'https://json.schemastore.org/sarif-2.1.0.json', '%SRCROOT%', 'inSource', 'https://github.com/pullcheck/pullcheck'],
]

/**
 * The reports' own vocabulary, which the maskers leave alone: a committed password `pass` or
 * `registry` is not what `password-not-token` or `registry-not-covered` spell, and masking them
 * would break the rule ids that SARIF and JSON consumers match on.
 */
export function reportWords(result: Pick<AnalyzeResult, 'rules'>): string[] {
  return [...result.rules.map((rule) => rule.id), ...REPORT_WORDS]
}

/**
 * Returns a function replacing every occurrence of a secret value with `***`. Longest values go
 * first so a secret that contains another is masked whole. Blank values are ignored: masking
 * every space would garble the output without hiding anything. An occurrence that is only part
 * of a longer word (`pass` in `password`, or inside a word of `vocabulary`) is that word, not the
 * secret, and is left as it is.
 */
export function secretMasker(secretValues: readonly string[], vocabulary: readonly string[] = []): (text: string) => string {
  const secrets = distinctSecrets(secretValues)
  if (secrets.length === 0) return (text) => text
  const index = new SecretIndex(secrets, vocabulary, false)
  return (text) => {
    let at = index.find(text, 0, text.length)
    if (at < 0) return text
    let out = ''
    let last = 0
    while (at >= 0) {
      out += text.slice(last, at) + MASK
      last = at + index.found
      at = index.find(text, last, text.length)
    }
    return out + text.slice(last)
  }
}

/**
 * The masker for JSON text: masks the secrets inside the string values of `JSON.stringify`
 * output, as `secretMasker` masks the strings before they are serialised, but in one pass over
 * the text instead of a walk over every value. Secrets are looked for as JSON.stringify writes
 * them (escapes included); keys (the reports' schema), numbers, `true`, `null` and the structure
 * are never touched, so the output stays valid JSON of the same shape.
 */
export function jsonTextMasker(secretValues: readonly string[], vocabulary: readonly string[] = []): (json: string) => string {
  const secrets = distinctSecrets(secretValues).map((s) => JSON.stringify(s).slice(1, -1))
  if (secrets.length === 0) return (json) => json
  secrets.sort((a, b) => b.length - a.length || compareStrings(a, b))
  const index = new SecretIndex(secrets, vocabulary.map((word) => JSON.stringify(word).slice(1, -1)), true)
  // When every match must lie inside a string literal, the whole text is searched at once.
  const whole = secrets.every(onlyInStrings)
  return (json) => {
    const masked = { out: '', last: 0 }
    if (whole) {
      maskBetween(json, 0, json.length, index, masked)
    } else {
      // From one string literal to the next: a quote opens one, the next quote not escaped closes it.
      for (let open = json.indexOf('"'); open >= 0; ) {
        const close = closingQuote(json, open + 1)
        if (close < 0) break
        if (json.charCodeAt(close + 1) !== 58 /* : a key */) maskBetween(json, open + 1, close, index, masked)
        open = json.indexOf('"', close + 1)
      }
    }
    return masked.last === 0 ? json : masked.out + json.slice(masked.last)
  }
}

/** The quote that closes the string literal going on at `i` (the next one not escaped), or -1. */
function closingQuote(json: string, i: number): number {
  let close = json.indexOf('"', i)
  while (close > 0 && escaped(json, close)) close = json.indexOf('"', close + 1)
  return close
}

/** Masks the secrets found in the string values of json[from, to): the text up to each one is added to `masked.out`, `masked.last` is where the rest starts. */
function maskBetween(json: string, from: number, to: number, index: SecretIndex, masked: { out: string; last: number }): void {
  for (let at = index.find(json, from, to); at >= 0; at = index.find(json, at, to)) {
    // A match must start on a character, not inside an escape (`\n`, `\u0001`), and lie in a value, not a key.
    if (insideEscape(json, at) || json.charCodeAt(closingQuote(json, at + index.found) + 1) === 58) {
      at++
      continue
    }
    masked.out += json.slice(masked.last, at) + MASK
    at += index.found
    masked.last = at
  }
}

/**
 * Outside its string literals, JSON.stringify writes only white space, `{}[],:`, numbers, `true`,
 * `false` and `null`. An escaped secret with no quote (so no match spans a literal's end) and with
 * a character none of those has (so no match lies outside every literal) matches only inside one.
 */
export function onlyInStrings(escapedSecret: string): boolean {
  return !escapedSecret.includes('"') && /[^\s{}[\],:0-9.eE+\-truefalsn]/.test(escapedSecret)
}

/** ASCII letters, digits and `_`: what a word is made of. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
}

/** True when the character at `i` is part of an escape sequence, but not its backslash. */
function insideEscape(json: string, i: number): boolean {
  if (escaped(json, i)) return true
  // The hex digits of `\uXXXX`.
  for (let k = 2; k <= 5 && i - k >= 0; k++) {
    if (json.charCodeAt(i - k) === 92 && json.charCodeAt(i - k + 1) === 117 /* u */ && !escaped(json, i - k)) return true
  }
  return false
}

/** True when the character at `i` follows an odd number of backslashes. */
function escaped(text: string, i: number): boolean {
  let n = 0
  while (i - n - 1 >= 0 && text.charCodeAt(i - n - 1) === 92) n++
  return n % 2 === 1
}

export function maskSecrets(text: string, secretValues: readonly string[]): string {
  return secretMasker(secretValues)(text)
}

/** Masks every string value of a JSON-like value (keys are the reports' schema); returns a copy. */
export function maskDeep<T>(value: T, mask: (text: string) => string): T {
  // Secrets almost never reach a report: look first, copy only when something must change.
  return containsMaskable(value, mask) ? (maskValue(value, mask) as T) : value
}

function containsMaskable(value: unknown, mask: (text: string) => string): boolean {
  if (typeof value === 'string') return mask(value) !== value
  if (Array.isArray(value)) return value.some((item) => containsMaskable(item, mask))
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) if (containsMaskable(item, mask)) return true
  }
  return false
}

function maskValue(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value)
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = maskValue(item, mask)
    }
    return out
  }
  return value
}

interface Palette {
  severity(severity: Severity, text: string): string
  gray(text: string): string
  dim(text: string): string
  bold(text: string): string
  underline(text: string): string
  green(text: string): string
}

const SEVERITY_COLOR: Record<Severity, number> = { error: 31, warning: 33, notice: 34 }

function palette(color: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) =>
    color && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text
  const bySeverity = {
    error: wrap(SEVERITY_COLOR.error, 39),
    warning: wrap(SEVERITY_COLOR.warning, 39),
    notice: wrap(SEVERITY_COLOR.notice, 39),
  }
  return {
    severity: (severity, text) => bySeverity[severity](text),
    gray: wrap(90, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    underline: wrap(4, 24),
    green: wrap(32, 39),
  }
}

/**
 * Control characters from the manifests (an ESC that would start a terminal sequence, a BEL) as
 * `\xNN`, for outputs that keep line breaks and tabs as they are (annotations, the summary).
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * One line of the terminal: manifest content ends up in messages (image names, object names), so
 * control characters are shown escaped (`\xNN`) and a crafted manifest cannot drive the terminal;
 * line breaks and tabs become spaces. (Built by replace, not character by character: a string grown one character at a time is a
 * rope of one node per character, dozens of bytes each, for every message of the report.)
 */
function printable(text: string): string {
  return escapeControls(text.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ').replace(/\t/g, ' '))
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

function displayPath(file: string, cwdLabel: string | undefined): string {
  const prefix = (cwdLabel ?? '').replace(/\\/g, '/').replace(/\/+$/, '')
  if (prefix === '' || prefix === '.') return file
  return `${prefix}/${file}`
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>()
  for (const finding of findings) {
    const group = groups.get(finding.location.file)
    if (group) group.push(finding)
    else groups.set(finding.location.file, [finding])
  }
  return groups
}

interface Row {
  position: string
  severity: Severity
  message: string
  ruleId: string
  finding: Finding
}

function widthOf(rows: readonly Row[], column: 'position' | 'severity' | 'message'): number {
  return rows.reduce((max, row) => Math.max(max, displayWidth(row[column])), 0)
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

/** East Asian wide and fullwidth characters and emoji: two columns in a terminal (pairs of first, last). */
const WIDE = [
  0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3, 0x25fd, 0x25fe, 0x2614, 0x2615,
  0x2648, 0x2653, 0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26ce,
  0x26d4, 0x26d4, 0x26ea, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa, 0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b,
  0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755, 0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf,
  0x2b1b, 0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55, 0x2e80, 0x303e, 0x3041, 0x33ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xa000, 0xa4cf,
  0xa960, 0xa97f, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6f, 0xff00, 0xff60, 0xffe0, 0xffe6, 0x1f004, 0x1f004,
  0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e, 0x1f191, 0x1f19a, 0x1f200, 0x1f2ff, 0x1f300, 0x1f64f, 0x1f680, 0x1f6ff, 0x1f7e0, 0x1f7eb,
  0x1f90c, 0x1f9ff, 0x1fa70, 0x1faff, 0x20000, 0x3fffd,
]

/** Columns `text` takes in a terminal: combining marks and zero-width characters none, wide ones two. */
export function displayWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length
  let width = 0
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (/^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u.test(ch)) continue
    let wide = false
    for (let i = 0; i < WIDE.length && code >= WIDE[i]; i += 2) {
      if (code <= WIDE[i + 1]) {
        wide = true
        break
      }
    }
    width += wide ? 2 : 1
  }
  return width
}

export function formatText(result: AnalyzeResult, opts: TextOptions): string {
  const mask = secretMasker(result.secretValues, reportWords(result))
  const c = palette(opts.color)
  const clean = (text: string) => printable(mask(text))
  const path = (file: string) => clean(displayPath(file, opts.cwdLabel))
  const position = (finding: Finding) =>
    `${path(finding.location.file)}:${finding.location.range.start.line}:${finding.location.range.start.column}`
  const toRow = (finding: Finding): Row => ({
    position: position(finding),
    severity: finding.severity,
    message: clean(finding.message),
    ruleId: clean(finding.ruleId),
    finding,
  })

  const sorted = sortFindings(result.findings)
  const active = sorted.filter((finding) => !finding.suppressed)
  const suppressed = sorted.filter((finding) => finding.suppressed)
  const lines: string[] = []

  for (const [file, group] of groupByFile(active)) {
    lines.push(c.underline(path(file)))
    const rows = group.map(toRow)
    const widths = { position: widthOf(rows, 'position'), severity: widthOf(rows, 'severity'), message: widthOf(rows, 'message') }
    for (const row of rows) {
      lines.push(
        `  ${c.gray(pad(row.position, widths.position))}  ${c.severity(row.severity, pad(row.severity, widths.severity))}  ` +
          `${pad(row.message, widths.message)}  ${c.gray(row.ruleId)}`,
      )
      for (const related of [...row.finding.related].sort(compareRelated)) {
        const where = `${path(related.location.file)}:${related.location.range.start.line}:${related.location.range.start.column}`
        lines.push(c.gray(`      ↳ ${where}  ${clean(related.message)}`))
      }
    }
    lines.push('')
  }

  if (opts.quiet) return mask(lines.join('\n')).replace(/\n+$/, '') + (lines.length > 0 ? '\n' : '')

  if (suppressed.length > 0) {
    lines.push(c.dim(`Suppressed (${suppressed.length}):`))
    const rows = suppressed.map(toRow)
    const widths = { position: widthOf(rows, 'position'), severity: widthOf(rows, 'severity'), message: widthOf(rows, 'message') }
    for (const row of rows) {
      const how = row.finding.suppressed?.by ?? 'annotation'
      const reason = clean(row.finding.suppressed?.reason ?? '')
      lines.push(
        c.dim(
          `  ${pad(row.position, widths.position)}  ${pad(row.severity, widths.severity)}  ${pad(row.message, widths.message)}  ` +
            `${row.ruleId}  (suppressed by ${how}: ${reason})`,
        ),
      )
    }
    lines.push('')
  }

  const unclassified = sortImages(result.images.filter((image) => image.classification === 'unclassified'))
  if (unclassified.length > 0) {
    lines.push(`${plural(unclassified.length, 'unclassified image')} (not checked):`)
    const names = unclassified.map((image) => clean(image.image))
    const width = names.reduce((max, name) => Math.max(max, displayWidth(name)), 0)
    unclassified.forEach((image, index) => {
      const first = image.uses[0]
      const where = first ? `${path(first.file)}:${first.line}` : ''
      const more = image.uses.length > 1 ? `, +${image.uses.length - 1} more` : ''
      lines.push(`  ${pad(names[index], width)}  ${c.gray(where + more)}`.trimEnd())
    })
    lines.push(
      c.dim(
        '  hint: list their registries in `private-registries` (a pull secret is required), ' +
          '`public-registries` (never checked) or `node-credentials` (pulled with the nodes\' own identity).',
      ),
    )
    lines.push('')
  }

  const assumptions = [...new Set(result.assumptions.map(clean))].sort(compareStrings)
  if (assumptions.length > 0) {
    lines.push('Assumptions (what the results rest on):')
    for (const assumption of assumptions) lines.push(`  • ${assumption}`)
    lines.push('')
  }

  lines.push(totalsLine(result, c))
  return mask(lines.join('\n')) + '\n'
}

/** Related locations by file, line, column, message. */
export function compareRelated(a: Finding['related'][number], b: Finding['related'][number]): number {
  return (
    compareStrings(a.location.file, b.location.file) ||
    a.location.range.start.line - b.location.range.start.line ||
    a.location.range.start.column - b.location.range.start.column ||
    compareStrings(a.message, b.message)
  )
}

function totalsLine(result: AnalyzeResult, c: Palette): string {
  const { error, warning, notice, suppressed } = result.counts
  const problems = error + warning + notice
  const text =
    `${problems === 0 ? '✔' : '✖'} ${plural(problems, 'problem')} ` +
    `(${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notice, 'notice')}), ${suppressed} suppressed · ` +
    `${plural(result.checkedImages, 'image')} checked, ${result.unclassifiedImages} unclassified · ` +
    `${plural(result.stats.files, 'file')}`
  if (error > 0) return c.bold(c.severity('error', text))
  if (warning > 0) return c.bold(c.severity('warning', text))
  if (notice > 0) return c.bold(c.severity('notice', text))
  return c.bold(c.green(text))
}
