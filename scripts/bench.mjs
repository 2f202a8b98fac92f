// npm run bench: what pullcheck costs against the cost of parsing the YAML once.
//
// Inputs: synthetic rendered repositories of 1k, 10k and 100k resources (scripts/bench/generate.mjs,
// written once under .bench/), and ../shared/corpus (real manifests) when it is there.
// For each input, in rounds that alternate the order of the measures (so that drift and noise
// from other processes fall on all of them alike):
//   (a) floor: js-yaml 4 loadAll of the same files in one fresh process, reading included;
//   (b) analyze() in process (tsc build of src/ under .bench/build), and the JSON report apart;
//   (c) the CLI end to end: `node dist/cli.js . --format json` in the input directory, stdout drained.
// Then (d) start-up: the CLI on an empty directory against `node -e 0`.
// Medians are printed; peak RSS and CPU time (user + system, all threads) of the processes come
// from /usr/bin/time when it exists.
//
// Options: --sizes=1000,10000,100000  --runs=N (rounds per input; default 5, 3 for 100k)
//          --no-corpus  --corpus=<dir>  --json=<file> (results; default .bench/results.json)
//          --build (run `npm run build` first; otherwise dist/cli.js is used as it is)
//          --target=<dir> (measure the dist/ and src/ of another checkout, e.g. a `git archive` of
//          an older commit with node_modules linked; the inputs stay under this .bench/)
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { generate } from './bench/generate.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const benchDir = path.join(root, '.bench')
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a)
    if (!m) throw new Error(`unknown argument ${a}`)
    return [m[1], m[2] ?? true]
  }),
)
const sizes = String(args.sizes ?? '1000,10000,100000').split(',').filter(Boolean).map(Number)
const corpusDir = path.resolve(root, typeof args.corpus === 'string' ? args.corpus : '../shared/corpus')
const useCorpus = !args['no-corpus'] && fs.existsSync(corpusDir)
const target = path.resolve(root, typeof args.target === 'string' ? args.target : '.')
const cli = path.join(target, 'dist/cli.js')
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const started = performance.now()

function log(msg) {
  process.stderr.write(msg + '\n')
}

// ---------------------------------------------------------------------------------------------
// Setup

if (args.build) execFileSync('npm', ['run', 'build'], { cwd: target, stdio: 'inherit' })
if (!fs.existsSync(cli)) {
  log('dist/cli.js is missing: building it (npm run build)')
  execFileSync('npm', ['run', 'build'], { cwd: target, stdio: 'inherit' })
}
const newestSource = Math.max(...listFiles(path.join(target, 'src')).map((f) => fs.statSync(f).mtimeMs))
if (fs.statSync(cli).mtimeMs < newestSource) log('warning: dist/cli.js is older than src/ (run npm run build, or bench with --build)')

// Inside the target checkout, so that its node_modules and package.json ("type": "module") apply.
const buildDir = path.join(target, '.bench', 'build')
log('compiling src/ for the in-process measure…')
fs.rmSync(buildDir, { recursive: true, force: true })
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(target, 'tsconfig.build.json'), '--outDir', buildDir], { stdio: 'inherit' })

const inputs = []
for (const n of sizes) {
  const t = performance.now()
  const info = generate(path.join(benchDir, `r${n}`), n)
  log(`input ${label(n)}: ${info.files} files, ${mb(info.bytes)} MB, ${info.resources} resources (${Math.round(performance.now() - t)} ms to prepare)`)
  inputs.push({ name: label(n), dir: path.join(benchDir, `r${n}`), runs: Number(args.runs ?? (n >= 100000 ? 3 : 5)), bytes: info.bytes, files: info.files, resources: info.resources })
}
if (useCorpus) inputs.push({ name: 'corpus', dir: corpusDir, runs: Number(args.runs ?? 5) })
const emptyDir = path.join(benchDir, 'empty')
fs.rmSync(emptyDir, { recursive: true, force: true })
fs.mkdirSync(emptyDir, { recursive: true })

// ---------------------------------------------------------------------------------------------
// Measures

/**
 * Runs a command; resolves with its wall time (ms), exit code, stdout (unless drained), and, when
 * known, peak RSS (bytes) and CPU time (user + system of all its threads, ms).
 */
