// Tabs that goyaml (kubectl) refuses and js-yaml takes: refused at the tab; every other tab passes.
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { refusedTab } from '../../src/source/tabs.js'
import { parseYamlFile } from '../../src/source/yaml.js'

/** The refused tab's line and column (1-based), or undefined. */
function refused(text: string): string | undefined {
  const at = refusedTab(text, 0, text.length)?.offset
  if (at === undefined) return undefined
  const before = text.slice(0, at).split('\n')
  return `${before.length}:${before[before.length - 1].length + 1}`
}

describe('refusedTab', () => {
  // Each refused by goyaml (scannerc.go): "found character that cannot start any token", or a tab
  // that violates the indentation of a plain scalar's continuation or of a block scalar.
  it.each([
    ['a tab as indentation', 'a:\n\tb: 1\n', '2:1'],
    ['a tab after the indentation spaces', 'a:\n  \tb: 1\n', '2:3'],
    ['a comment line indented with a tab', 'a: 1\n\t# note\nb: 2\n', '2:1'],
    ['a line of a tab only', 'a: 1\n\t\nb: 2\n', '2:1'],
    ['a tab after - ', 'a:\n- \tb\n', '2:3'],
    ['a tab on the line after key:', 'a:\n\tb\n', '2:1'],
    ['a tab under the column of a plain scalar that goes on', 'a:\n  b: word\n\tmore\n', '3:1'],
    ['a tab in the indentation of a block scalar', 'a: |\n  line\n\tline\n', '3:1'],
    ['a comment line indented with a tab after a plain scalar, under its column', 'a: 1\n\t# c\n', '2:1'],
    ['a tab before the first line of a block scalar', 'a: |\n  \tline\n', '2:3'],
    // Before its first line, a block scalar's indentation is not known: any tab there is in it.
    ['a tab starting the first line of a list item\'s block scalar', '- |\n  \ty\n', '2:3'],
    ['a tab after a flow collection closes, at a line start', 'a: [1,\n  2]\n\tb: 1\n', '3:1'],
  ])('refuses %s', (_, text, at) => {
    expect(refused(text)).toBe(at)
  })

  // Each valid YAML that goyaml takes as well.
  it.each([
    ['tabs inside a plain scalar', 'a: one\ttwo\n'],
    ['a tab after a value, before a comment', 'a: b\t# c\n'],
    ['a tab after a value', 'a: b\t\nc: d\n'],
    ['tabs in quoted scalars, over lines', 'a: "x\ty"\nb: \'\ty\'\nc: "one\n\t two"\nd: 1\n'],
    ['tabs in a block scalar', 'a: |\n  {\n  \t"k": 1\n  }\nb: >-\n    x\n    \ty\n'],
    ['tabs in a flow collection over lines', 'a: {\n\tb: 1,\n\tc: [\n\t\t2\n\t]\n}\n'],
    ['a tab after an anchor, a tag or ---', '--- \t\na: &x\tb\nc: !!str\t d\n'],
    ['a plain scalar going on over lines with a tab past its column', 'a:\n  b: word\n   \tmore\n  c: 1\n'],
    ['a plain scalar on its own line going on', 'a:\n    word\n  \tmore\n'],
    ['a tab in a comment', '# a\tcomment\na: 1 # x\ty\n'],
    ['a block scalar with an indentation indicator and tabs in its content', 'a: |2\n  \tx\nb: 1\n'],
    ['a block scalar under a list item', '- a: |\n    x\n    \tx\n  b: 1\n- |\n  y\n  \ty\n'],
    ['quoted keys holding tabs', '"a\tb": 1\n\'c\td\': 2\n'],
    ['a tab in a Windows line', 'a: b\t\r\nc: d\r\n'],
    // yaml_parser_fetch_value: after a simple key no other may start, so the tab is eaten.
    ['a tab after key:', 'metadata:\n  name:\tweb\n  labels: {a: b}\n'],
    ['a tab after key: and a space, or before a comment', 'a: \tb\nc:\t# note\n  d: 1\n'],
    ['a tab after the key of a list item', '- a:\t1\n  b:\t2\n'],
    ['a comment line after a plain scalar that could go on, its tab past the column', 'a: word\n \t# c\nb: 1\n'],
    ['an anchor before a key, a plain scalar going on past the anchor', '&a key: word\n  \tmore\n'],
  ])('takes %s', (_, text) => {
    expect(() => yaml.loadAll(text)).not.toThrow()
    expect(refused(text)).toBeUndefined()
  })
})

describe('parseYamlFile and tabs', () => {
  it('refuses the document that holds the tab, at the tab, and builds the others', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n'
    const parsed = parseYamlFile(text)
    expect(parsed.errors.map((e) => [e.offset, e.message])).toEqual([
      [text.indexOf('\t'), 'a tab where YAML takes only spaces (in the indentation, or after "- "): kubectl refuses it ("found character that cannot start any token"); write spaces'],
    ])
    expect(parsed.documents.map((d) => (d.value as { kind: string }).kind)).toEqual(['Namespace'])
  })

  it('takes any tab in a JSON stream', () => {
    const parsed = parseYamlFile('{\n\t"apiVersion": "v1",\n\t"kind": "Namespace",\n\t"metadata": {"name": "ok"}\n}\n')
    expect(parsed.errors).toEqual([])
    expect(parsed.documents).toHaveLength(1)
  })
})
