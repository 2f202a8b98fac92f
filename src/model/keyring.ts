// Registry keys and credential lookup: a port of pkg/credentialprovider/keyring.go
// (BasicDockerKeyring.Add/Lookup, URLsMatch, isDefaultRegistryMatch) and secrets/secrets.go
// (MakeDockerKeyring), with the parts of Go's net/url, net.SplitHostPort and path/filepath.Match
// that decide which keys are kept and which images they cover.
import { decodeDockerCfg, decodeDockerConfigJson, type DockerConfigResult } from './dockerconfig.js'
import { looksLikeToken } from './tokens.js'

// ---------------------------------------------------------------------------------------------
// net/url.Parse, reduced to what the keyring reads (Host and the decoded Path) and what makes it fail

type UrlMode = 'path' | 'host' | 'zone' | 'userPassword' | 'fragment'

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}

const HOST_ALLOWED = new Set("!$&'()*+,;=:[]<>\"".split('').map((ch) => ch.charCodeAt(0)))
const UNRESERVED_MARKS = new Set('-_.~'.split('').map((ch) => ch.charCodeAt(0)))

/** url.shouldEscape, for the host and zone modes, the only ones where it can fail a parse. */
function hostCharNeedsEscape(c: number): boolean {
  return !(isAlnum(c) || HOST_ALLOWED.has(c) || UNRESERVED_MARKS.has(c))
}

/** `s` with its %XX escapes decoded as url.Parse decodes a path (bytes read as UTF-8), or as written when it does not decode. */
export function percentDecoded(s: string): string {
  return unescape(s, 'path') ?? s
}

/** url.unescape: undefined where Go returns an error. */
function unescape(s: string, mode: UrlMode): string | undefined {
  let hasPercent = false
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i)
    if (c === 37) {
      hasPercent = true
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return undefined
      const byte = parseInt(s.slice(i + 1, i + 3), 16)
      // Hosts may only %-encode non-ASCII bytes, except %25 which introduces an IPv6 zone.
      if (mode === 'host' && byte < 0x80 && s.slice(i, i + 3) !== '%25') return undefined
      if (mode === 'zone' && s.slice(i, i + 3) !== '%25' && byte !== 32 && hostCharNeedsEscape(byte)) return undefined
      i += 3
      continue
    }
    if ((mode === 'host' || mode === 'zone') && c < 0x80 && hostCharNeedsEscape(c)) return undefined
    i++
  }
  if (!hasPercent) return s
  const parts: Buffer[] = []
  let run = 0
  for (let i = 0; i < s.length; ) {
    if (s.charCodeAt(i) === 37) {
      if (run < i) parts.push(Buffer.from(s.slice(run, i), 'utf8'))
      parts.push(Buffer.from([parseInt(s.slice(i + 1, i + 3), 16)]))
      i += 3
      run = i
    } else i++
  }
  if (run < s.length) parts.push(Buffer.from(s.slice(run), 'utf8'))
  return Buffer.concat(parts).toString('utf8')
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true
  if (port[0] !== ':') return false
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** node:net, loaded when a key holds a bracketed address, not at start-up. */
let isIPv6: typeof import('node:net').isIPv6 | undefined

/** netip.ParseAddr(...) succeeds and is not plain IPv4: what Go 1.25+ requires inside brackets. */
function isBracketableAddress(address: string): boolean {
  const percent = address.indexOf('%')
  if (percent === 0 || percent === address.length - 1) return false
  isIPv6 ??= process.getBuiltinModule('node:net').isIPv6
  return isIPv6(percent < 0 ? address : address.slice(0, percent))
}

/**
 * url.parseHost. Recent Go releases (CVE-2025-47912, CVE-2026-25679) only accept an IPv6 address
 * inside brackets, and only at the start of the host; the kubelet is built with those releases.
 */
function parseHost(host: string): string | undefined {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']')
    if (close < 0) return undefined
    const colonPort = host.slice(close + 1)
    if (!validOptionalPort(colonPort)) return undefined
    const inner = host.slice(1, close)
    const zone = inner.indexOf('%25')
    const address = zone < 0 ? unescape(inner, 'host') : joinDefined(unescape(inner.slice(0, zone), 'host'), unescape(inner.slice(zone), 'zone'))
    if (address === undefined || !isBracketableAddress(address)) return undefined
    return `[${address}]${colonPort}`
  }
  if (host.includes('[')) return undefined
  const colon = host.lastIndexOf(':')
  if (colon !== -1 && !validOptionalPort(host.slice(colon))) return undefined
  return unescape(host, 'host')
}

