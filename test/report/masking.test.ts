// The secret maskers against the obvious implementation (one regular expression alternation,
// longest secret first), on random secrets and random texts built from them.
import { describe, expect, it } from 'vitest'
import { jsonTextMasker, MASK, maskDeep, onlyInStrings, secretMasker } from '../../src/report/text.js'
// @ts-expect-error: a JavaScript module without types
import { rng } from '../../scripts/bench/generate.mjs'

// Characters that matter: quotes, backslashes, line breaks and tabs (escaped in JSON), digits
// (a secret that looks like a number, or like the digits of a `\\u0001` escape), non-ASCII.
const ALPHABET = ['a', 'b', 'c', 'a', 'b', '1', '2', '0', '"', '\\', '\n', '\t', '\u0001', ' ', ':', 'é', '€', '=', 't', 'r', 'u', 'e']

function word(next: () => number, min: number, max: number): string {
  const n = min + Math.floor(next() * (max - min + 1))
  let s = ''
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)]
  return s
}

function reference(secretValues: string[]): (text: string) => string {
  const secrets = [...new Set(secretValues)].filter((v) => v.trim() !== '').sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
  if (!secrets.length) return (text) => text
  const pattern = new RegExp(secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
  return (text) => text.replace(pattern, MASK)
}

function randomCase(seed: number): { secrets: string[]; texts: string[] } {
  const next = rng(seed)
  const secrets = Array.from({ length: 1 + Math.floor(next() * 6) }, () => word(next, 1, 6))
  if (next() < 0.3) secrets.push('1234', 'true')
  const texts = Array.from({ length: 8 }, () => {
    let t = ''
    const parts = Math.floor(next() * 6)
    for (let i = 0; i < parts; i++) t += next() < 0.5 ? secrets[Math.floor(next() * secrets.length)] : word(next, 0, 5)
    return t
  })
  return { secrets, texts }
}

describe('secretMasker', () => {
  it('masks as a longest-first alternation would, on 2000 random cases', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const { secrets, texts } = randomCase(seed)
      const mask = secretMasker(secrets)
      const expected = reference(secrets)
      for (const text of texts) expect(mask(text), `seed ${seed}: ${JSON.stringify({ secrets, text })}`).toBe(expected(text))
    }
  })

  it('keeps a text without secrets as it is (the same string)', () => {
    const text = 'nothing to hide here'
    expect(secretMasker(['s3cret', 'abc'])(text)).toBe(text)
  })
})

describe('jsonTextMasker', () => {
  it('gives the JSON of the values masked one by one, on 2000 random cases', () => {
    // The masker searches the whole text when no secret can match outside a string literal (each
    // holds no quote and a character that JSON's structure, numbers and literals never use), and
    // literal by literal otherwise: both must be taken often.
    let wholeText = 0
    for (let seed = 1; seed <= 2000; seed++) {
      const { secrets, texts } = randomCase(seed)
      const escaped = secrets.map((s) => JSON.stringify(s).slice(1, -1))
      if (escaped.every(onlyInStrings)) wholeText++
      const next = rng(seed * 7919)
      const value = {
        list: texts,
        keyed: Object.fromEntries(texts.map((t, i) => [`k${i}_${t}`, i])),
        number: 1234,
        flag: true,
        nested: [{ text: texts[0] ?? '' }, null],
      }
      if (next() < 0.5) value.list.reverse()
      const expected = JSON.stringify(maskDeep(value, secretMasker(secrets)), null, 2)
      const actual = jsonTextMasker(secrets)(JSON.stringify(value, null, 2))
      expect(actual, `seed ${seed}: ${JSON.stringify(secrets)}`).toBe(expected)
      expect(() => JSON.parse(actual)).not.toThrow()
    }
    expect(wholeText).toBeGreaterThan(200)
    expect(wholeText).toBeLessThan(1800)
  })

  it('never touches numbers, booleans or the structure', () => {
    const json = JSON.stringify({ a: 1234, b: true, c: ['1234', 'true'] })
    expect(jsonTextMasker(['1234', 'true'])(json)).toBe('{"a":1234,"b":true,"c":["***","***"]}')
  })
})
