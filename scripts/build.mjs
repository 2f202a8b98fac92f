// Build: tsc compiles src/ to build/, then ncc bundles the action (dist/index.js) and the CLI
// (dist/cli-main.js, loaded by the small entry dist/cli.js written below).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ncc from '@vercel/ncc'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
fs.rmSync(path.join(root, 'build'), { recursive: true, force: true })
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })

const dist = path.join(root, 'dist')
fs.rmSync(dist, { recursive: true, force: true })
fs.mkdirSync(dist, { recursive: true })
const entries = [
  ['index.js', 'build/index.js'],
  ['cli-main.js', 'build/cli.js'],
]
for (const [out, entry] of entries) {
  const input = path.join(root, entry)
  if (!fs.existsSync(input)) continue
  const { code, assets } = await ncc(input, { minify: false, sourceMap: false, quiet: true, target: 'es2022', license: 'licenses.txt' })
  const base = out === 'cli-main.js' ? 'cli' : path.basename(out, '.js')
  // ncc names every bundle's lazily loaded chunks `<id>.index.js`; the two bundles would overwrite
  // each other's (the same id, other contents), so the CLI's are renamed `<id>.cli.js`, in its
  // chunk loader too.
  const chunkSuffix = `.${base}.js`
  let patched = code
  if (chunkSuffix !== '.index.js') {
    const loader = 'return "" + chunkId + ".index.js";'
    if (code.split(loader).length !== 2 && Object.keys(assets).some((n) => n.endsWith('.index.js'))) throw new Error(`${out}: ncc's chunk loader not found once`)
    patched = code.replace(loader, `return "" + chunkId + "${chunkSuffix}";`)
  }
  fs.writeFileSync(path.join(dist, out), patched.replace(/^#!.*\n/, ''))
  for (const [name, asset] of Object.entries(assets)) {
    if (name === 'package.json') continue
    const chunk = name.endsWith('.index.js') ? name.slice(0, -'.index.js'.length) + chunkSuffix : name
    const target = path.join(dist, name === 'licenses.txt' ? `${base}-licenses.txt` : chunk)
    if (fs.existsSync(target)) throw new Error(`${out}: ${path.relative(root, target)} was written by another bundle`)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, asset.source)
  }
}
// The CLI's entry turns Node's compile cache on (V8's code cache kept on disk, in the system's
// temporary directory; Node 22.1 and later, as eslint's and tsc's entries do) before the bundle is
// compiled, so that later runs skip compiling it: ~4–7 ms of a ~70 ms start-up on Node 24. The
// action does not: each job starts on a fresh runner, where the first run only pays for writing it.
fs.writeFileSync(
  path.join(dist, 'cli.js'),
  `#!/usr/bin/env node
// pullcheck's CLI: turns Node's compile cache on, then loads the bundle (cli-main.js).
// NODE_DISABLE_COMPILE_CACHE=1 turns the cache off.
import module from 'node:module'

try {
  module.enableCompileCache?.()
} catch {
  // a cache that cannot be used is no reason to stop
}
await import('./cli-main.js')
`,
  { mode: 0o755 },
)
fs.writeFileSync(path.join(dist, 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n')
console.log('built', fs.readdirSync(dist).join(', '))
