// End to end: `node dist/index.js` started the way the runner starts it (INPUT_* variables with
// action.yml's defaults, GITHUB_* variables, an event payload, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files) and the way `act` starts it (no summary file, no token, payload {}).
// The REST API is a local HTTP server on 127.0.0.1 standing in for GITHUB_API_URL.
//
// These tests run the committed bundle: `npm run build` first (CI builds before testing).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import yaml from 'js-yaml'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const DIST = path.join(ROOT, 'dist', 'index.js')
const DEMO = path.join(ROOT, 'fixtures', 'demo')

const REPOSITORY = 'acme/deploy'
/** The pull request's head: links and the check run use it, not the merge commit. */
const HEAD_SHA = '5e1f0c0ffee5e1f0c0ffee5e1f0c0ffee5e1f0c0'
const MERGE_SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const TOKEN = 'ghs_pullcheckTestToken000000000000000000'
const CHECK_RUN_ID = 4242
const CHECK_RUN_URL = `https://github.com/${REPOSITORY}/runs/${CHECK_RUN_ID}`

/** What the demo's Secrets decode to (SPEC: never printed, never written). */
const DEMO_SECRETS = ['dckr_pat_demo', 'ghp_demo', 'ROBOTTOKENDEMO']

const F40 = 'fixtures/demo/40-failing.yaml'
const F10 = 'fixtures/demo/10-secrets.yaml'
const DEMO_ERRORS = [
  `::error file=${F40},line=16,endLine=16,col=18,endColumn=40,title=no-pull-secret::container "api" of Deployment app/no-secret pulls private image ghcr.io/acme/api:2.0.1 (private-registries pattern ghcr.io/acme), but neither the pod nor its ServiceAccount app/default lists any imagePullSecrets; list Secret app/ghcr-secret, which has credentials for ghcr.io, in the pod's or ServiceAccount default's imagePullSecrets.`,
  `::error file=${F40},line=32,endLine=32,col=17,endColumn=30,title=pull-secret-wrong-type::Deployment app/opaque-secret-app references pull secret "opaque-secret" (used by Deployment app/opaque-secret-app), but the kubelet ignores Secret app/opaque-secret because its type is Opaque even though it holds a .dockerconfigjson key, and the kubelet only uses secrets of type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg; its image ghcr.io/acme/web:3.1.0 is pulled without it; set type kubernetes.io/dockerconfigjson with a .dockerconfigjson key.`,
  `::error file=${F40},line=51,endLine=51,col=21,endColumn=43,title=pull-secret-in-other-namespace::CronJob app/nightly-report references pull secret "shared-registry-secret", which is not in namespace app but only in shared (used by CronJob app/nightly-report); its image ghcr.io/acme/report:0.9.0 is pulled without it; pull secrets are read from the pod's namespace only, so copy or replicate Secret shared-registry-secret into app.`,
  `::error file=${F40},line=74,endLine=74,col=18,endColumn=36,title=registry-not-covered::container "db" of StatefulSet app/wrong-registry in namespace app pulls quay.io/acme/db:14 (registry quay.io), but no key of its pull secrets (dockerhub-secret) covers it: the nearest, index.docker.io (written "https://index.docker.io/v1/") in dockerhub-secret, misses because the key has 3 host labels but the image's registry has 2; add an auths entry for quay.io.`,
  `::error file=${F40},line=86,endLine=86,col=14,endColumn=105,title=registry-not-covered::container "worker" of Pod app/pinned-worker in namespace app pulls ghcr.io/acme/worker@sha256:4c1e7c1a7d9f0b2e8a6c3d5f7b9e1a3c5d7f9b1e3a5c7d9f1b3e5a7c9d1f3b5e (registry ghcr.io), but no key of its pull secrets (dockerhub-secret) covers it: the nearest, index.docker.io (written "https://index.docker.io/v1/") in dockerhub-secret, misses because the key has 3 host labels but the image's registry has 2; add an auths entry for ghcr.io.`,
  `::error file=${F40},line=111,endLine=111,col=18,endColumn=54,title=registry-not-covered::container "scanner" of Deployment app/builder in namespace app pulls registry.gitlab.com/acme/scanner:1.2 (registry registry.gitlab.com), but no key of its pull secrets (dockerhub-secret, ghcr-secret, quay-secret) covers it: the nearest, index.docker.io (written "https://index.docker.io/v1/") in dockerhub-secret, misses because host label 'index' does not match 'registry'; add an auths entry for registry.gitlab.com.`,
]
const DEMO_OTHERS = [
  `::warning file=${F10},line=9,endLine=9,col=22,endColumn=250,title=credentials-in-repo::Secret app/dockerhub-secret commits registry credentials for https://index.docker.io/v1/ in its .dockerconfigjson (base64 is not encryption); replace it with a SealedSecret or ExternalSecret and rotate the credentials.`,
  `::warning file=${F10},line=18,endLine=18,col=22,endColumn=250,title=credentials-in-repo::Secret app/ghcr-secret commits registry credentials for ghcr.io in its .dockerconfigjson (base64 is not encryption); replace it with a SealedSecret or ExternalSecret and rotate the credentials.`,
  `::warning file=${F10},line=27,endLine=27,col=22,endColumn=126,title=credentials-in-repo::Secret app/quay-secret commits registry credentials for quay.io/acme in its .dockerconfigjson (base64 is not encryption); replace it with a SealedSecret or ExternalSecret and rotate the credentials.`,
  `::warning file=${F10},line=37,endLine=37,col=22,endColumn=250,title=credentials-in-repo::Secret app/opaque-secret commits registry credentials for ghcr.io in its data (base64 is not encryption); replace it with a SealedSecret or ExternalSecret and rotate the credentials.`,
  `::warning file=${F10},line=47,endLine=47,col=22,endColumn=250,title=credentials-in-repo::Secret shared/shared-registry-secret commits registry credentials for ghcr.io in its .dockerconfigjson (base64 is not encryption); replace it with a SealedSecret or ExternalSecret and rotate the credentials.`,
  `::notice file=${F10},line=43,endLine=43,col=9,endColumn=31,title=unused-pull-secret::Secret shared/shared-registry-secret (kubernetes.io/dockerconfigjson) is referenced by no pod and no ServiceAccount in namespace shared; reference it where it is needed or delete it.`,
]
const DEMO_ANNOTATIONS = [...DEMO_ERRORS, ...DEMO_OTHERS]
const DEMO_FAILED = '::error::pullcheck: 6 errors, 5 warnings, 1 notice; failing because fail-on is error (see the annotations and the job summary)'
const DEMO_RULES = ['no-pull-secret', 'pull-secret-wrong-type', 'pull-secret-in-other-namespace', 'registry-not-covered', 'credentials-in-repo', 'unused-pull-secret']
const DEMO_FAILING_IMAGES = [
  'ghcr.io/acme/api:2.0.1',
  'quay.io/acme/db:14',
  'ghcr.io/acme/worker&#64;sha256:4c1e7c1a7d9f0b2e8a6c3d5f7b9e1a3c5d7f9b1e3a5c7d9f1b3e5a7c9d1f3b5e',
  'registry.gitlab.com/acme/scanner:1.2',
]

