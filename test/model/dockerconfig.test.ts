// Unit tests for src/model/dockerconfig.ts: Go's base64 and encoding/json rules beyond the
// upstream vectors, and the guarantee that no error message repeats secret material.
import { describe, expect, it } from 'vitest'
import { AUTH_FIELD_FORMAT_ERROR, decodeAuthField, decodeDockerCfg, decodeDockerConfigJson, type DockerConfigResult } from '../../src/model/dockerconfig.js'

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64')

function entriesOf(result: DockerConfigResult): Record<string, { username: string; password: string; email: string; fromAuth: boolean; fields: string[]; tokens: string[] }> {
  if (!result.ok) throw new Error(`unexpected error: ${result.error}`)
  return Object.fromEntries(result.entries)
}

describe('decodeAuthField', () => {
  it.each([
    ['padded', 'Zm9vOmJhcg==', 'foo', 'bar'],
    ['unpadded', 'Zm9vOmJhcg', 'foo', 'bar'],
    ['newlines anywhere', 'Zm9v\nOmJh\r\ncg==', 'foo', 'bar'],
    ['trailing CRLF after padding', 'Zm9vOmJhcg==\r\n', 'foo', 'bar'],
    ['non-zero trailing bits (Go is not strict)', 'Zm9vOmJhch==', 'foo', 'bar'],
    ['colons in the password', b64('user:pa:ss:word'), 'user', 'pa:ss:word'],
    ['empty username', b64(':only-password'), '', 'only-password'],
    ['UTF-8 credentials', b64('jürgen:пароль'), 'jürgen', 'пароль'],
  ])('decodes %s', (_, input, username, password) => {
    expect(decodeAuthField(input)).toEqual({ ok: true, username, password })
  })

  it.each([
    ['a trailing space', 'Zm9vOmJhcg== '],
    ['missing padding on a padded value', 'Zm9vOmJhcg='],
    ['padding in an unpadded value', 'Zm9v=OmJh'],
    ['data after the padding', 'Zm8=Zm8='],
    ['a URL-safe alphabet character', 'Zm9v_mJhcg'],
    ['a single leftover character', 'Zm9vO'],
    ['a tab inside', 'Zm9v\tOmJhcg=='],
  ])('rejects %s', (_, input) => {
    const result = decodeAuthField(input)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/^illegal base64 data at input byte \d+$/)
  })

  it('requires a colon', () => {
    expect(decodeAuthField(b64('no-colon-here'))).toEqual({ ok: false, error: AUTH_FIELD_FORMAT_ERROR })
  })
})

describe('decodeDockerConfigJson', () => {
  it('reads only auths, case-insensitively, and lets a non-empty auth win', () => {
    const result = decodeDockerConfigJson(
      JSON.stringify({
        Auths: { 'r.io': { Username: 'u', PASSWORD: 'p', Email: 'e@x', IdentityToken: 'tok', registrytoken: '' }, 'a.io': { username: 'x', password: 'y', auth: b64('ping:pong') } },
        credsStore: 'desktop',
        credHelpers: { 'gcr.io': 'gcloud' },
      }),
    )
    expect(entriesOf(result)).toEqual({
      'r.io': { username: 'u', password: 'p', email: 'e@x', fromAuth: false, fields: ['username', 'password', 'email', 'identitytoken', 'registrytoken'], tokens: ['tok'] },
      'a.io': { username: 'ping', password: 'pong', email: '', fromAuth: true, fields: ['username', 'password', 'auth'], tokens: [] },
    })
  })

  it('folds field names per rune as Go does (long s folds to S), not by full case mapping', () => {
    const entries = entriesOf(decodeDockerConfigJson('{"auth\u017f":{"r.io":{"u\u017fername":"u","pa\u00dfword":"not-read"}}}'))
    expect(entries['r.io']).toMatchObject({ username: 'u', password: '' })
  })

  it('applies duplicate keys in order: last wins, null keeps the earlier value', () => {
    const text = '{"auths":{"r.io":{"username":"a","Username":"b","username":"c","password":"p","password":null,"auth":"","email":"x"}}}'
    expect(entriesOf(decodeDockerConfigJson(text))['r.io']).toMatchObject({ username: 'c', password: 'p', email: 'x', fromAuth: false })
  })

  it('replaces a duplicated registry entry whole', () => {
    const text = '{"auths":{"r.io":{"username":"a","password":"b"},"r.io":{"email":"e"}}}'
    expect(entriesOf(decodeDockerConfigJson(text))['r.io']).toMatchObject({ username: '', password: '', email: 'e' })
  })

  it('merges a repeated auths object, and a later null clears it', () => {
    expect(Object.keys(entriesOf(decodeDockerConfigJson('{"auths":{"a.io":{}},"AUTHS":{"b.io":{}}}')))).toEqual(['a.io', 'b.io'])
    expect(decodeDockerConfigJson('{"auths":{"a.io":{}},"auths":null}')).toEqual({ ok: true, entries: [], noAuthsWrapper: true })
  })

  it('yields zero entries, silently, without an auths object', () => {
    expect(decodeDockerConfigJson('{"r.io":{"username":"u","password":"p"}}')).toEqual({ ok: true, entries: [], noAuthsWrapper: true })
    expect(decodeDockerConfigJson('null')).toEqual({ ok: true, entries: [], noAuthsWrapper: true })
    expect(decodeDockerConfigJson('{"auths":{}}')).toEqual({ ok: true, entries: [] })
  })

  it('turns an identitytoken-only or null entry into a credential with an empty user and password', () => {
    const entries = entriesOf(decodeDockerConfigJson('{"auths":{"a.io":{"identitytoken":"t","registrytoken":"r","serveraddress":"s"},"b.io":null}}'))
    expect(entries['a.io']).toEqual({ username: '', password: '', email: '', fromAuth: false, fields: ['identitytoken', 'registrytoken', 'serveraddress'], tokens: ['t', 'r'] })
    expect(entries['b.io']).toEqual({ username: '', password: '', email: '', fromAuth: false, fields: [], tokens: [] })
  })

  it.each([
    ['a bool email', '{"auths":{"r.io":{"email":false}}}'],
    ['a number username', '{"auths":{"r.io":{"username":1}}}'],
    ['an array for auths', '{"auths":[]}'],
    ['a string entry', '{"auths":{"r.io":"user:pass"}}'],
    ['a top-level array', '[]'],
    ['a top-level string', '"auths"'],
    ['HttpHeaders of the wrong type', '{"auths":{},"HttpHeaders":"x"}'],
    ['a non-string header', '{"auths":{},"HttpHeaders":{"X-Meta":1}}'],
  ])('fails on %s, as Go does', (_, text) => {
    const result = decodeDockerConfigJson(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/^json: cannot unmarshal \w+ into Go /)
  })

  it('ignores unknown fields of any type', () => {
    expect(decodeDockerConfigJson('{"auths":{"r.io":{"username":"u","extra":[1,{"a":null}],"n":-0.5e+3}},"credsStore":5}').ok).toBe(true)
  })
})