function joinDefined(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined || b === undefined ? undefined : a + b
}

const USERINFO_ALLOWED = new Set("-._:~!$&'()*+,;=%@".split('').map((ch) => ch.charCodeAt(0)))

function parseAuthority(authority: string): string | undefined {
  const at = authority.lastIndexOf('@')
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1))
  if (host === undefined || at < 0) return host
  const userinfo = authority.slice(0, at)
  for (let i = 0; i < userinfo.length; i++) {
    const c = userinfo.charCodeAt(i)
    if (!isAlnum(c) && !USERINFO_ALLOWED.has(c)) return undefined
  }
  const colon = userinfo.indexOf(':')
  const parts = colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]
  return parts.every((part) => unescape(part, 'userPassword') !== undefined) ? host : undefined
}

interface GoUrl {
  host: string
  /** Decoded, as Go's URL.Path. */
  path: string
}

/** url.Parse for absolute URLs; undefined where Go returns an error. */
function goUrlParse(raw: string): GoUrl | undefined {
  const hash = raw.indexOf('#')
  const u = hash < 0 ? raw : raw.slice(0, hash)
  const fragment = hash < 0 ? '' : raw.slice(hash + 1)
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return undefined
  }
  let rest = u
  let hasScheme = false
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i)
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) continue
    if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
      if (i === 0) break
      continue
    }
    if (c === 58) {
      if (i === 0) return undefined
      hasScheme = true
      rest = u.slice(i + 1)
    }
    break
  }
  if (fragment !== '' && unescape(fragment, 'fragment') === undefined) return undefined
  const question = rest.indexOf('?')
  if (question >= 0) rest = rest.slice(0, question)
  let host = ''
  if (!rest.startsWith('/')) {
    // An opaque URL (scheme:rest) has neither host nor path.
    if (hasScheme) return { host: '', path: '' }
    const firstSegment = rest.split('/', 1)[0]
    if (firstSegment.includes(':')) return undefined
  }
  if ((hasScheme || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2)
    rest = ''
    const slash = authority.indexOf('/')
    if (slash >= 0) {
      rest = authority.slice(slash)
      authority = authority.slice(0, slash)
    }
    const parsedHost = parseAuthority(authority)
    if (parsedHost === undefined) return undefined
    host = parsedHost
  }
  const path = unescape(rest, 'path')
  return path === undefined ? undefined : { host, path }
}

/** net.SplitHostPort; undefined on its errors (no port, too many colons, stray brackets). */
function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const i = hostport.lastIndexOf(':')
  if (i < 0) return undefined
  let host: string
  let j = 0
  let k = 0
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']')
    if (end < 0 || end + 1 === hostport.length || end + 1 !== i) return undefined
    host = hostport.slice(1, end)
    j = 1
    k = end + 1
  } else {
    host = hostport.slice(0, i)
    if (host.includes(':')) return undefined
  }
  if (hostport.indexOf('[', j) >= 0 || hostport.indexOf(']', k) >= 0) return undefined
  return { host, port: hostport.slice(i + 1) }
}

// ---------------------------------------------------------------------------------------------
// path/filepath.Match (Unix: separator '/', backslash escapes)

type ChunkMatch = { ok: true; rest: string[] } | { ok: false; bad: boolean }

function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let p = 0
  let star = false
  while (p < pattern.length && pattern[p] === '*') {
    p++
    star = true
  }
  let inRange = false
  let i = p
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case '\\':
        if (i + 1 < pattern.length) i++
        break
      case '[':
        inRange = true
        break
      case ']':
        inRange = false
        break
      case '*':
        if (!inRange) break scan
        break
    }
  }
  return { star, chunk: pattern.slice(p, i), rest: pattern.slice(i) }
}

