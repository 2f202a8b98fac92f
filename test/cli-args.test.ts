// CLI arguments: flags from the option table, list and boolean forms, usage errors, the generated
// help, and the expansion of positional paths into globs.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { glob } from 'glob'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { helpText, parseCliArgs, positionals, type CliArgs } from '../src/cli-args.js'
import { OPTION_TABLE, OptionsError, resolveOptions } from '../src/options.js'
import { discover } from '../src/source/discover.js'

function run(argv: string[]): Extract<CliArgs, { kind: 'run' }> {
  const args = parseCliArgs(argv)
  if (args.kind !== 'run') throw new Error(`expected a run, got ${args.kind}`)
  return args
}

async function resolved(argv: string[]) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'pullcheck-args-'))
  try {
    return await resolveOptions({ values: run(argv).values, origin: 'cli', cwd, knownRuleIds: [] })
  } finally {
    await rm(cwd, { recursive: true, force: true })
  }
}

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv)
  } catch (e) {
    expect(e).toBeInstanceOf(OptionsError)
    return (e as Error).message
  }
  throw new Error('expected an OptionsError')
}

describe('parseCliArgs', () => {
  it('returns defaults for the CLI-only flags and no option values', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', values: {}, paths: [], format: 'text', color: undefined })
  })

  it('accumulates repeated list flags whose values may be comma-separated', async () => {
    const argv = ['--private-registries', 'a.io,b.io', '--private-registries', 'c.io', '--private-registries=d.io, e.io']
    // Each flag's value as given; resolveOptions splits them.
    expect(run(argv).values.privateRegistries).toEqual(['a.io,b.io', 'c.io', 'd.io, e.io'])
    expect((await resolved(argv)).privateRegistries).toEqual(['a.io', 'b.io', 'c.io', 'd.io', 'e.io'])
  })

  it('keeps the registries of an existing secret together', async () => {
    const argv = ['--existing-secrets', 'prod/regcred=ghcr.io/acme,quay.io/acme,dev/other', '--existing-secrets', '*/hub']
    const secrets = (await resolved(argv)).existingSecrets
    expect(secrets.map((s) => `${s.namespace}/${s.name}=${s.registries.join(',')}`)).toEqual(['prod/regcred=ghcr.io/acme,quay.io/acme', 'dev/other=', '*/hub='])
  })

  it('refuses a repeated list flag whose value is empty (an unset variable), as a single empty one is', async () => {
    for (const argv of [
      ['--private-registries', 'ghcr.io', '--private-registries', ''],
      ['--private-registries', 'ghcr.io', '--private-registries', ' '],
      ['--manifests', 'pod.yaml', '--manifests', ''],
      ['--existing-namespaces', 'a', '--existing-namespaces', ''],
    ]) {
      await expect(resolved(argv)).rejects.toThrow(`${argv[0]}: the value is empty; expected <`)
    }
  })

  it('answers --help and --version whatever the other values are', () => {
    expect(parseCliArgs(['--version', '--format', 'bogus']).kind).toBe('version')
    expect(parseCliArgs(['--format=bogus', '--help']).kind).toBe('help')
    expect(usageError(['--format', 'bogus'])).toBe('--format: "bogus" is not one of text, json, sarif, github')
  })

  it('says how to write a boolean flag with a value when the value follows it as a word', () => {
    expect(usageError(['--registry-probe', 'false'])).toBe(
      '--registry-probe takes no separate value ("false" would be read as a path): write --registry-probe=false, or --registry-probe / --no-registry-probe',
    )
    expect(usageError(['--no-annotations', 'TRUE', 'dir'])).toBe(
      '--no-annotations takes no separate value ("TRUE" would be read as a path): write --annotations=false, or --annotations / --no-annotations',
    )
    // A path after a boolean flag, and a word that is no boolean, are paths.
    expect(run(['--registry-probe', 'falsey']).paths).toEqual(['falsey'])
    expect(run(['--format', 'json', 'false']).paths).toEqual(['false'])
  })

  it('takes booleans as --flag, --no-flag and --flag=true|false, the last one winning', () => {
    expect(run(['--annotations']).values.annotations).toBe(true)
    expect(run(['--no-annotations']).values.annotations).toBe(false)
    expect(run(['--annotations=false']).values.annotations).toBe(false)
    expect(run(['--registry-probe=TRUE']).values.registryProbe).toBe(true)
    expect(run(['--no-summary', '--summary']).values.summary).toBe(true)
    expect(run(['--summary', '--summary=False']).values.summary).toBe(false)
  })

  it('rejects a boolean value other than true or false, quoting it', () => {
    expect(usageError(['--annotations=yes'])).toBe('--annotations: "yes" is not a boolean (expected true or false)')
    expect(usageError(['--no-annotations=true'])).toBe('--no-annotations: takes no value')
  })

  it('takes string options in both forms, the last one winning', () => {
    expect(run(['--fail-on', 'warning']).values.failOn).toBe('warning')
    expect(run(['--fail-on=notice', '--fail-on', 'never']).values.failOn).toBe('never')
    expect(run(['--config', 'ci/pullcheck.yml', '--working-directory=repo']).values).toEqual({
      config: 'ci/pullcheck.yml',
      workingDirectory: 'repo',
    })
  })

  it('has a flag for every option of the table', () => {
    for (const spec of OPTION_TABLE) {
      const argv = spec.kind === 'boolean' ? [`--${spec.kebab}`] : [`--${spec.kebab}`, 'x']
      const values = run(argv).values as Record<string, unknown>
      expect(Object.keys(values)).toEqual([spec.camel])
    }
  })

  it('parses --format, --color, --quiet', () => {
    expect(run(['--format', 'sarif']).format).toBe('sarif')
    expect(run(['--format=github']).format).toBe('github')
    expect(usageError(['--format', 'xml'])).toBe('--format: "xml" is not one of text, json, sarif, github')
    expect(run(['--no-color']).color).toBe(false)
    expect(run(['--color']).color).toBe(true)
    expect(run(['-q']).quiet).toBe(true)
    expect(run(['--quiet']).quiet).toBe(true)
    expect('quiet' in run([])).toBe(false)
  })

  it('collects positionals, including after --', () => {
    const args = run(['manifests/', '--fail-on', 'warning', '!vendor/**', '--', '--odd-name.yaml'])
    expect(args.paths).toEqual(['manifests/', '!vendor/**', '--odd-name.yaml'])
    expect(args.values.failOn).toBe('warning')
  })

  it('answers help and version', () => {
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help', text: helpText() })
    expect(parseCliArgs(['--fail-on', 'error', '--help'])).toEqual({ kind: 'help', text: helpText() })
    expect(parseCliArgs(['-v'])).toEqual({ kind: 'version' })
    expect(parseCliArgs(['--version'])).toEqual({ kind: 'version' })
  })

  it('rejects an unknown flag, suggesting the nearest one', () => {
    expect(usageError(['--privte-registries', 'x'])).toBe(
      'unknown option --privte-registries; did you mean --private-registries?',
    )
    expect(usageError(['--frobnicate'])).toBe('unknown option --frobnicate')
    expect(usageError(['-x'])).toBe('unknown option -x')
  })

  it('never echoes the value of an unknown or misspelt flag', () => {
    const token = 'ghp_SuperSecretToken1234567890'
    const message = usageError([`--github-tokn=${token}`])
    expect(message).toBe('unknown option --github-tokn; did you mean --github-token?')
    expect(message).not.toContain(token)
  })

  it('rejects a flag whose value is missing', () => {
    expect(usageError(['--config'])).toBe('--config: a value is missing (write --config=<value> for a value that starts with -)')
    expect(usageError(['--fail-on', '--no-summary'])).toMatch(/^--fail-on: a value is missing/)
  })

  it('feeds resolveOptions: a flag beats the config file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pullcheck-cli-'))
    try {
      await writeFile(path.join(dir, '.pullcheck.yml'), 'failOn: warning\nsummary: false\nannotations: false\n')
      const args = run(['--fail-on', 'never', '--annotations', '--private-registries', 'ghcr.io/acme,quay.io/acme'])
      const options = await resolveOptions({ values: args.values, origin: 'cli', cwd: dir, knownRuleIds: [] })
      expect(options.failOn).toBe('never')
      expect(options.annotations).toBe(true)
      expect(options.summary).toBe(false)
      expect(options.privateRegistries).toEqual(['ghcr.io/acme', 'quay.io/acme'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('helpText', () => {
  const text = helpText()

  it('has the usage line and the exit codes', () => {
    expect(text).toContain('Usage: pullcheck [paths|globs…] [options]')
    expect(text).toMatch(/^ {2}0 +no finding at or above --fail-on$/m)
    expect(text).toMatch(/^ {2}1 +findings at or above --fail-on$/m)
    expect(text).toMatch(/^ {2}2 +usage or configuration error, a named path not read, an output or report file that cannot be written, or an internal error$/m)
  })

  it('lists every option of the table with its default', () => {
    for (const spec of OPTION_TABLE) {
      const flag = spec.kind === 'boolean' ? `--[no-]${spec.kebab}` : `--${spec.kebab} <`
      expect(text).toContain(flag)
      expect(text).toContain(spec.description)
    }
    expect(text).toMatch(/--fail-on <error\|warning\|notice\|never> .*\(default: error\)$/m)
    // The options of the GitHub Action say so, without the action's defaults.
    expect(text).toMatch(/--\[no-\]annotations +GitHub Action only: emit GitHub annotations on the offending lines$/m)
    expect(text).toMatch(/--\[no-\]only-changed +GitHub Action only: /m)
    expect(text).toMatch(/--manifests <globs> .*\(default: \*\*\/\*\.yaml,\*\*\/\*\.yml,\*\*\/\*\.json\)$/m)
  })

  it('lists the CLI-only flags', () => {
    for (const flag of ['--format <text|json|sarif|github>', '--[no-]color', '-q, --quiet', '-h, --help', '-v, --version']) {
      expect(text).toContain(flag)
    }
  })
})

/** The manifest globs the positional arguments stand for, all together. */
async function expandPositionals(paths: string[], workingDirectory: string): Promise<string[]> {
  return (await positionals(paths, workingDirectory)).flatMap((p) => p.globs)
}

describe('positionals', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pullcheck-paths-'))
    await mkdir(path.join(dir, 'deploy', 'vendor'), { recursive: true })
    await writeFile(path.join(dir, 'deploy', 'app.yaml'), 'kind: Pod\n')
    await writeFile(path.join(dir, 'deploy', 'vendor', 'x.yaml'), 'kind: Pod\n')
    await writeFile(path.join(dir, 'single.yml'), 'kind: Pod\n')
    await writeFile(path.join(dir, 'odd[1].yaml'), 'kind: Pod\n')
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('turns a directory into its yaml, yml and json globs', async () => {
    expect(await expandPositionals(['deploy'], dir)).toEqual(['deploy/**/*.yaml', 'deploy/**/*.yml', 'deploy/**/*.json'])
    expect(await expandPositionals(['deploy/'], dir)).toEqual(['deploy/**/*.yaml', 'deploy/**/*.yml', 'deploy/**/*.json'])
    expect(await expandPositionals(['.'], dir)).toEqual(['**/*.yaml', '**/*.yml', '**/*.json'])
  })

  it('keeps a file as itself and anything else as a glob', async () => {
    expect(await expandPositionals(['single.yml', 'charts/**/*.yaml'], dir)).toEqual(['single.yml', 'charts/**/*.yaml'])
  })

  it('makes absolute paths inside the working directory relative', async () => {
    expect(await expandPositionals([path.join(dir, 'deploy', 'app.yaml')], dir)).toEqual(['deploy/app.yaml'])
  })

  it('excludes with a leading !', async () => {
    expect(await expandPositionals(['deploy', '!deploy/vendor', '!single.yml', '!**/*.json'], dir)).toEqual([
      'deploy/**/*.yaml',
      'deploy/**/*.yml',
      'deploy/**/*.json',
      '!deploy/vendor/**',
      '!single.yml',
      '!**/*.json',
    ])
  })

  it('escapes glob characters of an existing file so it matches only itself', async () => {
    const [pattern] = await expandPositionals(['odd[1].yaml'], dir)
    expect(pattern).not.toBe('odd[1].yaml')
    expect(await glob(pattern, { cwd: dir, posix: true })).toEqual(['odd[1].yaml'])
  })

  it('reads a file or directory whose name holds glob characters, and nothing else', async () => {
    // Each name beside a decoy that a wrong escape would match instead (brace expansion of
    // `x{a,b}` gives `xa`; `[!]` opens a negated class) or an exclude would hide (`!b`).
    const names = ['#a.yaml', '!b.yaml', 'x{a,b}.yaml', 'xa.yaml', 'q?.yaml', 'q1.yaml', 'p(1).yaml', '@(y).yaml', '+(x).yaml', '!(z).yaml', '[!].yaml', 'star*.yaml', 'back\\slash.yaml', 'a!b.yaml']
    for (const name of names) await writeFile(path.join(dir, name), 'kind: Pod\n')
    await mkdir(path.join(dir, 'dir{x,y}'))
    await mkdir(path.join(dir, 'dirx'))
    await writeFile(path.join(dir, 'dir{x,y}', 'in.yaml'), 'kind: Pod\n')
    await writeFile(path.join(dir, 'dirx', 'decoy.yaml'), 'kind: Pod\n')
    const read = async (given: string) => {
      const globs = (await positionals([given], dir)).flatMap((p) => p.globs)
      return (await discover(globs, dir)).files.map((f) => f.path)
    }
    // A leading `!` on the command line excludes, so `!b.yaml` is named as `./!b.yaml`.
    for (const name of names) expect(await read(name.startsWith('!') ? `./${name}` : name), name).toEqual([name])
    expect(await read('dir{x,y}')).toEqual(['dir{x,y}/in.yaml'])
    // Excluded by name: `!` then the escaped name, so `!!b.yaml` excludes `!b.yaml` alone.
    const globs = (await positionals(['.', '!!b.yaml'], dir)).flatMap((p) => p.globs)
    const left = (await discover(globs, dir)).files.map((f) => f.path)
    expect(left).not.toContain('!b.yaml')
    expect(left).toContain('!(z).yaml')
    expect(left).toContain('a!b.yaml')
  })

  it('produces globs that select the files under a directory', async () => {
    const patterns = await expandPositionals(['deploy'], dir)
    const files = (await glob(patterns, { cwd: dir, posix: true })).sort()
    expect(files).toEqual(['deploy/app.yaml', 'deploy/vendor/x.yaml'])
  })
})
