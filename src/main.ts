// Action: inputs → the same validated Options as the CLI → analyze → masks, annotations (and a
// check run), job summary, SARIF / JSON files → outputs → setFailed by fail-on. Paths in every
// output are relative to GITHUB_WORKSPACE. `@actions/core` is used here and in report/github.ts only.
import fs from 'node:fs/promises'
import path from 'node:path'
import * as core from '@actions/core'
import { analyze } from './analyze.js'
import type { AnalyzeResult, Finding, Location } from './findings/types.js'
import { displayPath, notReadWarning, OPTION_TABLE, OptionsError, optionWarnings, resolveOptions, unmatchedWarning, unparsedWarning, type OptionSpec, type OptionValues, type Options } from './options.js'
import { CONFIGURABLE_RULE_IDS, inactiveRuleWarnings } from './rules/registry.js'
import { checkRunAnnotations, logLines, overflowNotice, planAnnotations, suppressedLogLines } from './report/annotations.js'
import {
  GitHubApi,
  debug,
  emitAnnotations,
  headSha,
  info,
  logGroup,
  notice,
  readGitHubContext,
  registerSecrets,
  warning,
  writeSummary,
} from './report/github.js'
import { formatJson, outcome } from './report/json.js'
import { SARIF_MAX_RESULTS, sarifString } from './report/sarif.js'
import { formatSummary, summaryText } from './report/summary.js'
import { reportWords, secretMasker } from './report/text.js'
import { OutputFileError, writeOutputFile } from './output-file.js'
import { VERSION } from './version.js'

