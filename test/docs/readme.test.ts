// The README's generated tables must match the rule registry and the option table.
// `npm run docs` rewrites them (UPDATE_DOCS=1).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { optionsTable, replaceSection, rulesTable } from '../../src/docs.js'
import { VERSION } from '../../src/version.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const readmePath = path.join(root, 'README.md')

describe('README', () => {
  it('has the generated rules and options tables', () => {
    const readme = fs.readFileSync(readmePath, 'utf8')
    const fresh = replaceSection(replaceSection(readme, 'rules', rulesTable()), 'options', optionsTable())
    if (process.env.UPDATE_DOCS === '1' && fresh !== readme) fs.writeFileSync(readmePath, fresh)
    else expect(readme, 'README tables are stale: run npm run docs').toBe(fresh)
  })

  it('gives the two commands', () => {
    const readme = fs.readFileSync(readmePath, 'utf8')
    expect(readme).toContain('npm ci && npm start')
    expect(readme).toContain('npm test')
  })

  it('keeps src/version.ts equal to package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })
})
