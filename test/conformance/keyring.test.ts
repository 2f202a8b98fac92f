// Conformance: every case of ../shared/vectors/keyring.json (kubernetes credentialprovider
// upstream tests, plus derived cases) run against src/model/{keyring,dockerconfig}.ts, one test each.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeAuthField, decodeDockerCfg, decodeDockerConfigJson } from '../../src/model/dockerconfig.js'
import { isDefaultRegistryMatch, Keyring, makeDockerKeyring, unionLookup, urlsMatchStr, type PullSecretInput } from '../../src/model/keyring.js'
import { parseImageName } from '../../src/model/reference.js'

interface Creds {
  username: string
  password: string
  email: string
}

interface KeyringCase {
  source: string
  kind: string
  derived?: boolean
  note?: string
  // urlsMatch
  globUrl?: string
  targetUrl?: string
  matches?: boolean
  // keyringLookup / keyringLookupOrdered / makeDockerKeyring
  configFormat?: string
  configKey?: string
  config?: Record<string, string>
  image?: string
  lookup?: string
  shouldFindCredential?: boolean
  expectedCredentialCount?: number
  expectedCredentialsInOrder?: Array<string | { from: string; username: string; password: string }>
  // isDefaultRegistryMatch
  expected?: boolean | Creds | Record<string, Creds>
  // makeDockerKeyring
  name?: string
  pullSecrets?: Array<{ name: string; namespace: string; type: string; data: Record<string, string>; dataDecoded?: boolean }>
  defaultKeyring?: string | null
  found?: boolean
  // decoders
  input?: string
  fails?: boolean
  username?: string
  password?: string
  format?: string
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const cases = JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/vectors/keyring.json'), 'utf8')) as KeyringCase[]

const need = <T>(value: T | undefined, field: string): T => {
  if (value === undefined) throw new Error(`case lacks ${field}`)
  return value
}

/** A keyring filled the way the kubelet fills it from one decoded dockercfg. */
function keyringFromDockercfg(config: Record<string, string>): Keyring<string> {
  const entries = Object.fromEntries(Object.entries(config).map(([key, cred]) => [key, { username: cred, password: `${cred}-password`, email: '' }]))
  const decoded = decodeDockerCfg(JSON.stringify(entries))
  if (!decoded.ok) throw new Error(decoded.error)
  const keyring = new Keyring<string>()
  for (const [key, entry] of decoded.entries) keyring.add(key, entry.username)
  return keyring
}

function runKeyringLookup(c: KeyringCase): void {
  const lookup = need(c.lookup, 'lookup')
  if (c.image !== undefined) {
    // Derived cases also state the image: the looked-up string must be what the kubelet derives.
    const parsed = parseImageName(c.image)
    expect(parsed.ok && parsed.ref.name).toBe(lookup)
  }
  const found = keyringFromDockercfg({ [need(c.configKey, 'configKey')]: 'cred' }).lookup(lookup)
  expect(found.length > 0).toBe(c.shouldFindCredential)
  if (c.expectedCredentialCount !== undefined) expect(found).toHaveLength(c.expectedCredentialCount)
}

function runKeyringLookupOrdered(c: KeyringCase): void {
  const found = keyringFromDockercfg(need(c.config, 'config')).lookup(need(c.lookup, 'lookup'))
  expect(found).toEqual(c.expectedCredentialsInOrder)
  expect(found.length > 0).toBe(c.shouldFindCredential)
}

interface TestCred {
  from: string
  username: string
  password: string
}

/** secrets_test.go's FakeKeyring: fixed credentials for any image, and an `ok` it reports as is. */
function defaultKeyringFor(spec: string | null | undefined): { lookup(image: string): TestCred[]; ok: boolean } | undefined {
  if (spec === null || spec === undefined) return undefined
  if (spec === 'empty') return { lookup: () => [], ok: false }
  if (spec.startsWith('default-user')) {
    // Upstream never sets ok on these fakes, so they all report false.
    return { lookup: () => [{ from: 'node/default keyring', username: 'default-user', password: 'default-password' }], ok: false }
  }
  throw new Error(`unknown defaultKeyring ${spec}`)
}

function runMakeDockerKeyring(c: KeyringCase): void {
  const secrets: PullSecretInput[] = need(c.pullSecrets, 'pullSecrets').map((s) => {
    expect(s.dataDecoded).toBe(true)
    return { name: s.name, type: s.type, data: s.data }
  })
  const made = makeDockerKeyring(secrets)
  expect(made.ok ? '' : made.error).toBe('')
  if (!made.ok) return
  const lookup = need(c.lookup, 'lookup')
  const defaultKeyring = defaultKeyringFor(c.defaultKeyring)
  const secretKeyring = {
    lookup: (image: string): TestCred[] => made.keyring.lookup(image).map((cred) => ({ from: `secret ${cred.secret}`, username: cred.username, password: cred.password })),
  }
  let creds: TestCred[]
  let found: boolean
  if (made.used.length === 0) {
    // No usable secret: MakeDockerKeyring hands back the default keyring itself.
    creds = defaultKeyring?.lookup(lookup) ?? []
    found = defaultKeyring?.ok ?? false
  } else {
    creds = unionLookup([secretKeyring, defaultKeyring], lookup)
    found = creds.length > 0
  }
  expect(creds).toEqual(c.expectedCredentialsInOrder)
  expect(found).toBe(c.found)
}

function runConfigEntryDecode(c: KeyringCase): void {
  const decoded = decodeDockerCfg(`{"registry.example.com": ${need(c.input, 'input')}}`)
  expect(decoded.ok).toBe(!c.fails)
  if (!decoded.ok) return
  expect(decoded.entries).toHaveLength(1)
  const [, entry] = decoded.entries[0]
  expect({ username: entry.username, password: entry.password, email: entry.email }).toEqual(c.expected)
}

function runAuthFieldDecode(c: KeyringCase): void {
  const decoded = decodeAuthField(need(c.input, 'input'))
  expect(decoded.ok).toBe(!c.fails)
  if (decoded.ok) expect({ username: decoded.username, password: decoded.password }).toEqual({ username: c.username, password: c.password })
}

function runConfigDecode(c: KeyringCase): void {
  const format = need(c.format, 'format')
  const decoded = format.includes('auths') ? decodeDockerConfigJson(need(c.input, 'input')) : decodeDockerCfg(need(c.input, 'input'))
  expect(decoded.ok ? '' : decoded.error).toBe('')
  if (!decoded.ok) return
  const asMap = Object.fromEntries(decoded.entries.map(([key, e]) => [key, { username: e.username, password: e.password, email: e.email }]))
  expect(asMap).toEqual(c.expected)
}

function run(c: KeyringCase): void {
  switch (c.kind) {
    case 'urlsMatch':
      return void expect(urlsMatchStr(need(c.globUrl, 'globUrl'), need(c.targetUrl, 'targetUrl'))).toBe(c.matches)
    case 'keyringLookup':
      return runKeyringLookup(c)
    case 'keyringLookupOrdered':
      return runKeyringLookupOrdered(c)
    case 'isDefaultRegistryMatch':
      return void expect(isDefaultRegistryMatch(need(c.image, 'image'))).toBe(c.expected)
    case 'makeDockerKeyring':
      return runMakeDockerKeyring(c)
    case 'configEntryDecode':
      return runConfigEntryDecode(c)
    case 'authFieldDecode':
      return runAuthFieldDecode(c)
    case 'configDecode':
      return runConfigDecode(c)
    default:
      throw new Error(`no dispatcher for kind ${c.kind}`)
  }
}

function testName(c: KeyringCase, index: number): string {
  const subject =
    c.kind === 'urlsMatch'
      ? `${c.globUrl} vs ${c.targetUrl}`
      : c.kind === 'keyringLookup' || c.kind === 'keyringLookupOrdered'
        ? `${c.configKey ?? Object.keys(c.config ?? {}).join(',')} ← ${c.lookup}`
        : c.kind === 'makeDockerKeyring'
          ? `${c.name} ← ${c.lookup}`
          : c.kind === 'configDecode'
            ? (c.format ?? '')
            : JSON.stringify(c.input ?? c.image)
  const origin = c.derived ? 'derived' : c.source.split(' ').slice(-1)[0]
  return `#${index} ${c.kind} ${subject} [${origin}]`
}

describe('keyring.json conformance', () => {
  it('holds the 104 cases the table promises', () => {
    expect(cases).toHaveLength(104)
  })
  for (const [index, c] of cases.entries()) {
    it(testName(c, index), () => run(c))
  }
})
