// Unit tests for src/model/keyring.ts: key normalisation through Go's url.Parse, filepath.Match,
// lookup order and fallback, MakeDockerKeyring's secret rules, and the miss explanations.
import { describe, expect, it } from 'vitest'
import {
  explainMiss,
  filepathMatch,
  keyCovers,
  Keyring,
  makeDockerKeyring,
  nearestKey,
  normalizeKey,
  shownKey,
  unionLookup,
  urlsMatchStr,
  type PullSecretInput,
} from '../../src/model/keyring.js'

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64')

describe('normalizeKey', () => {
  it.each([
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['https://index.docker.io/v2/', 'index.docker.io'],
    ['https://index.docker.io/v1', 'index.docker.io/v1'],
    ['docker.io', 'docker.io'],
    ['https://quay.io/v1/', 'quay.io'],
    ['http://foo.example.com', 'foo.example.com'],
    ['registry.example.com:5000/team', 'registry.example.com:5000/team'],
    ['https://r.io/v2/team', 'r.io/team'],
    ['https://r.io/', 'r.io'],
    ['r.io?x=1', 'r.io'],
    ['r.io#fragment', 'r.io'],
    ['user:pw@r.io', 'r.io'],
    ['r.io/a%20b', 'r.io/a b'],
    ['Registry.Example.com', 'Registry.Example.com'],
    ['*.azurecr.io', '*.azurecr.io'],
    ['[::1]:5000', '[::1]:5000'],
    ['r.io:', 'r.io:'],
    ['', ''],
    // Only lower-case schemes are recognised, so this host is literally "HTTPS:".
    ['HTTPS://r.io', 'HTTPS://r.io'],
  ])('%j → %j', (raw, key) => {
    expect(normalizeKey(raw)).toBe(key)
  })

  it.each([
    ['a non-numeric port', 'r.io:abc'],
    ['a space in the host', 'my registry.io'],
    ['a bad escape in the path', 'r.io/%zz'],
    ['an escaped ASCII byte in the host', 'r%41.io'],
    ['a control character', 'r.io/\tteam'],
    ['an IPv4 address in brackets', '[10.0.0.1]:5000'],
    ['a bracket not at the start of the host', 'a[::1]'],
    ['a scheme-like prefix with a bad port', 'https:r.io'],
    ['bad userinfo', 'us{er@r.io'],
  ])('rejects %s', (_, raw) => {
    expect(normalizeKey(raw)).toBeUndefined()
  })
})

