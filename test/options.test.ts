// Options: defaults, precedence (front end > config file > default), the config file, and every
// validation message (it names the option, quotes the value, states the expected form, hides tokens).
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CONFIG_FILE_KEYS,
  DEFAULT_MANIFESTS,
  OPTION_TABLE,
  OptionsError,
  defaultOptions,
  optionWarnings,
  parseExistingSecret,
  parseRegistryPattern,
  resolveOptions,
  splitList,
  splitSecretList,
  type OptionValues,
} from '../src/options.js'
import { budgetedNearest, nearest } from '../src/nearest.js'

const RULE_IDS = ['no-pull-secret', 'pull-secret-not-found', 'unused-pull-secret']
const TOKEN = 'ghp_SuperSecretToken1234567890'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pullcheck-options-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function write(rel: string, text: string): Promise<string> {
  const file = path.join(dir, rel)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, text)
  return file
}

function resolve(values: OptionValues = {}, origin: 'cli' | 'action' = 'cli', cwd = dir) {
  return resolveOptions({ values, origin, cwd, knownRuleIds: RULE_IDS })
}

/** The OptionsError thrown by resolveOptions (fails the test when none is thrown). */
async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise
  } catch (e) {
    expect(e).toBeInstanceOf(OptionsError)
    return (e as OptionsError).problems
  }
  throw new Error('expected an OptionsError')
}

describe('splitList', () => {
  it('splits on commas and newlines, trims and drops empties', () => {
    expect(splitList(' a, b\n\nc,,\r\n d ,')).toEqual(['a', 'b', 'c', 'd'])
    expect(splitList('')).toEqual([])
  })
  it('keeps the commas of a glob\'s braces, and splits after them', () => {
    expect(splitList('{a,b}/*.yaml, c/**/*.{yml,json}\nd')).toEqual(['{a,b}/*.yaml', 'c/**/*.{yml,json}', 'd'])
    expect(splitList('x/{a,{b,c}}/*.yaml,y')).toEqual(['x/{a,{b,c}}/*.yaml', 'y'])
    // An escaped brace opens nothing; a stray closing brace closes nothing.
    expect(splitList('\\{a,b},c}d,e')).toEqual(['\\{a', 'b}', 'c}d', 'e'])
    // A line break ends an unclosed brace.
    expect(splitList('{a,b\nc,d')).toEqual(['{a,b', 'c', 'd'])
  })
})

describe('splitSecretList', () => {
  it('keeps the registries after = with their secret', () => {
    expect(splitSecretList('prod/a=ghcr.io/acme,quay.io/acme,prod/b')).toEqual([
      'prod/a=ghcr.io/acme,quay.io/acme',
      'prod/b',
    ])
  })
  it('separates entries by comma, by = and by newline', () => {
    expect(splitSecretList('prod/a,*/b=r.io,dev/c=s.io\nqa/d')).toEqual(['prod/a', '*/b=r.io', 'dev/c=s.io', 'qa/d'])
  })
  it('treats localhost/… after = as a registry', () => {
    expect(splitSecretList('prod/a=r.io,localhost/team')).toEqual(['prod/a=r.io,localhost/team'])
  })
})

describe('OPTION_TABLE', () => {
  it('has one entry per Options field except rules, with kebab names that match the camel names', () => {
    const camels = OPTION_TABLE.map((o) => o.camel).sort()
    expect(camels).toEqual(Object.keys({ ...defaultOptions('/x'), config: '', sarifFile: '', reportFile: '', githubToken: '', registryCredentials: '' }).filter((k) => k !== 'rules').sort())
    for (const o of OPTION_TABLE) {
      expect(o.kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())).toBe(o.camel)
      expect(o.description.length).toBeGreaterThan(10)
    }
  })
  it('lists the SPEC §5 defaults', () => {
    const byName = Object.fromEntries(OPTION_TABLE.map((o) => [o.kebab, o.default]))
    expect(byName['manifests']).toEqual(['**/*.yaml', '**/*.yml', '**/*.json'])
    expect(byName['working-directory']).toBe('.')
    expect(byName['default-namespace']).toBe('default')
    expect(byName['fail-on']).toBe('error')
    expect(byName['annotations']).toBe(true)
    expect(byName['summary']).toBe(true)
    expect(byName['only-changed']).toBe(false)
    expect(byName['registry-probe']).toBe(false)
    expect(OPTION_TABLE.find((o) => o.kebab === 'github-token')).toMatchObject({ actionDefault: '${{ github.token }}', secret: true })
    expect(OPTION_TABLE.find((o) => o.kebab === 'registry-credentials')).toMatchObject({ secret: true })
  })
  it('agrees with defaultOptions', () => {
    const defaults = defaultOptions('/wd') as unknown as Record<string, unknown>
    for (const o of OPTION_TABLE) {
      if (o.camel === 'workingDirectory') continue
      expect([o.camel, defaults[o.camel]]).toEqual([o.camel, o.default])
    }
  })
  it('keeps config and working-directory out of the config file keys', () => {
    expect(CONFIG_FILE_KEYS).not.toContain('config')
    expect(CONFIG_FILE_KEYS).not.toContain('workingDirectory')
    expect(CONFIG_FILE_KEYS).toContain('rules')
    expect(CONFIG_FILE_KEYS).toContain('failOn')
  })
})

