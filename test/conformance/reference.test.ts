// Conformance: every case of ../shared/vectors/reference.json (distribution/reference and k8s
// parsers upstream tests, plus derived cases) run against src/model/reference.ts, one test each.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  anchoredIdentifierRegexp,
  anchoredNameRegexp,
  domainAndPortRegexp,
  familiarName,
  familiarString,
  parse,
  parseAnyReference,
  parseDockerRef,
  parseImageName,
  parseNormalizedNamed,
  referenceRegexp,
  referenceString,
  REFERENCE_ERRORS,
  withName,
  type DigestAlgorithms,
  type ReferenceResult,
} from '../../src/model/reference.js'

interface ReferenceCase {
  source: string
  fn: string
  input: string
  valid?: boolean
  domain?: string
  path?: string
  name?: string
  tag?: string | null
  digest?: string | null
  fullName?: string
  familiarName?: string
  familiarString?: string
  string?: string
  error?: string
  errorContains?: string
  regexpMatch?: boolean
  subs?: string[]
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const cases = JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/vectors/reference.json'), 'utf8')) as ReferenceCase[]

// distribution/reference's own test binary links only crypto/sha256, so there sha512 digests are
// "unsupported"; the kubelet links sha512 (and with it sha384). Each case runs in its source's world.
const SHA256_ONLY: DigestAlgorithms = new Map([['sha256', 64]])
const algorithmsFor = (c: ReferenceCase): DigestAlgorithms | undefined => (c.source.startsWith('distribution/reference') ? SHA256_ONLY : undefined)

const errorMessage = (constant: string): string => {
  const message = (REFERENCE_ERRORS as Record<string, string>)[constant]
  if (message === undefined) throw new Error(`no message known for upstream error ${constant}`)
  return message
}

function checkResult(c: ReferenceCase, result: ReferenceResult, extra?: { string?: string }): void {
  if (c.valid === false) {
    expect(result.ok, 'expected a parse error').toBe(false)
    if (result.ok) return
    if (c.error !== undefined) expect(result.error).toBe(errorMessage(c.error))
    if (c.errorContains !== undefined) expect(result.error).toContain(c.errorContains)
    return
  }
  expect(result.ok ? '' : result.error).toBe('')
  if (!result.ok) return
  const { ref } = result
  if (c.domain !== undefined) expect(ref.domain).toBe(c.domain)
  if (c.path !== undefined) expect(ref.path).toBe(c.path)
  if (c.name !== undefined) expect(ref.name).toBe(c.name)
  if (c.tag !== undefined) expect(ref.tag ?? null).toBe(c.tag)
  if (c.digest !== undefined) expect(ref.digest ?? null).toBe(c.digest)
  if (c.fullName !== undefined) expect(referenceString(ref)).toBe(c.fullName)
  if (c.familiarName !== undefined) expect(familiarName(ref)).toBe(c.familiarName)
  if (c.familiarString !== undefined) expect(familiarString(ref)).toBe(c.familiarString)
  if (c.string !== undefined) expect(extra?.string ?? referenceString(ref)).toBe(c.string)
}

function checkRegexp(c: ReferenceCase, regexp: RegExp, groups: number): void {
  const match = regexp.exec(c.input)
  expect(match !== null).toBe(c.regexpMatch)
  if (match === null || c.subs === undefined) return
  // Go reports a group that did not take part as ''.
  const subs = Array.from({ length: groups }, (_, i) => match[i + 1] ?? '')
  expect(subs).toEqual(c.subs)
}

function run(c: ReferenceCase): void {
  const algorithms = algorithmsFor(c)
  if (c.fn === 'Parse (not normalized)') return checkResult(c, parse(c.input, algorithms))
  if (c.fn === 'ParseNormalizedNamed') return checkResult(c, parseNormalizedNamed(c.input, algorithms))
  if (c.fn.startsWith('k8s parsers.ParseImageName')) return checkResult(c, parseImageName(c.input))
  if (c.fn === 'ParseAnyReference') return checkResult(c, parseAnyReference(c.input, algorithms))
  if (c.fn === 'ParseDockerRef') {
    const result = parseDockerRef(c.input, algorithms)
    return checkResult(c, result, { string: result.ok ? result.canonical : undefined })
  }
  if (c.fn.startsWith('WithName')) return checkResult(c, withName(c.input))
  if (c.fn.startsWith('regexp domainAndPort')) return checkRegexp(c, domainAndPortRegexp, 0)
  if (c.fn.startsWith('regexp anchoredNameRegexp')) return checkRegexp(c, anchoredNameRegexp, 2)
  if (c.fn.startsWith('regexp referenceRegexp')) return checkRegexp(c, referenceRegexp, 3)
  if (c.fn.startsWith('regexp anchoredIdentifierRegexp')) return checkRegexp(c, anchoredIdentifierRegexp, 1)
  throw new Error(`no dispatcher for fn ${c.fn}`)
}

const shorten = (s: string): string => (s.length > 70 ? `${s.slice(0, 67)}…(${s.length})` : s)
const testName = (c: ReferenceCase, index: number): string => `#${index} ${c.fn.split(' (')[0]} ${JSON.stringify(shorten(c.input))} [${c.source.split(' ').slice(-1)[0]}]`

describe('reference.json conformance', () => {
  it('holds the 316 cases the table promises', () => {
    expect(cases).toHaveLength(316)
  })
  for (const [index, c] of cases.entries()) {
    it(testName(c, index), () => run(c))
  }
})
