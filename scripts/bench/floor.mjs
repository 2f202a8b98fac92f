// The floor: read every manifest file and js-yaml 4 `loadAll` it, in one process, nothing else.
// Usage: node scripts/bench/floor.mjs <dir>  → one JSON line on stdout.
// The file list (the CLI's default globs: **/*.yaml, **/*.yml, **/*.json, dot directories
// included, node_modules and .git left out) is made before the clock starts; reading is timed.
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import yaml from 'js-yaml'

const dir = path.resolve(process.argv[2] ?? '.')

function list(d, out) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name)
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.git') list(p, out)
    } else if (e.isFile() && /\.(ya?ml|json)$/.test(e.name)) out.push(p)
  }
  return out
}

const files = list(dir, []).sort()
const t0 = performance.now()
let bytes = 0
let documents = 0
let errors = 0
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8')
  bytes += Buffer.byteLength(text)
  try {
    yaml.loadAll(text, () => {
      documents++
    })
  } catch {
    errors++
  }
}
const ms = performance.now() - t0
process.stdout.write(JSON.stringify({ ms, files: files.length, bytes, documents, errors, maxRSS: process.resourceUsage().maxRSS * 1024 }) + '\n')
