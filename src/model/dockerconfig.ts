// Docker config decoding: a port of pkg/credentialprovider/config.go (DockerConfigJSON,
// DockerConfig, DockerConfigEntry.UnmarshalJSON, decodeDockerConfigFieldAuth) with Go's
// encoding/json and encoding/base64 rules, so a secret the kubelet rejects is rejected here too.
// Error messages carry positions and type names only: never input text, which may be a credential.

export interface DockerConfigEntry {
  username: string
  password: string
  email: string
  /** field `auth` was present and non-empty */
  fromAuth: boolean
  /** raw fields present, lower-cased: e.g. ['auth','identitytoken'] */
  fields: string[]
  /**
   * Non-empty `identitytoken` and `registrytoken` values: the kubelet does not read them, but
   * they are credentials all the same (credentials-in-repo, masking).
   */
  tokens: string[]
}

export type AuthFieldResult = { ok: true; username: string; password: string } | { ok: false; error: string }

export type DockerConfigResult =
  | {
      ok: true
      entries: Array<[key: string, entry: DockerConfigEntry]>
      /** .dockerconfigjson without an auths object: zero entries, silently */
      noAuthsWrapper?: boolean
      /**
       * Where a Docker config copied from a workstation keeps its credentials instead: the
       * `credsStore` named, `credHelpers` (the docker CLI runs them; the kubelet never does).
       */
      credentialStores?: string[]
    }
  | {
      ok: false
      error: string
      /**
       * Not a JSON object or null: the API server's ValidateSecret (json.Unmarshal into a map)
       * rejects the Secret, so it never exists; other errors reach the kubelet, whose keyring fails.
       */
      apiRejects: boolean
    }

export const AUTH_FIELD_FORMAT_ERROR = 'unable to parse auth field, must be formatted as base64(username:password)'

// ---------------------------------------------------------------------------------------------
// encoding/base64 (StdEncoding and RawStdEncoding, non-strict)

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const BASE64_DECODE = new Int16Array(128).fill(-1)
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_DECODE[BASE64_ALPHABET.charCodeAt(i)] = i

const CR = 13
const LF = 10
const PAD = 61 // '='

function isNewline(c: number): boolean {
  return c === CR || c === LF
}

type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; offset: number }

/**
 * Go's Encoding.DecodeString, quantum by quantum: `\r` and `\n` are skipped anywhere, padding is
 * required (padded) or forbidden (raw), and nothing may follow the padding. Offsets are in
 * characters, which equal Go's byte offsets for the ASCII-only inputs that can be valid.
 */
function goBase64Decode(s: string, padded: boolean): Base64Result {
  const out: number[] = []
  const n = s.length
  let si = 0
  while (si < n) {
    const dbuf = [0, 0, 0, 0]
    let dlen = 4
    let trailingGarbageAt = -1
    for (let j = 0; j < 4; j++) {
      if (si === n) {
        if (j === 0) return { ok: true, bytes: Uint8Array.from(out) }
        if (j === 1 || padded) return { ok: false, offset: si - j }
        dlen = j
        break
      }
      const c = s.charCodeAt(si)
      si++
      const value = c < 128 ? BASE64_DECODE[c] : -1
      if (value >= 0) {
        dbuf[j] = value
        continue
      }
      if (isNewline(c)) {
        j--
        continue
      }
      if (!padded || c !== PAD) return { ok: false, offset: si - 1 }
      if (j === 0 || j === 1) return { ok: false, offset: si - 1 }
      if (j === 2) {
        while (si < n && isNewline(s.charCodeAt(si))) si++
        if (si === n) return { ok: false, offset: n }
        if (s.charCodeAt(si) !== PAD) return { ok: false, offset: si - 1 }
        si++
      }
      while (si < n && isNewline(s.charCodeAt(si))) si++
      if (si < n) trailingGarbageAt = si
      dlen = j
      break
    }
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3]
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff]
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k])
    if (trailingGarbageAt >= 0) return { ok: false, offset: trailingGarbageAt }
  }
  return { ok: true, bytes: Uint8Array.from(out) }
}

// unicode.IsSpace, which strings.TrimSpace uses; unlike JS's trim it has U+0085 and lacks U+FEFF.
function isGoSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  )
}

function trimmedEndsWithPad(s: string): boolean {
  let end = s.length
  while (end > 0 && isGoSpace(s.charCodeAt(end - 1))) end--
  return end > 0 && s.charCodeAt(end - 1) === PAD
}