/** Runs the action; never rejects: every failure ends in `setFailed`, without a stack trace. */
export async function run(): Promise<void> {
  try {
    await runAction()
  } catch (err) {
    if (err instanceof Error && err.stack) core.debug(err.stack)
    core.setFailed(`pullcheck: internal error: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/**
 * Configuration problems: those at a line of the config file (inside the workspace) as annotations
 * there, so that a pull request that breaks .pullcheck.yml shows it on the line; the rest in the
 * step's failure message.
 */
export function failOnOptions(problems: readonly string[]): void {
  const unplaced: string[] = []
  for (const problem of problems) {
    const m = /^([^\s:/.][^:]*|\.[^\s:/.][^:]*):(\d+)(?::(\d+))?: /.exec(problem)
    if (m === null || path.isAbsolute(m[1]) || m[1].startsWith('..')) unplaced.push(problem)
    else core.error(`pullcheck: ${problem}`, { title: 'pullcheck configuration', file: m[1], startLine: Number(m[2]), ...(m[3] ? { startColumn: Number(m[3]) } : {}) })
  }
  const placed = problems.length - unplaced.length
  const rest = placed === 0 ? '' : `${placed} problem${placed === 1 ? '' : 's'} of the config file annotated above`
  core.setFailed(`pullcheck: ${[...unplaced, rest].filter(Boolean).join('\n')}`)
}

async function runAction(): Promise<void> {
  const gh = readGitHubContext()
  const workspace = path.resolve(gh.workspace || process.cwd())
  const values = readInputs(core.getInput)
  registerSecrets(inputSecrets(values))

  let options: Options
  try {
    options = await resolveOptions({ values, origin: 'action', cwd: workspace, knownRuleIds: [...CONFIGURABLE_RULE_IDS] })
  } catch (err) {
    if (err instanceof OptionsError) {
      failOnOptions(err.problems)
      return
    }
    throw err
  }

  const analysed = await analyze(options)
  // Before anything else is printed: the runner masks what it was told about.
  registerSecrets(analysed.secretValues)
  const mask = secretMasker(analysed.secretValues, reportWords(analysed))
  let result = rebaseResult(analysed, workspacePrefix(workspace, options.workingDirectory), workspace)
  const api = options.githubToken ? new GitHubApi(options.githubToken, gh) : undefined

  // Scope: only the pull request's files, when asked and possible.
  const notes: string[] = []
  const notices: string[] = []
  const warnings: string[] = []
  // A warning about the run: an annotation, and a line of the summary.
  const warn = (text: string) => {
    notes.push(text)
    warnings.push(`pullcheck: ${text}`)
  }
  for (const text of [...optionWarnings(options), ...inactiveRuleWarnings(options.rules)]) warn(text)
  const notRead = notReadWarning(result.notRead ?? [])
  if (notRead) warn(notRead)
  const unmatched = unmatchedWarning(analysed.unmatched ?? [], analysed.excludedOnly ?? [], analysed.files.length - (analysed.notRead?.length ?? 0))
  if (unmatched) warn(unmatched)
  const unparsed = unparsedWarning(result.files, options.rules)
  if (unparsed) warn(unparsed)
  if (analysed.files.length === (analysed.notRead?.length ?? 0)) {
    // A check that reads nothing passes: say so where it shows (a wrong working-directory or glob).
    const where = path.relative(workspace, options.workingDirectory) === '' ? '.' : displayPath(options.workingDirectory, workspace)
    warn(`no manifest files match manifests (${options.manifests.join(', ')}) in working-directory ${where}; nothing was checked.`)
  }
  if (options.onlyChanged) {
    const scope = api ? await api.pullRequestFiles() : { reason: 'there is no github-token' }
    if ('files' in scope) {
      const before = result.findings.filter((f) => !f.suppressed).length
      result = onlyFindingsIn(result, scope.files)
      const after = result.findings.filter((f) => !f.suppressed).length
      notes.push(
        `only-changed: reporting the findings in the ${plural(scope.files.length, 'file')} pull request #${gh.pullRequest!.number} changes ` +
          `(${plural(before - after, 'finding')} in other files not reported; every file was still read).`,
      )
      info(`pullcheck: ${notes[notes.length - 1]}`)
    } else {
      const text = `only-changed is set, but ${scope.reason}: reporting every finding.`
      notes.push(text)
      notices.push(`pullcheck: ${text}`)
    }
  }

  const verdict = outcome(result.findings, options.failOn)
  const summaryWanted = options.summary && gh.stepSummary !== undefined

  // Files first (the reporters mask secret values themselves), so that the annotations, the
  // summary and the outputs name only the files that exist. One that cannot be written fails the
  // step with the cause, after every annotation and output.
  const writeErrors: OutputFileError[] = []
  const written = (file: string | undefined, input: string, text: () => string): string | undefined => {
    if (file === undefined) return undefined
    const shownAs = displayPath(file, workspace)
    try {
      writeOutputFile(file, text(), `input ${input}`, shownAs)
      return shownAs
    } catch (err) {
      if (!(err instanceof OutputFileError)) throw err
      writeErrors.push(err)
      notes.push(err.message)
      return undefined
    }
  }
  const sarifFile = written(options.sarifFile, 'sarif-file', () => sarifString(result, { toolVersion: VERSION }))
  const reportFile = written(options.reportFile, 'report-file', () => formatJson(result, { toolVersion: VERSION, failOn: options.failOn }))
  const failed = verdict === 'fail' || writeErrors.length > 0
  // The job summary, made before the annotations' overflow notice, which may name it only when
  // it holds every finding (it is cut to stay under GitHub's 1 MiB).
  const jobSummary = options.summary
    ? summaryText(result, { failOn: options.failOn, serverUrl: gh.serverUrl, repository: gh.repository, sha: headSha(gh), notes, sarifFile, reportFile })
    : undefined

  // Annotations: warnings and notices about the run first, then the findings, most important first.
  for (const text of warnings) warning(mask(text))
  for (const text of notices) notice(mask(text))
  if (options.annotations) {
    const plan = planAnnotations(result.findings, {
      // setFailed and each file that could not be written add an error annotation; our own warnings
      // and notices take their levels' slots.
      reserved: { error: (failed ? 1 : 0) + writeErrors.length, warning: warnings.length, notice: notices.length },
      mask,
    })
    emitAnnotations(plan.annotations)
    let checkRun: { url?: string; complete: boolean } | undefined
    if (api) {
      checkRun = await api.publishCheckRun({
        title: checkRunTitle(result),
        summary: formatSummary(result, {
          failOn: options.failOn,
          serverUrl: gh.serverUrl,
          repository: gh.repository,
          sha: headSha(gh),
          notes,
          sarifFile,
          reportFile,
          maxBytes: 60_000,
          limitName: "the check run's 64 KB limit",
          headingLevel: 3,
        }),
        // As the step ends: a report file that could not be written fails it too (the summary says why).
        conclusion: failed ? 'failure' : result.findings.some((f) => !f.suppressed) ? 'neutral' : 'success',
        // The findings the step's own annotations leave out (SPEC §7: "add the rest"): those
        // annotated already would show twice on the pull request's diff.
        annotations: checkRunAnnotations(plan.notAnnotated, mask),
      })
    } else {
      debug('pullcheck: no github-token: no check run')
    }
    // The check run is named only when it holds every finding left out (it takes the first 1,000).
    // The SARIF file is named only when it holds every finding (code scanning takes SARIF_MAX_RESULTS).
    const sarifComplete = result.findings.length <= SARIF_MAX_RESULTS
    const overflow = overflowNotice(plan.notAnnotated, {
      checkRun: checkRun?.complete ? checkRun : undefined,
      summary: summaryWanted && jobSummary?.complete === true,
      sarifFile: sarifComplete ? sarifFile : undefined,
      reportFile,
      log: true,
    })
    if (overflow) notice(mask(overflow))
  }
  logGroup(`pullcheck: ${totals(result)}`, [...logLines(result.findings, mask), ...suppressedLogLines(result.findings, mask)])

  // Job summary.
  if (jobSummary) await writeSummary(jobSummary.text, gh)

  // Outputs. The runner creates GITHUB_OUTPUT before the step; a harness that only names the file
  // (or a runner that removed it) must not turn a finished check into an internal error.
  const outputFile = process.env.GITHUB_OUTPUT
  if (outputFile) await fs.appendFile(outputFile, '')
  core.setOutput('errors', result.counts.error)
  core.setOutput('warnings', result.counts.warning)
  core.setOutput('notices', result.counts.notice)
  core.setOutput('checked-images', result.checkedImages)
  core.setOutput('unclassified-images', result.unclassifiedImages)
  core.setOutput('sarif-file', sarifFile ?? '')
  core.setOutput('report-file', reportFile ?? '')
  core.setOutput('result', verdict)

  for (const err of writeErrors) core.error(`pullcheck: ${err.message}`)
  if (verdict === 'fail') {
    // Where to look: the job summary only when there is one (act has none).
    core.setFailed(`pullcheck: ${totals(result)}; failing because fail-on is ${options.failOn} (see the annotations${summaryWanted ? ' and the job summary' : ' and the step log'})`)
  } else if (failed) {
    core.setFailed(`pullcheck: ${totals(result)}; failing because ${writeErrors.length === 1 ? 'a report file' : 'the report files'} could not be written`)
  } else {
    info(`pullcheck: ${totals(result)}; passing (fail-on: ${options.failOn})`)
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

/**
 * The default action.yml gives an input (what the runner passes when the workflow sets none). An
 * option that `.pullcheck.yml` may set has none (an empty one): the runner passes a default as if
 * the workflow had written it, and an input the workflow does set, even to the usual value, must
 * win over the file (input > config file > default). Its default then comes from the option table,
 * after the file, as in the CLI; action.yml states it in the description.
 */
export function actionDefault(spec: OptionSpec): string | undefined {
  if (spec.actionDefault !== undefined) return spec.actionDefault
  const d = spec.default
  if (d === undefined || spec.inConfigFile !== false) return undefined
  return Array.isArray(d) ? d.join(',') : String(d)
}

/** Every input of the option table, by `core.getInput`. Empty means unset: the config file, then the default, decide. */
export function readInputs(getInput: (name: string) => string): OptionValues {
  const values: OptionValues = {}
  for (const spec of OPTION_TABLE as readonly OptionSpec[]) {
    const raw = getInput(spec.kebab)
    if (raw === '') continue
    values[spec.camel as keyof OptionValues] = raw
  }
  return values
}

/** Secret inputs, and the passwords inside registry-credentials, for the runner's masker. */
function inputSecrets(values: OptionValues): string[] {
  const out: string[] = []
  const creds = values.registryCredentials
  if (typeof creds === 'string') {
    out.push(creds)
    try {
      const auths = (JSON.parse(creds) as { auths?: Record<string, { auth?: unknown; password?: unknown }> }).auths ?? {}
      for (const entry of Object.values(auths)) {
        if (typeof entry?.auth === 'string') out.push(entry.auth)
        if (typeof entry?.password === 'string') out.push(entry.password)
      }
    } catch {
      // resolveOptions reports it, without the value.
    }
  }
  return out.filter((v) => v.length >= 4)
}

// ---------------------------------------------------------------------------------------------
// Paths: findings are relative to the working directory; GitHub wants them relative to the workspace.

/** POSIX path of the working directory inside the workspace (`deploy/rendered`), or '' when it is the workspace or outside it. */
export function workspacePrefix(workspace: string, workingDirectory: string): string {
  const rel = path.relative(workspace, workingDirectory)
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return ''
  return rel.split(path.sep).join('/')
}

/**
 * A copy of the result with every path prefixed (findings, related locations, images, files) and
 * normalised: a file the globs reach outside the working directory (`../extra/x.yaml`) becomes
 * `extra/x.yaml`, the name the pull request's file list and GitHub's annotations use. An absolute
 * path inside the `workspace` (a pattern written with `${{ github.workspace }}`) becomes relative
 * to it too; outside it, it stays as it is.
 */
export function rebaseResult(result: AnalyzeResult, prefix: string, workspace?: string): AnalyzeResult {
  if (prefix === '') return result
  const p = (file: string) => {
    if (!path.isAbsolute(file) && !path.posix.isAbsolute(file)) return path.posix.normalize(`${prefix}/${file}`)
    return workspace === undefined ? file : displayPath(file, workspace)
  }
  const loc = (l: Location): Location => ({ file: p(l.file), range: l.range })
  // The file paths that messages and assumptions name (`a.yaml: bad indentation`, `a.yaml still
  // contains`, `(a.yaml:3, b.yaml:3)`), rebased as the locations are: a known file's path as a
  // whole token that starts the text or is followed by `:` and a line number. Other tokens stay,
  // though they may spell a path: an object `Pod base/pod.yaml` is namespace base, name pod.yaml.
  // Fingerprints keep the paths they were made of.
  const known = new Set(result.files.map((f) => f.file))
  const text = (s: string) =>
    s.replace(/(^|[\s(])([^\s(),;:]+)(?=$|[\s:,;)])/g, (m, before: string, file: string, offset: number) =>
      known.has(file) && (offset === 0 || /^:\d/.test(s.slice(offset + m.length))) ? before + p(file) : m,
    )
  return {
    ...result,
    findings: result.findings.map((f) => ({
      ...f,
      message: text(f.message),
      location: loc(f.location),
      related: f.related.map((r) => ({ ...r, message: text(r.message), location: loc(r.location) })),
    })),
    assumptions: result.assumptions.map(text),
    images: result.images.map((i) => ({ ...i, uses: i.uses.map((u) => ({ ...u, file: p(u.file) })) })),
    files: result.files.map((f) => ({ ...f, file: p(f.file) })),
    ...(result.notRead ? { notRead: result.notRead.map((n) => ({ ...n, file: p(n.file) })) } : {}),
  }
}

/** Only the findings located in `files` (workspace-relative), with the counts recomputed. */
export function onlyFindingsIn(result: AnalyzeResult, files: readonly string[]): AnalyzeResult {
  const keep = new Set(files)
  const findings = result.findings.filter((f) => keep.has(f.location.file))
  return { ...result, findings, counts: countFindings(findings) }
}

function countFindings(findings: readonly Finding[]): AnalyzeResult['counts'] {
  const counts = { error: 0, warning: 0, notice: 0, suppressed: 0 }
  for (const f of findings) {
    if (f.suppressed) counts.suppressed++
    else counts[f.severity]++
  }
  return counts
}

// ---------------------------------------------------------------------------------------------

function totals(result: AnalyzeResult): string {
  const { error, warning, notice: notices, suppressed } = result.counts
  return `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notices, 'notice')}${suppressed > 0 ? `, ${suppressed} suppressed` : ''}`
}

function checkRunTitle(result: AnalyzeResult): string {
  const { error, warning, notice: notices } = result.counts
  return error + warning + notices === 0 ? 'No image pull problems' : totals(result)
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
