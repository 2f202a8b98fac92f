// Build: tsc compiles src/ to build/, then ncc bundles the action (dist/index.js) and the CLI (dist/cli.js).
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
  ['cli.js', 'build/cli.js'],
]
for (const [out, entry] of entries) {
  const input = path.join(root, entry)
  if (!fs.existsSync(input)) continue
  const { code, assets } = await ncc(input, { minify: false, sourceMap: false, quiet: true, target: 'es2022', license: 'licenses.txt' })
  const body = out === 'cli.js' && !code.startsWith('#!') ? `#!/usr/bin/env node\n${code}` : code
  fs.writeFileSync(path.join(dist, out), body, { mode: out === 'cli.js' ? 0o755 : 0o644 })
  for (const [name, asset] of Object.entries(assets)) {
    if (name === 'package.json') continue
    const target = path.join(dist, name === 'licenses.txt' ? `${path.basename(out, '.js')}-licenses.txt` : name)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, asset.source)
  }
}
fs.writeFileSync(path.join(dist, 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n')
console.log('built', fs.readdirSync(dist).join(', '))