/**
 * decodeDockerConfigFieldAuth: padded std base64 when the trimmed value ends in `=`, unpadded
 * otherwise (the untrimmed value is decoded, so a trailing space fails); split on the first colon.
 */
export function decodeAuthField(s: string): AuthFieldResult {
  const decoded = goBase64Decode(s, trimmedEndsWithPad(s))
  if (!decoded.ok) return { ok: false, error: `illegal base64 data at input byte ${decoded.offset}` }
  const text = Buffer.from(decoded.bytes).toString('utf8')
  const colon = text.indexOf(':')
  if (colon < 0) return { ok: false, error: AUTH_FIELD_FORMAT_ERROR }
  return { ok: true, username: text.slice(0, colon), password: text.slice(colon + 1) }
}

// ---------------------------------------------------------------------------------------------
// A JSON reader that keeps every member, duplicates included and in order, because Go's decoder
// applies each occurrence in turn (last wins, null keeps the earlier value, maps merge).

type JsonValue =
  | { kind: 'object'; members: Array<[string, JsonValue]> }
  | { kind: 'array' }
  | { kind: 'string'; value: string }
  | { kind: 'number' }
  | { kind: 'bool' }
  | { kind: 'null' }

class JsonSyntaxError extends Error {}

// encoding/json's scanner limit.
const MAX_NESTING_DEPTH = 10000

function syntaxError(offset: number): JsonSyntaxError {
  return new JsonSyntaxError(`invalid JSON at offset ${offset}`)
}

type Frame =
  | { kind: 'object'; value: { kind: 'object'; members: Array<[string, JsonValue]> }; key: string | undefined }
  | { kind: 'array'; value: { kind: 'array' } }

const SIMPLE_ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
])

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** Iterative, so deep nesting fails with Go's depth limit instead of a stack overflow. */
function parseJson(text: string): JsonValue {
  let i = 0
  const n = text.length
  const stack: Frame[] = []

  const fail = (at = i): never => {
    throw at >= n ? new JsonSyntaxError('unexpected end of JSON input') : syntaxError(at)
  }
  const skipWhitespace = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else break
    }
  }
  const hex4At = (at: number): number => {
    if (at + 4 > n) return -1
    for (let k = 0; k < 4; k++) if (!isHexDigit(text.charCodeAt(at + k))) return -1
    return parseInt(text.slice(at, at + 4), 16)
  }
  const readString = (): string => {
    i++ // the opening quote
    let out = ''
    let start = i
    while (true) {
      if (i >= n) fail()
      const c = text.charCodeAt(i)
      if (c === 34) {
        out += text.slice(start, i)
        i++
        return out
      }
      if (c < 0x20) fail()
      if (c !== 92) {
        i++
        continue
      }
      out += text.slice(start, i)
      i++
      if (i >= n) fail()
      const simple = SIMPLE_ESCAPES.get(text[i])
      if (simple !== undefined) {
        out += simple
        i++
      } else if (text[i] === 'u') {
        for (let k = 1; k <= 4; k++) if (!isHexDigit(text.charCodeAt(i + k))) fail(i + k)
        const code = parseInt(text.slice(i + 1, i + 5), 16)
        i += 5
        if (code >= 0xd800 && code < 0xdc00 && text.startsWith('\\u', i)) {
          const low = hex4At(i + 2)
          if (low >= 0xdc00 && low < 0xe000) {
            out += String.fromCharCode(code, low)
            i += 6
          } else {
            out += '\ufffd'
          }
        } else if (code >= 0xd800 && code < 0xe000) {
          // Go replaces an unpaired surrogate with U+FFFD.
          out += '\ufffd'
        } else {
          out += String.fromCharCode(code)
        }
      } else {
        fail()
      }
      start = i
    }
  }
  // Go's scanner grammar; whatever follows the number is judged as the next token.
  const readNumber = (): void => {
    if (text.charCodeAt(i) === 45) i++
    if (i >= n || !isDigit(text.charCodeAt(i))) fail()
    if (text.charCodeAt(i) === 48) i++
    else while (i < n && isDigit(text.charCodeAt(i))) i++
    if (text.charCodeAt(i) === 46) {
      i++
      if (i >= n || !isDigit(text.charCodeAt(i))) fail()
      while (i < n && isDigit(text.charCodeAt(i))) i++
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++
      if (text[i] === '+' || text[i] === '-') i++
      if (i >= n || !isDigit(text.charCodeAt(i))) fail()
      while (i < n && isDigit(text.charCodeAt(i))) i++
    }
  }
  const readLiteral = (word: string): void => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(i + k)
    i += word.length
  }

  let root: JsonValue | undefined
  const attach = (value: JsonValue): void => {
    const top = stack[stack.length - 1]
    if (top === undefined) root = value
    else if (top.kind === 'object') {
      top.value.members.push([top.key as string, value])
      top.key = undefined
    }
  }
  const push = (frame: Frame): void => {
    if (stack.length >= MAX_NESTING_DEPTH) throw new JsonSyntaxError(`exceeded max depth at offset ${i}`)
    stack.push(frame)
  }

  let expectValue = true
  while (true) {
    skipWhitespace()
    const top = stack[stack.length - 1]
    if (!expectValue && top === undefined) {
      if (i < n) fail()
      return root as JsonValue
    }
    if (i >= n) fail()
    if (expectValue) {
      if (top?.kind === 'object' && top.key === undefined) {
        if (text.charCodeAt(i) !== 34) fail()
        top.key = readString()
        skipWhitespace()
        if (text[i] !== ':') fail()
        i++
        continue
      }
      const c = text[i]
      if (c === '{' || c === '[') {
        const frame: Frame = c === '{' ? { kind: 'object', value: { kind: 'object', members: [] }, key: undefined } : { kind: 'array', value: { kind: 'array' } }
        push(frame)
        i++
        skipWhitespace()
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++
          stack.pop()
          attach(frame.value)
          expectValue = false
        }
        continue
      }
      if (c === '"') attach({ kind: 'string', value: readString() })
      else if (c === 't') {
        readLiteral('true')
        attach({ kind: 'bool' })
      } else if (c === 'f') {
        readLiteral('false')
        attach({ kind: 'bool' })
      } else if (c === 'n') {
        readLiteral('null')
        attach({ kind: 'null' })
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        readNumber()
        attach({ kind: 'number' })
      } else fail()
      expectValue = false
      continue
    }
    const c = text[i]
    if (c === ',' && top !== undefined) {
      i++
      expectValue = true
      continue
    }
    if (top !== undefined && ((c === '}' && top.kind === 'object') || (c === ']' && top.kind === 'array'))) {
      i++
      stack.pop()
      attach(top.value)
      continue
    }
    fail()
  }
}