function getEsc(chunk: string[], at: number): { rune: number; next: number } | undefined {
  let i = at
  if (i >= chunk.length || chunk[i] === '-' || chunk[i] === ']') return undefined
  if (chunk[i] === '\\') {
    i++
    if (i >= chunk.length) return undefined
  }
  const rune = chunk[i].codePointAt(0) as number
  i++
  if (i >= chunk.length) return undefined
  return { rune, next: i }
}

function matchChunk(chunk: string[], s: string[]): ChunkMatch {
  // After a mismatch Go keeps walking the chunk so a malformed pattern is still reported.
  let failed = false
  let si = 0
  let ci = 0
  while (ci < chunk.length) {
    if (!failed && si >= s.length) failed = true
    const c = chunk[ci]
    if (c === '[') {
      let rune = 0
      if (!failed) {
        rune = s[si].codePointAt(0) as number
        si++
      }
      ci++
      let negated = false
      if (ci < chunk.length && chunk[ci] === '^') {
        negated = true
        ci++
      }
      let match = false
      let ranges = 0
      while (true) {
        if (ci < chunk.length && chunk[ci] === ']' && ranges > 0) {
          ci++
          break
        }
        const lo = getEsc(chunk, ci)
        if (lo === undefined) return { ok: false, bad: true }
        ci = lo.next
        let hi = lo.rune
        if (chunk[ci] === '-') {
          const h = getEsc(chunk, ci + 1)
          if (h === undefined) return { ok: false, bad: true }
          hi = h.rune
          ci = h.next
        }
        if (lo.rune <= rune && rune <= hi) match = true
        ranges++
      }
      if (match === negated) failed = true
      continue
    }
    if (c === '?') {
      if (!failed) {
        if (s[si] === '/') failed = true
        si++
      }
      ci++
      continue
    }
    if (c === '\\') {
      ci++
      if (ci >= chunk.length) return { ok: false, bad: true }
    }
    if (!failed) {
      if (chunk[ci] !== s[si]) failed = true
      si++
    }
    ci++
  }
  return failed ? { ok: false, bad: false } : { ok: true, rest: s.slice(si) }
}