describe('nearest', () => {
  it('suggests close typos only', () => {
    expect(nearest('fail_on', ['failOn', 'summary'])).toBe('failOn')
    expect(nearest('privateRegistry', ['privateRegistries', 'publicRegistries'])).toBe('privateRegistries')
    expect(nearest('zzz', ['failOn', 'summary'])).toBeUndefined()
  })

  it('agrees with a plain search over every candidate (the cut-offs only save work)', () => {
    const distance = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
      for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      return d[a.length][b.length]
    }
    const plain = (word: string, candidates: string[]) => {
      const squash = (x: string) => x.toLowerCase().replace(/[-_\s]/g, '')
      const same = candidates.find((c) => squash(c) === squash(word))
      if (same !== undefined) return same
      let best: string | undefined
      let bestDistance = Infinity
      for (const c of candidates) {
        const dd = distance(word.toLowerCase(), c.toLowerCase())
        if (dd < bestDistance) [best, bestDistance] = [c, dd]
      }
      return bestDistance <= Math.max(2, Math.floor(word.length / 4)) && bestDistance < word.length / 2 ? best : undefined
    }
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const word = () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => 'ab-_cdE'[Math.floor(next() * 7)]).join('')
    for (let n = 0; n < 3000; n++) {
      const candidates = Array.from({ length: 1 + Math.floor(next() * 6) }, word)
      const w = word()
      expect(nearest(w, candidates), `${w} in ${candidates.join(',')}`).toBe(plain(w, candidates))
    }
  })

  it('stops suggesting past its budget of table cells (budgetedNearest), and answers the same question once', () => {
    // A question costs (word length + 1) × (the candidates' lengths + their number): 7 × (9 + 3) = 84, then 7 × (8 + 2) = 70.
    const suggest = budgetedNearest(160)
    const three = ['regcred', 'a', 'b']
    expect(suggest('regcrd', three)).toBe('regcred')
    expect(suggest('regcrd', ['regcred', 'a'])).toBe('regcred')
    expect(suggest('regcrd', ['regcred'])).toBeUndefined() // 7 × 8 = 56 > 6 left
    expect(suggest('regcrd', three)).toBe('regcred') // asked before: free
  })

  it('costs long names their length squared: of 6,000 questions over near-identical names of 240 characters, the budget answers some', () => {
    const names = Array.from({ length: 40 }, (_, i) => 's'.repeat(240) + String(i).padStart(2, '0'))
    const suggest = budgetedNearest()
    let answered = 0
    for (let pod = 0; pod < 150; pod++) for (let i = 0; i < 40; i++) if (suggest(`${names[i]}x${pod}`, names) !== undefined) answered++
    // The budget runs out long before every question is answered (each costs ~0.6M cells).
    expect(answered).toBeGreaterThan(0)
    expect(answered).toBeLessThan(150 * 40)
  })
})

describe('resolveOptions: defaults and precedence', () => {
  it('returns the defaults when nothing is given and there is no config file', async () => {
    const options = await resolve()
    expect(options).toEqual(defaultOptions(dir))
    expect(options.manifests).toEqual([...DEFAULT_MANIFESTS])
    expect(options.config).toBeUndefined()
  })

  it('takes a flag over the config file over the default', async () => {
    const config = await write('.pullcheck.yml', 'failOn: warning\nprivateRegistries: [ghcr.io/acme]\nsummary: false\n')
    const options = await resolve({ failOn: 'notice', annotations: false })
    expect(options.failOn).toBe('notice') // flag beats config
    expect(options.privateRegistries).toEqual(['ghcr.io/acme']) // config beats default
    expect(options.summary).toBe(false) // config beats default
    expect(options.annotations).toBe(false) // flag beats default
    expect(options.defaultNamespace).toBe('default') // default
    expect(options.config).toBe(config)
  })

  it('takes a flag list over the config list, whole (no merge)', async () => {
    await write('.pullcheck.yml', 'publicRegistries: docker.io, quay.io\n')
    const options = await resolve({ publicRegistries: ['gcr.io'] })
    expect(options.publicRegistries).toEqual(['gcr.io'])
  })

  it('treats empty action inputs as not set', async () => {
    await write('.pullcheck.yml', 'failOn: warning\n')
    const options = await resolve({ failOn: '', manifests: '', annotations: '', sarifFile: '', githubToken: '' }, 'action')
    expect(options.failOn).toBe('warning')
    expect(options.manifests).toEqual([...DEFAULT_MANIFESTS])
    expect(options.annotations).toBe(true)
    expect(options.sarifFile).toBeUndefined()
    expect(options.githubToken).toBeUndefined()
  })

  it('parses action inputs: booleans as getBooleanInput, lists by comma and newline', async () => {
    const options = await resolve(
      { annotations: 'False', summary: 'FALSE', onlyChanged: 'True', registryProbe: 'true', nodeCredentials: '*.dkr.ecr.*.amazonaws.com\n  europe-docker.pkg.dev, ' },
      'action',
    )
    expect(options).toMatchObject({ annotations: false, summary: false, onlyChanged: true, registryProbe: true })
    expect(options.nodeCredentials).toEqual(['*.dkr.ecr.*.amazonaws.com', 'europe-docker.pkg.dev'])
  })

  it('resolves the working directory from cwd and the output paths from the working directory', async () => {
    await mkdir(path.join(dir, 'repo'))
    const options = await resolve({ workingDirectory: 'repo', sarifFile: 'out/pullcheck.sarif', reportFile: '/abs/report.json' })
    expect(options.workingDirectory).toBe(path.join(dir, 'repo'))
    expect(options.sarifFile).toBe(path.join(dir, 'repo', 'out', 'pullcheck.sarif'))
    expect(options.reportFile).toBe(path.resolve('/abs/report.json'))
  })

  it('resolves config-file paths against the working directory too', async () => {
    await write('.pullcheck.yml', 'reportFile: reports/pullcheck.json\n')
    const options = await resolve()
    expect(options.reportFile).toBe(path.join(dir, 'reports', 'pullcheck.json'))
  })

  it('rejects a working directory that does not exist', async () => {
    const problems = await problemsOf(resolve({ workingDirectory: 'nope' }))
    expect(problems).toEqual([`--working-directory: "nope" is not a directory (resolved to ${path.join(dir, 'nope')})`])
  })

  it('parses secrets, service accounts and namespaces', async () => {
    const options = await resolve({
      existingSecrets: ['prod/regcred=https://ghcr.io/acme,quay.io/acme', '*/hub-creds'],
      existingServiceAccounts: ['prod/deployer'],
      existingNamespaces: 'prod,staging',
    })
    expect(options.existingSecrets).toEqual([
      { namespace: 'prod', name: 'regcred', registries: ['ghcr.io/acme', 'quay.io/acme'] },
      { namespace: '*', name: 'hub-creds', registries: [] },
    ])
    expect(options.existingServiceAccounts).toEqual([{ namespace: 'prod', name: 'deployer' }])
    expect(options.existingNamespaces).toEqual(['prod', 'staging'])
  })

  it('collects every problem into one error', async () => {
    const problems = await problemsOf(resolve({ failOn: 'errors', defaultNamespace: 'Prod' }))
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/^--default-namespace: "Prod"/)
    expect(problems[1]).toMatch(/^--fail-on: "errors"/)
  })
})

