// The fast path (src/source/fastyaml.ts) against js-yaml with the listener: for every document
// it accepts, the same value (key order, types, Dates) and the same position records; and it never
// accepts a document js-yaml rejects. Checked on the real corpus, on the benchmark's synthetic
// repository, on hand-written cases of each construct, and on thousands of mutated documents.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import util from 'node:util'
import { describe, expect, it } from 'vitest'
import { fastDocument } from '../../src/source/fastyaml.js'
import { loadSource } from '../../src/source/files.js'
import { parseYamlFile, PositionTable, splitDocuments, type ParsedFile } from '../../src/source/yaml.js'
// @ts-expect-error: a JavaScript module without types
import { generate, rng } from '../../scripts/bench/generate.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const corpus = path.resolve(root, '../shared/corpus')

function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) listFiles(p, out)
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p)
  }
  return out
}

/** Every difference between two parses of the same text (values, key order, errors, positions). */
function differences(a: ParsedFile, b: ParsedFile): string[] {
  const out: string[] = []
  if (!util.isDeepStrictEqual(a.errors, b.errors)) out.push(`errors ${JSON.stringify(a.errors)} vs ${JSON.stringify(b.errors)}`)
  if (a.documents.length !== b.documents.length) return [...out, `${a.documents.length} vs ${b.documents.length} documents`]
  const record = (t: PositionTable, v: unknown) => JSON.stringify(t.get(v), (_k, x: unknown) => (x instanceof Map ? [...x] : x))
  const walk = (x: unknown, y: unknown, where: string): void => {
    if (x === null || typeof x !== 'object' || x instanceof Date) return
    if (JSON.stringify(Object.keys(x)) !== JSON.stringify(Object.keys(y as object))) out.push(`${where}: key order`)
    const rx = record(a.positions, x)
    const ry = record(b.positions, y)
    if (rx !== ry) out.push(`${where}: positions ${rx} vs ${ry}`)
    for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${where}.${k}`)
  }
  a.documents.forEach((da, i) => {
    const db = b.documents[i]
    if (!util.isDeepStrictEqual(da, db)) out.push(`document ${i}: ${JSON.stringify(da).slice(0, 300)} vs ${JSON.stringify(db).slice(0, 300)}`)
    else walk(da.value, db.value, `document ${i}`)
  })
  return out
}

/**
 * Parses `text` both ways, whole and pruned (pruned at parse time by the fast path, after parsing
 * otherwise); returns the differences and how many documents the fast path took.
 */
function compare(text: string): { diffs: string[]; documents: number; fast: number } {
  const slow = parseYamlFile(text, undefined, { skipKinds: false, fast: false, prune: false })
  const quick = parseYamlFile(text, undefined, { skipKinds: false, fast: true, prune: false })
  const prunedSlow = loadSource('x.yaml', text, { skipKinds: false, fast: false }).parsed!
  const prunedQuick = loadSource('x.yaml', text, { skipKinds: false, fast: true }).parsed!
  let documents = 0
  let fast = 0
  for (const chunk of splitDocuments(text)) {
    documents++
    if (fastDocument(text, chunk.start, chunk.end, new PositionTable(text))) fast++
  }
  return { diffs: [...differences(slow, quick), ...differences(prunedSlow, prunedQuick).map((d) => `pruned: ${d}`)], documents, fast }
}

function expectSame(text: string): { documents: number; fast: number } {
  const { diffs, documents, fast } = compare(text)
  expect(diffs, JSON.stringify(text)).toEqual([])
  return { documents, fast }
}

describe('fast path: hand-written cases', () => {
  // Each is taken by the fast path (checked) and must equal js-yaml.
  const accepted: Record<string, string> = {
    'scalars and their types': 'a: 1\nb: -2\nc: 0x1f\nd: 1.5e3\ne: .inf\nf: true\ng: False\nh: null\ni: ~\nj: 2024-01-02\nk: 2024-01-02T03:04:05Z\nl: 012\nm: +7\nu: 1_000\no: yes\np: no\nq: on\nr: Off\ns: y\nt: N\n',
    'strings that look like other things': 'a: 1.2.3\nb: v1\nc: 10Gi\nd: "1"\ne: \'true\'\nf: 0.0.0.0/0\ng: "a: b"\nh: \'it\'\'s\'\ni: http://x:80/y\nj: a#b\nk: -x\n',
    'empty values and comments': '# head\na:\nb: # c\nc:   \n  # indented comment\nd: x # trailing\n\n\ne:\n',
    'nested mappings and sequences': 'a:\n  b:\n    c: 1\n  d: []\n  e: {}\nf:\n  - x\n  - w: 1\n    z: 2\n',
    'compact sequences': 'a:\n- 1\n- b: 2\n  c: 3\nd: 4\nitems:\n- name: x\n  list:\n  - p\n  - q\n  other: r\n',
    'flow collections': 'a: [1, "two", \'three\', four five]\nb: {cpu: 100m, memory: "128Mi"}\nc: [[1, 2], {x: y}]\nd: [ ]\ne: { }\n',
    'block scalars': 'a: |\n  one\n  two\nb: |-\n  one\n\nc: |+\n  keep\n\n\nd: >\n  folded\n  line\n\n  para\n    more\n  back\ne: >-\n  x\nf: |\n\n  leading blank\ng: |\n    deeper\n     more\nh: |\nnext: 1\n',
    'block scalars with an indentation indicator': 'a: |2\n   x\n  y\nb: >-1\n  z\nc: |+3\n\n\n     w\n    v\n\nd:\n  - |1\n     u\n',
    'block scalar at the end without a line break': 'a: 1\nscript: |\n  echo hi\n  echo there',
    'CRLF line breaks': 'a: 1\r\nb:\r\n  - x\r\n  - w: "z"\r\nc: |\r\n  l1\r\n  l2\r\n',
    'document markers': '---\na: 1\n...\n',
    'a root indented past column 0': '  a: 1\n  b:\n    - 2\n',
    'quoted keys': '"a b": 1\n\'c\': 2\n"": 3\n',
    'keys that are paths and dotted names': 'app.kubernetes.io/name: x\n.dockerconfigjson: eyJ9\nhelm.sh/chart: y\n_x: 1\n',
    'unicode': 'a: héllo wörld\nb: "日本"\nc: 😀\n',
    'trailing spaces': 'a: x   \nb:    \n  - y  \n',
    'escapes in double quotes': 'a: "x\\ty\\n\\"q\\" \\\\ \\/ \\x41\\u00e9\\U0001F600 \\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\ z"\n"k\\"ey": 1\n',
    'a space before the colon of a key': 'a : 1\nlist:\n  - name : x\n',
    'plain scalars that start with a colon or a dash': 'a: :9411\nb: -c\nc: ::x\n',
    'flow collections and quoted scalars below their key': 'a:\n  {x: 1}\nb:\n  [1, 2]\nc:\n  "q"\nd:\n  "k": v\n',
    'flow mappings as sequence items': 'a:\n  - {key: x, operator: Exists}\n  - [1, 2]\n',
    'multi-line plain scalars': 'a: one\n  two  \n\n\n  three # c\nb: x\n    y\nc:\n  - item\n    more\n',
    'a plain scalar ended by a comment line': 'a: one\n  # comment\nb: 1\n',
    JSON: '{"a": [1, 2.5, -3, 1e3], "b": {"c": null, "d": true, "e": "x\\ny"}}\n',
    'minified JSON': '{"kind":"List","items":[{"a":1},{"b":[]}],"x":{}}',
    'JSON with scalars at the ends of lines': '{\n  "port": 80,\n  "list": [\n    1,\n    two\n  ],\n  "x": true\n}\n',
    'JSON over lines with comments': '{\n  "kind": "List", # a comment\n  "items": [\n    {"name": "a"},\n\n    {"name": "b"}\n  ]\n}\n',
    'flow trailing commas (js-yaml allows one)': 'a: [1, 2,]\nb: {x: 1, }\nc: [1,\n  # last\n]\nd: {\n  "e": [3,],\n}\n',
    'an anchored scalar in a part left out, named by an alias in a part kept': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: x\n          env:\n            - value: &n proxy\n        - name: *n\n          image: y\n',
    'a flow collection over lines in a block mapping': 'a: [1,\n  2]\nb: {x: 1,\n  w: [2,\n 3]}\nc: 4\n',
    'a kind line inside a flow collection': 'apiVersion: v1\na: {\nkind: Pod\n}\nkind: SealedSecret\nmetadata: {name: s, labels: {x: y}}\nspec:\n  encryptedData: {a: b}\n  template: {spec: {x: 1}}\n',
    'quoted scalars over lines': 'a: "one  \n  two\n\n\n   three"\nb: \'it\'\'s\n  x \'\'y\'\'\n  \'\nc:\n  - "p\\\n    q \\t\n  r"\n  - [ "s\n  t", \'u\n v\' ]\nd: "# not a comment\n  # nor this"\n',
    'aliases of scalars': 'a: &x 1\nb: *x\nc:\n  - &n linkerd-proxy\n  - name: *n\n    again: &n other\n    latest: *n\nd: &q "quoted"\ne: *q\n',
    'anchors that no alias uses': 'a: &name linkerd-proxy\nb: &q "quoted"\nc: &s |\n  block\nd: &f {x: 1}\ne:\n  - &i item\n',
    'a plain scalar that carries on with indicators': 'a: one\n  - two\n  [three] {four} "five"\n',
  }
  for (const [name, text] of Object.entries(accepted)) {
    it(name, () => {
      const { documents, fast } = expectSame(text)
      expect(fast, 'taken by the fast path').toBe(documents)
    })
  }

  // Left to js-yaml (and still the same result, errors included).
  const declined: Record<string, string> = {
    'an alias of a collection': 'a: &x {b: 1}\nc: *x\n',
    'an alias before its anchor': 'a: *x\nb: &x 1\n',
    'an anchor on a block collection': 'a: &x\n  b: 1\n',
    'an anchor with a tag': 'a: &x !!str 1\n',
    'merge keys': 'base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n',
    tags: 'a: !!str 1\n',
    'an unknown escape': 'a: "\\q"\n',
    'a short hexadecimal escape': 'a: "\\x4"\n',
    'duplicate keys': 'a: 1\na: 2\n',
    'a tab in the indentation': 'a:\n\tb: 1\n',
    'an empty sequence item': 'a:\n  -\n  - x\n',
    'explicit keys': '? a\n: b\n',
    // js-yaml and sigs.k8s.io/yaml make them "true" and "false".
    'keys that are YAML 1.1 booleans': 'y: 1\nOff: 2\nlist:\n  - n: 3\n',
    'a multi-line plain scalar inside a flow': 'a: [one\n  two]\n',
    'a flow pair without a space after a plain key': 'a: {b:1}\n',
    'a bad indentation': 'a:\n    b: 1\n  c: 2\n',
    'a key after a scalar, deeper': 'a: 1\n  b: 2\n',
    'a sequence after a value at the same indent': 'a: 1\n- b\n',
    'a flow trailing comma twice': 'a: [1, 2,,]\n',
    'a flow collection that opens with a comma': 'a: [, 1]\n',
    'a repeated indentation indicator': 'a: |22\n   x\n',
    'an indentation indicator of 0': 'a: |0\n   x\n',
    'a number as a key': '1: a\n',
    'non-printable characters': 'a: "\u0007"\n',
    'a document that is a scalar': 'just text\n',
    'a directive': '%YAML 1.2\n---\na: 1\n',
    'a sequence item that is a sequence': 'a:\n  - - nested\n',
    // js-yaml: "missed comma between flow collection entries" (found by differential fuzzing).
    'a flow item that starts with > or |': 'a: [>]\nb: {c: |}\n',
  }
  for (const [name, text] of Object.entries(declined)) {
    it(`declines ${name}`, () => {
      const { fast } = expectSame(text)
      expect(fast, 'left to js-yaml').toBe(0)
    })
  }
})

describe('fast path: real and synthetic manifests', () => {
  it('the corpus: identical results, most documents taken', () => {
    if (!fs.existsSync(corpus)) throw new Error(`corpus not found at ${corpus}`)
    let documents = 0
    let fast = 0
    for (const file of listFiles(corpus)) {
      const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')
      const r = compare(text)
      expect(r.diffs, file).toEqual([])
      documents += r.documents
      fast += r.fast
    }
    expect(fast / documents).toBeGreaterThan(0.8)
  })

  it('the fixtures: identical results', () => {
    for (const file of listFiles(path.join(root, 'fixtures'))) expect(compare(fs.readFileSync(file, 'utf8')).diffs, file).toEqual([])
  })

  it('a synthetic repository of 2000 resources: identical results, nearly every document taken', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-fast-'))
    try {
      generate(dir, 2000)
      let documents = 0
      let fast = 0
      for (const file of listFiles(dir)) {
        const r = compare(fs.readFileSync(file, 'utf8'))
        expect(r.diffs, file).toEqual([])
        documents += r.documents
        fast += r.fast
      }
      expect(fast / documents).toBeGreaterThan(0.97)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

const INSERTS = [':', ': ', '-', '- ', '#', ' #', '"', "'", '{', '}', '[', ']', ',', '|', '>', '&a', '*a', '!', '?', '\t', '\n', ' ', '  ', '\r', '...', '---', '\\', 'x', '1', '%', '@', '<<: ']

function mutate(text: string, next: () => number): string {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)]
  const i = Math.floor(next() * (text.length + 1))
  switch (Math.floor(next() * 5)) {
    case 0:
      return text.slice(0, i) + text.slice(i + 1)
    case 1:
      return text.slice(0, i) + pick(INSERTS) + text.slice(i)
    case 2: {
      // Re-indent a line by one or two spaces either way.
      const start = text.lastIndexOf('\n', i - 1) + 1
      return next() < 0.5 ? text.slice(0, start) + (next() < 0.5 ? ' ' : '  ') + text.slice(start) : text.slice(0, start) + text.slice(start).replace(/^ {1,2}/, '')
    }
    case 3: {
      // Duplicate a line.
      const start = text.lastIndexOf('\n', i - 1) + 1
      let end = text.indexOf('\n', i)
      if (end < 0) end = text.length
      return text.slice(0, end) + '\n' + text.slice(start, end) + text.slice(end)
    }
    default:
      return text.slice(0, i) + pick(INSERTS) + text.slice(i + 1)
  }
}

describe('fast path: mutated documents', () => {
  it('agrees with js-yaml on 5000 mutations of the fixtures (results and errors)', () => {
    const seeds = listFiles(path.join(root, 'fixtures'))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .filter((t) => t.length < 4000)
    expect(seeds.length).toBeGreaterThan(20)
    const next = rng(2026)
    let taken = 0
    for (let n = 0; n < 5000; n++) {
      let text = seeds[Math.floor(next() * seeds.length)]
      const times = 1 + Math.floor(next() * 3)
      for (let m = 0; m < times; m++) text = mutate(text, next)
      const r = compare(text)
      expect(r.diffs, JSON.stringify(text)).toEqual([])
      taken += r.fast
    }
    // Many mutations leave valid YAML of the subset: the fast path is really exercised.
    expect(taken).toBeGreaterThan(2500)
  })
})
