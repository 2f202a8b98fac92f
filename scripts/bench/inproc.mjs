// analyze() in process, from a tsc build of src/ (scripts/bench.mjs makes one under .bench/build).
// Usage: node scripts/bench/inproc.mjs <build dir> <manifests dir>  → one JSON line on stdout:
// the time of analyze() (discovery, reading, parsing, graph, resolution, rules) and, apart, of
// the JSON report (formatJson, which masks the secret values).
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

const build = path.resolve(process.argv[2])
const dir = path.resolve(process.argv[3] ?? '.')
const load = (rel) => import(pathToFileURL(path.join(build, rel)).href)
const { analyze } = await load('analyze.js')
const { defaultOptions } = await load('options.js')
const { formatJson } = await load('report/json.js')

const t0 = performance.now()
const result = await analyze(defaultOptions(dir))
const ms = performance.now() - t0
const t1 = performance.now()
const json = formatJson(result, { toolVersion: 'bench', failOn: 'error' })
const formatMs = performance.now() - t1
process.stdout.write(
  JSON.stringify({
    ms,
    formatMs,
    findings: result.findings.length,
    resources: result.stats.resources,
    documents: result.stats.documents,
    reportBytes: Buffer.byteLength(json),
    maxRSS: process.resourceUsage().maxRSS * 1024,
  }) + '\n',
)
