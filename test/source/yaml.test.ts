// Positions of the YAML layer: every node keeps its source range, broken documents do not hide others.
import { describe, expect, it } from 'vitest'
import { parseYamlFile, splitDocuments, splitJsonStream, type Span } from '../../src/source/yaml.js'
import { isUtf8 } from 'node:buffer'
import { decodeInvalidUtf8, loadSource } from '../../src/source/files.js'

function at(text: string, span: Span | undefined): string {
  if (!span) throw new Error('no span')
  return text.slice(span.start, span.end)
}

describe('splitDocuments', () => {
  it('splits at --- and ... lines only', () => {
    const text = 'a: 1\n---\nb: "---"\n--- # c\nc: |\n  ---x\n...\nd: 4\n'
    const chunks = splitDocuments(text).map((c) => [text.slice(c.start, c.end), c.error !== undefined])
    // kubectl splits at --- only: the document after ... is never applied (an error chunk).
    expect(chunks).toEqual([['a: 1\n', false], ['---\nb: "---"\n', false], ['--- # c\nc: |\n  ---x\n...', false], ['d: 4\n', true]])
  })

  it('takes ..., directives and --- as a new document; blank lines and comments after ... are no document', () => {
    const text = 'a: 1\n...\n# note\n\n...\n%YAML 1.2\n---\nb: 2\n...\n'
    const chunks = splitDocuments(text).map((c) => [text.slice(c.start, c.end), c.error !== undefined])
    expect(chunks.filter(([, error]) => error)).toEqual([])
    expect(chunks.map(([t]) => t)).toContain('%YAML 1.2\n---\nb: 2\n...')
  })

  it('stops at a --- line with more than a comment after it, as kubectl does, dropping what it read since the last ---', () => {
    for (const line of ['---foo', '--- !!map', '--- {a: 1}', '----', '--- \ufeff']) {
      const text = `z: 0\n---\na: 1\n${line}\nb: 2\n---\nc: 3\n`
      const chunks = splitDocuments(text)
      expect(chunks.map((c) => [text.slice(c.start, c.end), c.error !== undefined]), line).toEqual([['z: 0\n', false], [`---\na: 1\n${line}\nb: 2\n---\nc: 3\n`, true]])
      expect(chunks[1].errorAt, line).toBe(text.indexOf(line, 8))
    }
    for (const line of ['---', '--- ', '---\t# c', '--- #c']) {
      expect(splitDocuments(`a: 1\n${line}\nb: 2\n`).every((c) => c.error === undefined), line).toBe(true)
    }
  })

  it('starts the next document after a line kubectl takes for a separator and YAML would not (it never parses that line)', () => {
    for (const line of ['---#c', '---\u00a0', '---\v', '--- # a bell \u0007', '---\t\u3000']) {
      const text = `a: 1\n${line}\nb: 2\n`
      expect(splitDocuments(text).map((c) => [text.slice(c.start, c.end), c.error !== undefined]), JSON.stringify(line)).toEqual([['a: 1\n', false], ['b: 2\n', false]])
    }
  })
})