const GLOB_SPECIALS = /[*?[\\]/

/** filepath.Match: true/false, or undefined for a malformed pattern (ErrBadPattern). */
export function filepathMatch(patternText: string, nameText: string): boolean | undefined {
  if (!GLOB_SPECIALS.test(patternText)) return patternText === nameText
  let pattern = [...patternText]
  let name = [...nameText]
  outer: while (pattern.length > 0) {
    const scanned = scanChunk(pattern)
    const { star, chunk } = scanned
    pattern = scanned.rest
    if (star && chunk.length === 0) return !name.includes('/')
    const here = matchChunk(chunk, name)
    if (here.ok && (here.rest.length === 0 || pattern.length > 0)) {
      name = here.rest
      continue
    }
    if (!here.ok && here.bad) return undefined
    if (star) {
      for (let i = 0; i < name.length && name[i] !== '/'; i++) {
        const later = matchChunk(chunk, name.slice(i + 1))
        if (later.ok) {
          if (pattern.length === 0 && later.rest.length > 0) continue
          name = later.rest
          continue outer
        }
        if (later.bad) return undefined
      }
    }
    while (pattern.length > 0) {
      const next = scanChunk(pattern)
      pattern = next.rest
      const check = matchChunk(next.chunk, [])
      if (!check.ok && check.bad) return undefined
    }
    return false
  }
  return name.length === 0
}

// ---------------------------------------------------------------------------------------------
// keyring.go

export interface ParsedUrl {
  /** Host split on '.', port removed (SplitURL). */
  labels: string[]
  /** '' when absent or when net.SplitHostPort rejects the host. */
  port: string
  /** Decoded URL path ('' or starting with '/'). */
  path: string
}

/** ParseSchemelessURL + SplitURL; undefined where url.Parse fails. */
export function parseSchemelessUrl(s: string): ParsedUrl | undefined {
  // The same keys and repositories are matched again and again: parse each once (results are
  // never mutated by the callers).
  const cached = parsedUrls.get(s)
  if (cached !== undefined || parsedUrls.has(s)) return cached
  if (parsedUrls.size >= PARSED_URLS_MAX) parsedUrls.clear()
  const url = goUrlParse(`https://${s}`)
  let parsed: ParsedUrl | undefined
  if (url !== undefined) {
    const split = splitHostPort(url.host)
    const host = split === undefined ? url.host : split.host
    parsed = { labels: host.split('.'), port: split === undefined ? '' : split.port, path: url.path }
  }
  parsedUrls.set(s, parsed)
  return parsed
}

const PARSED_URLS_MAX = 100_000
const parsedUrls = new Map<string, ParsedUrl | undefined>()

/** URLsMatch: equal ports, equal label counts, a plain-prefix path, and a glob match per label. */
export function urlsMatch(glob: ParsedUrl, target: ParsedUrl): boolean {
  if (glob.port !== target.port) return false
  if (glob.labels.length !== target.labels.length) return false
  if (!target.path.startsWith(glob.path)) return false
  for (let i = 0; i < glob.labels.length; i++) {
    if (filepathMatch(glob.labels[i], target.labels[i]) !== true) return false
  }
  return true
}

/** URLsMatchStr: false when either side fails to parse. */
export function urlsMatchStr(glob: string, target: string): boolean {
  const globUrl = parseSchemelessUrl(glob)
  if (globUrl === undefined) return false
  const targetUrl = parseSchemelessUrl(target)
  return targetUrl !== undefined && urlsMatch(globUrl, targetUrl)
}

/** isDefaultRegistryMatch: whether an image string names Docker Hub, by its first segment. */
export function isDefaultRegistryMatch(image: string): boolean {
  const slash = image.indexOf('/')
  const first = slash < 0 ? image : image.slice(0, slash)
  if (first === '') return false
  if (slash < 0) return true
  if (first === 'docker.io' || first === 'index.docker.io') return true
  return !first.includes('.') && !first.includes(':')
}

/** Text that reads as a registry host: a domain, a port, an IPv6 literal, or localhost. */
const HOST_LIKE = /[.:[]|^localhost$/i

/**
 * The userinfo a registry key is written with (`https://bot:pass@quay.io`, `token@ghcr.io`): the
 * kubelet ignores it, but it is a credential. Go's url.Parse ends the authority at the first `/`,
 * `?` or `#` and the userinfo at its last `@`. A secret holding one of those (`bot:Xy9/Qw8@quay.io`,
 * `bot:98765?q@ghcr.io`, which url.Parse misreads) still counts, up to the key's last `@`, when a
 * `:` comes before it, a host (a `.`, a port, `localhost`, `[`) follows, or no host comes before
 * it: hidden too much rather than too little. Undefined when the key has none.
 */
export function keyUserinfo(rawKey: string): { scheme: string; user?: string; secret: string; rest: string } | undefined {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(rawKey)?.[0] ?? ''
  const body = rawKey.slice(scheme.length)
  const stop = body.search(/[/?#]/)
  let at = (stop < 0 ? body : body.slice(0, stop)).lastIndexOf('@')
  const last = body.lastIndexOf('@')
  if (stop >= 0 && last > stop) {
    const colon = body.indexOf(':')
    const hostAfter = HOST_LIKE.test(body.slice(last + 1).split(/[/?#]/)[0])
    // `bot:p@ss/w0rd@ghcr.io`: url.Parse's userinfo ends at the first @, yet a host follows the last.
    if (at >= 0) {
      if (hostAfter) at = last
    } else if ((colon >= 0 && colon < stop) || hostAfter || !HOST_LIKE.test(body.slice(0, stop))) {
      // …or what comes before the stop is no host (`tok3n/S3cr3t@myreg`).
      at = last
    }
  }
  if (at < 0) return undefined
  const userinfo = body.slice(0, at)
  const sep = userinfo.indexOf(':')
  return sep < 0 ? { scheme, secret: userinfo, rest: body.slice(at) } : { scheme, user: userinfo.slice(0, sep), secret: userinfo.slice(sep + 1), rest: body.slice(at) }
}

/**
 * Whether the user part of a key's userinfo is a credential too: an access token (`ghp_…:x-oauth-basic@`,
 * the form git and GitHub take), or, when the password is empty (`TOKEN:@`), a user as long as a
 * token (a short one, `deploy:@`, is a name, and masked it would hide that word everywhere).
 */
export function userIsSecret(u: { user?: string; secret: string }): boolean {
  return u.user !== undefined && (looksLikeToken(u.user) || (u.secret === '' && u.user.length >= 16))
}

/**
 * A registry key as messages show it: the secret of its userinfo (keyUserinfo: the password of
 * `user:password@`, a lone `token@` whole, the user too when it is a credential: userIsSecret)
 * written `***` whatever its length (the secret masker leaves values shorter than 4 characters
 * alone).
 */
export function shownKey(rawKey: string): string {
  const u = keyUserinfo(rawKey)
  return u === undefined ? hiddenQuery(rawKey) : `${u.scheme}${u.user === undefined || userIsSecret(u) ? '' : `${u.user}:`}***${hiddenQuery(u.rest)}`
}

/**
 * A key's query and fragment as `?***` and `#***`: url.Parse drops them, so they name no registry,
 * and they may carry a credential (`reg.example.com?token=…`).
 */
function hiddenQuery(key: string): string {
  const at = key.search(/[?#]/)
  return at < 0 ? key : `${key.slice(0, at + 1)}***`
}

/**
 * A normalised key (normalizeKey) as messages show it: itself, unless url.Parse took part of a
 * userinfo secret for the host (`bot:98765?q@ghcr.io` is the host `bot:98765`), when the raw key is
 * shown, its secret hidden (shownKey).
 */
export function shownNormalizedKey(rawKey: string, key: string | undefined): string {
  const u = keyUserinfo(rawKey)
  if (u === undefined) return key ?? rawKey
  const host = u.rest.slice(1).split(/[/?#]/)[0]
  return key !== undefined && key.startsWith(host) ? key : shownKey(rawKey)
}

/**
 * BasicDockerKeyring.Add's key normalisation: scheme added when missing, url.Parse (a failure
 * means the entry is skipped), a leading /v1/ or /v2/ reduced to /, then host[:port] plus the
 * path unless it is empty or '/'.
 */
export function normalizeKey(key: string): string | undefined {
  const value = key.startsWith('https://') || key.startsWith('http://') ? key : `https://${key}`
  const parsed = goUrlParse(value)
  if (parsed === undefined) return undefined
  let effectivePath = parsed.path
  if (effectivePath.startsWith('/v2/') || effectivePath.startsWith('/v1/')) effectivePath = effectivePath.slice(3)
  return effectivePath.length > 0 && effectivePath !== '/' ? parsed.host + effectivePath : parsed.host
}

/** The key whose credentials the Docker Hub fallback returns (defaultRegistryHost). */
const DEFAULT_REGISTRY_HOST = 'index.docker.io'

const nonAscii = /[\u0080-\uffff]/

/** Go's sort.Strings order: bytewise over UTF-8, which UTF-16 order breaks above U+D7FF. */
function compareGo(a: string, b: string): number {
  if (!nonAscii.test(a) && !nonAscii.test(b)) return a < b ? -1 : a > b ? 1 : 0
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

interface IndexEntry<T> {
  key: string
  glob: ParsedUrl | undefined
  creds: T[]
}

/** BasicDockerKeyring: credentials under normalised keys, looked up in reverse-sorted key order. */
export class Keyring<T> {
  private readonly entries = new Map<string, IndexEntry<T>>()
  private sorted: IndexEntry<T>[] | undefined

  /** Returns false when the key is invalid and skipped, as the kubelet does. */
  add(rawKey: string, cred: T): boolean {
    const key = normalizeKey(rawKey)
    if (key === undefined) return false
    let entry = this.entries.get(key)
    if (entry === undefined) {
      entry = { key, glob: parseSchemelessUrl(key), creds: [] }
      this.entries.set(key, entry)
      this.sorted = undefined
    }
    entry.creds.push(cred)
    return true
  }

  /**
   * Every matching key's credentials, most specific key first; the credentials stored under
   * exactly `index.docker.io` only when nothing matched and the image names Docker Hub.
   */
  lookup(image: string): T[] {
    const target = parseSchemelessUrl(image)
    const found: T[] = []
    if (target !== undefined) {
      for (const entry of this.index()) {
        if (entry.glob !== undefined && urlsMatch(entry.glob, target)) found.push(...entry.creds)
      }
    }
    if (found.length > 0) return found
    const fallback = this.entries.get(DEFAULT_REGISTRY_HOST)
    if (fallback !== undefined && isDefaultRegistryMatch(image)) return [...fallback.creds]
    return []
  }

  /** Normalised keys, reverse-sorted, deduplicated. */
  keys(): string[] {
    return this.index().map((entry) => entry.key)
  }

  private index(): IndexEntry<T>[] {
    this.sorted ??= [...this.entries.values()].sort((a, b) => compareGo(b.key, a.key))
    return this.sorted
  }
}

/** UnionDockerKeyring.Lookup: each keyring's results in turn; absent keyrings are skipped. */
export function unionLookup<T>(keyrings: ReadonlyArray<{ lookup(image: string): T[] } | null | undefined>, image: string): T[] {
  const found: T[] = []
  for (const keyring of keyrings) if (keyring) found.push(...keyring.lookup(image))
  return found
}

/** Whether a lookup of `repository` in a keyring holding only this key returns its credential. */
export function keyCovers(normalizedKey: string, repository: string): boolean {
  if (urlsMatchStr(normalizedKey, repository)) return true
  return normalizedKey === DEFAULT_REGISTRY_HOST && isDefaultRegistryMatch(repository)
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** A short reason why `normalizedKey` does not cover `repository`, most telling first. */
export function explainMiss(normalizedKey: string, repository: string): string {
  const glob = parseSchemelessUrl(normalizedKey)
  if (glob === undefined) return `the key ${normalizedKey} cannot be parsed as a URL, so it never matches`
  const target = parseSchemelessUrl(repository)
  if (target === undefined) return `the image ${repository} cannot be parsed as a URL, so no key matches it`
  if (keyCovers(normalizedKey, repository)) return 'the key covers this image'
  const globHost = glob.labels.join('.')
  if (isDefaultRegistryMatch(repository)) {
    if (globHost === DEFAULT_REGISTRY_HOST && glob.port === '' && (glob.path === '/v1' || glob.path === '/v2')) {
      return `the key https://index.docker.io${glob.path} (without the trailing slash) is stored as index.docker.io${glob.path} and never matches Docker Hub images; write https://index.docker.io${glob.path}/ or docker.io`
    }
    if (globHost === DEFAULT_REGISTRY_HOST && glob.port === '' && glob.path !== '') {
      // index.docker.io matches Docker Hub images only through the fallback, which takes the exact key.
      return `the kubelet's Docker Hub fallback takes only the exact key index.docker.io, and this key has the path ${glob.path}; write docker.io${glob.path}`
    }
    if (globHost === 'registry-1.docker.io') {
      return 'registry-1.docker.io never matches Docker Hub images, which the kubelet looks up as docker.io/…; write docker.io or https://index.docker.io/v1/'
    }
  }
  if (glob.port !== target.port) {
    if (target.port === '') return `the key has port ${glob.port} but the image has none`
    if (glob.port === '') return `the key has no port but the image has port ${target.port}`
    return `the key has port ${glob.port} but the image has port ${target.port}`
  }
  if (glob.labels.length !== target.labels.length) {
    return `the key has ${plural(glob.labels.length, 'host label')} but the image's registry has ${target.labels.length}`
  }
  if (!target.path.startsWith(glob.path)) {
    return `the key's path ${glob.path} is not a prefix of the image path ${target.path === '' ? '(empty)' : target.path}`
  }
  for (let i = 0; i < glob.labels.length; i++) {
    const matched = filepathMatch(glob.labels[i], target.labels[i])
    if (matched === undefined) return `host label pattern '${glob.labels[i]}' is malformed, so it never matches`
    if (!matched) {
      // Only when the whole host matches but for letter case (the port and path matched above).
      if (glob.labels.every((g, j) => filepathMatch(g.toLowerCase(), target.labels[j].toLowerCase()) === true)) {
        return `host label '${glob.labels[i]}' differs from '${target.labels[i]}' only in letter case, which the kubelet's keyring does not ignore (write the key's host and the image's registry alike)`
      }
      return `host label '${glob.labels[i]}' does not match '${target.labels[i]}'`
    }
  }
  return 'the key does not match this image'
}

/**
 * How many of (port, label count, labels, path) fail. With unequal label counts the labels are
 * compared right-aligned, so gcr.io is nearer to us.gcr.io than quay.io is.
 */
function missScore(glob: ParsedUrl, target: ParsedUrl): number {
  let score = 0
  if (glob.port !== target.port) score++
  if (glob.labels.length !== target.labels.length) score++
  if (!target.path.startsWith(glob.path)) score++
  // Every host label that differs counts: a wholly different host is farther than a port miss.
  const overlap = Math.min(glob.labels.length, target.labels.length)
  for (let i = 1; i <= overlap; i++) {
    const g = glob.labels[glob.labels.length - i]
    const t = target.labels[target.labels.length - i]
    // A label that differs only in letter case is nearer than another label.
    if (filepathMatch(g, t) !== true) score += filepathMatch(g.toLowerCase(), t.toLowerCase()) === true ? 0.25 : 1
  }
  return score
}

const DOCKER_HUB_TRAP = /^(index\.docker\.io|registry-1\.docker\.io|docker\.io)\/v[12]$|^registry-1\.docker\.io$/

/** A normalised key written for Docker Hub that the kubelet never matches (the usual reason a Hub pull fails). */
export function isDockerHubTrapKey(normalizedKey: string): boolean {
  return DOCKER_HUB_TRAP.test(normalizedKey)
}

/** The key that fails fewest matching criteria for `repository`; the first such key on ties. */
export function nearestKey(keys: string[], repository: string): string | undefined {
  const target = parseSchemelessUrl(repository)
  if (target === undefined) return undefined
  let best: string | undefined
  let bestScore = Infinity
  const dockerHub = repository.startsWith('docker.io/')
  for (const key of keys) {
    if (keyCovers(key, repository)) return key
    const glob = parseSchemelessUrl(key)
    if (glob === undefined) continue
    const score = dockerHub && isDockerHubTrapKey(key) ? 0.5 : missScore(glob, target)
    if (score < bestScore) {
      best = key
      bestScore = score
    }
  }
  return best
}

// ---------------------------------------------------------------------------------------------
// secrets.go

export interface PullSecretInput {
  name: string
  type: string
  /** decoded bytes as strings */
  data: Record<string, string>
}

export interface SecretCredential {
  secret: string
  username: string
  password: string
}

export type MakeDockerKeyringResult =
  | { ok: true; keyring: Keyring<SecretCredential>; used: string[] }
  | { ok: false; error: string; secret: string }

const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson'
const DOCKERCFG_TYPE = 'kubernetes.io/dockercfg'

function nonEmptyValue(data: Record<string, string>, key: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(data, key)) return undefined
  const value = data[key]
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/**
 * MakeDockerKeyring's secret half: each secret of the exact docker type with its non-empty key
 * is decoded into one shared keyring, in list order; others are ignored, and any decode error
 * fails the whole keyring (the kubelet then attempts no pull at all).
 */
export function makeDockerKeyring(secrets: PullSecretInput[]): MakeDockerKeyringResult {
  const keyring = new Keyring<SecretCredential>()
  const used: string[] = []
  for (const secret of secrets) {
    let decoded: DockerConfigResult
    const configJson = secret.type === DOCKER_CONFIG_JSON_TYPE ? nonEmptyValue(secret.data, '.dockerconfigjson') : undefined
    if (configJson !== undefined) decoded = decodeDockerConfigJson(configJson)
    else {
      const dockercfg = secret.type === DOCKERCFG_TYPE ? nonEmptyValue(secret.data, '.dockercfg') : undefined
      if (dockercfg === undefined) continue
      decoded = decodeDockerCfg(dockercfg)
    }
    if (!decoded.ok) return { ok: false, error: decoded.error, secret: secret.name }
    // Go ranges over a map here, so the order of two raw keys that normalise alike is unspecified.
    for (const [key, entry] of decoded.entries) {
      keyring.add(key, { secret: secret.name, username: entry.username, password: entry.password })
    }
    used.push(secret.name)
  }
  return { ok: true, keyring, used }
}