describe('JSON syntax', () => {
  it.each([
    ['an empty document', '', 'unexpected end of JSON input'],
    ['whitespace only', ' \n\t', 'unexpected end of JSON input'],
    ['a truncated document', '{"auths":{', 'unexpected end of JSON input'],
    ['a trailing comma', '{"a":1,}', 'invalid JSON at offset 7'],
    ['a leading zero', '{"a":01}', 'invalid JSON at offset 6'],
    ['a bare decimal point', '{"a":1.}', 'invalid JSON at offset 7'],
    ['a byte-order mark', '\ufeff{}', 'invalid JSON at offset 0'],
    ['a second value', '{} {}', 'invalid JSON at offset 3'],
    ['a raw newline in a string', '{"a":"x\ny"}', 'invalid JSON at offset 7'],
    ['single quotes', "{'a':1}", 'invalid JSON at offset 1'],
  ])('rejects %s with a position-only message', (_, text, message) => {
    expect(decodeDockerCfg(text)).toEqual({ ok: false, error: message, apiRejects: true })
  })

  it('stops at Go’s nesting limit of 10000 without overflowing the stack', () => {
    const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`
    expect(decodeDockerCfg(nested(10000))).toEqual({ ok: false, error: 'json: cannot unmarshal array into Go value of type credentialprovider.DockerConfig', apiRejects: true })
    expect(decodeDockerCfg(nested(10001))).toEqual({ ok: false, error: 'exceeded max depth at offset 10000', apiRejects: true })
  })

  it('decodes escapes and replaces unpaired surrogates as Go does', () => {
    const entries = entriesOf(decodeDockerCfg('{"r.io":{"username":"a\\u00e9\\ud83d\\ude00\\n","password":"\\ud800x\\udc00"}}'))
    expect(entries['r.io'].username).toBe('aé😀\n')
    expect(entries['r.io'].password).toBe('\ufffdx\ufffd')
  })
})

describe('decodeDockerCfg', () => {
  it('reads the flat map and keeps keys verbatim', () => {
    const entries = entriesOf(decodeDockerCfg(JSON.stringify({ 'https://index.docker.io/v1/': { auth: b64('u:p') }, 'quay.io': { username: 'q', password: 'r' } })))
    expect(Object.keys(entries)).toEqual(['https://index.docker.io/v1/', 'quay.io'])
    expect(entries['https://index.docker.io/v1/']).toMatchObject({ username: 'u', password: 'p', fromAuth: true })
  })

  it('reads an auths wrapper as a registry literally named auths, with no credentials', () => {
    const entries = entriesOf(decodeDockerCfg(JSON.stringify({ auths: { 'r.io': { auth: b64('u:p') } } })))
    expect(entries).toEqual({ auths: { username: '', password: '', email: '', fromAuth: false, fields: ['r.io'], tokens: [] } })
  })
})

describe('error messages never contain secret material', () => {
  const SECRET = 's3cr3t'
  const cases: Array<[string, string]> = [
    ['a bad auth field', `{"auths":{"r.io":{"auth":"${SECRET}!!"}}}`],
    ['an auth field without a colon', `{"auths":{"r.io":{"auth":"${b64(`${SECRET}-no-colon`)}"}}}`],
    ['bad JSON after the secret', `{"auths":{"r.io":{"password":"${SECRET}" x}}}`],
    ['bad JSON inside the secret', `{"auths":{"r.io":{"password":"${SECRET}\\q"}}}`],
    ['a truncated secret', `{"auths":{"r.io":{"password":"${SECRET}`],
    ['a secret of the wrong type', `{"auths":{"r.io":{"password":["${SECRET}"]}}}`],
    ['a secret as the registry key of a bad entry', `{"auths":{"${SECRET}":{"email":false}}}`],
  ]

  it.each(cases)('for %s', (_, text) => {
    for (const result of [decodeDockerConfigJson(text), decodeDockerCfg(text)]) {
      if (result.ok) continue
      expect(result.error).not.toContain(SECRET)
      expect(result.error).not.toContain(b64(`${SECRET}-no-colon`))
    }
    expect(decodeDockerConfigJson(text).ok).toBe(false)
  })

  it('for decodeAuthField itself', () => {
    for (const input of [`${SECRET}!!`, b64(SECRET)]) {
      const result = decodeAuthField(input)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error).not.toContain(SECRET)
    }
  })
})