// ---------------------------------------------------------------------------------------------
// encoding/json's mapping onto the Go types

class JsonDecodeError extends Error {}

function typeError(value: JsonValue, target: string): JsonDecodeError {
  return new JsonDecodeError(`json: cannot unmarshal ${value.kind} into ${target}`)
}

/**
 * Go matches a JSON key to a struct field case-insensitively (exact match preferred, which only
 * matters when two fields fold alike: none do here). Folding is per rune, upper(lower(r)), so the
 * Kelvin sign and long s fold to k and s; full-case expansions such as ß → SS do not apply.
 */
function foldName(key: string): string {
  let out = ''
  for (const ch of key) {
    const code = ch.charCodeAt(0)
    if (code < 0x80) {
      out += code >= 97 && code <= 122 ? String.fromCharCode(code - 32) : ch
      continue
    }
    const lower = ch.toLowerCase()
    const simpleLower = [...lower].length === 1 ? lower : ch
    const upper = simpleLower.toUpperCase()
    out += [...upper].length === 1 ? upper : simpleLower
  }
  return out
}

const FOLDED_USERNAME = foldName('username')
const FOLDED_PASSWORD = foldName('password')
const FOLDED_EMAIL = foldName('email')
const FOLDED_AUTH = foldName('auth')
const FOLDED_AUTHS = foldName('auths')
const FOLDED_HTTP_HEADERS = foldName('HttpHeaders')

const ENTRY_TYPE = 'credentialprovider.dockerConfigEntryWithAuth'