const PR_EVENT = {
  action: 'synchronize',
  number: 7,
  pull_request: { number: 7, head: { sha: HEAD_SHA, ref: 'fix-pull-secrets' }, base: { sha: 'b'.repeat(40), ref: 'main' } },
  repository: { name: 'deploy', full_name: REPOSITORY, owner: { login: 'acme' } },
}

// ---------------------------------------------------------------------------------------------
// Harness

interface ActionYml {
  inputs: Record<string, { default?: string }>
}

/** `INPUT_<NAME>` as the runner (and @actions/core) spell it: upper case, spaces as `_`, hyphens kept. */
function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** Parses GITHUB_OUTPUT: `name<<delimiter\nvalue\ndelimiter` blocks (and plain `name=value` lines). */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i])
      out[heredoc[1]] = value.join('\n')
      continue
    }
    const plain = /^([^=]+)=(.*)$/.exec(lines[i])
    if (plain) out[plain[1]] = plain[2]
  }
  return out
}

interface Recorded {
  method: string
  url: string
  authorization?: string
  body: unknown
}

interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

interface ApiServer {
  url: string
  requests: Recorded[]
  /** null: the request is never answered (a hung API). */
  handle: (req: Recorded, base: string) => Reply | null
  close: () => Promise<void>
}

/** A stand-in for api.github.com: the Checks API and the pull request's files, paginated. */
function gitHubApi(prFiles: { filename: string; status: string }[] = []): (req: Recorded, base: string) => Reply {
  return (req, base) => {
    const url = new URL(req.url, base)
    if (req.method === 'POST' && url.pathname === `/repos/${REPOSITORY}/check-runs`) {
      return { status: 201, body: { id: CHECK_RUN_ID, html_url: CHECK_RUN_URL } }
    }
    if (req.method === 'PATCH' && url.pathname === `/repos/${REPOSITORY}/check-runs/${CHECK_RUN_ID}`) {
      return { status: 200, body: { id: CHECK_RUN_ID, html_url: CHECK_RUN_URL } }
    }
    if (req.method === 'GET' && url.pathname === `/repos/${REPOSITORY}/pulls/7/files`) {
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      const page = Number(url.searchParams.get('page') ?? 1)
      const items = prFiles.slice((page - 1) * perPage, page * perPage).map((f, i) => ({ sha: String(i), additions: 1, deletions: 0, changes: 1, ...f }))
      const headers: Record<string, string> = {}
      if (page * perPage < prFiles.length) {
        const next = new URL(url)
        next.searchParams.set('page', String(page + 1))
        headers.link = `<${next.href}>; rel="next"`
      }
      return { status: 200, body: items, headers }
    }
    return { status: 404, body: { message: 'Not Found' } }
  }
}

async function startApi(): Promise<ApiServer> {
  const api: ApiServer = { url: '', requests: [], handle: gitHubApi(), close: async () => {} }
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      const recorded: Recorded = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body: body ? JSON.parse(body) : undefined }
      api.requests.push(recorded)
      const reply = api.handle(recorded, api.url)
      if (reply === null) return
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers })
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  api.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return api
}

interface RunOptions {
  workspace: string
  /** Inputs the workflow sets (`with:`); the others get action.yml's defaults. */
  with?: Record<string, string>
  /** What `${{ github.token }}` expands to; '' as under act without a token. */
  token?: string
  /** The event payload; written to a file for GITHUB_EVENT_PATH. */
  event?: unknown
  /** false: no GITHUB_STEP_SUMMARY (act). */
  stepSummary?: boolean
  /** false: GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are named but not created beforehand. */
  createFiles?: boolean
  script?: string
  /** More environment variables. */
  env?: Record<string, string>
}

interface RunResult {
  code: number | null
  stdout: string
  stderr: string
  lines: string[]
  outputs: Record<string, string>
  outputsRaw: string
  summary?: string
}

let tmpRoot: string
let api: ApiServer
let actionInputs: Record<string, { default?: string }>

async function runAction(opts: RunOptions): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'run-'))
  const outputFile = path.join(dir, 'github_output')
  const summaryFile = path.join(dir, 'step_summary.md')
  const eventFile = path.join(dir, 'event.json')
  if (opts.createFiles !== false) fs.writeFileSync(outputFile, '')
  fs.writeFileSync(eventFile, JSON.stringify(opts.event ?? PR_EVENT))
  // A clean environment: nothing of the test runner's own GITHUB_* (when CI runs on Actions) leaks in.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_SHA: MERGE_SHA,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: api.url,
    RUNNER_TEMP: dir,
    ...opts.env,
  }
  if (opts.stepSummary !== false) {
    if (opts.createFiles !== false) fs.writeFileSync(summaryFile, '')
    env.GITHUB_STEP_SUMMARY = summaryFile
  }
  for (const [name, input] of Object.entries(actionInputs)) {
    const value = opts.with?.[name] ?? (input.default ?? '').replace('${{ github.token }}', opts.token ?? '')
    env[inputVariable(name)] = value
  }
  const child = spawn(process.execPath, [opts.script ?? DIST], { cwd: opts.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const outputsRaw = fs.readFileSync(outputFile, 'utf8')
  return {
    code,
    stdout,
    stderr,
    lines: stdout.split(/\r?\n/),
    outputs: parseOutputs(outputsRaw),
    outputsRaw,
    summary: opts.stepSummary === false ? undefined : fs.readFileSync(summaryFile, 'utf8'),
  }
}

/** A workspace holding a copy of the demo at fixtures/demo (the action writes its files there). */
function demoWorkspace(): string {
  const ws = fs.mkdtempSync(path.join(tmpRoot, 'ws-'))
  fs.cpSync(DEMO, path.join(ws, 'fixtures', 'demo'), { recursive: true })
  return ws
}

const annotationLines = (run: RunResult) => run.lines.filter((l) => /^::(error|warning|notice) file=/.test(l))
const commandLines = (run: RunResult, command: string) => run.lines.filter((l) => l.startsWith(`::${command}::`))
const requests = (method: string, pathname: string, from: readonly Recorded[] = api.requests) =>
  from.filter((r) => r.method === method && new URL(r.url, api.url).pathname === pathname)

function expectNoStackTrace(run: RunResult): void {
  expect(run.stderr).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m)
  expect(run.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(run.stdout).not.toContain('internal error')
}

function expectNoSecrets(texts: Record<string, string>, masked: readonly string[]): void {
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of [...DEMO_SECRETS, ...masked]) expect(text.includes(secret), `${where} contains ${secret.slice(0, 12)}…`).toBe(false)
  }
}

