// The one sink of the action: everything that reaches GitHub goes through here — masks,
// annotations, notices, the job summary, the check run and the pull request's file list.
// `@actions/github` (Octokit) is imported lazily, only when a token is actually used, so a run
// without one never loads it. Every GitHub-side failure degrades to a debug or info line: the
// annotations, the summary and the SARIF file still carry the findings.
import { readFileSync } from 'node:fs'
import { EOL } from 'node:os'
import fs from 'node:fs/promises'
import * as core from '@actions/core'
import { annotationCommand, oneLine, type Annotation, type CheckRunAnnotation } from './annotations.js'
import { escapeControls } from './text.js'

/** What the runner tells a step about where it runs (environment and event payload). */
export interface GitHubContext {
  /** `https://github.com` */
  serverUrl: string
  /** `https://api.github.com`; tests point it at a local server. */
  apiUrl: string
  /** `owner/repo` */
  repository?: string
  /** GITHUB_SHA: for a pull request, the merge commit. */
  sha?: string
  eventName?: string
  /** The pull request of the event payload, when there is one. */
  pullRequest?: { number: number; headSha?: string; changedFiles?: number }
  workspace?: string
  /** GITHUB_STEP_SUMMARY: unset under `act` and outside Actions. */
  stepSummary?: string
}

/** Reads the runner's environment and the event payload; a missing or unreadable payload counts as `{}`. */
export function readGitHubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const ctx: GitHubContext = {
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
  }
  if (env.GITHUB_REPOSITORY && /^[^/\s]+\/[^/\s]+$/.test(env.GITHUB_REPOSITORY)) ctx.repository = env.GITHUB_REPOSITORY
  if (env.GITHUB_SHA) ctx.sha = env.GITHUB_SHA
  if (env.GITHUB_EVENT_NAME) ctx.eventName = env.GITHUB_EVENT_NAME
  if (env.GITHUB_WORKSPACE) ctx.workspace = env.GITHUB_WORKSPACE
  if (env.GITHUB_STEP_SUMMARY) ctx.stepSummary = env.GITHUB_STEP_SUMMARY
  const payload = readPayload(env.GITHUB_EVENT_PATH)
  const pr = (payload as { pull_request?: { number?: unknown; head?: { sha?: unknown }; changed_files?: unknown } }).pull_request
  if (pr && typeof pr.number === 'number') {
    ctx.pullRequest = { number: pr.number }
    if (typeof pr.head?.sha === 'string') ctx.pullRequest.headSha = pr.head.sha
    if (typeof pr.changed_files === 'number') ctx.pullRequest.changedFiles = pr.changed_files
  }
  return ctx
}

function readPayload(file: string | undefined): unknown {
  if (!file) return {}
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return value !== null && typeof value === 'object' ? value : {}
  } catch {
    core.debug(`pullcheck: cannot read the event payload ${file}; treating it as {}`)
    return {}
  }
}

/** The commit the findings' lines belong to: a pull request's head, else GITHUB_SHA. */
export function headSha(ctx: GitHubContext): string | undefined {
  return ctx.pullRequest?.headSha ?? ctx.sha
}

// ---------------------------------------------------------------------------------------------
// Log

/** Registers every value with the runner's masker; must run before anything else is printed. */
export function registerSecrets(values: Iterable<string>): void {
  for (const value of values) if (value.trim() !== '') core.setSecret(value)
}

/** Prints the annotations as workflow commands, in the order given. */
export function emitAnnotations(annotations: readonly Annotation[]): void {
  for (const annotation of annotations) process.stdout.write(annotationCommand(annotation) + EOL)
}

/** A warning about the run itself (not on a line). */
export function warning(message: string): void {
  core.warning(escapeControls(message))
}

/** A notice about the run itself (not on a line). */
export function notice(message: string): void {
  core.notice(escapeControls(message))
}

/** A plain line of the step log, kept on one line (see oneLine). */
export function info(message: string): void {
  core.info(oneLine(message))
}

export function debug(message: string): void {
  core.debug(message)
}