describe('splitJsonStream (kubectl reads a file that starts with { as JSON values, one after another)', () => {
  const pieces = (text: string) => splitJsonStream(text)?.map((c) => [text.slice(c.start, c.end), c.index, c.error !== undefined])

  it('leaves files of one value, YAML files and unclosed objects to the YAML splitter', () => {
    expect(splitJsonStream('{"kind": "Pod"}\n')).toBeUndefined()
    expect(splitJsonStream('  \n{"kind": "Pod"}  \n\n')).toBeUndefined()
    expect(splitJsonStream('kind: Pod\n---\n{"kind": "Pod"}{"kind": "Pod"}\n')).toBeUndefined()
    expect(splitJsonStream('[{"kind": "Pod"}]\n[{"kind": "Pod"}]\n')).toBeUndefined()
    expect(splitJsonStream('{"kind": "Pod"\n')).toBeUndefined()
    // Flow YAML: the first value is no JSON, so kubectl reads the whole file as YAML.
    expect(splitJsonStream('{kind: Pod}\n---\n{kind: Pod}\n')).toBeUndefined()
  })

  it('splits concatenated objects, on one line or one per line, braces and quotes inside strings included', () => {
    expect(pieces('{"a": "}{"}{"b": [1, {"c": "\\"}"}]}\n\n {"d": 1}\n')).toEqual([
      ['{"a": "}{"}', 0, false],
      ['{"b": [1, {"c": "\\"}"}]}', 1, false],
      ['{"d": 1}', 2, false],
    ])
  })

  it('reads the rest as YAML after one object', () => {
    const text = '{"a": 1}\nkind: Pod\n---\nkind: Secret\n'
    expect(pieces(text)).toEqual([
      ['{"a": 1}', 0, false],
      ['kind: Pod\n', 1, false],
      ['---\nkind: Secret\n', 2, false],
    ])
  })

  it('stops with an error at the first value that does not parse after two objects', () => {
    expect(pieces('{"a": 1}{"b": 2}\n---\nkind: Pod\n')).toEqual([
      ['{"a": 1}', 0, false],
      ['{"b": 2}', 1, false],
      ['---\nkind: Pod\n', 2, true],
    ])
    expect(pieces('{"a": 1}\n{"b": 2}\n{c: 3}\n')?.[2]).toEqual(['{c: 3}\n', 2, true])
  })

  it('gives parseYamlFile every object, with positions in the file', () => {
    const text = '{"kind": "Pod", "metadata": {"name": "a"}}{"kind": "Pod",\n "metadata": {"name": "b"}}\n'
    const f = parseYamlFile(text)
    expect(f.errors).toEqual([])
    expect(f.documents.map((d) => (d.value as { metadata: { name: string } }).metadata.name)).toEqual(['a', 'b'])
    const second = f.documents[1].value as { metadata: object }
    expect(f.positions.lineCol(f.positions.valueSpan(second.metadata, 'name')!.start)).toEqual({ line: 2, column: 23 })
    expect(f.positions.lineCol(f.documents[1].span.start)).toEqual({ line: 1, column: 43 })
  })
})

