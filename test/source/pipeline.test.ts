// The reading/parsing pipeline: parsing across worker threads, and not building the documents of
// kinds that cannot matter, change nothing in the result.
//  - the bundled CLI (dist/cli.js) with worker threads forced on gives byte for byte the JSON of
//    the main thread alone, on a generated repository and on ../shared/corpus;
//  - skipping SKIPPABLE_KINDS gives the same findings, images and statistics as building every
//    document (in process);
//  - the position table survives the trip to the main thread (export, structured clone, import).
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeLoaded } from '../../src/analyze.js'
import { discover } from '../../src/source/discover.js'
import { loadFiles } from '../../src/source/pipeline.js'
import { parseYamlFile, PositionTable, SKIPPABLE_KINDS } from '../../src/source/yaml.js'
import { loadSource } from '../../src/source/files.js'
import { defaultOptions, DEFAULT_MANIFESTS } from '../../src/options.js'
import type { AnalyzeResult } from '../../src/findings/types.js'
// @ts-expect-error: a JavaScript module without types
import { rng } from '../../scripts/bench/generate.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const cli = path.join(root, 'dist/cli.js')
const corpus = path.resolve(root, '../shared/corpus')
let generated: string

beforeAll(async () => {
  if (!fs.existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  generated = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-pipeline-'))
  const { generate } = (await import(path.join(root, 'scripts/bench/generate.mjs'))) as { generate: (dir: string, n: number, seed?: number) => unknown }
  generate(path.join(generated, 'repo'), 4000, 7)
})

afterAll(() => {
  fs.rmSync(generated, { recursive: true, force: true })
})

function runCli(dir: string, workers: number): { stdout: string; stderr: string; code: number | null } {
  const r = spawnSync(process.execPath, [cli, '.', '--format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, PULLCHECK_WORKERS: String(workers), PULLCHECK_DEBUG: 'pipeline' },
  })
  return { stdout: r.stdout, stderr: r.stderr, code: r.status }
}

function parsedByWorkers(stderr: string): number {
  const m = /pipeline: (\d+) files, (\d+) worker thread\(s\), (\d+) files parsed by workers/.exec(stderr)
  if (!m) throw new Error(`no pipeline line on stderr (is dist/cli.js current? npm run build): ${stderr}`)
  return Number(m[3])
}

async function inProcess(dir: string, skipKinds: boolean, prune = true, fast = true): Promise<AnalyzeResult> {
  const options = defaultOptions(dir)
  const { files } = await discover([...DEFAULT_MANIFESTS], dir)
  return analyzeLoaded(await loadFiles(files, { skipKinds, prune, fast, workers: 0 }), options)
}

/** Everything but the per-file count of skipped documents (which only the skipping run has). */
function comparable(r: AnalyzeResult): unknown {
  return {
    findings: r.findings,
    images: r.images,
    stats: r.stats,
    counts: r.counts,
    assumptions: r.assumptions,
    secretValues: r.secretValues,
    files: r.files.map((f) => ({ ...f, skippedKinds: undefined })),
  }
}

describe.each([
  ['a generated repository', () => path.join(generated, 'repo')],
  ['the corpus', () => corpus],
])('%s', (_name, dirOf) => {
  it('gives the same JSON with worker threads as on the main thread alone', () => {
    const dir = dirOf()
    const serial = runCli(dir, 0)
    const parallel = runCli(dir, 2)
    expect(serial.code === 0 || serial.code === 1, serial.stderr).toBe(true)
    expect(parsedByWorkers(serial.stderr)).toBe(0)
    // The workers did take part.
    expect(parsedByWorkers(parallel.stderr)).toBeGreaterThan(0)
    expect(parallel.code).toBe(serial.code)
    expect(parallel.stdout.length).toBeGreaterThan(1000)
    expect(parallel.stdout).toBe(serial.stdout)
  })

  it('finds the same with and without skipping the kinds that cannot matter', async () => {
    const dir = dirOf()
    const skipping = await inProcess(dir, true)
    const building = await inProcess(dir, false)
    expect(skipping.files.some((f) => (f.skippedKinds ?? 0) > 0)).toBe(true)
    expect(building.files.every((f) => f.skippedKinds === undefined)).toBe(true)
    expect(skipping.findings.length).toBeGreaterThan(0)
    expect(comparable(skipping)).toEqual(comparable(building))
  })

  it('finds the same with and without pruning the fields the graph never reads', async () => {
    const dir = dirOf()
    const pruned = await inProcess(dir, false, true)
    const whole = await inProcess(dir, false, false)
    expect(pruned.findings.length).toBeGreaterThan(0)
    expect(pruned).toEqual(whole)
  })

  it('finds the same with the fast path (pruning as it parses) and with js-yaml alone', async () => {
    const dir = dirOf()
    const fast = await inProcess(dir, true, true, true)
    const slow = await inProcess(dir, true, true, false)
    expect(fast.findings.length).toBeGreaterThan(0)
    expect(fast).toEqual(slow)
  })
})

describe('skipping documents by kind', () => {
  it('builds only apiVersion, kind and metadata, with their positions', () => {
    const text = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: ns\ndata:\n  a: |\n    x\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n'
    const f = parseYamlFile(text)
    expect(f.skipped).toBe(1)
    const [cm, pod] = f.documents.map((d) => d.value as Record<string, Record<string, unknown>>)
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'ns' } })
    expect(pod.spec).toBeDefined()
    const span = f.positions.valueSpan(cm.metadata, 'namespace')!
    expect(text.slice(span.start, span.end)).toBe('ns')
    expect(text.slice(f.positions.valueSpan(cm, 'kind')!.start, f.positions.valueSpan(cm, 'kind')!.end)).toBe('ConfigMap')
  })

  it('builds the document whole when its top level cannot be read line by line, or it might matter', () => {
    const whole = [
      // A ConfigMap with a spec could hold a pod template.
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nspec:\n  template: {spec: {containers: []}}\n',
      // A quoted scalar that runs on to a line at column 0.
      'apiVersion: v1\ndescription: "x\nkind: ConfigMap"\nmetadata: {name: a}\n',
      // Tags, quotes, template markers, an alias into the skipped part.
      'apiVersion: v1\nkind: !!str ConfigMap\nmetadata: {name: a}\n',
      'apiVersion: v1\nkind: "ConfigMap"\nmetadata: {name: a}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "{{ .Values.x }}"}\n',
      'x: &m {name: a}\napiVersion: v1\nkind: ConfigMap\nmetadata: *m\n',
      // Not a skippable kind.
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nspec:\n  template: {spec: {containers: []}}\n',
      'apiVersion: v1\nkind: List\nitems: []\n',
    ]
    for (const text of whole) expect(parseYamlFile(text).skipped, text).toBe(0)
    expect(SKIPPABLE_KINDS.has('Secret')).toBe(false)
    expect(SKIPPABLE_KINDS.has('ServiceAccount')).toBe(false)
  })

  it('in a file with template markers, skips only what template detection could not flag', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {a: "{{ x }}"}}\nspec: {containers: []}\n---\n'
    const cm = (data: string) => `${pod}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dash\ndata:\n${data}`
    // `{{` inside a block scalar is text: skipped.
    expect(loadSource('f.yaml', cm('  d.json: |\n    {"legendFormat": "{{instance}}", "expr": "up{job=\\"a\\"}"}\n')).parsed!.skipped).toBe(1)
    // Helm's markers in a block scalar whose value keeps a line break are text: istio's sidecar template.
    const sidecar = cm('  config: |\n    policy: enabled\n    image: "{{ .Values.global.hub }}/proxyv2"\n  values: |+\n    {{ toYaml .Values | indent 2 }}\n\n')
    expect(loadSource('f.yaml', sidecar).parsed!.skipped).toBe(1)
    expect(loadSource('f.yaml', sidecar).problems).toEqual(loadSource('f.yaml', sidecar, { skipKinds: false }).problems)
    // So are they in a `|-` over several lines (the line break between them stays).
    const stripped = cm('  config: |-\n    policy: enabled\n    template: "{{ .Values.global.hub }}"\n')
    expect(loadSource('f.yaml', stripped).parsed!.skipped).toBe(1)
    expect(loadSource('f.yaml', stripped).problems).toEqual([])
    // The continuation lines of a plain scalar are text, even when one starts with a quote or a brace.
    expect(loadSource('f.yaml', cm("  d: fail over to\n    'from' region\n    {when} unhealthy\n  e:\n    - first\n      'second'\n")).parsed!.skipped).toBe(1)
    const flagged = [
      '  "[object Object]": v\n', // a key templates.ts flags
      '  {a: 1}: v\n', // an object key
      '  k{{x}}: v\n', // a key holding `{{`
      '  x: "\\x7b{ .Values.y }}"\n', // an escape that spells a Helm marker
      '  t: |-\n    {{ .Values.y }}\n', // a one-line block scalar naming Helm's objects
      '  d: text\n  k{{x}}: v\n', // a key after a plain value, as indented as its key
      '  x: a {{\n    .Values.y }}\n', // a marker across the lines of a plain scalar, which fold into one
      '  x: a\n    b {{\n\n    .Values.y }}\n', // the same over a blank line, on the scalar's third line
      '  x: "a\n    {{ .Values.y }}"\n', // the same in a double-quoted scalar
      '  s: |\n    text\n  t: >-\n    {{ .Values.y }}\n', // a stripped block scalar after a kept one
      '  t: |\n      text\n    {{ .Values.y }}\n', // less indented than its first line: not valid YAML
      '  t: |-\n    {{ .Values.y }}\n\n  u: |\n    x\n', // a one-line `|-` (trailing blank lines are stripped)
      '  t: >-\n    a\n    {{ .Values.y }}\n', // a `>-` folds its lines into one
      '  d: text # a comment ends it\n    {a: 1}: v\n', // not text, then: a document that does not parse
    ]
    for (const data of flagged) {
      const skipping = loadSource('f.yaml', cm(data))
      expect(skipping.parsed!.skipped, data).toBe(0)
      expect(skipping.problems, data).toEqual(loadSource('f.yaml', cm(data), { skipKinds: false }).problems)
    }
  })

  it('in a file with template markers, finds in the parts pruned while parsing what template detection finds in whole documents', () => {
    // A Deployment whose pod template holds `part`, indented for a container's fields: most of it
    // (labels, env, args, resources, nodeSelector) is left out by the parse filters.
    const deployment = (part: string) =>
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 1\n  template:\n' +
      '    spec:\n      containers:\n        - name: web\n          image: nginx\n' + part
    const cases: [string, boolean][] = [
      ['          args: ["--x={{ .Values.x }}"]\n', true], // flow sequence, quoted
      ['          env:\n            - name: A\n              value: prefix-{{ .Values.a }}\n', true], // plain
      ['          env:\n            - name: A\n              value: "{{ .Release.Name }}"\n', true], // double-quoted
      ["          env:\n            - name: A\n              value: '{{ include \"x\" . }}'\n", true], // single-quoted
      ['          args:\n            - first line\n              {{ .Values.more }}\n', true], // plain over two lines: one line of value
      ['          command: |-\n            {{ .Values.cmd }}\n', true], // one-line block scalar, stripped
      ['          command: |\n            {{ .Values.cmd }}\n', false], // a line break in the value: text
      ['          command: >-\n            a\n            {{ .Values.cmd }}\n', true], // folded to one line
      ['          resources: {limits: {cpu: "{{ .Values.cpu }}"}}\n', true], // nested flow mapping
      ['          resources:\n            limits:\n              "{{ .Values.key }}": 1\n', true], // a quoted key
      ['          resources: {"{{ .Values.key }}": 1}\n', true], // a flow key
      ['          resources:\n            "[object Object]": 1\n', true], // the key js-yaml makes of a mapping
      ['          env:\n            - name: A\n              value: "{{ $labels.instance }}"\n', false], // not Helm's
      ['          env:\n            - name: A\n              value: &v "{{ .Values.a }}"\n            - name: B\n              value: *v\n', true], // an alias
      ['          env: [{name: A, value: {{ .Values.a }}}]\n', true], // a marker where YAML sees a flow mapping
      ['          env:\n            - name: A\n              value: "\\x7b{ .Values.a }}"\n', true], // an escape that spells one
      ['          env:\n            - {name: A, value: "\\u007B{ .Values.a }}"}\n', true], // the same in a flow mapping
      ['          args: ["a\\\\{{ $x }}"]\n', false], // a backslash, and no Helm marker
    ]
    for (const [part, flagged] of cases) {
      for (const text of [deployment(part), deployment(part).replace('kind: Deployment', 'kind: Widget').replace('  template:\n    spec:', '  template:\n    specs:')]) {
        const file = `a: "{{ x }}"\n---\n${text}`
        const pruned = loadSource('f.yaml', file)
        const whole = loadSource('f.yaml', file, { prune: false })
        expect(pruned.problems, `${part}in ${text.includes('Widget') ? 'a custom resource' : 'a Deployment'}`).toEqual(whole.problems)
        expect(pruned.problems).toEqual(loadSource('f.yaml', file, { fast: false }).problems)
        expect(pruned.problems.some((p) => p.kind === 'template'), part).toBe(flagged)
      }
    }
  })

  it('in a file with template markers, skips a document only when that changes nothing (random documents)', () => {
    // Lines of every shape templateSafe reads, with markers that template detection flags (Helm's)
    // and that it does not (Prometheus'), put together at random under a ConfigMap's data. The
    // problems of the file must be the same whether the ConfigMap is skipped or built, for every
    // document that parses (a syntax error inside a skipped document is not reported: README).
    const helm = ['{{ .Values.a }}', '{{- include "x" . }}', '{{ .Release.Name }}', '{{ $labels.job }}', '{{x}}', 'plain', 'a: b', "'q'", '"d"']
    const next = rng(2024) // the same documents every run (generate.mjs: mulberry32)
    const rnd = (n: number) => Math.floor(next() * n)
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]
    const shapes = [
      () => `  k${rnd(9)}: ${pick(helm)}\n`,
      () => `  k${rnd(9)}: "${pick(helm)}"\n`,
      () => `  k${rnd(9)}: '${pick(helm)}'\n`,
      () => `  k${rnd(9)}: ${pick(['|', '|-', '|+', '>', '>-', '>+', '|2', '|-2'])}\n${Array.from({ length: rnd(4) }, () => `${pick(['    ', '    ', '      ', '', '  '])}${pick(helm)}\n`).join('')}`,
      () => `  k${rnd(9)}: text ${pick(helm)}\n${pick(['', '    more\n', `    ${pick(helm)}\n`, '\n    tail\n', `    'from' ${pick(helm)}\n`])}`,
      () => `  k${rnd(9)}: "line\n    ${pick(helm)} end"\n`,
      () => `  # ${pick(helm)}\n`,
      () => `  k${rnd(9)}: [a, "${pick(helm)}"]\n`,
      () => `  ${pick(['k{{x}}', '"[object Object]"', 'k'])}: v\n`,
      () => `  k${rnd(9)}: v # ${pick(helm)}\n`,
    ]
    let compared = 0
    let skipped = 0
    let flagged = 0
    for (let n = 0; n < 3000; n++) {
      const data = Array.from({ length: 1 + rnd(3) }, () => pick(shapes)()).join('')
      const text = `# {{ a comment makes the file templated }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`
      const building = loadSource('f.yaml', text, { skipKinds: false })
      if (building.parsed!.errors.length) continue
      const skipping = loadSource('f.yaml', text)
      compared++
      skipped += skipping.parsed!.skipped
      if (building.problems.length) flagged++
      expect(skipping.problems, text).toEqual(building.problems)
    }
    // Not vacuous: many documents parse, many are skipped, many are flagged.
    expect(compared).toBeGreaterThan(1000)
    expect(skipped).toBeGreaterThan(400)
    expect(flagged).toBeGreaterThan(400)
  })

  it('can be turned off', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n'
    expect(parseYamlFile(text).documents[0].value).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } })
    expect(parseYamlFile(text, undefined, { skipKinds: false }).documents[0].value).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } })
  })
})