/** Plain lines in a collapsed group of the step log. */
export function logGroup(title: string, lines: readonly string[]): void {
  if (lines.length === 0) return
  core.startGroup(title)
  for (const line of lines) core.info(oneLine(line))
  core.endGroup()
}

// ---------------------------------------------------------------------------------------------
// Job summary

/** Appends the Markdown to the step summary; false (quietly) when there is no summary file. */
export async function writeSummary(markdown: string, ctx: GitHubContext): Promise<boolean> {
  if (!ctx.stepSummary) {
    core.debug('pullcheck: GITHUB_STEP_SUMMARY is not set (act, or outside Actions): no job summary')
    return false
  }
  try {
    // The runner creates the file; create it when only its name was given, as for GITHUB_OUTPUT.
    await fs.appendFile(ctx.stepSummary, '')
    await core.summary.addRaw(markdown).write()
    return true
  } catch (err) {
    core.summary.emptyBuffer()
    info(`pullcheck: could not write the job summary (${errorText(err)})`)
    return false
  }
}

// ---------------------------------------------------------------------------------------------
// REST API (lazily loaded Octokit)

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>

/** Per request; a slow API must not hold the job. */
const REQUEST_TIMEOUT_MS = requestTimeout(process.env.PULLCHECK_API_TIMEOUT_MS)

/** 30 s, or PULLCHECK_API_TIMEOUT_MS when it is a whole number of milliseconds that AbortSignal.timeout takes (a slower GitHub Enterprise Server, tests). */
function requestTimeout(value: string | undefined): number {
  const n = Number(value)
  return value !== undefined && /^\s*\d+\s*$/.test(value) && n >= 1 && n <= 2 ** 31 - 1 ? n : 30_000
}
/** The pull request files API lists at most this many. */
const MAX_LISTED_FILES = 3000
/** The Checks API takes at most 50 annotations per request. */
export const CHECK_RUN_BATCH = 50
/** The Checks API rejects an output summary of 65,535 characters or more. */
export const CHECK_RUN_SUMMARY_MAX = 65_535

/**
 * At most this many annotations go to the check run, the most severe first: 20 requests. GitHub
 * allows 80 content-creating requests a minute (its secondary rate limit), and a run of thousands
 * of findings would be stopped half-way. The step log lists every finding.
 */
export const CHECK_RUN_MAX_ANNOTATIONS = 1000
/** The longest wait for a rate limit to pass before the check run is completed (seconds). */
const MAX_RATE_LIMIT_WAIT_S = 60

/** HTTP statuses that mean "this token may not do that here" (forks, act, read-only tokens). */
const NOT_ALLOWED = new Set([401, 403, 404])

export class GitHubApi {
  private octokit?: Promise<Octokit>

  constructor(
    private readonly token: string,
    private readonly ctx: GitHubContext,
  ) {}

  private client(): Promise<Octokit> {
    this.octokit ??= (async () => {
      core.debug('pullcheck: loading @actions/github (a token is used)')
      const { getOctokit } = await import('@actions/github')
      return getOctokit(this.token, { baseUrl: this.ctx.apiUrl })
    })()
    return this.octokit
  }

  /**
   * Files of the event's pull request (paginated, 100 per page), or why they cannot be listed.
   * Removed files are left out: no finding can be located in them.
   */
  async pullRequestFiles(): Promise<{ files: string[] } | { reason: string }> {
    const pr = this.ctx.pullRequest
    if (!pr) return { reason: 'the event has no pull request' }
    const repo = splitRepository(this.ctx.repository)
    if (!repo) return { reason: 'GITHUB_REPOSITORY is not set' }
    try {
      const octokit = await this.client()
      // Page by page, each request with its own timeout (octokit.paginate drops the request
      // options after the first page's: a server that stops answering held the job for minutes).
      const files: { filename: string; status: string }[] = []
      for (let page = 1; ; page++) {
        const { data } = await octokit.rest.pulls.listFiles({
          ...repo,
          pull_number: pr.number,
          per_page: 100,
          page,
          request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
        })
        files.push(...data)
        if (data.length < 100 || files.length >= MAX_LISTED_FILES) break
      }
      // The API lists at most 3,000 files of a pull request: a longer list would drop findings.
      // Without the payload's count, a list of 3,000 may be cut.
      if (pr.changedFiles !== undefined ? files.length < pr.changedFiles : files.length >= MAX_LISTED_FILES) {
        const changes = pr.changedFiles !== undefined ? `changes ${pr.changedFiles} files` : 'may change more files'
        return { reason: `pull request #${pr.number} ${changes} and the GitHub API lists only ${files.length} of them` }
      }
      return { files: files.filter((f) => f.status !== 'removed').map((f) => f.filename) }
    } catch (err) {
      return { reason: `listing the files of pull request #${pr.number} failed (${errorText(err)})` }
    }
  }