describe('filepathMatch', () => {
  it.each([
    ['*', 'anything', true],
    ['*', 'a/b', false],
    ['a*b', 'aXYb', true],
    ['a*b', 'aXYc', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[a-c]r', 'br', true],
    ['[a-c]r', 'dr', false],
    ['[^a-c]r', 'dr', true],
    ['[^a-c]r', 'ar', false],
    ['[xyz]', 'y', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['[\\]]', ']', true],
    ['Quay', 'quay', false],
    ['*kubernetes', 'kubernetes', true],
    ['é?', 'éx', true],
  ] as const)('%j against %j → %s', (pattern, name, expected) => {
    expect(filepathMatch(pattern, name)).toBe(expected)
  })

  it.each([
    ['[a-', 'a'],
    ['[]a]', ']'],
    ['a\\', 'a'],
    ['[', 'x'],
    // Go still reports the bad class after the literal part has failed.
    ['b[', 'a'],
  ])('reports %j as malformed', (pattern, name) => {
    expect(filepathMatch(pattern, name)).toBeUndefined()
  })

  it('cannot be reached with a class in a key, which Go’s url.Parse rejects', () => {
    expect(urlsMatchStr('[a-c]r.io', 'br.io')).toBe(false)
    expect(normalizeKey('[a-c]r.io')).toBeUndefined()
    expect(urlsMatchStr('*r.io', 'br.io')).toBe(true)
  })
})

describe('Keyring', () => {
  it('skips invalid keys and reports them', () => {
    const keyring = new Keyring<string>()
    expect(keyring.add('r.io:abc', 'x')).toBe(false)
    expect(keyring.add('r.io', 'y')).toBe(true)
    expect(keyring.keys()).toEqual(['r.io'])
  })

  it('deduplicates and reverse-sorts keys, a literal label before *', () => {
    const keyring = new Keyring<string>()
    for (const key of ['quay.io', 'https://quay.io/v1/', 'quay.io/coreos', '*.example.com', 'a.example.com', 'docker.io']) keyring.add(key, key)
    expect(keyring.keys()).toEqual(['quay.io/coreos', 'quay.io', 'docker.io', 'a.example.com', '*.example.com'])
  })

  it('returns every matching key, most specific first, same-key credentials in insertion order', () => {
    const keyring = new Keyring<string>()
    keyring.add('quay.io', 'first')
    keyring.add('quay.io/coreos', 'coreos')
    keyring.add('https://quay.io/v1/', 'second')
    expect(keyring.lookup('quay.io/coreos/etcd')).toEqual(['coreos', 'first', 'second'])
    expect(keyring.lookup('quay.io/other/etcd')).toEqual(['first', 'second'])
  })

  it('falls back to index.docker.io only when nothing matched', () => {
    const both = new Keyring<string>()
    both.add('https://index.docker.io/v1/', 'index')
    both.add('docker.io', 'hub')
    expect(both.lookup('docker.io/library/nginx')).toEqual(['hub'])

    const indexOnly = new Keyring<string>()
    indexOnly.add('https://index.docker.io/v1/', 'index')
    expect(indexOnly.lookup('docker.io/library/nginx')).toEqual(['index'])
    expect(indexOnly.lookup('ghcr.io/a/b')).toEqual([])
    // isDefaultRegistryMatch only looks for a dot or colon, so localhost and upper-case hosts qualify.
    expect(indexOnly.lookup('localhost/app')).toEqual(['index'])
    expect(indexOnly.lookup('MyRegistry/app')).toEqual(['index'])
  })

  it('never matches Docker Hub through index.docker.io/v1 or registry-1.docker.io', () => {
    const keyring = new Keyring<string>()
    keyring.add('https://index.docker.io/v1', 'no-slash')
    keyring.add('registry-1.docker.io', 'registry-1')
    expect(keyring.lookup('docker.io/library/nginx')).toEqual([])
  })

  it('returns copies, so callers cannot change stored credentials', () => {
    const keyring = new Keyring<string>()
    keyring.add('index.docker.io', 'index')
    keyring.lookup('docker.io/library/nginx').push('intruder')
    expect(keyring.lookup('docker.io/library/nginx')).toEqual(['index'])
  })
})

describe('unionLookup', () => {
  it('concatenates in keyring order and skips absent keyrings', () => {
    const a = new Keyring<string>()
    a.add('r.io', 'a')
    const b = { lookup: (): string[] => ['node'] }
    expect(unionLookup([a, null, undefined, b], 'r.io/app')).toEqual(['a', 'node'])
  })
})

describe('keyCovers', () => {
  it.each([
    ['docker.io', 'docker.io/library/nginx', true],
    ['index.docker.io', 'docker.io/library/nginx', true],
    ['index.docker.io/v1', 'docker.io/library/nginx', false],
    ['registry-1.docker.io', 'docker.io/library/nginx', false],
    ['index.docker.io', 'ghcr.io/a/b', false],
    ['*.azurecr.io', 'team.azurecr.io/app', true],
    ['r.io/team', 'r.io/teamx/app', true],
  ] as const)('%s covers %s: %s', (key, repository, expected) => {
    expect(keyCovers(key, repository)).toBe(expected)
  })
})

describe('explainMiss', () => {
  it.each([
    ['registry.example.com:5000', 'registry.example.com/app', 'the key has port 5000 but the image has none'],
    ['registry.example.com', 'registry.example.com:5000/app', 'the key has no port but the image has port 5000'],
    ['registry.example.com:5000', 'registry.example.com:5001/app', 'the key has port 5000 but the image has port 5001'],
    ['a.quay.io', 'quay.io/app', "the key has 3 host labels but the image's registry has 2"],
    ['registry.example.com/team', 'registry.example.com/other/app', "the key's path /team is not a prefix of the image path /other/app"],
    ['r.io/team', 'r.io', "the key's path /team is not a prefix of the image path (empty)"],
    ['quay.io', 'ghcr.io/a/b', "host label 'quay' does not match 'ghcr'"],
    ['k*.io', 'quay.io/a', "host label 'k*' does not match 'quay'"],
    // Go (1.25.2+) only accepts an IPv6 address in brackets, so a key cannot start with a class.
    ['[q-z]uay.io', 'quay.io/a', 'the key [q-z]uay.io cannot be parsed as a URL, so it never matches'],
    ['docker.io', 'docker.io/library/nginx', 'the key covers this image'],
  ])('%s for %s', (key, repository, message) => {
    expect(explainMiss(key, repository)).toBe(message)
  })

  it('names the index.docker.io/v1 trailing-slash trap', () => {
    const message = explainMiss('index.docker.io/v1', 'docker.io/library/nginx')
    expect(message).toContain('https://index.docker.io/v1 (without the trailing slash)')
    expect(message).toContain('never matches Docker Hub images')
  })

  it('names registry-1.docker.io as never matching Docker Hub', () => {
    expect(explainMiss('registry-1.docker.io', 'docker.io/library/nginx')).toContain('registry-1.docker.io never matches Docker Hub images')
    // For a non-Docker-Hub image the ordinary reason applies.
    expect(explainMiss('registry-1.docker.io', 'eu.ghcr.io/a/b')).toBe("host label 'registry-1' does not match 'eu'")
  })
})

describe('nearestKey', () => {
  it('prefers the key failing fewest criteria', () => {
    expect(nearestKey(['quay.io', 'gcr.io', 'registry.example.com:5000'], 'us.gcr.io/proj/app')).toBe('gcr.io')
    expect(nearestKey(['quay.io', 'registry.example.com:5000'], 'registry.example.com/app')).toBe('registry.example.com:5000')
    expect(nearestKey(['r.io/team', 'x.io/other'], 'r.io/other/app')).toBe('r.io/team')
  })

  it('returns a covering key, the first on ties, and nothing without keys', () => {
    expect(nearestKey(['quay.io', 'ghcr.io'], 'ghcr.io/a/b')).toBe('ghcr.io')
    expect(nearestKey(['a.io', 'b.io'], 'c.io/app')).toBe('a.io')
    expect(nearestKey([], 'c.io/app')).toBeUndefined()
  })
})

describe('makeDockerKeyring', () => {
  const configJson = (registry: string, user: string): string => JSON.stringify({ auths: { [registry]: { auth: b64(`${user}:pw-${user}`) } } })
  const dockercfg = (registry: string, user: string): string => JSON.stringify({ [registry]: { username: user, password: `pw-${user}` } })

  it('uses only the exact docker types with their own non-empty key, in list order', () => {
    const secrets: PullSecretInput[] = [
      { name: 'json', type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': configJson('r.io', 'json') } },
      { name: 'cfg', type: 'kubernetes.io/dockercfg', data: { '.dockercfg': dockercfg('r.io', 'cfg') } },
      { name: 'opaque', type: 'Opaque', data: { '.dockerconfigjson': configJson('r.io', 'opaque') } },
      { name: 'swapped', type: 'kubernetes.io/dockercfg', data: { '.dockerconfigjson': configJson('r.io', 'swapped') } },
      { name: 'empty', type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '' } },
      { name: 'case', type: 'Kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': configJson('r.io', 'case') } },
    ]
    const made = makeDockerKeyring(secrets)
    expect(made.ok).toBe(true)
    if (!made.ok) return
    expect(made.used).toEqual(['json', 'cfg'])
    expect(made.keyring.lookup('r.io/app')).toEqual([
      { secret: 'json', username: 'json', password: 'pw-json' },
      { secret: 'cfg', username: 'cfg', password: 'pw-cfg' },
    ])
  })

  it('counts a .dockerconfigjson without auths as used, with no credentials', () => {
    const made = makeDockerKeyring([{ name: 'flat', type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': dockercfg('r.io', 'u') } }])
    expect(made.ok && made.used).toEqual(['flat'])
    expect(made.ok && made.keyring.keys()).toEqual([])
  })

  it('fails the whole keyring on one bad secret, naming it but not its content', () => {
    const made = makeDockerKeyring([
      { name: 'good', type: 'kubernetes.io/dockercfg', data: { '.dockercfg': dockercfg('r.io', 'u') } },
      { name: 'bad', type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '{"auths":{"r.io":{"auth":"s3cr3t"}}}' } },
    ])
    expect(made.ok).toBe(false)
    if (made.ok) return
    expect(made.secret).toBe('bad')
    expect(made.error).not.toContain('s3cr3t')
  })

  it('skips registry keys the kubelet cannot parse, keeping the rest', () => {
    const made = makeDockerKeyring([{ name: 's', type: 'kubernetes.io/dockercfg', data: { '.dockercfg': JSON.stringify({ 'bad host': {}, 'r.io': {} }) } }])
    expect(made.ok && made.keyring.keys()).toEqual(['r.io'])
  })
})

describe('shownKey', () => {
  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['https://index.docker.io/v1/', 'https://index.docker.io/v1/'],
    ['https://bot:p@quay.io', 'https://bot:***@quay.io'],
    ['tok@ghcr.io/acme', '***@ghcr.io/acme'],
    // The last @ of the authority ends the userinfo (Go's url.Parse); one in the path is not in it.
    ['https://bot:a@b@quay.io/x@y', 'https://bot:***@quay.io/x@y'],
    ['quay.io/team@x', 'quay.io/team@x'],
    // A password with a `/` (url.Parse cannot read the key, but it is a password all the same).
    ['https://bot:Xy9/Qw8+Zz@quay.io', 'https://bot:***@quay.io'],
    // A ? or # ends the authority too; a host after the last @, or none before the first /, marks a userinfo.
    ['https://bot:98765?q@ghcr.io', 'https://bot:***@ghcr.io'],
    ['https://bot:Xy7/Pw9q@registry:5000', 'https://bot:***@registry:5000'],
    ['tok3n/S3cr3t@myreg', '***@myreg'],
    // An @ and then a / in the password: url.Parse takes the host `ss`, but a host follows the last @.
    ['https://bot:p@ss/w0rd@ghcr.io', 'https://bot:***@ghcr.io'],
    ['https://bot:p@ss?w0rd@ghcr.io', 'https://bot:***@ghcr.io'],
    ['quay.io/team@x', 'quay.io/team@x'],
    // The user is a credential too: a token (git's TOKEN:x-oauth-basic@), or the only part (TOKEN:@).
    ['https://ghp_abcdefghijklmnop:x-oauth-basic@ghcr.io', 'https://***@ghcr.io'],
    ['https://S3cretUserToken0123:@quay.io', 'https://***@quay.io'],
    ['https://deploy:@quay.io', 'https://deploy:***@quay.io'],
    // A query or a fragment names no registry (url.Parse drops it) and may carry a token.
    ['reg.example.com?token=S3cret', 'reg.example.com?***'],
    ['https://reg.example.com/v2/#S3cret', 'https://reg.example.com/v2/#***'],
    ['https://bot:pw@reg.example.com/x?token=S3cret', 'https://bot:***@reg.example.com/x?***'],
  ])('%s → %s', (raw, shown) => {
    expect(shownKey(raw)).toBe(shown)
  })
})
