// The bundled CLI as a user runs it: formats, exit codes 0/1/2, colour only when asked or on a TTY.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import module from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { colorWanted } from '../../src/cli-args.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const cli = path.join(root, 'dist/cli.js')
if (!fs.existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })

/** The environment without the colour switches, or with the ones given. */
function envWith(colour: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...colour }
  for (const name of ['NO_COLOR', 'FORCE_COLOR']) if (!(name in colour)) delete env[name]
  return env
}

function run(args: string[], cwd = root, input?: string | Buffer, colour?: Record<string, string>) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, input, encoding: 'utf8', env: envWith(colour) })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const demo = ['fixtures/demo', '--config', 'fixtures/demo/.pullcheck.yml']

describe('pullcheck CLI', () => {
  it('prints findings grouped by file with file:line:col, a totals line, and exits 1', () => {
    const r = run(demo)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^fixtures\/demo\/40-failing\.yaml$/m)
    expect(r.stdout).toMatch(/fixtures\/demo\/40-failing\.yaml:16:18\s+error\s+.*ghcr\.io\/acme\/api:2\.0\.1.*\s+no-pull-secret$/m)
    expect(r.stdout).toMatch(/✖ \d+ problems \(6 errors, 5 warnings, 1 notice/)
    // Not a TTY: no colour.
    expect(r.stdout).not.toContain('\u001b[')
  })

  it('colours only when asked (or on a TTY)', () => {
    expect(run([...demo, '--color']).stdout).toContain('\u001b[')
    // As Node and supports-color read them: FORCE_COLOR over NO_COLOR over the TTY; --[no-]color over all.
    expect(run(demo, root, undefined, { FORCE_COLOR: '1' }).stdout).toContain('\u001b[')
    expect(run(demo, root, undefined, { FORCE_COLOR: '', NO_COLOR: '1' }).stdout).toContain('\u001b[')
    expect(run([...demo, '--no-color'], root, undefined, { FORCE_COLOR: '1' }).stdout).not.toContain('\u001b[')
    expect(run([...demo, '--color'], root, undefined, { FORCE_COLOR: '0' }).stdout).toContain('\u001b[')
  })

  it('decides colour from FORCE_COLOR, NO_COLOR, TERM=dumb and the TTY', () => {
    expect(colorWanted(true, {})).toBe(true)
    expect(colorWanted(false, {})).toBe(false)
    expect(colorWanted(true, { NO_COLOR: '1' })).toBe(false)
    expect(colorWanted(true, { NO_COLOR: '' })).toBe(true)
    expect(colorWanted(true, { FORCE_COLOR: '0' })).toBe(false)
    expect(colorWanted(true, { FORCE_COLOR: 'false' })).toBe(false)
    expect(colorWanted(false, { FORCE_COLOR: '' })).toBe(true)
    expect(colorWanted(false, { FORCE_COLOR: '3', NO_COLOR: '1' })).toBe(true)
    // A terminal that cannot show colour; FORCE_COLOR still wins.
    expect(colorWanted(true, { TERM: 'dumb' })).toBe(false)
    expect(colorWanted(true, { TERM: 'xterm-256color' })).toBe(true)
    expect(colorWanted(true, { TERM: 'dumb', FORCE_COLOR: '1' })).toBe(true)
  })

  it('prints the findings only with -q: no suppressed list, images, assumptions or totals line', () => {
    const full = run(demo)
    const quiet = run([...demo, '-q'])
    expect(quiet.code).toBe(1)
    expect(full.stdout).toMatch(/✖ 12 problems/)
    expect(quiet.stdout).not.toMatch(/problems|Assumptions/)
    expect(full.stdout.startsWith(quiet.stdout.trimEnd())).toBe(true)
    expect(quiet.stdout.split('\n').filter((l) => /^\s+\S+:\d+:\d+\s+(error|warning|notice)\s/.test(l))).toHaveLength(12)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n')
    expect(run(['-q'], dir)).toEqual({ code: 0, stdout: '', stderr: '' })
  })

  it('says which options of the GitHub Action it does not act on, when they are given', () => {
    const r = run([...demo, '--only-changed', '--no-annotations', '--summary', '--github-token', 'ghp_notprinted', '--format', 'github'])
    expect(r.stderr).toBe(
      [
        'pullcheck: warning: --no-annotations is an option of the GitHub Action; the CLI prints annotations when --format github is given, and only then',
        'pullcheck: warning: --summary is an option of the GitHub Action; the CLI writes no job summary',
        'pullcheck: warning: --only-changed is an option of the GitHub Action; the CLI reports every finding',
        'pullcheck: warning: --github-token is an option of the GitHub Action; the CLI makes no request to GitHub',
        '',
      ].join('\n'),
    )
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(12)
    // What the CLI does anyway passes without a word.
    expect(run([...demo, '--no-only-changed', '--no-summary', '--annotations', '--format', 'github']).stderr).toBe('')
  })

  it('exits 2 when the output cannot be written (a full disk), not with the check\'s code', () => {
    const r = spawnSync('bash', ['-c', '"$0" "$1" "$@" >/dev/full; echo "exit=$?" >&2', process.execPath, cli, ...demo], { cwd: root, encoding: 'utf8', env: envWith() })
    expect(r.stderr).toBe('pullcheck: cannot write the output: ENOSPC: no space left on device, write\nexit=2\n')
  })

  it('exits 0 when nothing reaches --fail-on', () => {
    expect(run([...demo, '--fail-on', 'never']).code).toBe(0)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n')
    const r = run(['--working-directory', dir])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/0 problems/)
  })

  it('exits 2 with a message naming the option, the value and the expected form', () => {
    const r = run([...demo, '--fail-on', 'sometimes'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--fail-on')
    expect(r.stderr).toContain('"sometimes"')
    expect(r.stderr).toMatch(/error, warning, notice, never/)
    const unknown = run(['--privat-registries', 'x'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--private-registries')
  })

  it('writes JSON and SARIF with positions', () => {
    const json = JSON.parse(run([...demo, '--format', 'json']).stdout) as { findings: { ruleId: string; location: { range: { start: { line: number } } } }[] }
    expect(json.findings.find((f) => f.ruleId === 'pull-secret-wrong-type')?.location.range.start.line).toBe(32)
    const sarif = JSON.parse(run([...demo, '--format', 'sarif']).stdout) as { version: string; runs: { results: { ruleId: string }[] }[] }
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results.length).toBeGreaterThan(5)
  })

  it('exits 2 naming the file and the cause when a report file cannot be written, after printing the findings', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-out-'))
    try {
      fs.writeFileSync(path.join(tmp, 'file'), '')
      const underFile = run([...demo, '--sarif-file', path.join(tmp, 'file/out.sarif'), '-q'])
      expect(underFile.code).toBe(2)
      expect(underFile.stdout).toContain('no-pull-secret')
      expect(underFile.stderr).toBe(`pullcheck: --sarif-file: cannot write ${path.join(tmp, 'file/out.sarif')}: a part of its path is not a directory (${path.join(tmp, 'file')})\n`)
      const onDir = run([...demo, '--report-file', tmp, '-q'])
      expect([onDir.code, onDir.stderr]).toEqual([2, `pullcheck: --report-file: cannot write ${tmp}: it is a directory\n`])
      // New directories are made; relative paths are shown as given.
      const made = run([...demo, '--report-file', path.relative(root, path.join(tmp, 'a/b/report.json')), '-q'])
      expect([made.code, made.stderr]).toEqual([1, ''])
      expect(JSON.parse(fs.readFileSync(path.join(tmp, 'a/b/report.json'), 'utf8')).tool.name).toBe('pullcheck')
      // Both files are attempted, as the action does: the one that can be written is.
      const both = run([...demo, '--sarif-file', path.join(tmp, 'file/out.sarif'), '--report-file', path.join(tmp, 'both.json'), '-q'])
      expect([both.code, both.stderr]).toEqual([2, `pullcheck: --sarif-file: cannot write ${path.join(tmp, 'file/out.sarif')}: a part of its path is not a directory (${path.join(tmp, 'file')})\n`])
      expect(JSON.parse(fs.readFileSync(path.join(tmp, 'both.json'), 'utf8')).tool.name).toBe('pullcheck')
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })

  it.runIf(process.platform === 'linux')('does not hang where the kernel refuses to make a directory (Node\'s recursive mkdir never returns under /proc)', () => {
    const r = spawnSync(process.execPath, [cli, ...demo, '--sarif-file', '/proc/pullcheck-nope/out.sarif', '-q'], { cwd: root, encoding: 'utf8', timeout: 20_000 })
    expect([r.status, r.stderr]).toEqual([2, 'pullcheck: --sarif-file: cannot write /proc/pullcheck-nope/out.sarif: no such directory, and it cannot be made (/proc/pullcheck-nope)\n'])
  })

  it('masks every credential of the manifests', () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const out = run([...demo, '--format', format]).stdout
      expect(out).not.toMatch(/dckr_pat_demo|ghp_demo|ROBOTTOKENDEMO/)
    }
  })

  it('shows no credential written where the check does not expect one (an audit\'s cases), in any format or report file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    const auth = (text: string) => Buffer.from(text).toString('base64')
    const config = JSON.stringify({
      auths: {
        'https://ghp_KeyUserTok1xxxxxxxxxxxxxxxxxxxxxxxxxx:x-oauth-basic@ghcr.io': { auth: auth('bot:PwGhcr1x') },
        'https://S3cretUserToken0D4:@quay.io': { auth: auth('bot:PwQuay2x') },
        'reg.example.com?token=S3cretQuery5': { auth: auth('bot:PwReg3xx') },
        'registry.gitlab.com': { auth: auth('bot:PwLineBreak6\n') },
      },
    })
    fs.writeFileSync(
      path.join(dir, 'app.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: app}\ntype: kubernetes.io/dockerconfigjson\n' +
        `stringData:\n  .dockerconfigjson: '${config}'\n---\n` +
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder, namespace: app}\nimagePullSecrets: {username: bot, password: Hunter2PwSA1}\n---\n' +
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  serviceAccountName: builder\n  containers:\n' +
        '  - {name: a, image: "https://bot:Hunter2PwIMG2@ghcr.io/acme/app:1"}\n' +
        '  - {name: b, image: {registry: ghcr.io, repository: acme/web, password: Hunter2PwIMG1}}\n' +
        '  - {name: c, image: reg.example.com/acme/app:1}\n' +
        '---\napiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: app}\nspec:\n' +
        `  imagePullSecrets: ['${config.replace(/'/g, "''")}', {name: regcred}]\n  containers: [{name: a, image: registry.gitlab.com/acme/app:1}]\n`,
    )
    const secrets = /ghp_KeyUserTok1|S3cretUserToken0D4|S3cretQuery5|Hunter2PwSA1|Hunter2PwIMG1|Hunter2PwIMG2|PwLineBreak6|Ym90OlB3|eyJhdXRocyI/
    const outputs: string[] = []
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = run(['.', '--format', format, '--private-registries', 'ghcr.io,quay.io,reg.example.com', '--report-file', 'r.json', '--sarif-file', 's.sarif'], dir)
      outputs.push(r.stdout, r.stderr, fs.readFileSync(path.join(dir, 'r.json'), 'utf8'), fs.readFileSync(path.join(dir, 's.sarif'), 'utf8'))
    }
    for (const out of outputs) expect(out).not.toMatch(secrets)
    // What is said instead.
    const text = outputs[0]
    expect(text).toContain('commits registry credentials for https://***@ghcr.io, https://***@quay.io, reg.example.com?***, registry.gitlab.com')
    expect(text).toContain('ServiceAccount app/builder sets imagePullSecrets to a mapping with the keys username, password')
    expect(text).toContain('image "https://bot:***@ghcr.io/acme/app:1" is not a valid image reference')
    const json = JSON.parse(outputs[4]) as { images: { image: string }[] }
    expect(json.images.map((i) => i.image)).toContain('{"registry":"ghcr.io","repository":"acme/web","password":"***"}')
  })

  it('masks a committed password that is a common word, not the words of the report that hold it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    const config = (auth: string) => Buffer.from(JSON.stringify({ auths: { 'ghcr.io': { auth } } })).toString('base64')
    fs.writeFileSync(
      path.join(dir, 'app.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: app}\ntype: kubernetes.io/dockerconfigjson\n' +
        `data:\n  .dockerconfigjson: ${config(Buffer.from('user:pass').toString('base64'))}\n---\n` +
        'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: app}\nspec:\n  imagePullSecrets: [{name: regcred}]\n' +
        '  containers: [{name: web, image: ghcr.io/acme/web:1}, {name: side, image: ghcr.io/pass/side:1}]\n',
    )
    const json = JSON.parse(run(['.', '--format', 'json'], dir).stdout) as { findings: { ruleId: string; message: string }[]; images: { image: string }[] }
    const notToken = json.findings.find((f) => f.ruleId === 'password-not-token')
    expect(notToken?.message).toMatch(/^Secret app\/regcred holds a GitHub Container Registry credential for ghcr\.io \(user "user"\) whose password is not an access token/)
    // The password itself, where it stands as a word of its own (here a path of an image), is masked.
    expect(json.images.map((i) => i.image).sort()).toEqual(['ghcr.io/***/side:1', 'ghcr.io/acme/web:1'])
    const sarif = JSON.parse(run(['.', '--format', 'sarif'], dir).stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] }
    const ids = new Set(sarif.runs[0].tool.driver.rules.map((r) => r.id))
    expect(sarif.runs[0].results.map((r) => r.ruleId)).toContain('password-not-token')
    for (const result of sarif.runs[0].results) expect(ids).toContain(result.ruleId)
    const text = run(['.'], dir).stdout
    expect(text).toMatch(/^ {2}app\.yaml:6:22 +warning +Secret app\/regcred .* whose password is not an access token.* password-not-token$/m)
    expect(text).not.toMatch(/\bpass\b/)
  })

  it('prints help and version', () => {
    expect(run(['--help']).stdout).toMatch(/pullcheck \[paths\|globs/)
    expect(run(['--version']).stdout).toMatch(/^pullcheck \d+\.\d+\.\d+/)
  })

  it('one broken file never hides the findings of the others', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'kind: Pod\n  bad: [\n')
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  imagePullSecrets: [{name: missing}]\n  containers: [{name: c, image: ghcr.io/a/b:1}]\n')
    const r = run(['--working-directory', dir, '--format', 'json'])
    const ids = (JSON.parse(r.stdout) as { findings: { ruleId: string; location: { file: string; range: { start: { line: number } } } }[] }).findings.map((f) => `${f.ruleId}@${f.location.file}:${f.location.range.start.line}`)
    expect(ids).toContain('yaml-syntax-error@broken.yaml:2')
    expect(ids).toContain('pull-secret-not-found@pod.yaml:5')
  })

  it('checks a directory named outside the working directory, with ../ paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.mkdirSync(path.join(dir, 'manifests'))
    fs.mkdirSync(path.join(dir, 'elsewhere'))
    fs.writeFileSync(path.join(dir, 'manifests/pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  imagePullSecrets: [{name: gone}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n')
    const r = run(['../manifests', '--format', 'json'], path.join(dir, 'elsewhere'))
    const json = JSON.parse(r.stdout) as { findings: { ruleId: string; location: { file: string; range: { start: { line: number; column: number } } } }[]; files: { file: string; status: string }[] }
    expect(json.files).toEqual([expect.objectContaining({ file: '../manifests/pod.yaml', status: 'parsed' })])
    expect(json.findings.map((f) => [f.ruleId, f.location.file, f.location.range.start.line, f.location.range.start.column])).toEqual([
      ['pull-secret-not-found', '../manifests/pod.yaml', 5, 29],
    ])
  })

  it("stops quietly, with the check's exit code, when the reader closes the pipe early", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    const pods = Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  imagePullSecrets: [{name: gone}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n`)
    fs.writeFileSync(path.join(dir, 'pods.yaml'), pods.join('---\n'))
    for (const format of ['json', 'text', 'sarif']) {
      // The reader takes one byte and goes; the CLI still has megabytes to write.
      const r = spawnSync('bash', ['-c', `"$0" "$1" . --format ${format} | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`, process.execPath, cli], { cwd: dir, encoding: 'utf8' })
      expect(r.stderr).toBe('exit=1\n')
    }
  })

  it('exits 2 when a path or glob named on the command line matches no file, and says which', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.mkdirSync(path.join(dir, 'docs'))
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n')
    const typo = run(['pod.yml', 'pod.yaml'], dir)
    expect([typo.code, typo.stdout, typo.stderr]).toEqual([2, '', 'pullcheck: pod.yml: no such file or directory\n'])
    fs.mkdirSync(path.join(dir, 'node_modules'))
    fs.writeFileSync(path.join(dir, 'node_modules/x.yaml'), 'kind: Pod\n')
    const vendored = run(['node_modules/x.yaml'], dir)
    expect([vendored.code, vendored.stderr]).toEqual([2, 'pullcheck: node_modules/x.yaml is left out (files under node_modules and .git are never read)\n'])
    const excluded = run(['pod.yaml', '!pod.yaml'], dir)
    expect([excluded.code, excluded.stderr]).toEqual([2, 'pullcheck: pod.yaml is left out by an exclude (!)\n'])
    const glob = run(['k8s/**/*.yaml', '--format', 'json'], dir)
    expect([glob.code, glob.stdout, glob.stderr]).toEqual([2, '', 'pullcheck: no files match the pattern "k8s/**/*.yaml"\n'])
    // Files that match, every one excluded, are said as such (as eslint: "All files matched … are ignored").
    const allExcluded = run(['**/*.yaml', '!pod.yaml'], dir)
    expect([allExcluded.code, allExcluded.stderr]).toEqual([2, 'pullcheck: every file the pattern "**/*.yaml" matches is left out by an exclude (!)\n'])
    // A directory without manifests is not an error: it is said, and the rest is checked.
    const empty = run(['docs', 'pod.yaml'], dir)
    expect([empty.code, empty.stderr]).toEqual([0, 'pullcheck: warning: no manifest files (*.yaml, *.yml, *.json) in docs\n'])
    expect(empty.stdout).toMatch(/0 problems .* 1 file$/m)
    const nothing = run([], path.join(dir, 'docs'))
    expect([nothing.code, nothing.stderr]).toEqual([0, 'pullcheck: warning: no manifest files match **/*.yaml, **/*.yml, **/*.json; nothing was checked\n'])
    // Excludes only, that leave nothing: the same warning, naming the globs used.
    const excludedAll = run(['!pod.yaml'], dir)
    expect([excludedAll.code, excludedAll.stderr]).toEqual([0, 'pullcheck: warning: no manifest files match **/*.yaml, **/*.yml, **/*.json, !pod.yaml; nothing was checked\n'])
  })

  it('warns about a configured manifests pattern that matches no file beside one that does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.mkdirSync(path.join(dir, 'deploy'))
    fs.writeFileSync(path.join(dir, 'deploy/pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n')
    fs.writeFileSync(path.join(dir, '.pullcheck.yml'), 'manifests:\n  - deploy/**/*.yaml\n  - deplyo/prod/*.yaml\n  - deploy/**/*.yml\n  - "**/*.json"\n')
    const r = run([], dir)
    expect([r.code, r.stderr]).toEqual([
      0,
      'pullcheck: warning: the manifests patterns "deplyo/prod/*.yaml", "deploy/**/*.yml" match no file; the files they were meant for, if any, were not checked (typos, or directories that moved?).\n',
    ])
    expect(r.stdout).toMatch(/0 problems .* 1 file$/m)
    // A pattern whose files an exclude all leaves out matched: no typo to report.
    fs.mkdirSync(path.join(dir, 'other'))
    fs.writeFileSync(path.join(dir, 'other/o.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: o}\n')
    fs.writeFileSync(path.join(dir, '.pullcheck.yml'), 'manifests:\n  - deploy/**/*.yaml\n  - other/*.yaml\n  - "!other/o.yaml"\n')
    expect(run([], dir).stderr).toBe('')
  })

  it('says which files could not be parsed when yaml-syntax-error is off (a rule setting never hides them)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n')
    fs.writeFileSync(path.join(dir, 'good.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n')
    fs.writeFileSync(path.join(dir, '.pullcheck.yml'), 'rules: {yaml-syntax-error: off}\n')
    const r = run([], dir)
    expect([r.code, r.stderr]).toEqual([
      0,
      'pullcheck: warning: yaml-syntax-error is off, but 1 file could not be read or parsed (in part or whole), and what could not be read was not checked: bad.yaml (unexpected end of the stream within a flow collection).\n',
    ])
    fs.writeFileSync(path.join(dir, '.pullcheck.yml'), 'rules: {yaml-syntax-error: warning}\n')
    expect(run([], dir).stderr).toBe('')
  })

  it('warns about the paths it reaches but does not read (symbolic links out of the working directory, broken ones)', () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    const dir = path.join(top, 'repo')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(top, 'outside.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n')
    fs.symlinkSync('../outside.yaml', path.join(dir, 'link.yaml'))
    fs.symlinkSync('gone.yaml', path.join(dir, 'broken.yaml'))
    const r = run([], dir)
    expect(r.stderr).toBe(
      'pullcheck: warning: 2 paths were not read: broken.yaml (broken symbolic link); ' +
        'link.yaml (symbolic link to a file outside the working directory (not followed)).\n' +
        'pullcheck: warning: no manifest files match **/*.yaml, **/*.yml, **/*.json; nothing was checked\n',
    )
    expect(r.code).toBe(0)
    // Named, it is a path given and not read: nothing of it was checked (exit 2, as a missing file).
    const named = run(['link.yaml'], dir)
    expect([named.code, named.stderr]).toEqual([2, 'pullcheck: link.yaml was not read (symbolic link to a file outside the working directory (not followed))\n'])
    // A directory named whose files are all such links; beside a file that is read, it still fails.
    fs.mkdirSync(path.join(dir, 'links'))
    fs.symlinkSync('../../outside.yaml', path.join(dir, 'links/l.yaml'))
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1}\n')
    const dirOfLinks = run(['links', 'ok.yaml'], dir)
    expect([dirOfLinks.code, dirOfLinks.stderr]).toEqual([2, 'pullcheck: links was not read (links/l.yaml: symbolic link to a file outside the working directory (not followed))\n'])
    // Named beside it, a link is still said once, as not read.
    expect(run(['links', '.'], dir).stderr).toBe(
      'pullcheck: warning: 2 paths were not read: broken.yaml (broken symbolic link); link.yaml (symbolic link to a file outside the working directory (not followed)).\n' +
        'pullcheck: links was not read (links/l.yaml: symbolic link to a file outside the working directory (not followed))\n',
    )
  })

  it('reads a directory, brace globs and excludes alone in the manifests option as on the command line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    for (const sub of ['a', 'b', 'vendor']) {
      fs.mkdirSync(path.join(dir, sub))
      fs.writeFileSync(path.join(dir, sub, 'app.yaml'), `apiVersion: v1\nkind: Pod\nmetadata: {name: p-${sub}, namespace: x}\nspec:\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n`)
    }
    const failing = (r: { stdout: string }) => [...r.stdout.matchAll(/^\s+(\S+):5:33\s+error\s.*\sno-pull-secret$/gm)].map((m) => m[1])
    const flags = ['--private-registries', 'ghcr.io', '-q']
    fs.writeFileSync(path.join(dir, '.pullcheck.yml'), 'manifests: ["{a,b}/*.yaml"]\n')
    const braces = run(flags, dir)
    expect([braces.code, failing(braces), braces.stderr]).toEqual([1, ['a/app.yaml', 'b/app.yaml'], ''])
    expect(failing(run([...flags, '--manifests', '{a,vendor}/*.yaml,b/*.yaml'], dir))).toEqual(['a/app.yaml', 'b/app.yaml', 'vendor/app.yaml'])
    fs.writeFileSync(path.join(dir, '.pullcheck.yml'), 'manifests: [a]\n')
    expect(failing(run(flags, dir))).toEqual(['a/app.yaml'])
    expect(failing(run([...flags, '--manifests', 'b/'], dir))).toEqual(['b/app.yaml'])
    expect(failing(run([...flags, '--manifests', '!vendor'], dir))).toEqual(['a/app.yaml', 'b/app.yaml'])
  })

  it('says why a path named is not checked: left out, not read, or looked for in the working directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.mkdirSync(path.join(dir, 'node_modules/x'), { recursive: true })
    fs.mkdirSync(path.join(dir, 'repo/deploy'), { recursive: true })
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n'
    fs.writeFileSync(path.join(dir, 'node_modules/x/app.yaml'), pod)
    fs.writeFileSync(path.join(dir, 'repo/deploy/app.yaml'), pod)
    expect(run(['node_modules/x'], dir)).toEqual({ code: 2, stdout: '', stderr: 'pullcheck: node_modules/x is left out (files under node_modules and .git are never read)\n' })
    expect(run(['repo/deploy', '!repo/deploy/app.yaml'], dir)).toEqual({ code: 2, stdout: '', stderr: 'pullcheck: every manifest file in repo/deploy is left out by an exclude (!)\n' })
    // Paths are taken from the working directory: the message says where it looked.
    expect(run(['--working-directory', 'repo', 'repo/deploy/app.yaml'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `pullcheck: repo/deploy/app.yaml: no such file or directory (looked for as ${path.join(fs.realpathSync(dir), 'repo/repo/deploy/app.yaml')}: paths are relative to --working-directory)\n`,
    })
    expect(run(['--working-directory', 'repo', 'deploy/app.yaml'], dir).code).toBe(0)
  })

  it('does not read its own reports on the next run, and refuses one file for both', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: "ghcr.io/acme/a:{{ .Values.tag }}"}]\n')
    const flags = ['--private-registries', 'ghcr.io/acme', '--report-file', 'out/report.json', '--sarif-file', 'out/pullcheck.json']
    const first = run(flags, dir)
    const second = run(flags, dir)
    expect(first.code).toBe(1)
    expect(second.stdout).toBe(first.stdout)
    expect(second.stdout).not.toContain('out/')
    expect(run(['--report-file', 'r.json', '--sarif-file', './r.json'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'pullcheck: sarif-file and report-file name the same file (r.json); give each its own\nRun pullcheck --help for the options.\n',
    })
  })

  it('names the flag meant: a shortened one, another tool\'s name, a path that starts with a dash', () => {
    const hint = (arg: string) => run([arg, 'x']).stderr.split('\n')[0]
    expect(hint('--sarif')).toBe('pullcheck: unknown option --sarif; did you mean --sarif-file?')
    expect(hint('--config-file')).toBe('pullcheck: unknown option --config-file; did you mean --config?')
    expect(hint('-o')).toBe('pullcheck: unknown option -o; did you mean --report-file (the JSON report) or --sarif-file?')
    expect(hint('-dash.yaml')).toBe('pullcheck: unknown option -d; a path that starts with - goes after -- (pullcheck -- -dash.yaml)')
    expect(hint('-q=1')).toBe('pullcheck: -q: takes no value')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.writeFileSync(path.join(dir, '-dash.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1}\n')
    expect(run(['--', '-dash.yaml'], dir).stdout).toMatch(/0 problems .* 1 file$/m)
  })

  it('warns about a symbolic link to a directory outside the working directory, which ** does not follow', () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    const dir = path.join(top, 'repo')
    fs.mkdirSync(path.join(dir, 'deploy/real'), { recursive: true })
    fs.mkdirSync(path.join(top, 'outside'))
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n'
    fs.writeFileSync(path.join(top, 'outside/o.yaml'), pod)
    fs.writeFileSync(path.join(dir, 'deploy/real/r.yaml'), pod.replace('name: p', 'name: r'))
    fs.symlinkSync('../../outside', path.join(dir, 'deploy/out')) // out of the directory: said
    fs.symlinkSync('real', path.join(dir, 'deploy/in')) // into it: its files are read where they are
    const r = run(['--format', 'json'], dir)
    expect(r.stderr).toBe('pullcheck: warning: 1 path was not read: deploy/out (symbolic link to a directory outside the working directory (not followed)).\n')
    expect(JSON.parse(r.stdout).files.map((f: { file: string; status: string }) => `${f.file} ${f.status}`)).toEqual(['deploy/out skipped', 'deploy/real/r.yaml parsed'])
    // A pattern that does not reach it, or an exclude of it: nothing to say.
    expect(run(['deploy/real/**/*.yaml'], dir).stderr).toBe('')
    expect(run(['**/*.yaml', '!deploy/out/**'], dir).stderr).toBe('')
    // glob enters it one level when ** comes after a plain segment, and no deeper: the link is named too.
    fs.mkdirSync(path.join(top, 'outside/sub'))
    fs.writeFileSync(path.join(top, 'outside/sub/s.yaml'), pod)
    expect(run(['deploy/**/*.yaml'], dir).stderr).toBe(
      'pullcheck: warning: 2 paths were not read: deploy/out (symbolic link to a directory outside the working directory (not followed)); ' +
        'deploy/out/o.yaml (symbolic link to a file outside the working directory (not followed)).\n',
    )
    // A pattern that names it is followed by glob, and its files are the ones not read.
    expect(run(['deploy/out/*.yaml'], dir).stderr).toBe(
      'pullcheck: warning: 1 path was not read: deploy/out/o.yaml (symbolic link to a file outside the working directory (not followed)).\n',
    )
  })

  it.skipIf(process.getuid?.() === 0)('warns about a directory it may not list (not as root: root lists every directory)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.mkdirSync(path.join(dir, 'locked'))
    fs.writeFileSync(path.join(dir, 'locked/pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.25}]\n')
    fs.chmodSync(path.join(dir, 'locked'), 0)
    try {
      const r = run([], dir)
      expect(r.stderr).toContain('pullcheck: warning: 1 path was not read: locked (directory cannot be read (EACCES); its files were not checked).\n')
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755)
    }
  })

  it('loads glob only for patterns that the directory walk does not serve', () => {
    // Only the entry and the bundle: the chunk that holds glob (dist/<id>.cli.js) is absent.
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-bare-'))
    fs.copyFileSync(cli, path.join(bare, 'cli.js'))
    fs.copyFileSync(path.join(root, 'dist/cli-main.js'), path.join(bare, 'cli-main.js'))
    fs.copyFileSync(path.join(root, 'dist/package.json'), path.join(bare, 'package.json'))
    const runBare = (args: string[]) => spawnSync(process.execPath, [path.join(bare, 'cli.js'), ...args], { cwd: root, encoding: 'utf8' })
    const walked = runBare(demo)
    expect(walked.status).toBe(1)
    expect(walked.stdout).toMatch(/✖ \d+ problems \(6 errors, 5 warnings, 1 notice\).* 5 files$/m)
    const pattern = ['fixtures/demo/[0-4]*.yaml', '!fixtures/demo/00-*.yaml', '--config', 'fixtures/demo/.pullcheck.yml']
    expect(runBare(pattern).stderr).toMatch(/^pullcheck: internal error: Cannot find module .*\.cli\.js/)
    // The full dist has the chunk: the pattern and its exclude are read by glob.
    const globbed = run(pattern)
    expect(globbed.stderr).toBe('')
    expect(globbed.stdout).toMatch(/ · 10 images checked, 0 unclassified · 4 files$/m)
  })

  // Node 20 has no compile cache (the entry then only loads the bundle, as every other test shows).
  it.skipIf(typeof (module as { enableCompileCache?: unknown }).enableCompileCache !== 'function')(
    "keeps the bundle's compiled code in Node's compile cache, in the temporary directory, unless NODE_DISABLE_COMPILE_CACHE is set",
    () => {
      const cached = (extra: Record<string, string>) => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cache-'))
        const r = spawnSync(process.execPath, [cli, ...demo], { cwd: root, encoding: 'utf8', env: { ...envWith(), TMPDIR: tmp, ...extra } })
        expect(r.status).toBe(1)
        expect(r.stderr).toBe('')
        const dir = path.join(tmp, 'node-compile-cache')
        return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).length : 0
      }
      expect(cached({})).toBeGreaterThan(0)
      expect(cached({ NODE_DISABLE_COMPILE_CACHE: '1' })).toBe(0)
    },
  )

  it('says that the registry probe is not built when it is asked for, and checks as usual', () => {
    const r = run([...demo, '--registry-probe'])
    expect(r.stderr).toBe('pullcheck: warning: registry-probe is set, but the registry probe is not built yet in this version: no registry was asked; the static checks ran as usual.\n')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(run(demo).stdout)
  })

  it("accepts the probe's rule ids in the config file (stable ids, SPEC §6), and says that a setting other than off has no effect yet", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.cpSync(path.join(root, 'fixtures/demo'), dir, { recursive: true })
    fs.appendFileSync(path.join(dir, '.pullcheck.yml'), '\nrules:\n  image-not-found: off\n  registry-unreachable: error\n')
    const r = run([], dir)
    expect(r.stderr).toBe('pullcheck: warning: rules.registry-unreachable is set to error, but the registry probe that reports registry-unreachable is not built yet in this version: the setting has no effect.\n')
    expect(r.code).toBe(1)
  })

  it('applies excludes alone to the configured manifests', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  imagePullSecrets: [{name: gone}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n'
    for (const d of ['app', 'vendor']) {
      fs.mkdirSync(path.join(dir, d))
      fs.writeFileSync(path.join(dir, d, 'p.yaml'), pod)
    }
    const r = run(['!vendor', '--format', 'json'], dir)
    expect((JSON.parse(r.stdout) as { files: { file: string }[] }).files.map((f) => f.file)).toEqual(['app/p.yaml'])
    expect(r.code).toBe(1)
  })

  it('reads manifests piped in with -, as <stdin>, beside the files named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.writeFileSync(path.join(dir, 'on-disk.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: app}\ntype: Opaque\n')
    fs.writeFileSync(path.join(dir, 'ignored.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: app}\nspec:\n  imagePullSecrets: [{name: gone}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n')
    const piped = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n'
    const r = run(['-', 'on-disk.yaml', '--format', 'json'], dir, piped)
    const json = JSON.parse(r.stdout) as { findings: { ruleId: string; location: { file: string; range: { start: { line: number; column: number } } } }[]; files: { file: string }[] }
    // Only what was named: standard input and on-disk.yaml, not the rest of the directory.
    expect(json.files.map((f) => f.file)).toEqual(['<stdin>', 'on-disk.yaml'])
    expect(json.findings.map((f) => [f.ruleId, f.location.file, f.location.range.start.line, f.location.range.start.column])).toContainEqual([
      'pull-secret-wrong-type', '<stdin>', 6, 29,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('')
    // Text output names it too (alone, the secret is missing); an empty pipe (the command before it failed) is said.
    expect(run(['-'], dir, piped).stdout).toMatch(/^ {2}<stdin>:6:29\s+error\s.*pull-secret-not-found$/m)
    const empty = run(['-'], dir, '\n')
    expect([empty.code, empty.stderr]).toEqual([0, 'pullcheck: warning: standard input is empty: nothing was read from it\n'])
  })

  it('reports a FIFO or a device named *.yaml instead of blocking on it, and a file over the size limit without reading it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  imagePullSecrets: [{name: gone}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n')
    execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')])
    // Sparse: 100 MB that take no room, and that must not be read.
    fs.writeFileSync(path.join(dir, 'huge.yaml'), '')
    fs.truncateSync(path.join(dir, 'huge.yaml'), 100 * 1024 * 1024)
    const r = spawnSync(process.execPath, [cli, '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: envWith() })
    expect(r.signal).toBeNull()
    expect(r.status).toBe(1)
    const json = JSON.parse(r.stdout) as { findings: { ruleId: string; location: { file: string }; message: string }[] }
    expect(json.findings.map((f) => [f.ruleId, f.location.file, f.message])).toEqual([
      ['yaml-syntax-error', 'fifo.yaml', 'fifo.yaml: cannot read the file (not a regular file: a FIFO, a device or a socket); leave it out of manifests (only the CLI reads a FIFO or a device, when it is named as a file).'],
      ['yaml-syntax-error', 'huge.yaml', 'huge.yaml: file is 104857600 bytes, over the 67108864-byte limit; it was not read; split it into smaller files, or leave it out of manifests.'],
      ['pull-secret-not-found', 'pod.yaml', expect.stringContaining('"gone"')],
    ])
  })

  it('reads a FIFO named on the command line to its end, as kubectl apply -f <(helm template .) does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    const manifest = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  imagePullSecrets: [{name: gone}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n'
    fs.writeFileSync(path.join(dir, 'src.yaml'), manifest)
    // Process substitution: the CLI is given /dev/fd/N, a pipe.
    const r = spawnSync('bash', ['-c', '"$0" "$1" <(cat src.yaml) --format json', process.execPath, cli], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: envWith() })
    expect(r.status).toBe(1)
    const json = JSON.parse(r.stdout) as { findings: { ruleId: string; location: { file: string; range: { start: { line: number; column: number } } } }[] }
    expect(json.findings.map((f) => [f.ruleId, f.location.range.start.line, f.location.range.start.column])).toEqual([['pull-secret-not-found', 5, 29]])
    // Outside the working directory: named as given.
    expect(json.findings[0].location.file).toMatch(/^\/dev\/fd\/\d+$/)
    // A named FIFO (a writer feeds it), beside a file on disk.
    execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')])
    const named = spawnSync('bash', ['-c', 'cat src.yaml > fifo.yaml & "$0" "$1" fifo.yaml; code=$?; wait; exit $code', process.execPath, cli], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: envWith() })
    expect(named.status).toBe(1)
    expect(named.stdout).toMatch(/^ {2}fifo\.yaml:5:29\s+error\s.*pull-secret-not-found$/m)
    // An empty one is said.
    const empty = spawnSync('bash', ['-c', '"$0" "$1" <(true)', process.execPath, cli], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: envWith() })
    expect([empty.status, empty.stderr]).toEqual([0, expect.stringMatching(/^pullcheck: warning: \/dev\/fd\/\d+ is empty: nothing was read from it\n$/)])
  })

  it('reads no more of standard input than the file size limit allows, and says so where it would be', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-cli-'))
    const r = run(['-', '--format', 'json'], dir, Buffer.alloc(64 * 1024 * 1024 + 10, 'a'))
    const json = JSON.parse(r.stdout) as { findings: { ruleId: string; message: string; location: { file: string } }[] }
    expect(json.findings.map((f) => [f.ruleId, f.location.file, f.message])).toEqual([
      ['yaml-syntax-error', '<stdin>', expect.stringContaining('file is 67108874 bytes, over the 67108864-byte limit; it was not read')],
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('')
  })
})
