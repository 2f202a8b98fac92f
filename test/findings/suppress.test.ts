// commentOf: where a YAML line's comment starts, as the suppression comments are read.
import { describe, expect, it } from 'vitest'
import { commentOf } from '../../src/findings/suppress.js'

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
  ])('%j → %j', (line, comment) => {
    expect(commentOf(line)).toBe(comment)
  })
})