const DEMO_OUTPUTS = {
  errors: '6',
  warnings: '5',
  notices: '1',
  'checked-images': '10',
  'unclassified-images': '0',
  'sarif-file': '',
  'report-file': '',
  result: 'fail',
}

beforeAll(async () => {
  if (!fs.existsSync(DIST)) {
    throw new Error('dist/index.js is missing: run `npm run build` before these tests (CI builds before it tests).')
  }
  const newestSource = Math.max(...fs.readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => fs.statSync(path.join(ROOT, 'src', f)).mtimeMs))
  if (newestSource > fs.statSync(DIST).mtimeMs) {
    console.warn('dist/index.js is older than src/: these tests run the bundle, so run `npm run build` first.')
  }
  actionInputs = (yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml).inputs
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-action-'))
  api = await startApi()
})

afterEach(() => {
  api.requests.length = 0
  api.handle = gitHubApi()
})

afterAll(async () => {
  await api?.close()
  if (tmpRoot) fs.rmSync(tmpRoot, { recursive: true, force: true })
})

// ---------------------------------------------------------------------------------------------

describe('runner-style start on the demo', () => {
  let run: RunResult
  let ws: string
  /** The API requests of this run (afterEach clears the server's list). */
  let seen: Recorded[]

  beforeAll(async () => {
    ws = demoWorkspace()
    run = await runAction({
      workspace: ws,
      token: TOKEN,
      with: { 'working-directory': 'fixtures/demo', 'sarif-file': 'out/pullcheck.sarif', 'report-file': 'out/report.json' },
    })
    seen = [...api.requests]
  })

  it('prints one annotation per finding at its exact line, errors first, then fails the step', () => {
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(commandLines(run, 'error')).toEqual([DEMO_FAILED])
    expect(commandLines(run, 'notice')).toEqual([]) // nothing was left out
    expect(run.code).toBe(1)
    expectNoStackTrace(run)
  })

  it('registers every decoded credential with ::add-mask:: before printing anything else', () => {
    const masks = run.lines.filter((l) => l.startsWith('::add-mask::'))
    for (const secret of DEMO_SECRETS) expect(masks.some((l) => l.startsWith(`::add-mask::${secret}`))).toBe(true)
    const lastMask = run.lines.findLastIndex((l) => l.startsWith('::add-mask::'))
    const firstOther = run.lines.findIndex((l) => l !== '' && !l.startsWith('::add-mask::'))
    expect(lastMask).toBeLessThan(firstOther)
    expect(firstOther).toBe(run.lines.indexOf(DEMO_ANNOTATIONS[0]))
  })

  it('writes every output, paths relative to the workspace', () => {
    expect(run.outputs).toEqual({ ...DEMO_OUTPUTS, 'sarif-file': 'fixtures/demo/out/pullcheck.sarif', 'report-file': 'fixtures/demo/out/report.json' })
  })

  it('writes a job summary naming each rule and image, linking the lines at the head commit', () => {
    const summary = run.summary!
    expect(summary.startsWith('## pullcheck: ❌ 6 errors, 5 warnings, 1 notice\n')).toBe(true)
    for (const rule of DEMO_RULES) expect(summary).toContain(`<code>${rule}</code>`)
    for (const image of DEMO_FAILING_IMAGES) expect(summary).toContain(`<code>${image}</code>`)
    expect(summary).toContain(`[${F40}:16](https://github.com/${REPOSITORY}/blob/${HEAD_SHA}/${F40}#L16)`)
    expect(summary).not.toContain(MERGE_SHA)
    expect(summary).toContain('```mermaid\nflowchart LR\n')
    expect(summary).toContain('n1 -->|"no-pull-secret"| n2')
    expect(summary).toContain('Complete results — SARIF: `fixtures/demo/out/pullcheck.sarif` · JSON report: `fixtures/demo/out/report.json`')
  })

  it('writes SARIF 2.1.0 (valid against the schema) and the JSON report, with repository-relative paths', () => {
    const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'fixtures/demo/out/pullcheck.sarif'), 'utf8'))
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/report/sarif-schema-2.1.0.json'), 'utf8'))
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema)
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true)
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results).toHaveLength(12)
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(F10)
    const report = JSON.parse(fs.readFileSync(path.join(ws, 'fixtures/demo/out/report.json'), 'utf8'))
    expect(report.summary).toMatchObject({ counts: { error: 6, warning: 5, notice: 1, suppressed: 0 }, result: 'fail' })
    expect(report.findings.map((f: { location: { file: string } }) => f.location.file)).toContain(F40)
  })

  it('publishes a check run named pullcheck at the head commit, without the findings the step annotated (they would show twice)', () => {
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([`POST /repos/${REPOSITORY}/check-runs`])
    const [create] = requests('POST', `/repos/${REPOSITORY}/check-runs`, seen)
    expect(create.authorization).toBe(`token ${TOKEN}`)
    const body = create.body as { name: string; head_sha: string; status: string; conclusion: string; output: { title: string; summary: string; annotations: unknown[] } }
    expect(body).toMatchObject({ name: 'pullcheck', head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure' })
    expect(body.output.title).toBe('6 errors, 5 warnings, 1 notice')
    expect(body.output.summary.length).toBeLessThan(65_535)
    // The demo's 12 findings fit in the step's own annotations (SPEC §7: the check run adds the rest).
    expect(annotationLines(run)).toHaveLength(12)
    expect(body.output.annotations).toEqual([])
    expect(run.stdout).toContain('::debug::pullcheck: loading @actions/github (a token is used)')
  })

  it('never prints or writes a secret value', () => {
    const masked = run.lines.filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice('::add-mask::'.length))
    expect(masked.length).toBeGreaterThanOrEqual(DEMO_SECRETS.length)
    expectNoSecrets(
      {
        stdout: run.lines.filter((l) => !l.startsWith('::add-mask::')).join('\n'),
        stderr: run.stderr,
        summary: run.summary!,
        outputs: run.outputsRaw,
        sarif: fs.readFileSync(path.join(ws, 'fixtures/demo/out/pullcheck.sarif'), 'utf8'),
        report: fs.readFileSync(path.join(ws, 'fixtures/demo/out/report.json'), 'utf8'),
        checkRun: JSON.stringify(seen),
      },
      masked,
    )
  })
})