/** DockerConfigEntry.UnmarshalJSON: only username, password, email and auth are read. */
function decodeEntry(value: JsonValue): DockerConfigEntry {
  const entry: DockerConfigEntry = { username: '', password: '', email: '', fromAuth: false, fields: [], tokens: [] }
  // A null entry still becomes a (credential-less) entry: UnmarshalJSON("null") is a no-op.
  if (value.kind === 'null') return entry
  if (value.kind !== 'object') throw typeError(value, `Go value of type ${ENTRY_TYPE}`)
  let auth = ''
  const seen = new Set<string>()
  let firstTypeError: JsonDecodeError | undefined
  for (const [key, member] of value.members) {
    const lowered = key.toLowerCase()
    if (!seen.has(lowered)) {
      seen.add(lowered)
      entry.fields.push(lowered)
    }
    if ((lowered === 'identitytoken' || lowered === 'registrytoken') && member.kind === 'string' && member.value !== '') entry.tokens.push(member.value)
    const folded = foldName(key)
    const field =
      folded === FOLDED_USERNAME ? 'username' : folded === FOLDED_PASSWORD ? 'password' : folded === FOLDED_EMAIL ? 'email' : folded === FOLDED_AUTH ? 'auth' : undefined
    if (field === undefined || member.kind === 'null') continue
    if (member.kind !== 'string') {
      // Go keeps decoding after a type error and reports the first one at the end.
      firstTypeError ??= typeError(member, `Go struct field dockerConfigEntryWithAuth.${field} of type string`)
      continue
    }
    if (field === 'auth') auth = member.value
    else entry[field] = member.value
  }
  if (firstTypeError !== undefined) throw firstTypeError
  if (auth === '') return entry
  const decoded = decodeAuthField(auth)
  if (!decoded.ok) throw new JsonDecodeError(decoded.error)
  entry.username = decoded.username
  entry.password = decoded.password
  entry.fromAuth = true
  return entry
}

/** Go reuses an existing map when the same field appears again, so entries accumulate. */
function decodeConfigMapInto(target: Map<string, DockerConfigEntry>, value: { kind: 'object'; members: Array<[string, JsonValue]> }): void {
  for (const [key, member] of value.members) target.set(key, decodeEntry(member))
}

function runDecoder(text: string, decode: (root: JsonValue) => DockerConfigResult): DockerConfigResult {
  let root: JsonValue
  try {
    root = parseJson(text)
  } catch (error) {
    if (error instanceof JsonSyntaxError || error instanceof JsonDecodeError) return { ok: false, error: error.message, apiRejects: true }
    throw error
  }
  try {
    return decode(root)
  } catch (error) {
    if (error instanceof JsonSyntaxError || error instanceof JsonDecodeError) return { ok: false, error: error.message, apiRejects: root.kind !== 'object' && root.kind !== 'null' }
    throw error
  }
}

/** The `.dockerconfigjson` format (DockerConfigJSON): only `auths` is read. */
export function decodeDockerConfigJson(text: string): DockerConfigResult {
  return runDecoder(text, (root) => {
    if (root.kind === 'null') return { ok: true, entries: [], noAuthsWrapper: true }
    if (root.kind !== 'object') throw typeError(root, 'Go value of type credentialprovider.DockerConfigJSON')
    let auths: Map<string, DockerConfigEntry> | undefined
    const stores: string[] = []
    for (const [key, member] of root.members) {
      const folded = foldName(key)
      // Not fields of DockerConfigJSON (ignored by the decoder), but they explain empty entries.
      if (key === 'credsStore' && member.kind === 'string' && member.value !== '') stores.push(`credsStore "${member.value}"`)
      if (key === 'credHelpers' && member.kind === 'object' && member.members.length > 0) stores.push('credHelpers')
      if (folded === FOLDED_AUTHS) {
        if (member.kind === 'null') auths = undefined
        else if (member.kind === 'object') decodeConfigMapInto((auths ??= new Map()), member)
        else throw typeError(member, 'Go struct field DockerConfigJSON.auths of type credentialprovider.DockerConfig')
      } else if (folded === FOLDED_HTTP_HEADERS) {
        // Not used, but decoded: a wrong type here still fails the whole secret.
        if (member.kind === 'null') continue
        if (member.kind !== 'object') throw typeError(member, 'Go struct field DockerConfigJSON.HttpHeaders of type map[string]string')
        for (const [, header] of member.members) {
          if (header.kind !== 'string' && header.kind !== 'null') throw typeError(header, 'Go struct field DockerConfigJSON.HttpHeaders of type string')
        }
      }
    }
    const found: DockerConfigResult = auths === undefined ? { ok: true, entries: [], noAuthsWrapper: true } : { ok: true, entries: [...auths] }
    if (stores.length) found.credentialStores = stores
    return found
  })
}

/** The legacy `.dockercfg` format (DockerConfig): a flat map of registry key → entry. */
export function decodeDockerCfg(text: string): DockerConfigResult {
  return runDecoder(text, (root) => {
    if (root.kind === 'null') return { ok: true, entries: [] }
    if (root.kind !== 'object') throw typeError(root, 'Go value of type credentialprovider.DockerConfig')
    const entries = new Map<string, DockerConfigEntry>()
    decodeConfigMapInto(entries, root)
    return { ok: true, entries: [...entries] }
  })
}