describe('parseYamlFile positions', () => {
  it('records key and value spans of block mappings and sequences', () => {
    const text = 'kind: Pod\nspec:\n  containers:\n    - name: app\n      image: "nginx:1.25"   # pinned\n    - {name: side, image: busybox}\n'
    const f = parseYamlFile(text)
    expect(f.errors).toEqual([])
    const doc = f.documents[0].value as { spec: { containers: Record<string, string>[] } }
    const [c0, c1] = doc.spec.containers
    expect(at(text, f.positions.valueSpan(c0, 'image'))).toBe('"nginx:1.25"')
    expect(at(text, f.positions.keySpan(c0, 'image'))).toBe('image')
    expect(at(text, f.positions.valueSpan(c1, 'image'))).toBe('busybox')
    expect(at(text, f.positions.valueSpan(doc.spec.containers, 1))).toBe('{name: side, image: busybox}')
    expect(f.positions.lineCol(f.positions.valueSpan(c0, 'image')!.start)).toEqual({ line: 5, column: 14 })
  })

  it('handles CRLF line ends', () => {
    const text = 'kind: Secret\r\nmetadata:\r\n  name: x\r\ntype: Opaque\r\n'
    const f = parseYamlFile(text)
    const doc = f.documents[0].value as { metadata: object }
    const span = f.positions.valueSpan(doc.metadata, 'name')!
    expect(at(text, span)).toBe('x')
    expect(f.positions.lineCol(span.start)).toEqual({ line: 3, column: 9 })
    expect(f.positions.lineCol(f.positions.valueSpan(doc, 'type')!.start)).toEqual({ line: 4, column: 7 })
  })

  it('handles lone CR line ends as js-yaml does (a line break): documents, positions and errors', () => {
    // Found by differential fuzzing: a first comment line had swallowed the whole file.
    const f = loadSource('cr.yaml', '# rendered\rapiVersion: v1\rkind: Pod\rmetadata:\r  name: web\r')
    expect(f.parsed!.documents.map((d) => d.value)).toEqual([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } }])
    const doc = f.parsed!.documents[0].value as { metadata: object }
    expect(f.positions.lineCol(f.positions.valueSpan(doc.metadata, 'name')!.start)).toEqual({ line: 5, column: 9 })
    const bad = loadSource('bad.yaml', 'kind: Pod\rmetadata:\r  name: [\r')
    expect(bad.problems.map((p) => [p.kind, bad.positions.lineCol(p.span.start)])).toEqual([['syntax', { line: 4, column: 1 }]])
    // CRLF stays as it is.
    expect(loadSource('crlf.yaml', 'a: 1\r\nb: 2\r\n').text).toBe('a: 1\r\nb: 2\r\n')
  })

  it('ends an alias at its name, not past the comments after it (js-yaml closes it there)', () => {
    const text = 'a: &x 1\nb: *x # c\n# more\nc: !!str d\n'
    const f = parseYamlFile(text)
    expect(at(text, f.positions.valueSpan(f.documents[0].value as object, 'b'))).toBe('*x')
  })

  it('keeps empty values, explicit keys, anchors and merge keys', () => {
    const text = 'base: &b {x: 1}\nempty:\nother: *b\nmerged:\n  <<: *b\n  w: 2\n? complex\n: val\nlast: z\n'
    const f = parseYamlFile(text)
    const doc = f.documents[0].value as Record<string, unknown>
    expect(doc.empty).toBeNull()
    expect(at(text, f.positions.valueSpan(doc, 'other'))).toBe('*b')
    expect(at(text, f.positions.valueSpan(doc.merged, 'w'))).toBe('2')
    expect(at(text, f.positions.valueSpan(doc, 'complex'))).toBe('val')
    expect(at(text, f.positions.valueSpan(doc, 'last'))).toBe('z')
    // The anchored object keeps its own positions, not the alias's.
    expect(at(text, f.positions.span(doc.base))).toBe('{x: 1}')
  })

  it('reads YAML 1.1 booleans as kubectl does (goyaml.v2): yes, no, on, off, y, n in three spellings, keys too', () => {
    const text = 'a: yes\nb: No\nc: ON\nd: off\ne: y\nf: N\ng: "yes"\nh: yess\ni: True\ny: key\nlist: [on, n, Y]\n'
    for (const fast of [true, false]) {
      const f = parseYamlFile(text, undefined, { fast })
      const doc = f.documents[0].value as Record<string, unknown>
      expect(doc).toEqual({ a: true, b: false, c: true, d: false, e: true, f: false, g: 'yes', h: 'yess', i: true, true: 'key', list: [true, false, true] })
      // The key `y:` is "true", and its position is the key's.
      expect(at(text, f.positions.valueSpan(doc, 'true'))).toBe('key')
    }
  })

  it('parses JSON with positions', () => {
    const text = '{\n  "kind": "Pod",\n  "spec": {"containers": [{"image": "ghcr.io/a/b:1"}]}\n}\n'
    const f = parseYamlFile(text)
    const doc = f.documents[0].value as { spec: { containers: object[] } }
    const span = f.positions.valueSpan(doc.spec.containers[0], 'image')!
    expect(at(text, span)).toBe('"ghcr.io/a/b:1"')
    expect(f.positions.lineCol(span.start)).toEqual({ line: 3, column: 37 })
  })

  it('reports a broken document at the parser position and keeps the others', () => {
    const text = 'kind: A\n---\nkind: B\n  bad: [\n---\nkind: C\n'
    const f = parseYamlFile(text)
    expect(f.documents.map((d) => (d.value as { kind: string }).kind)).toEqual(['A', 'C'])
    expect(f.errors).toHaveLength(1)
    expect(f.positions.lineCol(f.errors[0].offset).line).toBe(4)
    expect(f.errors[0].message).not.toContain('\n')
  })

  it('refuses alias bombs and deep nesting with a clear message', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
    for (let i = 1; i < 9; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`
    const f = parseYamlFile(bomb)
    expect(f.documents).toHaveLength(0)
    expect(f.errors[0].message).toMatch(/excessive aliasing/)
    const deep = 'a: ' + '['.repeat(200) + ']'.repeat(200) + '\n'
    const g = parseYamlFile(deep)
    expect(g.errors[0].message).toMatch(/nesting/)
  })
})

describe('loadSource', () => {
  it('strips a BOM without shifting columns', () => {
    const f = loadSource('x.yaml', Buffer.from('\uFEFFkind: Pod\nmetadata: {name: p}\n'))
    const doc = f.parsed!.documents[0].value as { metadata: object }
    expect(f.positions.lineCol(f.positions.valueSpan(doc.metadata, 'name')!.start)).toEqual({ line: 2, column: 18 })
  })

  it('decodes UTF-16 with a byte order mark, little or big endian, as kubectl does (positions in the decoded text)', () => {
    const text = 'kind: Pod\nmetadata: {name: p\u00e9}\nspec:\n  containers: [{name: c, image: "ghcr.io/acme/\u{1F600}:1"}]\n'
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
    // A last odd byte is no character (dropped).
    for (const bytes of [le, be, Buffer.concat([le, Buffer.from([0x41])])]) {
      const f = loadSource('x.yaml', bytes)
      expect(f.problems).toEqual([])
      expect(f.text).toBe(text)
      const doc = f.parsed!.documents[0].value as { metadata: { name: string } }
      expect(doc.metadata.name).toBe('p\u00e9')
      expect(f.positions.lineCol(f.positions.valueSpan(doc.metadata, 'name')!.start)).toEqual({ line: 2, column: 18 })
    }
    // Without a byte order mark, UTF-16 is not read (its NUL bytes make it binary).
    expect(loadSource('x.yaml', Buffer.from(text, 'utf16le')).problems[0].message).toMatch(/binary/)
  })

  it('turns a binary file into a problem', () => {
    const f = loadSource('x.yaml', Buffer.from([0x6b, 0x3a, 0x00, 0x01]))
    expect(f.problems[0].message).toMatch(/binary/)
  })

  it('does not build a YAML document that holds bytes that are not UTF-8, and builds the others', () => {
    const bytes = Buffer.concat([Buffer.from('kind: Pod\nmetadata: {name: a'), Buffer.from([0xe9]), Buffer.from('}\n---\nkind: Pod\nmetadata: {name: b\u00e9\ufffd}\n')])
    const f = loadSource('x.yaml', bytes)
    expect(f.parsed!.documents.map((d) => (d.value as { metadata: { name: string } }).metadata.name)).toEqual(['b\u00e9\ufffd'])
    expect(f.problems.map((p) => [f.positions.lineCol(p.span.start), p.message])).toEqual([
      [{ line: 2, column: 19 }, 'invalid UTF-8: byte 0xE9 is not part of a UTF-8 character (save the file as UTF-8)'],
    ])
    // With a BOM the offsets are those of the text without it.
    const withBom = loadSource('x.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]))
    expect(withBom.problems.map((p) => withBom.positions.lineCol(p.span.start))).toEqual([{ line: 2, column: 19 }])
    // A JSON stream is read as Go's JSON decoder reads it.
    const json = loadSource('x.json', Buffer.concat([Buffer.from('{"kind": "Pod", "metadata": {"name": "j'), Buffer.from([0xe9]), Buffer.from('"}}')]))
    expect([json.problems, json.parsed!.documents.length]).toEqual([[], 1])
  })

  it('finds exactly the bytes that are not UTF-8, as the decoders do', () => {
    let seed = 11
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648)
    const interesting = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff]
    const strict = new TextDecoder('utf-8', { fatal: true })
    for (let n = 0; n < 20000; n++) {
      const bytes = Buffer.from(Array.from({ length: next() % 7 }, () => interesting[next() % interesting.length]))
      const { text, invalid } = decodeInvalidUtf8(bytes)
      expect(invalid.length === 0, bytes.toString('hex')).toBe(isUtf8(bytes))
      if (invalid.length === 0) {
        expect(text).toBe(strict.decode(bytes))
        continue
      }
      // Each invalid byte is one U+FFFD at its offset, and the runs between them are the bytes
      // between them: putting the bytes back gives the input again.
      const parts: Buffer[] = []
      let last = 0
      for (const b of invalid) {
        expect(text[b.offset]).toBe('\ufffd')
        parts.push(Buffer.from(text.slice(last, b.offset)), Buffer.from([b.byte]))
        last = b.offset + 1
      }
      parts.push(Buffer.from(text.slice(last)))
      expect(Buffer.concat(parts).equals(bytes), bytes.toString('hex')).toBe(true)
      // The WHATWG decoder replaces each maximal invalid subpart once: never more often.
      const replaced = [...new TextDecoder().decode(bytes)].filter((c) => c === '\ufffd').length
      expect(replaced).toBeGreaterThan(0)
      expect(replaced).toBeLessThanOrEqual(invalid.length)
    }
  })
  it('never quotes the source in an error message', () => {
    const f = loadSource('s.yaml', 'kind: Secret\nstringData:\n  password: "s3cr3t\n')
    expect(f.problems.map((p) => p.message).join(' ')).not.toContain('s3cr3t')
  })
})