describe('a worker result the main thread cannot deserialise', () => {
  it('goes to the main thread instead of hanging the run (a value nested thousands deep through aliases)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-deep-'))
    // Integer keys make the walk take the last anchor first: ~4000 levels, from 8 KB of text.
    const lines = Array.from({ length: 42 }, (_, i) => `"${41 - i}": &b${i} ${'['.repeat(95)}${i === 0 ? 'x' : `*b${i - 1}`}${']'.repeat(95)}`)
    fs.writeFileSync(path.join(dir, 'chain.yaml'), lines.join('\n') + '\n')
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  imagePullSecrets: [{name: gone}]\n  containers: [{name: c, image: ghcr.io/a/b:1}]\n')
    const run = (workers: number) =>
      spawnSync(process.execPath, [cli, '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PULLCHECK_WORKERS: String(workers) } })
    const serial = run(0)
    const parallel = run(1)
    expect(parallel.signal).toBeNull()
    expect(parallel.status).toBe(serial.status)
    expect(parallel.stdout).toBe(serial.stdout)
    expect(JSON.parse(parallel.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('pull-secret-not-found')
  })
})

describe('positions across a structured clone', () => {
  it('rebuilds the same table on the cloned documents', () => {
    const text = fs.readFileSync(path.join(root, 'fixtures/demo/40-failing.yaml'), 'utf8') + '---\nshared: &s {a: [1, {b: 2}]}\nagain: *s\n<<: {m: 1}\nwhen: 2024-01-01\n'
    const f = parseYamlFile(text, undefined, { skipKinds: false })
    const transfer = f.positions.exportPositions(f.documents)
    const docs = structuredClone(f.documents)
    const table = PositionTable.importPositions(text, docs, structuredClone(transfer))
    let compared = 0
    const walk = (a: unknown, b: unknown, seen: Set<unknown>) => {
      if (a === null || typeof a !== 'object' || seen.has(a)) return
      seen.add(a)
      expect(table.get(b)).toEqual(f.positions.get(a))
      compared++
      for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], seen)
    }
    f.documents.forEach((d, i) => walk(d.value, docs[i].value, new Set()))
    expect(compared).toBeGreaterThan(50)
  })
})
