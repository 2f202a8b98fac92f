// commentOf: where a YAML line's comment starts, as the suppression comments are read.
import { describe, expect, it } from 'vitest'
import { commentOf, findSuppression } from '../../src/findings/suppress.js'
import { loadSource, type SourceFile } from '../../src/source/files.js'
import type { PositionTable } from '../../src/source/yaml.js'

describe('commentOf', () => {
  it.each([
    ['# alone', '# alone'],
    ['  image: a:1 # note', '# note'],
    ['  image: a:1\t#tab before', '#tab before'],
    ['  image: a:1#no space before', undefined],
    ['  - {name: "c #1", image: b} # after', '# after'],
    ['  args: ["x \\" # still quoted"] # out', '# out'],
    ["  args: ['it''s # quoted'] #out", '#out'],
    ["  msg: don't # a plain scalar's quote opens nothing", "# a plain scalar's quote opens nothing"],
    ['  msg: "an open quote # runs on to the next line', undefined],
    ['  key: value', undefined],
    ['{"labels":{"x":"a # in a string"},"image":"b"}', undefined],
    ['{"image":"b"} # after minified JSON', '# after minified JSON'],
  ])('%j → %j', (line, comment) => {
    expect(commentOf(line)).toBe(comment)
  })
})

describe('findSuppression reads lines only where a file spells pullcheck-ignore, each line once', () => {
  /** A one-line file of `size` characters (a minified JSON List, say), counting the lines it is asked for. */
  function oneLineFile(text: string): { file: SourceFile; asked: () => number } {
    let asked = 0
    const positions = {
      offsetOfLine(line: number) {
        asked++
        return line === 1 ? 0 : undefined
      },
    } as unknown as PositionTable
    return { file: { path: 'list.json', text, positions, problems: [] }, asked: () => asked }
  }

  it('never reads a line of a file without the directive', () => {
    const { file, asked } = oneLineFile(`{"items": [${'{"a": "# b"}, '.repeat(1000)}{}]}`)
    for (let i = 0; i < 1000; i++) expect(findSuppression('no-pull-secret', file, 1, undefined)).toBeUndefined()
    expect(asked()).toBe(0)
  })

  it('does not scan back to the top of the file for every comment in column 0 (which no block scalar holds)', () => {
    const doc = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n# pullcheck-ignore no-pull-secret: mirrored\n    - {name: c, image: a}\n'
    const file = loadSource('many.yaml', Array.from({ length: 2000 }, () => doc).join('---\n'))
    let asked = 0
    const offsetOfLine = file.positions.offsetOfLine.bind(file.positions)
    file.positions.offsetOfLine = (line: number) => {
      asked++
      return offsetOfLine(line)
    }
    for (let i = 0; i < 2000; i++) expect(findSuppression('no-pull-secret', file, i * 8 + 7, undefined)).toEqual({ by: 'comment', reason: 'mirrored' })
    expect(asked).toBeLessThanOrEqual(2000 * 6)
  })

  it('walks a run of sibling lines once, not once per comment (a List of flow-style items, each with its comment)', () => {
    const items = Array.from({ length: 2000 }, (_, i) => `  # pullcheck-ignore no-pull-secret: mirrored\n  - {apiVersion: v1, kind: Pod, metadata: {name: p${i}}}\n`)
    const file = loadSource('list.yaml', `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`)
    let asked = 0
    const offsetOfLine = file.positions.offsetOfLine.bind(file.positions)
    file.positions.offsetOfLine = (line: number) => {
      asked++
      return offsetOfLine(line)
    }
    for (let i = 0; i < 2000; i++) expect(findSuppression('no-pull-secret', file, 5 + 2 * i, undefined)).toEqual({ by: 'comment', reason: 'mirrored' })
    expect(asked).toBeLessThanOrEqual(2000 * 12)
  })

  it('reads a line that holds it once, however many findings sit on it', () => {
    const { file, asked } = oneLineFile(`{"items": [${'{"a": 1}, '.repeat(1000)}{}]} # pullcheck-ignore no-pull-secret: vendored`)
    for (let i = 0; i < 1000; i++) expect(findSuppression('no-pull-secret', file, 1, undefined)).toEqual({ by: 'comment', reason: 'vendored' })
    expect(asked()).toBeLessThanOrEqual(2)
  })
})