  /**
   * Publishes a completed check run named `pullcheck` carrying the annotations (the first
   * CHECK_RUN_MAX_ANNOTATIONS, said in its summary), 50 per request (create, then updates).
   * Returns its page and whether it holds every annotation, or undefined when the token cannot
   * write checks (401/403/404: a debug line), a rate limit stops it or the API fails (an info line).
   */
  async publishCheckRun(run: {
    title: string
    summary: string
    conclusion: 'success' | 'failure' | 'neutral'
    annotations: readonly CheckRunAnnotation[]
  }): Promise<{ url?: string; id: number; complete: boolean } | undefined> {
    const repo = splitRepository(this.ctx.repository)
    const sha = headSha(this.ctx)
    if (!repo || !sha) {
      core.debug('pullcheck: no check run: GITHUB_REPOSITORY or GITHUB_SHA is not set')
      return undefined
    }
    const annotations = run.annotations.slice(0, CHECK_RUN_MAX_ANNOTATIONS)
    const complete = annotations.length === run.annotations.length
    const batches: CheckRunAnnotation[][] = []
    for (let i = 0; i < annotations.length; i += CHECK_RUN_BATCH) batches.push(annotations.slice(i, i + CHECK_RUN_BATCH))
    if (batches.length === 0) batches.push([])
    const withNote = (note: string) => `> ${note}; the step log lists every finding.\n\n${run.summary}`
    const summary = complete
      ? run.summary
      : withNote(`This check run annotates the first ${CHECK_RUN_MAX_ANNOTATIONS} of the ${run.annotations.length} findings that the step's annotations leave out, the most severe first (GitHub limits the requests that add annotations)`)
    const output = (annotations: CheckRunAnnotation[], text = summary) => ({
      title: run.title,
      summary: text.length < CHECK_RUN_SUMMARY_MAX ? text : text.slice(0, CHECK_RUN_SUMMARY_MAX - 2) + '…',
      annotations,
    })
    const done = () => ({ status: 'completed' as const, conclusion: run.conclusion, completed_at: new Date().toISOString() })
    const request = () => ({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    let id: number | undefined
    let sent = 0
    try {
      const octokit = await this.client()
      const created = await octokit.rest.checks.create({
        ...repo,
        name: 'pullcheck',
        head_sha: sha,
        ...(batches.length === 1 ? done() : { status: 'in_progress' as const }),
        output: output(batches[0]),
        request: request(),
      })
      id = created.data.id
      sent = batches[0].length
      for (let i = 1; i < batches.length; i++) {
        await octokit.rest.checks.update({
          ...repo,
          check_run_id: id,
          ...(i === batches.length - 1 ? done() : {}),
          output: output(batches[i]),
          request: request(),
        })
        sent += batches[i].length
      }
      core.debug(`pullcheck: check run ${id} published with ${annotations.length} annotations in ${batches.length} request(s)`)
      return { id, url: created.data.html_url ?? undefined, complete }
    } catch (err) {
      const status = statusOf(err)
      const limited = rateLimit(err)
      if (limited) {
        info(
          `pullcheck: GitHub's API rate limit stopped the check run (${errorText(err)}); ` +
            'the annotations and the step log still hold the findings',
        )
        // The run, when created, is completed after the wait GitHub asks for, when it is short;
        // after a longer one the attempt is made at once, and the run may stay pending.
        if (id !== undefined && limited.retryAfter <= MAX_RATE_LIMIT_WAIT_S) {
          core.debug(`pullcheck: waiting ${limited.retryAfter} s for the rate limit to complete check run ${id}`)
          await new Promise((resolve) => setTimeout(resolve, limited.retryAfter * 1000))
        } else if (id !== undefined) {
          info(`pullcheck: the rate limit lasts ${limited.retryAfter} s more: check run ${id} may stay in progress`)
        }
      } else if (status !== undefined && NOT_ALLOWED.has(status)) {
        core.debug(
          `pullcheck: no check run: the token cannot write checks here (HTTP ${status}: forks, act, or no checks: write permission); ` +
            'the annotations, the job summary and the SARIF file still hold the findings',
        )
      } else {
        info(`pullcheck: could not publish the check run (${errorText(err)}); the annotations and the step log still hold the findings`)
      }
      // Completed, and saying how far it got, so that it does not stay pending with part of the annotations.
      const stopped = `This check run was stopped after ${sent} of ${run.annotations.length} annotations (${limited ? "GitHub's API rate limit" : 'the GitHub API failed'})`
      if (id !== undefined) await this.completeQuietly(repo, id, run.conclusion, output([], withNote(stopped)))
      return undefined
    }
  }

  /** A run left `in_progress` would show as pending forever: close it, ignoring failures. */
  private async completeQuietly(
    repo: { owner: string; repo: string },
    id: number,
    conclusion: 'success' | 'failure' | 'neutral',
    output: { title: string; summary: string; annotations: CheckRunAnnotation[] },
  ): Promise<void> {
    try {
      const octokit = await this.client()
      await octokit.rest.checks.update({
        ...repo,
        check_run_id: id,
        status: 'completed',
        conclusion,
        output,
        completed_at: new Date().toISOString(),
        request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      })
    } catch {
      core.debug(`pullcheck: could not complete check run ${id}`)
    }
  }
}

function splitRepository(repository: string | undefined): { owner: string; repo: string } | undefined {
  if (!repository) return undefined
  const [owner, repo] = repository.split('/')
  return owner && repo ? { owner, repo } : undefined
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/**
 * Whether the error is a rate limit rather than a missing permission (both can be a 403): a 429,
 * or a 403 with a `retry-after` header (the secondary rate limit), `x-ratelimit-remaining: 0`
 * (the primary one) or a message that says so. `retryAfter`: the seconds to wait, as GitHub's
 * documentation says: `retry-after`; else until `x-ratelimit-reset` when none remain; else a minute.
 */
function rateLimit(err: unknown, now = Date.now()): { retryAfter: number } | undefined {
  const status = statusOf(err)
  if (status !== 403 && status !== 429) return undefined
  const headers = (err as { response?: { headers?: Record<string, unknown> } }).response?.headers ?? {}
  const header = (name: string) => (typeof headers[name] === 'string' || typeof headers[name] === 'number' ? String(headers[name]).trim() : undefined)
  const retry = header('retry-after')
  const exhausted = header('x-ratelimit-remaining') === '0'
  const message = err instanceof Error ? err.message : ''
  if (status === 403 && retry === undefined && !exhausted && !/rate limit/i.test(message)) return undefined
  if (retry !== undefined && /^\d+$/.test(retry)) return { retryAfter: Number(retry) }
  const reset = header('x-ratelimit-reset')
  if (exhausted && reset !== undefined && /^\d+$/.test(reset)) return { retryAfter: Math.max(0, Number(reset) - Math.floor(now / 1000)) }
  return { retryAfter: 60 }
}

function errorText(err: unknown): string {
  // Octokit gives a request that got no answer (a timeout, a refused connection) status 500: not the server's.
  const answered = (err as { response?: unknown } | null)?.response !== undefined
  const status = answered ? statusOf(err) : undefined
  const message = err instanceof Error ? err.message : String(err)
  return status !== undefined ? `HTTP ${status}: ${message}` : message
}