function run(cmd, argv, { cwd = root, keep = false, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = TIME ? path.join(os.tmpdir(), `pullcheck-bench-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined
    const full = TIME ? [TIME, ['-f', '%M %U %S', '-o', rssFile, cmd, ...argv]] : [cmd, argv]
    const t0 = performance.now()
    const child = spawn(full[0], full[1], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const out = []
    let outBytes = 0
    let err = ''
    child.stdout.on('data', (d) => {
      outBytes += d.length
      if (keep) out.push(d)
    })
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - t0
      let rss
      let cpuMs
      if (rssFile && fs.existsSync(rssFile)) {
        // The last line (time prints "Command exited with non-zero status" before it).
        const [kb, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number)
        if (Number.isFinite(kb)) rss = kb * 1024
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000
        fs.rmSync(rssFile, { force: true })
      }
      resolve({ ms, code, stdout: Buffer.concat(out).toString('utf8'), outBytes, stderr: err, rss, cpuMs })
    })
  })
}

async function floor(input) {
  const r = await run(process.execPath, [path.join(root, 'scripts/bench/floor.mjs'), input.dir], { keep: true })
  if (r.code !== 0) throw new Error(`floor failed: ${r.stderr}`)
  const j = JSON.parse(r.stdout)
  return { ms: j.ms, wall: r.ms, cpuMs: r.cpuMs, rss: r.rss ?? j.maxRSS, files: j.files, bytes: j.bytes, documents: j.documents }
}

async function inProcess(input) {
  const r = await run(process.execPath, [path.join(root, 'scripts/bench/inproc.mjs'), buildDir, input.dir], { keep: true })
  if (r.code !== 0) throw new Error(`analyze() failed: ${r.stderr}`)
  const j = JSON.parse(r.stdout)
  return { ms: j.ms, formatMs: j.formatMs, wall: r.ms, rss: r.rss ?? j.maxRSS, findings: j.findings, resources: j.resources, reportBytes: j.reportBytes }
}

async function endToEnd(input) {
  const r = await run(process.execPath, [cli, '.', '--format', 'json'], { cwd: input.dir })
  if (r.code !== 0 && r.code !== 1) throw new Error(`CLI failed (exit ${r.code}): ${r.stderr}`)
  return { ms: r.ms, cpuMs: r.cpuMs, rss: r.rss, outBytes: r.outBytes }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const max = (xs) => Math.max(...xs.filter((x) => x !== undefined))

const results = []
for (const input of inputs) {
  const a = []
  const b = []
  const c = []
  const order = [floor, inProcess, endToEnd]
  // One unmeasured CLI run warms the file cache for this input.
  await endToEnd(input)
  for (let round = 0; round < input.runs; round++) {
    const rotated = order.map((_, i) => order[(i + round) % order.length])
    for (const measure of rotated) {
      const r = await measure(input)
      ;(measure === floor ? a : measure === inProcess ? b : c).push(r)
    }
    log(`${input.name} round ${round + 1}/${input.runs}: floor ${ms(a.at(-1).ms)}, analyze() ${ms(b.at(-1).ms)} (+ report ${ms(b.at(-1).formatMs)}), CLI ${ms(c.at(-1).ms)}`)
  }
  const bytes = a[0].bytes
  const resources = b[0].resources
  const res = {
    input: input.name,
    files: a[0].files,
    bytes,
    documents: a[0].documents,
    resources,
    findings: b[0].findings,
    reportBytes: b[0].reportBytes,
    runs: input.runs,
    floorMs: median(a.map((x) => x.ms)),
    floorProcessMs: median(a.map((x) => x.wall)),
    analyzeMs: median(b.map((x) => x.ms)),
    reportMs: median(b.map((x) => x.formatMs)),
    cliMs: median(c.map((x) => x.ms)),
    floorProcessCpuMs: a.every((x) => x.cpuMs !== undefined) ? median(a.map((x) => x.cpuMs)) : undefined,
    cliCpuMs: c.every((x) => x.cpuMs !== undefined) ? median(c.map((x) => x.cpuMs)) : undefined,
    floorRss: max(a.map((x) => x.rss)),
    analyzeRss: max(b.map((x) => x.rss)),
    cliRss: c.some((x) => x.rss !== undefined) ? max(c.map((x) => x.rss)) : undefined,
  }
  res.ratio = res.cliMs / res.floorMs
  res.resourcesPerSecond = resources / (res.cliMs / 1000)
  res.mbPerSecond = bytes / 1e6 / (res.cliMs / 1000)
  results.push(res)
}

// Start-up: alternate `node -e 0` and the CLI on an empty directory.
const nodeRuns = []
const emptyRuns = []
for (let i = 0; i < 11; i++) {
  const pair = [() => run(process.execPath, ['-e', '0']).then((r) => nodeRuns.push(r)), () => run(process.execPath, [cli, '.', '--format', 'json'], { cwd: emptyDir }).then((r) => emptyRuns.push(r))]
  if (i % 2) pair.reverse()
  for (const f of pair) await f()
}
const startup = {
  nodeMs: median(nodeRuns.map((r) => r.ms)),
  cliEmptyMs: median(emptyRuns.map((r) => r.ms)),
  nodeRss: max(nodeRuns.map((r) => r.rss)),
  cliEmptyRss: max(emptyRuns.map((r) => r.rss)),
}
startup.ratio = startup.cliEmptyMs / startup.nodeMs

// ---------------------------------------------------------------------------------------------
// Report

const byName = Object.fromEntries(results.map((r) => [r.input, r]))
const scaling = byName['100k'] && byName['10k'] ? { cli: byName['100k'].cliMs / byName['10k'].cliMs, floor: byName['100k'].floorMs / byName['10k'].floorMs, analyze: byName['100k'].analyzeMs / byName['10k'].analyzeMs } : undefined
const jsYamlVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/js-yaml/package.json'), 'utf8')).version
const machine = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  jsYaml: jsYamlVersion,
  cpus: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()} ${os.release()}`,
}

const table = [
  '| input | files | MB | resources | floor (a) | analyze() (b) | report | CLI (c) | c/a | CPU (c) | CPU (a) | resources/s | MB/s | peak RSS (c) | peak RSS (a) |',
  '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ...results.map(
    (r) =>
      `| ${r.input} | ${r.files} | ${mb(r.bytes)} | ${r.resources} | ${ms(r.floorMs)} | ${ms(r.analyzeMs)} | ${ms(r.reportMs)} | ${ms(r.cliMs)} | ${r.ratio.toFixed(2)} | ${r.cliCpuMs === undefined ? 'n/a' : ms(r.cliCpuMs)} | ${r.floorProcessCpuMs === undefined ? 'n/a' : ms(r.floorProcessCpuMs)} | ${Math.round(r.resourcesPerSecond)} | ${r.mbPerSecond.toFixed(1)} | ${r.cliRss ? mb(r.cliRss) + ' MB' : 'n/a'} | ${mb(r.floorRss)} MB |`,
  ),
]
const lines = [
  `pullcheck benchmark — ${machine.date}, node ${machine.node}, js-yaml ${machine.jsYaml}, ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGB} GB, ${machine.platform}`,
  '',
  ...table,
  '',
  `Start-up (d): CLI on an empty directory ${ms(startup.cliEmptyMs)} vs node -e 0 ${ms(startup.nodeMs)}: ${startup.ratio.toFixed(2)}× (peak RSS ${mb(startup.cliEmptyRss)} MB vs ${mb(startup.nodeRss)} MB)`,
]
if (scaling) lines.push(`Scaling time(100k)/time(10k): CLI ${scaling.cli.toFixed(2)}, analyze() ${scaling.analyze.toFixed(2)}, floor ${scaling.floor.toFixed(2)}`)
lines.push(`(medians; floor = js-yaml loadAll of the same files in one process, reading included, without process start; report = formatJson of the result, which masks secret values; CPU = user + system time of the whole process, all its threads, process start included: above the wall time, it kept more than one core busy; total bench time ${Math.round((performance.now() - started) / 1000)} s)`)
console.log(lines.join('\n'))

const jsonOut = path.resolve(root, typeof args.json === 'string' ? args.json : '.bench/results.json')
fs.mkdirSync(path.dirname(jsonOut), { recursive: true })
fs.writeFileSync(jsonOut, JSON.stringify({ machine, results, startup, scaling, table: table.join('\n') }, null, 2) + '\n')
log(`results written to ${path.relative(root, jsonOut)}`)

// ---------------------------------------------------------------------------------------------

function listFiles(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) listFiles(p, out)
    else out.push(p)
  }
  return out
}

function label(n) {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n)
}

function mb(bytes) {
  return (bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 1)
}

function ms(x) {
  return `${Math.round(x)} ms`
}
