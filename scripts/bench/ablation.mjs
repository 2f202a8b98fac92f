// What each reading/parsing idea gains, in process (node scripts/bench/ablation.mjs <build dir> <dir>… [--runs=N]).
// <build dir> is a tsc build of src/ (scripts/bench.mjs leaves one under .bench/build). For each
// directory, fresh processes, alternating, medians of:
//   discover: the directory walk of the default globs  vs  glob (forced by a no-op exclude);
//   load: main thread, every document built  vs  main thread, SKIPPABLE_KINDS not built
//         vs  worker threads (PULLCHECK_WORKERS or all cores but one), kinds skipped.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import os from 'node:os'

const self = fileURLToPath(import.meta.url)

if (process.argv[2] === '--child') {
  const [, , , build, dir, variant] = process.argv
  const load = (rel) => import(pathToFileURL(path.join(build, rel)).href)
  const { discover } = await load('source/discover.js')
  const { loadFiles } = await load('source/pipeline.js')
  const globs = ['**/*.yaml', '**/*.yml', '**/*.json']
  const t0 = performance.now()
  const { files } = await discover(variant === 'glob' ? [...globs, '!**/.pullcheck-bench-none/**'] : globs, dir)
  const discoverMs = performance.now() - t0
  let loadMs = 0
  if (variant !== 'walk' && variant !== 'glob') {
    const workers = variant === 'workers' ? Math.max(1, Number(process.env.PULLCHECK_WORKERS ?? os.availableParallelism() - 1)) : 0
    const t1 = performance.now()
    await loadFiles(files, { skipKinds: variant !== 'build-all', workers })
    loadMs = performance.now() - t1
  }
  process.stdout.write(JSON.stringify({ discoverMs, loadMs, rss: process.resourceUsage().maxRSS * 1024 }) + '\n')
  process.exit(0)
}

const args = process.argv.slice(2)
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5)
const [build, ...dirs] = args.filter((a) => !a.startsWith('--'))
const variants = [
  ['walk', 'discover: directory walk'],
  ['glob', 'discover: glob'],
  ['build-all', 'load: main thread, every document built'],
  ['skip', 'load: main thread, skippable kinds not built'],
  ['workers', 'load: worker threads, skippable kinds not built'],
]
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
for (const dir of dirs) {
  const samples = Object.fromEntries(variants.map(([v]) => [v, []]))
  for (let r = 0; r < runs; r++) {
    const order = r % 2 ? [...variants].reverse() : variants
    for (const [v] of order) {
      const p = spawnSync(process.execPath, [self, '--child', path.resolve(build), path.resolve(dir), v], { encoding: 'utf8' })
      if (p.status !== 0) throw new Error(p.stderr)
      samples[v].push(JSON.parse(p.stdout))
    }
  }
  console.log(`\n${dir} (${runs} runs, medians)`)
  for (const [v, label] of variants) {
    const s = samples[v]
    const ms = v === 'walk' || v === 'glob' ? median(s.map((x) => x.discoverMs)) : median(s.map((x) => x.loadMs))
    console.log(`  ${label.padEnd(50)} ${String(Math.round(ms)).padStart(6)} ms   peak RSS ${Math.round(Math.max(...s.map((x) => x.rss)) / 1e6)} MB`)
  }
}
