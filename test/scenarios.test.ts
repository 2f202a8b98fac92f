// Scenarios end to end through the bundled CLI: `node dist/cli.js <dir> --format sarif`, and each
// result's rule, file, line, column and level compared with fixtures/scenarios/<name>/expected.json.
// UPDATE_GOLDEN=1 rewrites the expectations (review the diff).
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'dist/cli.js')
const scenarios = path.join(root, 'fixtures/scenarios')

interface SarifResult {
  ruleId: string
  level: string
  message: { text: string }
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[]
}

function run(dir: string): { code: number; results: SarifResult[]; stdout: string } {
  const args = [cli, '--working-directory', dir, '--format', 'sarif']
  if (fs.existsSync(path.join(dir, '.pullcheck.yml'))) args.push('--config', path.join(dir, '.pullcheck.yml'))
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' })
  const log = JSON.parse(r.stdout) as { runs: { results: SarifResult[] }[] }
  return { code: r.status ?? -1, results: log.runs[0].results, stdout: r.stdout }
}

describe('scenarios through the bundled CLI', () => {
  if (!fs.existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  for (const name of fs.readdirSync(scenarios).sort()) {
    const dir = path.join(scenarios, name)
    it(name, () => {
      const { code, results, stdout } = run(dir)
      const actual = results.map((r) => {
        const loc = r.locations[0].physicalLocation
        return `${r.level} ${r.ruleId} ${loc.artifactLocation.uri}:${loc.region.startLine}:${loc.region.startColumn}`
      })
      const expectedFile = path.join(dir, 'expected.json')
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(expectedFile, JSON.stringify({ exitCode: code, results: actual }, null, 2) + '\n')
      const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as { exitCode: number; results: string[] }
      expect(actual).toEqual(expected.results)
      expect(code).toBe(expected.exitCode)
      // The demo's made-up passwords never leave the process.
      expect(stdout).not.toMatch(/dckr_pat_(demo|scenario)|ghp_(demo|scenario)|ROBOTTOKENDEMO|TOKEN0000/)
    })
  }
})
