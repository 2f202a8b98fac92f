// Unit tests for src/model/reference.ts: what the upstream vectors leave out (pull-policy
// defaulting, the kubelet's digest algorithms, Go's lower-casing, message shapes).
import { describe, expect, it } from 'vitest'
import {
  defaultPullPolicy,
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
} from '../../src/model/reference.js'

const HEX64 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

describe('defaultPullPolicy', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['docker.io/library/nginx', 'Always'],
    ['ghcr.io/org/app', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['nginx:Latest', 'IfNotPresent'],
    [`nginx@sha256:${HEX64}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${HEX64}`, 'Always'],
    [`nginx:1.27@sha256:${HEX64}`, 'IfNotPresent'],
    // No slash: 5000 is a tag, not a port.
    ['localhost:5000', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    // Unparsable images default to IfNotPresent: the parse error is ignored at defaulting time.
    ['NGINX', 'IfNotPresent'],
    ['', 'IfNotPresent'],
    ['nginx:', 'IfNotPresent'],
    [HEX64, 'IfNotPresent'],
  ] as const)('%j → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy)
  })
})

describe('digest algorithms', () => {
  it('accepts the algorithms the kubelet links in, each only at its exact length', () => {
    expect(parseImageName(`app@sha256:${HEX64}`).ok).toBe(true)
    expect(parseImageName(`app@sha384:${'a'.repeat(96)}`).ok).toBe(true)
    expect(parseImageName(`app@sha512:${'a'.repeat(128)}`).ok).toBe(true)
    expect(parse(`app@sha512:${'a'.repeat(64)}`)).toEqual({ ok: false, error: REFERENCE_ERRORS['digest.ErrDigestInvalidLength'] })
  })

  it('rejects an unregistered algorithm and upper-case hex', () => {
    expect(parse(`app@md5:${'a'.repeat(32)}`)).toEqual({ ok: false, error: 'unsupported digest algorithm' })
    expect(parse(`app@sha256:${HEX64.toUpperCase()}`)).toEqual({ ok: false, error: 'invalid checksum digest format' })
  })

  it('honours a narrower algorithm set, as in a binary that links only sha256', () => {
    expect(parse(`app@sha512:${'a'.repeat(128)}`, new Map([['sha256', 64]]))).toEqual({ ok: false, error: 'unsupported digest algorithm' })
  })
})

describe('parse limits and errors', () => {
  it('counts only the path toward the 255-character limit', () => {
    const domain = `${'d'.repeat(200)}.example.com`
    expect(parse(`${domain}/${'p'.repeat(255)}`).ok).toBe(true)
    expect(parse(`${domain}/${'p'.repeat(256)}`)).toEqual({ ok: false, error: REFERENCE_ERRORS.ErrNameTooLong })
    expect(withName(`${domain}/${'p'.repeat(256)}`)).toEqual({ ok: false, error: REFERENCE_ERRORS.ErrNameTooLong })
  })

  it('lower-cases like Go when telling upper case apart from a bad format', () => {
    // Kelvin sign and dotted capital I lower-case to ASCII in Go, so these are "uppercase" errors.
    expect(parse('\u212Aube')).toEqual({ ok: false, error: REFERENCE_ERRORS.ErrNameContainsUppercase })
    expect(parse('\u0130mage')).toEqual({ ok: false, error: REFERENCE_ERRORS.ErrNameContainsUppercase })
    expect(parse('ima ge')).toEqual({ ok: false, error: REFERENCE_ERRORS.ErrReferenceInvalidFormat })
  })

  it('reports the lower-case rule with the remote name, as ParseNormalizedNamed does', () => {
    expect(parseNormalizedNamed('Foo')).toEqual({ ok: false, error: 'invalid reference format: repository name (library/Foo) must be lowercase' })
    expect(parseNormalizedNamed('docker.io/Org/app:Tag')).toEqual({ ok: false, error: 'invalid reference format: repository name (Org/app) must be lowercase' })
  })

  it('wraps errors as parsers.ParseImageName does', () => {
    expect(parseImageName('ROOT')).toEqual({
      ok: false,
      error: 'couldn\'t parse image name "ROOT": invalid reference format: repository name (library/ROOT) must be lowercase',
    })
  })

  it('keeps a tag and a digest together', () => {
    const result = parseNormalizedNamed(`busybox:1.36@sha256:${HEX64}`)
    expect(result).toEqual({ ok: true, ref: { domain: 'docker.io', path: 'library/busybox', name: 'docker.io/library/busybox', tag: '1.36', digest: `sha256:${HEX64}` } })
  })

  it('treats an upper-case first component as a registry', () => {
    expect(parseImageName('MyRegistry/app')).toMatchObject({ ok: true, ref: { domain: 'MyRegistry', path: 'app', name: 'MyRegistry/app', tag: 'latest' } })
  })
})

describe('string forms', () => {
  it('renders a bare digest reference as the digest alone', () => {
    const result = parseAnyReference(HEX64)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.ref.name).toBe('')
    expect(referenceString(result.ref)).toBe(`sha256:${HEX64}`)
    expect(familiarString(result.ref)).toBe(`sha256:${HEX64}`)
  })

  it('drops docker.io and a single-level library/ only', () => {
    const official = parseNormalizedNamed('docker.io/library/redis:7')
    const nested = parseNormalizedNamed('library/foo/bar:1')
    const other = parseNormalizedNamed('quay.io/library/redis:7')
    expect(official.ok && familiarString(official.ref)).toBe('redis:7')
    expect(nested.ok && familiarString(nested.ref)).toBe('library/foo/bar:1')
    expect(other.ok && familiarString(other.ref)).toBe('quay.io/library/redis:7')
  })

  it('gives ParseDockerRef the digested form when both tag and digest are present', () => {
    expect(parseDockerRef(`ghcr.io/a/b:v1@sha256:${HEX64}`)).toMatchObject({ ok: true, canonical: `ghcr.io/a/b@sha256:${HEX64}` })
    expect(parseDockerRef('ghcr.io/a/b')).toMatchObject({ ok: true, canonical: 'ghcr.io/a/b:latest' })
    expect(parseDockerRef('Bad Ref').ok).toBe(false)
  })
})

describe('exported regexps', () => {
  it('are not stateful between calls', () => {
    const input = 'registry.com:8080/myapp:tag'
    expect(referenceRegexp.test(input)).toBe(true)
    expect(referenceRegexp.test(input)).toBe(true)
    expect(referenceRegexp.exec(input)?.slice(1)).toEqual(['registry.com:8080/myapp', 'tag', undefined])
  })
})
