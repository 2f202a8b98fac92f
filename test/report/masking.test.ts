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

// The masker's rule, written out: at each offset, the secrets longest first; one that is only part
// of a longer word (letters or digits go on past an end of it that is a letter or digit, or it lies
// inside a word of the vocabulary) is passed over.
function reference(secretValues: string[], vocabulary: string[] = []): (text: string) => string {
  const secrets = [...new Set(secretValues)].filter((v) => v.trim() !== '').sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
  const isWord = (c: string | undefined) => c !== undefined && /^\w$/.test(c)
  const inVocabulary = (text: string, i: number, secret: string) =>
    vocabulary.some((word) => {
      for (let o = word.indexOf(secret); o >= 0; o = word.indexOf(secret, o + 1)) if (i >= o && text.startsWith(word, i - o)) return true
      return false
    })
  return (text) => {
    let out = ''
    let i = 0
    next: while (i < text.length) {
      for (const secret of secrets) {
        if (!text.startsWith(secret, i)) continue
        const glued = (isWord(secret[0]) && isWord(text[i - 1])) || (isWord(secret[secret.length - 1]) && isWord(text[i + secret.length]))
        if (glued || inVocabulary(text, i, secret)) continue
        out += MASK
        i += secret.length
        continue next
      }
      out += text[i++]
    }
    return out
  }
}

function randomCase(seed: number): { secrets: string[]; texts: string[]; vocabulary: string[] } {
  const next = rng(seed)
  const secrets = Array.from({ length: 1 + Math.floor(next() * 6) }, () => word(next, 1, 6))
  if (next() < 0.3) secrets.push('1234', 'true')
  // Words of the reports' own, some holding a secret (as `password-not-token` holds `pass`).
  const vocabulary = Array.from({ length: Math.floor(next() * 3) }, () => word(next, 0, 2) + secrets[Math.floor(next() * secrets.length)] + word(next, 0, 2))
  const texts = Array.from({ length: 8 }, () => {
    let t = ''
    const parts = Math.floor(next() * 6)
    for (let i = 0; i < parts; i++) {
      const r = next()
      t += r < 0.4 ? secrets[Math.floor(next() * secrets.length)] : r < 0.55 && vocabulary.length ? vocabulary[Math.floor(next() * vocabulary.length)] : word(next, 0, 5)
    }
    return t
  })
  return { secrets, texts, vocabulary }
}

describe('secretMasker', () => {
  it('masks as the rule written out does, on 2000 random cases', () => {
    let passedOver = 0
    for (let seed = 1; seed <= 2000; seed++) {
      const { secrets, texts, vocabulary } = randomCase(seed)
      const mask = secretMasker(secrets, vocabulary)
      const expected = reference(secrets, vocabulary)
      for (const text of texts) {
        expect(mask(text), `seed ${seed}: ${JSON.stringify({ secrets, vocabulary, text })}`).toBe(expected(text))
        // Cases where a secret is in the text yet left as it is (part of a word) must be common.
        if (secrets.some((s) => s.trim() !== '' && expected(text).includes(s))) passedOver++
      }
    }
    expect(passedOver).toBeGreaterThan(500)
  })

  it('masks a whole word, not the same letters inside a longer word or a word of the reports', () => {
    const mask = secretMasker(['pass', 'registry'], ['password-not-token', 'registry-not-covered'])
    expect(mask('whose password is not an access token  password-not-token')).toBe('whose password is not an access token  password-not-token')
    expect(mask('user:pass, "pass", pass.')).toBe('user:***, "***", ***.')
    expect(mask('commits registry credentials  registry-not-covered')).toBe('commits *** credentials  registry-not-covered')
    expect(mask('ghcr.io/acme/pass:1 passes bypass')).toBe('ghcr.io/acme/***:1 passes bypass')
    // An end of the secret that is not a letter or digit is masked whatever is next to it.
    expect(secretMasker(['@ss!'])('xp@ss!y')).toBe('xp***y')
    expect(secretMasker(['p@ss!'])('xp@ss! p@ss!y')).toBe('xp@ss! ***y')
  })

  it('masks a secret right after a terminal colour (the letter m ends the escape, not a word)', () => {
    expect(secretMasker(['s3cret'])('\u001b[90ms3cret\u001b[39m \u001b[1;31ms3cret')).toBe('\u001b[90m***\u001b[39m \u001b[1;31m***')
    expect(secretMasker(['s3cret'])('rms3cret')).toBe('rms3cret')
  })

  it('masks as the rule written out does when thousands of secrets share their first letters (tokens: ghp_…, hunter0…hunter2999)', () => {
    const tokens = Array.from({ length: 1500 }, (_, i) => `ghp_${i.toString(36).padStart(6, 'x')}${'a'.repeat(i % 7)}`)
    const hunters = Array.from({ length: 3000 }, (_, i) => `hunter${i}`)
    const secrets = [...tokens, ...hunters, 'pass']
    const text = [
      ...tokens.filter((_, i) => i % 50 === 0).map((t) => `token ${t} and ${t}z and ghp_ alone`),
      ...hunters.filter((_, i) => i % 70 === 0).map((h) => `user:${h} ${h}0x ${h.slice(0, -1)}`),
      'password pass ghp_',
    ].join('\n')
    expect(secretMasker(secrets)(text)).toBe(reference(secrets)(text))
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
      const { secrets, texts, vocabulary } = randomCase(seed)
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
      const expected = JSON.stringify(maskDeep(value, secretMasker(secrets, vocabulary)), null, 2)
      const actual = jsonTextMasker(secrets, vocabulary)(JSON.stringify(value, null, 2))
      expect(actual, `seed ${seed}: ${JSON.stringify({ secrets, vocabulary })}`).toBe(expected)
      expect(() => JSON.parse(actual)).not.toThrow()
    }
    expect(wholeText).toBeGreaterThan(200)
    expect(wholeText).toBeLessThan(1800)
  })

  it('never touches numbers, booleans or the structure', () => {
    const json = JSON.stringify({ a: 1234, b: true, c: ['1234', 'true'] })
    expect(jsonTextMasker(['1234', 'true'])(json)).toBe('{"a":1234,"b":true,"c":["***","***"]}')
  })

  it('leaves keys alone (the schema), masks values, and takes an escape before a secret as a boundary', () => {
    // A secret with a letter JSON's structure never uses: the whole text is searched at once.
    const json = JSON.stringify({ message: 'message', text: 'a\nmessage\u0001message', ruleId: 'message-rule' }, null, 2)
    expect(JSON.parse(jsonTextMasker(['message'], ['message-rule'])(json))).toEqual({ message: '***', text: 'a\n***\u0001***', ruleId: 'message-rule' })
    // Digits only: one literal at a time.
    const digits = JSON.stringify({ 12: '12', text: 'a\n12\u000112', ruleId: '12-rule' }, null, 2)
    expect(JSON.parse(jsonTextMasker(['12'], ['12-rule'])(digits))).toEqual({ 12: '***', text: 'a\n***\u0001***', ruleId: '12-rule' })
  })
})