describe('started as act starts it: no summary file, no token, event payload {}', () => {
  it('prints the same annotations and exits 1 without a stack trace, without touching the API', async () => {
    const run = await runAction({ workspace: demoWorkspace(), token: '', event: {}, stepSummary: false, with: { 'working-directory': 'fixtures/demo' } })
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    // No job summary under act: the failure points at the step log.
    expect(commandLines(run, 'error')).toEqual([DEMO_FAILED.replace('and the job summary', 'and the step log')])
    expect(run.code).toBe(1)
    expect(run.outputs).toEqual(DEMO_OUTPUTS)
    expect(api.requests).toEqual([])
    expect(run.stdout).toContain('::debug::pullcheck: GITHUB_STEP_SUMMARY is not set (act, or outside Actions): no job summary')
    expect(run.stdout).toContain('::debug::pullcheck: no github-token: no check run')
    expect(run.stdout).not.toContain('loading @actions/github')
    expect(run.stderr).toBe('')
    expectNoStackTrace(run)
    expectNoSecrets({ stdout: run.lines.filter((l) => !l.startsWith('::add-mask::')).join('\n') }, [])
  })

  it('reads manifests by glob patterns other than the defaults (glob, loaded from its chunk)', async () => {
    const run = await runAction({ workspace: demoWorkspace(), token: '', event: {}, stepSummary: false, with: { 'working-directory': 'fixtures/demo', manifests: '[0-4]*.yaml\n!99-*.yaml' } })
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    expectNoStackTrace(run)
  })

  it('reads a directory named in the manifests input, as the command line reads one', async () => {
    const run = await runAction({ workspace: demoWorkspace(), token: '', event: {}, stepSummary: false, with: { manifests: 'fixtures/demo/', config: 'fixtures/demo/.pullcheck.yml' } })
    expect(annotationLines(run).length).toBe(DEMO_ANNOTATIONS.length)
    expect(run.code).toBe(1)
    expectNoStackTrace(run)
  })

  it('annotates the problems of a config file at their lines, and fails the step naming the others', async () => {
    const ws = demoWorkspace()
    fs.writeFileSync(path.join(ws, 'fixtures/demo/.pullcheck.yml'), 'failOn: error\nprivateRegistries:\n  - ghcr.io\n  - "*."\nfoo: 1\n')
    const run = await runAction({ workspace: ws, token: '', event: {}, stepSummary: false, with: { 'working-directory': 'fixtures/demo', 'private-registries': ',' } })
    expect(run.code).toBe(1)
    const errors = run.lines.filter((l) => l.startsWith('::error'))
    expect(errors.map((l) => l.slice(0, l.indexOf('::pullcheck: ') + 13))).toEqual([
      '::error title=pullcheck configuration,file=fixtures/demo/.pullcheck.yml,line=5::pullcheck: ',
      '::error title=pullcheck configuration,file=fixtures/demo/.pullcheck.yml,line=4::pullcheck: ',
      '::error::pullcheck: ',
    ])
    expect(errors[0]).toContain('fixtures/demo/.pullcheck.yml:5: unknown key "foo" (valid keys: ')
    expect(errors[1]).toContain('fixtures/demo/.pullcheck.yml:4: privateRegistries: "*." is not a registry pattern: the host has an empty label')
    expect(errors[2]).toBe('::error::pullcheck: input private-registries: "," holds only separators, no value; expected <patterns>%0A2 problems of the config file annotated above')
    expect(run.outputs).toEqual({})
    expectNoStackTrace(run)
  })

  it('creates GITHUB_OUTPUT and GITHUB_STEP_SUMMARY when only their names are given', async () => {
    const run = await runAction({ workspace: demoWorkspace(), token: '', event: {}, createFiles: false, with: { 'working-directory': 'fixtures/demo' } })
    expect(run.code).toBe(1)
    expect(run.outputs).toEqual(DEMO_OUTPUTS)
    expect(run.summary).toContain('no-pull-secret')
    expect(commandLines(run, 'error')).toEqual([DEMO_FAILED])
    expectNoStackTrace(run)
  })

  it('never loads @actions/github without a token: the bundle runs without its lazy chunks', async () => {
    // Only the entry file: the chunk holding @actions/github (dist/<id>.index.js) is absent.
    const dist = fs.mkdtempSync(path.join(tmpRoot, 'dist-'))
    fs.copyFileSync(DIST, path.join(dist, 'index.js'))
    fs.copyFileSync(path.join(ROOT, 'dist', 'package.json'), path.join(dist, 'package.json'))
    const script = path.join(dist, 'index.js')
    const withoutToken = await runAction({ workspace: demoWorkspace(), token: '', event: {}, stepSummary: false, with: { 'working-directory': 'fixtures/demo' }, script })
    expect(annotationLines(withoutToken)).toEqual(DEMO_ANNOTATIONS)
    expect(withoutToken.code).toBe(1)
    expect(withoutToken.stdout).not.toContain('check run (')
    // With a token the chunk is needed: its absence degrades to an info line, and the step still reports.
    const withToken = await runAction({ workspace: demoWorkspace(), token: TOKEN, with: { 'working-directory': 'fixtures/demo' }, script })
    expect(annotationLines(withToken)).toEqual(DEMO_ANNOTATIONS)
    expect(withToken.stdout).toMatch(/^pullcheck: could not publish the check run \(.*index\.js/m)
    expect(withToken.code).toBe(1)
  })
})

describe('check run', () => {
  /** 120 Deployments pulling private images without a pull secret: 120 errors. */
  function manyErrorsWorkspace(count: number): string {
    const ws = fs.mkdtempSync(path.join(tmpRoot, 'many-'))
    const docs = Array.from(
      { length: count },
      (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/app-${i}:1
`,
    )
    fs.writeFileSync(path.join(ws, 'apps.yaml'), docs.join('---\n'))
    fs.writeFileSync(path.join(ws, '.pullcheck.yml'), 'privateRegistries:\n  - ghcr.io/acme\n')
    return ws
  }

  it('publishes more than 50 findings in batches of 50, and annotates only what GitHub shows', async () => {
    const run = await runAction({ workspace: manyErrorsWorkspace(120), token: TOKEN })
    expect(run.code).toBe(1)
    expect(run.outputs.errors).toBe('120')

    const [create] = requests('POST', `/repos/${REPOSITORY}/check-runs`)
    const updates = requests('PATCH', `/repos/${REPOSITORY}/check-runs/${CHECK_RUN_ID}`)
    type Body = { status?: string; conclusion?: string; output: { annotations: { path: string; start_line: number; annotation_level: string }[] } }
    const bodies = [create, ...updates].map((r) => r.body as Body)
    // The 111 findings the step could not annotate (9 errors were).
    expect(bodies.map((b) => b.output.annotations.length)).toEqual([50, 50, 11])
    expect(bodies.map((b) => [b.status, b.conclusion])).toEqual([
      ['in_progress', undefined],
      [undefined, undefined],
      ['completed', 'failure'],
    ])
    const all = bodies.flatMap((b) => b.output.annotations)
    expect(new Set(all.map((a) => `${a.path}:${a.start_line}`)).size).toBe(111)
    expect((create.body as { output: { annotations: unknown[] } }).output.annotations[0]).toEqual({
      path: 'apps.yaml',
      start_line: 109,
      end_line: 109,
      start_column: 18,
      end_column: 38,
      annotation_level: 'failure',
      message: expect.stringMatching(/^container "app" of Deployment default\/app-9 pulls private image ghcr\.io\/acme\/app-9:1 /),
      title: 'no-pull-secret',
    })
    expect(all.map((a) => a.start_line)).toEqual([...all.map((a) => a.start_line)].sort((a, b) => a - b))
    expect(all.every((a) => a.path === 'apps.yaml' && a.annotation_level === 'failure')).toBe(true)

    // 9 error annotations + the ::error:: of setFailed = GitHub's 10 per step; then one notice.
    const errors = annotationLines(run)
    expect(errors).toHaveLength(9)
    expect(errors[0]).toMatch(/^::error file=apps\.yaml,line=10,endLine=10,col=18,endColumn=\d+,title=no-pull-secret::container "app" of Deployment default\/app-0 /)
    expect(commandLines(run, 'error')).toEqual([
      '::error::pullcheck: 120 errors, 0 warnings, 0 notices; failing because fail-on is error (see the annotations and the job summary)',
    ])
    expect(commandLines(run, 'notice')).toEqual([
      `::notice::pullcheck: 111 findings (111 errors) are not annotated because GitHub shows at most 10 annotations of each level per step; they are annotated in the check run "pullcheck" (${CHECK_RUN_URL}), and every finding is in the job summary and the step log.`,
    ])
  })

  it('names the job summary in the overflow notice only when it holds every finding (it is cut under 1 MiB)', async () => {
    const run = await runAction({ workspace: manyErrorsWorkspace(8000) })
    expect(run.summary).toContain('this summary was cut')
    const notices = commandLines(run, 'notice')
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/^::notice::pullcheck: 7991 findings \(7991 errors\) are not annotated /)
    expect(notices[0]).not.toContain('job summary')
  })

  it('annotates the first 1,000 findings in the check run (20 requests), says so, and does not name it as holding them all', async () => {
    const run = await runAction({ workspace: manyErrorsWorkspace(1030), token: TOKEN })
    expect(run.outputs.errors).toBe('1030')
    const [create] = requests('POST', `/repos/${REPOSITORY}/check-runs`)
    const updates = requests('PATCH', `/repos/${REPOSITORY}/check-runs/${CHECK_RUN_ID}`)
    type Body = { status?: string; conclusion?: string; output: { summary: string; annotations: { start_line: number }[] } }
    const bodies = [create, ...updates].map((r) => r.body as Body)
    expect(bodies).toHaveLength(20)
    expect(bodies.map((b) => b.output.annotations.length)).toEqual(Array(20).fill(50))
    expect([bodies[19].status, bodies[19].conclusion]).toEqual(['completed', 'failure'])
    expect(bodies[0].output.summary).toMatch(
      /^> This check run annotates the first 1000 of the 1021 findings that the step's annotations leave out, the most severe first \(GitHub limits the requests that add annotations\); the step log lists every finding\.\n\n/,
    )
    // Its summary is cut for the check run's own limit, and says that one.
    expect(bodies[0].output.summary).toContain("this summary was cut to stay under the check run's 64 KB limit")
    const notices = commandLines(run, 'notice')
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/^::notice::pullcheck: 1021 findings \(1021 errors\) are not annotated .*; every finding is in the job summary and the step log\.$/)
    // Every finding is in the step log.
    expect(run.stdout.split('\n').filter((l) => /^error +apps\.yaml:\d+:\d+ +no-pull-secret /.test(l))).toHaveLength(1030)
  })

  it('tells a rate limit from a missing permission, and completes the check run after the wait GitHub asks for', async () => {
    let patches = 0
    api.handle = (req, base) => {
      if (req.method === 'PATCH' && ++patches === 1) {
        return {
          status: 403,
          headers: { 'retry-after': '1' },
          body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        }
      }
      return gitHubApi()(req, base)
    }
    const started = Date.now()
    const run = await runAction({ workspace: manyErrorsWorkspace(120), token: TOKEN })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(run.stdout).toMatch(/^pullcheck: GitHub's API rate limit stopped the check run \(HTTP 403: You have exceeded a secondary rate limit\./m)
    expect(run.stdout).not.toContain('cannot write checks')
    const updates = requests('PATCH', `/repos/${REPOSITORY}/check-runs/${CHECK_RUN_ID}`)
    expect(updates).toHaveLength(2)
    const last = updates[1].body as { status: string; conclusion: string; output: { summary: string; annotations: unknown[] } }
    expect([last.status, last.conclusion, last.output.annotations]).toEqual(['completed', 'failure', []])
    expect(last.output.summary).toMatch(/^> This check run was stopped after 50 of 111 annotations \(GitHub's API rate limit\); the step log lists every finding\.\n\n/)
    // The overflow notice does not send anyone to a check run that lacks findings.
    expect(commandLines(run, 'notice')[0]).not.toContain('check run')
    expect(run.code).toBe(1)
    expectNoStackTrace(run)
  })

  it('does not wait out a long primary rate limit: it tries to complete the run at once and says it may stay in progress', async () => {
    let patches = 0
    const reset = String(Math.floor(Date.now() / 1000) + 3600)
    api.handle = (req, base) => {
      if (req.method === 'PATCH' && ++patches === 1) {
        return { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded for installation.' } }
      }
      return gitHubApi()(req, base)
    }
    const started = Date.now()
    const run = await runAction({ workspace: manyErrorsWorkspace(120), token: TOKEN })
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(run.stdout).toMatch(/^pullcheck: GitHub's API rate limit stopped the check run \(HTTP 403: API rate limit exceeded/m)
    expect(run.stdout).toMatch(/^pullcheck: the rate limit lasts \d+ s more: check run 4242 may stay in progress$/m)
    const updates = requests('PATCH', `/repos/${REPOSITORY}/check-runs/${CHECK_RUN_ID}`)
    expect(updates).toHaveLength(2)
    expect((updates[1].body as { status: string }).status).toBe('completed')
    expect(run.code).toBe(1)
  })

  it('carries on with a debug line when the token may not write checks (403), failing by fail-on', async () => {
    api.handle = (req, base) =>
      req.method === 'POST' ? { status: 403, body: { message: 'Resource not accessible by integration' } } : gitHubApi()(req, base)
    const run = await runAction({ workspace: demoWorkspace(), token: TOKEN, with: { 'working-directory': 'fixtures/demo' } })
    expect(requests('POST', `/repos/${REPOSITORY}/check-runs`)).toHaveLength(1)
    expect(run.stdout).toMatch(/^::debug::pullcheck: no check run: the token cannot write checks here \(HTTP 403: forks, act, or no checks: write permission\)/m)
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(commandLines(run, 'error')).toEqual([DEMO_FAILED])
    expect(commandLines(run, 'warning')).toEqual([])
    expect(commandLines(run, 'notice')).toEqual([])
    expect(run.outputs).toEqual(DEMO_OUTPUTS)
    expect(run.code).toBe(1)
    expectNoStackTrace(run)
  })
})

describe('only-changed', () => {
  it('reports only the findings in the files of the pull request, listed page by page', async () => {
    const prFiles = [
      ...Array.from({ length: 100 }, (_, i) => ({ filename: `docs/page-${i}.md`, status: 'modified' })),
      { filename: F10, status: 'modified' },
      { filename: F40, status: 'removed' },
    ]
    api.handle = gitHubApi(prFiles)
    const run = await runAction({ workspace: demoWorkspace(), token: TOKEN, with: { 'working-directory': 'fixtures/demo', 'only-changed': 'true' } })

    const pages = requests('GET', `/repos/${REPOSITORY}/pulls/7/files`)
    expect(pages.map((r) => new URL(r.url, api.url).searchParams.get('page') ?? '1')).toEqual(['1', '2'])
    expect(pages.every((r) => new URL(r.url, api.url).searchParams.get('per_page') === '100')).toBe(true)
    expect(annotationLines(run)).toEqual(DEMO_OTHERS)
    expect(run.outputs).toEqual({ ...DEMO_OUTPUTS, errors: '0', result: 'pass' })
    expect(run.code).toBe(0)
    expect(run.summary).toContain('only-changed: reporting the findings in the 101 files pull request &#35;7 changes (6 findings in other files not reported; every file was still read).')
    const [create] = requests('POST', `/repos/${REPOSITORY}/check-runs`)
    expect(create.body).toMatchObject({ conclusion: 'neutral', output: { annotations: expect.any(Array) } })
    // Those 6 fit in the step's own annotations: none is added to the check run.
    expect((create.body as { output: { annotations: unknown[] } }).output.annotations).toHaveLength(0)
  })

  it('matches files the globs reach through ../ by their normalised names', async () => {
    // The failing workloads moved out of the working directory, next to it.
    const workspace = demoWorkspace()
    fs.mkdirSync(path.join(workspace, 'fixtures/extra'))
    fs.renameSync(path.join(workspace, F40), path.join(workspace, 'fixtures/extra/40-failing.yaml'))
    api.handle = gitHubApi([{ filename: 'fixtures/extra/40-failing.yaml', status: 'modified' }])
    const run = await runAction({
      workspace,
      token: TOKEN,
      with: { 'working-directory': 'fixtures/demo', manifests: '*.yaml,../extra/*.yaml', 'only-changed': 'true' },
    })
    const moved = DEMO_ERRORS.map((a) => a.replace(`file=${F40},`, 'file=fixtures/extra/40-failing.yaml,'))
    expect(moved.every((a, i) => a !== DEMO_ERRORS[i])).toBe(true)
    expect(annotationLines(run)).toEqual(moved)
    expect(run.code).toBe(1)
  })

  it('reports everything when the API lists 3,000 files and the payload does not say how many the pull request changes', async () => {
    api.handle = gitHubApi(Array.from({ length: 3001 }, (_, i) => ({ filename: i === 3000 ? F10 : `docs/page-${i}.md`, status: 'modified' })).slice(0, 3000))
    const run = await runAction({ workspace: demoWorkspace(), token: TOKEN, with: { 'working-directory': 'fixtures/demo', 'only-changed': 'true' } })
    expect(requests('GET', `/repos/${REPOSITORY}/pulls/7/files`)).toHaveLength(30)
    expect(commandLines(run, 'notice')).toEqual([
      '::notice::pullcheck: only-changed is set, but pull request #7 may change more files and the GitHub API lists only 3000 of them: reporting every finding.',
    ])
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(run.code).toBe(1)
  })

  it('gives up on a page of files the API does not answer, after the request timeout, and reports everything', async () => {
    const prFiles = Array.from({ length: 150 }, (_, i) => ({ filename: `docs/page-${i}.md`, status: 'modified' }))
    const files = gitHubApi(prFiles)
    api.handle = (req, base) => (new URL(req.url, base).searchParams.get('page') === '2' ? null : files(req, base))
    const started = Date.now()
    const run = await runAction({ workspace: demoWorkspace(), token: TOKEN, env: { PULLCHECK_API_TIMEOUT_MS: '1500' }, with: { 'working-directory': 'fixtures/demo', 'only-changed': 'true', annotations: 'false' } })
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(commandLines(run, 'notice')).toEqual([
      '::notice::pullcheck: only-changed is set, but listing the files of pull request #7 failed (The operation was aborted due to timeout): reporting every finding.',
    ])
    expect(run.outputs.errors).toBe(DEMO_OUTPUTS.errors)
  })

  it('reports everything, and says so, when the API lists fewer files than the pull request changes (its 3,000-file cap)', async () => {
    api.handle = gitHubApi([{ filename: F10, status: 'modified' }])
    const run = await runAction({
      workspace: demoWorkspace(),
      token: TOKEN,
      event: { ...PR_EVENT, pull_request: { ...PR_EVENT.pull_request, changed_files: 3500 } },
      with: { 'working-directory': 'fixtures/demo', 'only-changed': 'true' },
    })
    expect(commandLines(run, 'notice')).toEqual([
      '::notice::pullcheck: only-changed is set, but pull request #7 changes 3500 files and the GitHub API lists only 1 of them: reporting every finding.',
    ])
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(run.code).toBe(1)
  })

  it('reports everything, and says so in a notice, without a token', async () => {
    const run = await runAction({ workspace: demoWorkspace(), token: '', event: {}, stepSummary: false, with: { 'working-directory': 'fixtures/demo', 'only-changed': 'true' } })
    expect(commandLines(run, 'notice')).toEqual(['::notice::pullcheck: only-changed is set, but there is no github-token: reporting every finding.'])
    // No job summary here (as under act): the failure points at the step log instead.
    expect(commandLines(run, 'error')).toEqual([DEMO_FAILED.replace('and the job summary', 'and the step log')])
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(run.code).toBe(1)
    expect(api.requests).toEqual([])
  })

  it('reports everything, and says so in a notice, without a pull request in the payload', async () => {
    const run = await runAction({ workspace: demoWorkspace(), token: TOKEN, event: {}, with: { 'working-directory': 'fixtures/demo', 'only-changed': 'true' } })
    expect(commandLines(run, 'notice')).toEqual(['::notice::pullcheck: only-changed is set, but the event has no pull request: reporting every finding.'])
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(requests('GET', `/repos/${REPOSITORY}/pulls/7/files`)).toEqual([])
    expect(run.summary).toContain('> only-changed is set, but the event has no pull request: reporting every finding.')
    expect(run.code).toBe(1)
  })
})

describe('nothing to check', () => {
  it('warns, in the log and the summary, when no manifest file matches, and passes', async () => {
    const workspace = fs.mkdtempSync(path.join(tmpRoot, 'empty-'))
    fs.mkdirSync(path.join(workspace, 'deploy'))
    fs.writeFileSync(path.join(workspace, 'deploy/README.md'), 'no manifests here\n')
    const run = await runAction({ workspace, token: '', event: {}, with: { 'working-directory': 'deploy' } })
    const text = 'pullcheck: no manifest files match manifests (**/*.yaml, **/*.yml, **/*.json) in working-directory deploy; nothing was checked.'
    expect(commandLines(run, 'warning')).toEqual([`::warning::${text}`])
    // Markdown's emphasis characters escaped in the summary.
    expect(run.summary).toContain('> no manifest files match manifests (&#42;&#42;/&#42;.yaml, &#42;&#42;/&#42;.yml, &#42;&#42;/&#42;.json) in working-directory deploy; nothing was checked.')
    expect(run.outputs.result).toBe('pass')
    expect(run.code).toBe(0)
  })
})

describe('suppressed findings', () => {
  it('counts and lists them in the step log, also without a job summary (as under act), and passes', async () => {
    const workspace = fs.mkdtempSync(path.join(tmpRoot, 'suppressed-'))
    fs.writeFileSync(
      path.join(workspace, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: app}\nspec:\n  containers:\n    - name: web\n      # pullcheck-ignore no-pull-secret: mirrored on the nodes\n      image: ghcr.io/acme/web:1\n',
    )
    const run = await runAction({ workspace, token: '', event: {}, stepSummary: false, with: { 'private-registries': 'ghcr.io' } })
    expect(annotationLines(run)).toEqual([])
    expect(run.lines).toContain('::group::pullcheck: 0 errors, 0 warnings, 0 notices, 1 suppressed')
    expect(run.lines).toContain(
      'suppressed  pod.yaml:8:14  no-pull-secret  container "web" of Pod app/web pulls private image ghcr.io/acme/web:1 (private-registries pattern ghcr.io), but neither the pod nor its ServiceAccount app/default lists any imagePullSecrets; add a pull secret for ghcr.io in namespace app and list it in the pod\'s or ServiceAccount default\'s imagePullSecrets.  (by comment: mirrored on the nodes)',
    )
    expect(run.lines).toContain('pullcheck: 0 errors, 0 warnings, 0 notices, 1 suppressed; passing (fail-on: error)')
    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
  })
})

describe('patterns that match nothing', () => {
  it('warns about a manifests pattern that matches no file beside one that does, and checks the rest', async () => {
    const workspace = fs.mkdtempSync(path.join(tmpRoot, 'typo-'))
    fs.mkdirSync(path.join(workspace, 'deploy'))
    fs.cpSync(path.join(DEMO, '40-failing.yaml'), path.join(workspace, 'deploy/app.yaml'))
    const run = await runAction({ workspace, token: '', event: {}, with: { manifests: 'deploy/**/*.yaml\ndeplyo/prod/**/*.yaml\n**/*.json', 'fail-on': 'never' } })
    // The default glob **/*.json matching nothing is normal; the typo is not.
    const text = 'the manifests pattern "deplyo/prod/**/*.yaml" matches no file; the files it was meant for, if any, were not checked (a typo, or a directory that moved?).'
    expect(commandLines(run, 'warning')).toEqual([`::warning::pullcheck: ${text}`])
    expect(run.summary).toContain('the manifests pattern "deplyo/prod/&#42;&#42;/&#42;.yaml" matches no file')
    expect(annotationLines(run).length).toBeGreaterThan(0)
    expect(run.code).toBe(0)
  })

  it('says nothing about default globs that match no file', async () => {
    const workspace = fs.mkdtempSync(path.join(tmpRoot, 'defaults-'))
    fs.cpSync(path.join(DEMO, '40-failing.yaml'), path.join(workspace, 'app.yaml'))
    const run = await runAction({ workspace, token: '', event: {}, with: { 'fail-on': 'never' } })
    expect(commandLines(run, 'warning')).toEqual([])
    expect(run.code).toBe(0)
  })
})

describe('inputs and the config file', () => {
  it('an input the workflow sets wins over .pullcheck.yml even at the usual value; one it leaves out lets the file decide', async () => {
    const workspace = fs.mkdtempSync(path.join(tmpRoot, 'precedence-'))
    fs.cpSync(path.join(DEMO, '40-failing.yaml'), path.join(workspace, 'app.yaml'))
    fs.writeFileSync(path.join(workspace, '.pullcheck.yml'), 'failOn: never\nsummary: false\n')
    const fromFile = await runAction({ workspace, token: '', event: {} })
    expect([fromFile.code, fromFile.outputs.result, fromFile.summary]).toEqual([0, 'pass', ''])
    const set = await runAction({ workspace, token: '', event: {}, with: { 'fail-on': 'error', summary: 'true' } })
    expect([set.code, set.outputs.result]).toEqual([1, 'fail'])
    expect(set.summary).toContain('pullcheck')
  })
})

describe('files not parsed', () => {
  it('warns about files that could not be parsed when yaml-syntax-error is off', async () => {
    const workspace = fs.mkdtempSync(path.join(tmpRoot, 'unparsed-'))
    fs.writeFileSync(path.join(workspace, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n')
    fs.writeFileSync(path.join(workspace, '.pullcheck.yml'), 'rules: {yaml-syntax-error: off}\n')
    const run = await runAction({ workspace, token: '', event: {} })
    const text = 'yaml-syntax-error is off, but 1 file could not be read or parsed (in part or whole), and what could not be read was not checked: bad.yaml (unexpected end of the stream within a flow collection).'
    expect(commandLines(run, 'warning')).toEqual([`::warning::pullcheck: ${text}`])
    expect(run.summary).toContain('yaml-syntax-error is off, but 1 file could not be read or parsed')
    expect(run.code).toBe(0)
  })
})

describe('paths not read', () => {
  it('warns about a symbolic link out of the workspace, and that nothing was checked', async () => {
    const top = fs.mkdtempSync(path.join(tmpRoot, 'links-'))
    const workspace = path.join(top, 'ws')
    fs.mkdirSync(workspace)
    fs.cpSync(path.join(DEMO, '40-failing.yaml'), path.join(top, 'outside.yaml'))
    fs.symlinkSync('../outside.yaml', path.join(workspace, 'only.yaml'))
    const run = await runAction({ workspace, token: '', event: {} })
    expect(commandLines(run, 'warning')).toEqual([
      '::warning::pullcheck: 1 path was not read: only.yaml (symbolic link to a file outside the working directory (not followed)).',
      '::warning::pullcheck: no manifest files match manifests (**/*.yaml, **/*.yml, **/*.json) in working-directory .; nothing was checked.',
    ])
    expect(run.summary).toContain('> 1 path was not read: only.yaml')
    expect(run.code).toBe(0)
  })
})

describe('options that do not act', () => {
  it('warns that the registry probe is not built, and checks as usual', async () => {
    const run = await runAction({ workspace: demoWorkspace(), token: '', event: {}, with: { 'working-directory': 'fixtures/demo', 'registry-probe': 'true' } })
    const text = 'registry-probe is set, but the registry probe is not built yet in this version: no registry was asked; the static checks ran as usual.'
    expect(commandLines(run, 'warning')).toEqual([`::warning::pullcheck: ${text}`])
    expect(run.summary).toContain(`> ${text}`)
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(run.code).toBe(1)
  })
})

describe('bad input', () => {
  it('writes the report file when the SARIF file cannot be written, and names only the file that exists', async () => {
    const workspace = demoWorkspace()
    const run = await runAction({
      workspace,
      token: '',
      event: {},
      with: { 'working-directory': 'fixtures/demo', 'fail-on': 'never', 'sarif-file': '../demo', 'report-file': 'out/report.json' },
    })
    expect(run.code).toBe(1)
    expect(commandLines(run, 'error')).toEqual([
      '::error::pullcheck: input sarif-file: cannot write fixtures/demo: it is a directory',
      '::error::pullcheck: 6 errors, 5 warnings, 1 notice; failing because a report file could not be written',
    ])
    expect(run.outputs).toMatchObject({ 'sarif-file': '', 'report-file': 'fixtures/demo/out/report.json' })
    expect(JSON.parse(fs.readFileSync(path.join(workspace, 'fixtures/demo/out/report.json'), 'utf8')).findings).toHaveLength(12)
  })

  it('fails the step naming the input, the value and the expected form', async () => {
    const run = await runAction({ workspace: demoWorkspace(), token: TOKEN, with: { 'working-directory': 'fixtures/demo', 'fail-on': 'sometimes' } })
    expect(run.code).toBe(1)
    expect(commandLines(run, 'error')).toEqual(['::error::pullcheck: input fail-on: "sometimes" is not one of error, warning, notice, never'])
    expect(annotationLines(run)).toEqual([])
    expect(run.outputs).toEqual({})
    expect(api.requests).toEqual([])
    expectNoStackTrace(run)
  })

  it('fails the step naming the report file and the cause when it cannot be written, after every annotation and output', async () => {
    const run = await runAction({
      workspace: demoWorkspace(),
      token: TOKEN,
      with: { 'working-directory': 'fixtures/demo', 'fail-on': 'never', 'report-file': '10-secrets.yaml/report.json' },
    })
    expect(run.code).toBe(1)
    expect(annotationLines(run)).toEqual(DEMO_ANNOTATIONS)
    expect(commandLines(run, 'error')).toEqual([
      expect.stringMatching(/^::error::pullcheck: input report-file: cannot write fixtures\/demo\/10-secrets\.yaml\/report\.json: a part of its path is not a directory \(\/.*\/fixtures\/demo\/10-secrets\.yaml\)$/),
      '::error::pullcheck: 6 errors, 5 warnings, 1 notice; failing because a report file could not be written',
    ])
    // Outputs and the summary name only the files that exist: an upload step keyed on the output skips.
    expect(run.outputs).toMatchObject({ result: 'pass', 'report-file': '' })
    expect(run.summary).toMatch(/> input report-file: cannot write fixtures\/demo\/10-secrets\.yaml\/report\.json: a part of its path is not a directory/)
    expect(run.summary).not.toMatch(/JSON report[^\n]*10-secrets\.yaml\/report\.json/)
    // The check run ends as the step does, and says why.
    const [create] = requests('POST', `/repos/${REPOSITORY}/check-runs`)
    expect(create.body).toMatchObject({ status: 'completed', conclusion: 'failure' })
    expect((create.body as { output: { summary: string } }).output.summary).toMatch(/input report-file: cannot write fixtures\/demo\/10-secrets\.yaml\/report\.json/)
    expectNoStackTrace(run)
  })
})
