// Golden files for the reporters: compared byte for byte; rewritten only with UPDATE_GOLDEN=1.
// Unlike vitest's snapshots, a missing golden fails instead of being written silently.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '__golden__')

export function expectGolden(name: string, actual: string, dir = GOLDEN_DIR): void {
  const file = join(dir, name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
    return
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${file} is missing: run \`UPDATE_GOLDEN=1 npx vitest run test/report\` and review it`)
  }
  expect(actual, `output differs from golden ${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'))
}