describe('resolveOptions: the config file', () => {
  it('is found at the working directory root, not at cwd', async () => {
    await write('.pullcheck.yml', 'failOn: never\n')
    const config = await write('repo/.pullcheck.yml', 'failOn: notice\n')
    const options = await resolve({ workingDirectory: 'repo' })
    expect(options.failOn).toBe('notice')
    expect(options.config).toBe(config)
  })

  it('is also found as .pullcheck.yaml', async () => {
    const config = await write('.pullcheck.yaml', 'defaultNamespace: apps\n')
    const options = await resolve()
    expect(options.defaultNamespace).toBe('apps')
    expect(options.config).toBe(config)
  })

  it('refuses to choose between .pullcheck.yml and .pullcheck.yaml', async () => {
    await write('.pullcheck.yml', 'failOn: notice\n')
    await write('.pullcheck.yaml', 'failOn: warning\n')
    const problems = await problemsOf(resolve())
    expect(problems).toEqual(['.pullcheck.yml and .pullcheck.yaml both exist; keep one or choose with --config'])
    // The action has no flags: it names its input.
    expect(await problemsOf(resolve({}, 'action'))).toEqual(['.pullcheck.yml and .pullcheck.yaml both exist; keep one or choose with the config input'])
  })

  it('takes an explicit path relative to the working directory', async () => {
    const config = await write('repo/ci/pullcheck.yml', 'failOn: warning\n')
    const options = await resolve({ workingDirectory: 'repo', config: 'ci/pullcheck.yml' })
    expect(options.failOn).toBe('warning')
    expect(options.config).toBe(config)
  })

  it('rejects an explicit path that does not exist, naming the flag or the input', async () => {
    expect(await problemsOf(resolve({ config: 'missing.yml' }))).toEqual([
      `--config: "missing.yml" does not exist (expected a config file; resolved to ${path.join(dir, 'missing.yml')})`,
    ])
    const [fromAction] = await problemsOf(resolve({ config: 'missing.yml' }, 'action'))
    expect(fromAction).toMatch(/^input config: "missing.yml" does not exist/)
  })

  it('accepts kebab-case keys, YAML lists and comma or newline strings', async () => {
    await write(
      '.pullcheck.yml',
      [
        'fail-on: warning',
        'privateRegistries:',
        '  - ghcr.io/acme',
        '  - registry.local:5000/team',
        'publicRegistries: docker.io, quay.io',
        'existing-namespaces: |',
        '  prod',
        '  staging',
        'existingSecrets:',
        '  - prod/regcred=ghcr.io/acme,quay.io/acme',
        'annotations: false',
        'rules:',
        '  unused-pull-secret: off',
        '  no-pull-secret: warning',
        '',
      ].join('\n'),
    )
    const options = await resolve()
    expect(options.failOn).toBe('warning')
    expect(options.privateRegistries).toEqual(['ghcr.io/acme', 'registry.local:5000/team'])
    expect(options.publicRegistries).toEqual(['docker.io', 'quay.io'])
    expect(options.existingNamespaces).toEqual(['prod', 'staging'])
    expect(options.existingSecrets).toEqual([{ namespace: 'prod', name: 'regcred', registries: ['ghcr.io/acme', 'quay.io/acme'] }])
    expect(options.annotations).toBe(false)
    expect(options.rules).toEqual({ 'unused-pull-secret': 'off', 'no-pull-secret': 'warning' })
  })

  it('accepts an empty config file and keys without a value', async () => {
    await write('.pullcheck.yml', '# nothing yet\nprivateRegistries:\n')
    expect(await resolve()).toEqual({ ...defaultOptions(dir), config: path.join(dir, '.pullcheck.yml') })
  })

  it('rejects an unknown key, suggesting the nearest and listing the valid ones', async () => {
    await write('.pullcheck.yml', 'failOn: warning\nprivateRegistry: ghcr.io\n')
    const [problem] = await problemsOf(resolve())
    expect(problem).toMatch(/^\.pullcheck\.yml:2: unknown key "privateRegistry"; did you mean "privateRegistries"\? \(valid keys: manifests, privateRegistries, /)
    expect(problem).toContain('rules')
  })

  it('suggests the camelCase key for a snake_case one, and nothing for a far-off key', async () => {
    await write('.pullcheck.yml', 'fail_on: warning\nfoo: 1\n')
    const problems = await problemsOf(resolve())
    expect(problems[0]).toMatch(/^\.pullcheck\.yml:1: unknown key "fail_on"; did you mean "failOn"\?/)
    expect(problems[1]).toMatch(/^\.pullcheck\.yml:2: unknown key "foo" \(valid keys: /)
  })

  it('rejects keys that locate the config file', async () => {
    await write('.pullcheck.yml', 'workingDirectory: sub\n')
    const [problem] = await problemsOf(resolve())
    expect(problem).toBe(
      '.pullcheck.yml:1: "workingDirectory" cannot be set in the config file, which is looked up from it (use --working-directory or the working-directory input)',
    )
  })

  it('rejects the same option under both spellings', async () => {
    await write('.pullcheck.yml', 'failOn: warning\nfail-on: notice\n')
    expect(await problemsOf(resolve())).toEqual(['.pullcheck.yml:2: "fail-on" sets the same option as "failOn"; keep one'])
  })

  it('reports a YAML error as file:line:col without quoting the source', async () => {
    await write('.pullcheck.yml', `failOn: warning\ngithubToken: ${TOKEN}\n  bad: x\n`)
    const problems = await problemsOf(resolve())
    expect(problems).toEqual(['.pullcheck.yml:3:6: YAML syntax error: bad indentation of a mapping entry'])
    // An unquoted secret that starts with ! is a tag to YAML: its name is not quoted either.
    await write('.pullcheck.yml', 'registryCredentials: !CfgSecretPw9\n')
    const tagged = await problemsOf(resolve())
    expect(tagged).toEqual(['.pullcheck.yml:2:1: YAML syntax error: unknown tag (a value that starts with ! is a tag: quote it if it is a plain value)'])
  })

  it('rejects a config file that is not a mapping', async () => {
    await write('.pullcheck.yml', '- failOn\n')
    expect(await problemsOf(resolve())).toEqual(['.pullcheck.yml:1: expected a mapping of option keys to values, got a list'])
  })

  it('names the key and its line for a bad value', async () => {
    await write('.pullcheck.yml', 'summary: true\nfailOn: errors\n')
    expect(await problemsOf(resolve())).toEqual([
      '.pullcheck.yml:2: failOn: "errors" is not one of error, warning, notice, never',
    ])
  })

  it('checks every value of the file, also those a flag or an input overrides (as eslint checks a whole config)', async () => {
    await write('.pullcheck.yml', 'summary: true\nfailOn: bogus\nsarifFile: ""\n')
    expect(await problemsOf(resolve({ failOn: 'error', sarifFile: 'out.sarif' }))).toEqual([
      '.pullcheck.yml:2: failOn: "bogus" is not one of error, warning, notice, never',
      '.pullcheck.yml:3: sarifFile: the value is empty; expected <file>',
    ])
  })

  it('names the line of the bad list item', async () => {
    await write('.pullcheck.yml', 'privateRegistries:\n  - ghcr.io/acme\n  - quay.io/acme:latest\n')
    const [problem] = await problemsOf(resolve())
    expect(problem).toMatch(/^\.pullcheck\.yml:3: privateRegistries: "quay\.io\/acme:latest" is not a registry pattern: a tag is not allowed/)
  })

  it('names the line of the bad list item, not of an earlier item that contains its text', async () => {
    await write('.pullcheck.yml', 'privateRegistries:\n  - "*.azurecr.io"\n  - ghcr.io\n  - "*."\nexistingSecrets:\n  - ns/a=ghcr.io,quay.io\n  - "*/b"\n  - ns/\n')
    const problems = await problemsOf(resolve())
    expect(problems.map((p) => /^[^ ]+ [^ ]+ "[^"]*"/.exec(p)?.[0]).sort()).toEqual([
      '.pullcheck.yml:4: privateRegistries: "*."',
      '.pullcheck.yml:8: existingSecrets: "ns/"',
    ])
  })

  it('names the line after a byte order mark', async () => {
    await write('.pullcheck.yml', '\uFEFFfailOn: nope\nrules:\n  bogus-rule: off\n')
    expect(await problemsOf(resolve())).toEqual([
      '.pullcheck.yml:1: failOn: "nope" is not one of error, warning, notice, never',
      '.pullcheck.yml:3: rules.bogus-rule: unknown rule id "bogus-rule" (known rules: no-pull-secret, pull-secret-not-found, unused-pull-secret)',
    ])
  })

  it('refuses YAML numbers where text is expected: the text written (007, 1.0) is gone', async () => {
    await write('.pullcheck.yml', 'defaultNamespace: 007\nsarifFile: 1.0\nfailOn: 1\nannotations: 1\nexistingNamespaces: [a, 2024]\n')
    expect(await problemsOf(resolve())).toEqual([
      '.pullcheck.yml:5: existingNamespaces: expected a list of strings, got an item that is the number 2024 (YAML reads an unquoted 007 as 7 and 1.0 as 1): write it in quotes',
      '.pullcheck.yml:1: defaultNamespace: expected text, got the number 7 (YAML reads an unquoted 007 as 7 and 1.0 as 1): write it in quotes',
      '.pullcheck.yml:3: failOn: expected one of error, warning, notice, never, got the number 1',
      '.pullcheck.yml:4: annotations: expected true or false, got the number 1',
      '.pullcheck.yml:2: sarifFile: expected text, got the number 1 (YAML reads an unquoted 007 as 7 and 1.0 as 1): write it in quotes',
    ])
    await write('.pullcheck.yml', 'defaultNamespace: "007"\nexistingNamespaces: [a, "2024"]\n')
    const options = await resolve()
    expect([options.defaultNamespace, options.existingNamespaces]).toEqual(['007', ['a', '2024']])
  })

  it('hides token options written as numbers, and finds a list item on its line, not in a comment above it', async () => {
    await write('.pullcheck.yml', 'githubToken: 2718281828\nprivateRegistries:\n  # not ghcr.io:x\n  - ghcr.io:x\n')
    const problems = await problemsOf(resolve())
    expect(problems).toContain('.pullcheck.yml:1: githubToken: expected text, got the number <redacted> (YAML reads an unquoted 007 as 7 and 1.0 as 1): write it in quotes')
    expect(problems.join('\n')).not.toContain('2718281828')
    expect(problems.find((p) => p.includes('"ghcr.io:x"'))).toMatch(/^\.pullcheck\.yml:4: /)
  })

  it('quotes a long value by its first 80 characters and its length', async () => {
    await write('.pullcheck.yml', `failOn: ${'a'.repeat(3000)}\n`)
    expect(await problemsOf(resolve())).toEqual([`.pullcheck.yml:1: failOn: "${'a'.repeat(80)}"… (3000 characters) is not one of error, warning, notice, never`])
  })

  it('says a config file that is not UTF-8 is not, at its first such line, rather than blame the YAML', async () => {
    await writeFile(path.join(dir, '.pullcheck.yml'), Buffer.concat([Buffer.from('failOn: never\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]))
    expect(await problemsOf(resolve())).toEqual(['.pullcheck.yml:2: the config file is not UTF-8 text; save it as UTF-8'])
  })

  it('refuses a .pullcheck.yml that is a directory or a broken symbolic link, rather than ignore it', async () => {
    await mkdir(path.join(dir, '.pullcheck.yml'))
    expect(await problemsOf(resolve())).toEqual(['.pullcheck.yml is a directory, not a config file; rename it or choose a file with --config'])
    await rm(path.join(dir, '.pullcheck.yml'), { recursive: true })
    await symlink(path.join(dir, 'gone.yml'), path.join(dir, '.pullcheck.yaml'))
    expect(await problemsOf(resolve({}, 'action'))).toEqual([
      '.pullcheck.yaml is a symbolic link that leads to no file (a missing target, or a loop); fix it, remove it or choose a file with the config input',
    ])
  })

  it('rejects a value of the wrong shape', async () => {
    await write('.pullcheck.yml', 'failOn: [error]\nprivateRegistries: {a: b}\n')
    expect(await problemsOf(resolve())).toEqual([
      '.pullcheck.yml:2: privateRegistries: expected a list of strings, got a mapping',
      '.pullcheck.yml:1: failOn: expected a single value, got a list',
    ])
  })

  it('rejects unknown rule ids with a suggestion, and bad rule levels', async () => {
    await write('.pullcheck.yml', 'rules:\n  no-pull-secret: warn\n  unused-pull-secrets: off\n')
    const problems = await problemsOf(resolve())
    expect(problems).toEqual([
      '.pullcheck.yml:2: rules.no-pull-secret: "warn" is not one of off, notice, warning, error',
      `.pullcheck.yml:3: rules.unused-pull-secrets: unknown rule id "unused-pull-secrets"; did you mean "unused-pull-secret"? (known rules: ${RULE_IDS.join(', ')})`,
    ])
  })

  it('rejects rules that are not a mapping', async () => {
    await write('.pullcheck.yml', 'rules: [no-pull-secret]\n')
    expect(await problemsOf(resolve())).toEqual([
      '.pullcheck.yml:1: rules: expected a mapping of rule id to off|notice|warning|error, got a list',
    ])
  })
})

describe('resolveOptions: validation messages name the option, quote the value and state the form', () => {
  const cases: [OptionValues, string][] = [
    [{ failOn: 'errors' }, '--fail-on: "errors" is not one of error, warning, notice, never'],
    [{ defaultNamespace: 'my.ns' }, '--default-namespace: "my.ns" is not a valid namespace name (expected a DNS-1123 label'],
    [{ existingNamespaces: ['prod', 'Staging'] }, '--existing-namespaces: "Staging" is not a valid namespace name (expected a DNS-1123 label'],
    [{ privateRegistries: ['ghcr.io/acme/app:1.0'] }, '--private-registries: "ghcr.io/acme/app:1.0" is not a registry pattern: a tag is not allowed'],
    [{ privateRegistries: ['ghcr.io/acme*'] }, '--private-registries: "ghcr.io/acme*" is not a registry pattern: * and ? are only allowed inside host labels, the path is a plain prefix'],
    [{ publicRegistries: ['registry.local:50*'] }, '--public-registries: "registry.local:50*" is not a registry pattern: * and ? are only allowed inside host labels, not in the port'],
    [{ publicRegistries: ['registry.local:http'] }, '--public-registries: "registry.local:http" is not a registry pattern: the port after ":" must be a number'],
    [{ nodeCredentials: ['oci://ghcr.io'] }, '--node-credentials: "oci://ghcr.io" is not a registry pattern: only an https:// or http:// scheme is accepted'],
    [{ nodeCredentials: ['[a-z].azurecr.io'] }, '--node-credentials: "[a-z].azurecr.io" is not a registry pattern: character classes and escapes are not supported'],
    [{ nodeCredentials: ['ghcr..io'] }, '--node-credentials: "ghcr..io" is not a registry pattern: the host has an empty label'],
    [{ nodeCredentials: ['ghcr.io/Acme'] }, '--node-credentials: "ghcr.io/Acme" is not a registry pattern: repository paths are lowercase'],
    [{ nodeCredentials: ['ghcr.io/acme@sha256:abc'] }, '--node-credentials: "ghcr.io/acme@sha256:abc" is not a registry pattern: a digest is not allowed'],
    [{ nodeCredentials: ['/acme'] }, '--node-credentials: "/acme" is not a registry pattern: the host is missing'],
    [{ nodeCredentials: ['bot@ghcr.io'] }, '--node-credentials: "bot@ghcr.io" is not a registry pattern: a user name (user@) is not allowed'],
    [{ nodeCredentials: ['ghcr.io@sha256:abcd'] }, '--node-credentials: "ghcr.io@sha256:abcd" is not a registry pattern: a digest is not allowed'],
    [{ nodeCredentials: ['me@registry.example.com:5000/team'] }, '--node-credentials: "me@registry.example.com:5000/team" is not a registry pattern: a user name (user@) is not allowed'],
    [{ nodeCredentials: ['ghcr.io:99999'] }, '--node-credentials: "ghcr.io:99999" is not a registry pattern: the port after ":" must be at most 65535'],
    [{ nodeCredentials: ['[zz::1]'] }, '--node-credentials: "[zz::1]" is not a registry pattern: an IPv6 address is written in brackets with hexadecimal digits and colons only'],
    [{ nodeCredentials: ['[fc00::1'] }, '--node-credentials: "[fc00::1" is not a registry pattern: an IPv6 address is written in brackets'],
    [{ nodeCredentials: ['[]:5000'] }, '--node-credentials: "[]:5000" is not a registry pattern: an IPv6 address is written in brackets'],
    [{ existingSecrets: ['regcred'] }, '--existing-secrets: "regcred" is not a secret reference (expected ns/name[=registry,…] or */name[=registry,…]'],
    [{ existingSecrets: ['Prod/regcred'] }, '--existing-secrets: "Prod/regcred" has an invalid namespace "Prod" (expected a DNS-1123 label'],
    [{ existingSecrets: ['prod/Reg_Cred'] }, '--existing-secrets: "prod/Reg_Cred" has an invalid secret name "Reg_Cred" (expected a DNS-1123 subdomain'],
    [{ existingSecrets: ['prod/regcred='] }, '--existing-secrets: "prod/regcred=" lists no registry after ='],
    [{ existingSecrets: ['prod/regcred=ghcr.io:x'] }, '--existing-secrets: "prod/regcred=ghcr.io:x": "ghcr.io:x" is not a registry pattern: the port after ":" must be a number'],
    [{ existingServiceAccounts: ['deployer'] }, '--existing-service-accounts: "deployer" is not a ServiceAccount reference (expected ns/name'],
    [{ existingServiceAccounts: ['*/deployer'] }, '--existing-service-accounts: "*/deployer" has an invalid namespace "*" (expected a DNS-1123 label'],
    [{ existingServiceAccounts: ['prod/Deployer'] }, '--existing-service-accounts: "prod/Deployer" has an invalid ServiceAccount name "Deployer" (expected a DNS-1123 subdomain'],
  ]
  it.each(cases)('%j', async (values, expected) => {
    const problems = await problemsOf(resolve(values))
    expect(problems).toHaveLength(1)
    expect(problems[0].slice(0, expected.length)).toBe(expected)
  })

  it('rejects empty values on the command line and in the config file, not from the action (an unset input)', async () => {
    expect(await problemsOf(resolve({ sarifFile: '', manifests: [], privateRegistries: [' , '], githubToken: '' }))).toEqual([
      '--manifests: the value is empty; expected <globs>',
      '--private-registries: the value is empty; expected <patterns>',
      '--sarif-file: the value is empty; expected <file>',
      '--github-token: the value is empty; expected <token>',
    ])
    // One empty value among repeated flags is as much an unset variable as a lone one.
    expect(await problemsOf(resolve({ privateRegistries: ['ghcr.io', ''], manifests: ['pods.yaml', ' '] }))).toEqual([
      '--manifests: the value is empty; expected <globs>',
      '--private-registries: the value is empty; expected <patterns>',
    ])
    await write('.pullcheck.yml', 'manifests: []\nreportFile: ""\nprivateRegistries: []\n')
    expect(await problemsOf(resolve())).toEqual([
      '.pullcheck.yml:1: manifests: the value is empty; expected <globs>',
      '.pullcheck.yml:2: reportFile: the value is empty; expected <file>',
    ])
    // A key without a value (YAML null) is its kind's empty value, not ignored: an error for a
    // scalar and for manifests; an empty list (every item commented out) for other lists.
    await write('.pullcheck.yml', 'sarifFile:\nmanifests:\nfailOn: ~\nprivateRegistries:\n#  - ghcr.io\nrules:\n')
    expect(await problemsOf(resolve())).toEqual([
      '.pullcheck.yml:2: manifests: the value is empty; expected <globs>',
      '.pullcheck.yml:3: failOn: "" is not one of error, warning, notice, never',
      '.pullcheck.yml:1: sarifFile: the value is empty; expected <file>',
    ])
    await write('.pullcheck.yml', 'privateRegistries:\n#  - ghcr.io\nrules:\n')
    expect((await resolve()).privateRegistries).toEqual([])
    await rm(path.join(dir, '.pullcheck.yml'))
    const fromAction = await resolve({ sarifFile: '', manifests: '', privateRegistries: '' }, 'action')
    expect(fromAction.sarifFile).toBeUndefined()
    expect(fromAction.manifests).toEqual([...DEFAULT_MANIFESTS])
  })

  it('names action inputs as "input <name>"', async () => {
    expect(await problemsOf(resolve({ annotations: 'yes' }, 'action'))).toEqual([
      'input annotations: "yes" is not a boolean (expected true or false)',
    ])
    expect(await problemsOf(resolve({ failOn: 'Error' }, 'action'))).toEqual([
      'input fail-on: "Error" is not one of error, warning, notice, never',
    ])
  })

  it('accepts only true/True/TRUE/false/False/FALSE as booleans', async () => {
    for (const word of ['true', 'True', 'TRUE']) expect((await resolve({ onlyChanged: word }, 'action')).onlyChanged).toBe(true)
    for (const word of ['false', 'False', 'FALSE']) expect((await resolve({ summary: word }, 'action')).summary).toBe(false)
    for (const word of ['tRUE', 'yes', '1', 'on']) await problemsOf(resolve({ summary: word }, 'action'))
  })

  it('warns that registry-credentials without registry-probe are not used (a set option is never ignored silently)', async () => {
    expect(optionWarnings(await resolve({ registryCredentials: '{"auths": {}}' }))).toEqual([
      'registry-credentials is set, but registry-probe is not: only the registry probe uses them, so they were not used.',
    ])
    expect(optionWarnings(await resolve({ registryCredentials: '{"auths": {}}', registryProbe: true }))).toEqual([
      'registry-probe is set, but the registry probe is not built yet in this version: no registry was asked; the static checks ran as usual.',
    ])
  })

  it('warns about well-formed patterns that can match no image: Docker Hub hosts other than docker.io, * alone', async () => {
    const options = await resolve({
      privateRegistries: ['index.docker.io/acme', 'docker.io/acme', 'index.docker.io', 'https://index.docker.io/v1/'],
      publicRegistries: ['registry-1.docker.io', '*', '*.io'],
      existingSecrets: ['app/hub=index.docker.io/v1', 'app/hub2=https://index.docker.io/v1/acme'],
    })
    expect(optionWarnings(options)).toEqual([
      'public-registries: the pattern "registry-1.docker.io" matches no Docker Hub image: they are named docker.io/… once normalised (docker.io/library/nginx), and the kubelet\'s rules take registry-1.docker.io for another registry; write docker.io.',
      'public-registries: the pattern "*" matches only registries whose host is one label (localhost), as * stands for one label of a host name (ghcr.io has two); list the registries instead.',
      'private-registries: the pattern "index.docker.io/acme" matches no Docker Hub image: they are named docker.io/… once normalised (docker.io/acme/app), and the kubelet\'s rules take index.docker.io/acme for another registry; write docker.io/acme.',
      'existing-secrets: the pattern "index.docker.io/v1" matches no Docker Hub image: they are named docker.io/… once normalised (docker.io/library/nginx), and the kubelet\'s rules take index.docker.io/v1 for another registry; write docker.io.',
      // The kubelet reads /v1/… as the host itself: the advice leaves it out.
      'existing-secrets: the pattern "index.docker.io/v1/acme" matches no Docker Hub image: they are named docker.io/… once normalised (docker.io/acme/app), and the kubelet\'s rules take index.docker.io/v1/acme for another registry; write docker.io/acme.',
    ])
    // The registries of existing-secrets are a Secret's keys, matched case-sensitively by the kubelet: not folded.
    expect((await resolve({ existingSecrets: ['app/regcred=GHCR.IO'] })).existingSecrets[0].registries).toEqual(['GHCR.IO'])
  })

  it('warns about a one-label host without a port (a Docker Hub user name, not a registry) and about ** as about *', async () => {
    const options = await resolve({ privateRegistries: ['acme', 'acme/app', 'localhost', 'ghcr.io:443', 'myhost:5000'], publicRegistries: ['**'] })
    expect(optionWarnings(options)).toEqual([
      'public-registries: the pattern "**" matches only registries whose host is one label (localhost), as ** stands for one label of a host name (ghcr.io has two); list the registries instead.',
      'private-registries: the pattern "acme" matches only images whose first part has an upper-case letter (ACME/app): acme has no dot and no port, and an image such as acme/app is read as Docker Hub\'s docker.io/acme/app; write docker.io/acme for that, or the registry\'s full host name.',
      'private-registries: the pattern "acme/app" matches only images whose first part has an upper-case letter (ACME/app): acme has no dot and no port, and an image such as acme/app is read as Docker Hub\'s docker.io/acme/app; write docker.io/acme for that, or the registry\'s full host name.',
    ])
  })

  it('rejects an action list input of separators only (unset variables), which would replace the config file list', async () => {
    await write('.pullcheck.yml', 'privateRegistries: [ghcr.io]\n')
    expect(await problemsOf(resolve({ privateRegistries: ',' }, 'action'))).toEqual([
      'input private-registries: "," holds only separators, no value; expected <patterns>',
    ])
    expect(await problemsOf(resolve({ existingNamespaces: ' ,\n, ' }, 'action'))).toEqual([
      'input existing-namespaces: " ,\\n, " holds only separators, no value; expected <names>',
    ])
    // A blank input is an unset one: the file's list stands.
    expect((await resolve({ privateRegistries: ' ' }, 'action')).privateRegistries).toEqual(['ghcr.io'])
  })

  it('rejects pattern paths with empty segments or segments that start with ., _ or -, which no image path holds', async () => {
    expect(parseRegistryPattern('ghcr.io//acme')).toEqual({ ok: false, problem: expect.stringContaining('the path has an empty segment (//)') })
    for (const p of ['ghcr.io/acme/../x', 'ghcr.io/acme/.', 'ghcr.io/acme/.x', 'ghcr.io/...', 'ghcr.io/_a', 'ghcr.io/-a']) {
      expect(parseRegistryPattern(p)).toEqual({ ok: false, problem: expect.stringContaining('a path segment starts with ., _ or -, which no image path holds') })
    }
    expect(parseRegistryPattern('ghcr.io/a-b_c.d/')).toEqual({ ok: true, value: 'ghcr.io/a-b_c.d/' })
  })

  it('accepts kubelet-style registry patterns, strips the scheme and folds the host to lower case', () => {
    const accepted: [string, string][] = [
      ['ghcr.io', 'ghcr.io'],
      ['https://ghcr.io/acme', 'ghcr.io/acme'],
      ['http://registry.local:5000/team/', 'registry.local:5000/team/'],
      ['*.dkr.ecr.*.amazonaws.com', '*.dkr.ecr.*.amazonaws.com'],
      ['*-docker.pkg.dev', '*-docker.pkg.dev'],
      ['reg?.example.com', 'reg?.example.com'],
      ['localhost:5000', 'localhost:5000'],
      ['[::1]:5000/x', '[::1]:5000/x'],
      ['index.docker.io/v1/', 'index.docker.io/v1/'],
      ['GHCR.IO/acme', 'ghcr.io/acme'],
      ['HTTPS://Registry.Local:5000', 'registry.local:5000'],
      ['[FC00::1]:5000', '[fc00::1]:5000'],
    ]
    for (const [input, output] of accepted) expect(parseRegistryPattern(input)).toEqual({ ok: true, value: output })
  })

  it('parses secret entries', () => {
    expect(parseExistingSecret('*/hub=docker.io')).toEqual({ ok: true, value: { namespace: '*', name: 'hub', registries: ['docker.io'] } })
    expect(parseExistingSecret('a/b/c')).toMatchObject({ ok: false })
  })
})

describe('resolveOptions: tokens are never echoed', () => {
  it('hides a registry-credentials value that is not a JSON object', async () => {
    for (const origin of ['cli', 'action'] as const) {
      const problems = await problemsOf(resolve({ registryCredentials: `{"auths": ${TOKEN}` }, origin))
      expect(problems).toHaveLength(1)
      expect(problems[0]).toContain('<redacted> is not a docker config JSON')
      expect(problems[0]).not.toContain(TOKEN)
    }
  })

  it('keeps valid credentials and tokens as given', async () => {
    const creds = JSON.stringify({ auths: { 'ghcr.io': { auth: 'dTpw' } } })
    const options = await resolve({ registryCredentials: creds, githubToken: TOKEN })
    expect(options.registryCredentials).toBe(creds)
    expect(options.githubToken).toBe(TOKEN)
  })

  it('hides token values of the wrong type in the config file', async () => {
    await write('.pullcheck.yml', `githubToken: true\nregistryCredentials: not-json-${TOKEN}\n`)
    const problems = await problemsOf(resolve())
    expect(problems).toEqual([
      '.pullcheck.yml:1: githubToken: expected a string, got <redacted>',
      '.pullcheck.yml:2: registryCredentials: <redacted> is not a docker config JSON (expected a JSON object such as {"auths": {"ghcr.io": {"auth": "…"}}})',
    ])
    expect(problems.join('\n')).not.toContain(TOKEN)
  })

  it('does not quote the line of a YAML error that holds a token', async () => {
    await write('.pullcheck.yml', `failOn: warning\ngithubToken: "${TOKEN}\n`)
    const problems = await problemsOf(resolve())
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^\.pullcheck\.yml:\d+:\d+: YAML syntax error: /)
    expect(problems[0]).not.toContain(TOKEN)
  })
})
