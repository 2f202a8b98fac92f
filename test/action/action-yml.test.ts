// action.yml is public interface: its inputs must be the option table's (names and defaults),
// its outputs SPEC §5's list, and it must run the committed bundle on node24.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { OPTION_TABLE, type OptionSpec } from '../../src/options.js'
import { actionDefault, readInputs } from '../../src/main.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

interface ActionYml {
  name: string
  description: string
  branding: { icon: string; color: string }
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

const action = yaml.load(fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) as ActionYml

/** SPEC §5, "Outputs". */
const SPEC_OUTPUTS = ['errors', 'warnings', 'notices', 'checked-images', 'unclassified-images', 'sarif-file', 'report-file', 'result']

/**
 * The default action.yml must give an input: none for the options .pullcheck.yml may also set (so
 * that an input the workflow sets, even to the usual value, is told apart from one it leaves out),
 * the table's default for the others (working-directory), the token expression for github-token.
 */
function expectedDefault(spec: OptionSpec): string {
  if (spec.actionDefault !== undefined) return spec.actionDefault
  const d = spec.default
  if (d === undefined || spec.inConfigFile !== false) return ''
  return Array.isArray(d) ? d.join(',') : String(d)
}

/** The table default as action.yml's description states it. */
function statedDefault(spec: OptionSpec): string | undefined {
  const d = spec.default
  if (d === undefined || d === '' || (Array.isArray(d) && d.length === 0) || spec.inConfigFile === false || spec.actionDefault !== undefined) return undefined
  return Array.isArray(d) ? d.join(',') : String(d)
}

describe('action.yml', () => {
  it('has a name, a description and branding', () => {
    expect(action.name).toBe('pullcheck')
    expect(action.description.length).toBeGreaterThan(20)
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
  })

  it('runs the ncc bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('declares every input of the option table, in its order, and nothing else', () => {
    expect(Object.keys(action.inputs)).toEqual(OPTION_TABLE.map((o) => o.kebab))
  })

  it.each(OPTION_TABLE.map((o) => [o.kebab, o] as const))('input %s has a description and the table default', (name, spec) => {
    const input = action.inputs[name]
    expect(input.description.trim().length).toBeGreaterThan(10)
    expect(input.required ?? false).toBe(false)
    expect(input.default ?? '').toBe(expectedDefault(spec))
    expect(actionDefault(spec) ?? '').toBe(expectedDefault(spec))
    const stated = statedDefault(spec)
    if (stated !== undefined) expect(input.description).toContain(`Default: ${stated} (unless .pullcheck.yml sets it).`)
  })

  it('gives github-token the workflow token by default', () => {
    expect(action.inputs['github-token'].default).toBe('${{ github.token }}')
  })

  it('declares exactly the outputs of SPEC §5', () => {
    expect(Object.keys(action.outputs)).toEqual(SPEC_OUTPUTS)
    for (const name of SPEC_OUTPUTS) expect(action.outputs[name].description.trim().length).toBeGreaterThan(5)
  })

  it('treats inputs left out as unset, so .pullcheck.yml can decide, and an input set to the usual value as set', () => {
    const env: Record<string, string> = {}
    for (const [name, input] of Object.entries(action.inputs)) env[name] = input.default ?? ''
    env['github-token'] = 'ghs_example'
    // working-directory keeps its '.' (the file cannot set it); every other input is left out.
    expect(readInputs((name) => env[name] ?? '')).toEqual({ workingDirectory: '.', githubToken: 'ghs_example' })
    expect(readInputs((name) => ({ 'fail-on': 'error', manifests: '**/*.yaml\n**/*.yml\n**/*.json', annotations: 'true' })[name] ?? '')).toEqual({
      failOn: 'error',
      manifests: '**/*.yaml\n**/*.yml\n**/*.json',
      annotations: 'true',
    })
  })
})
