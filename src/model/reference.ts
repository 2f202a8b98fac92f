// Image references: a port of github.com/distribution/reference v0.6.0 (regexp.go, reference.go,
// normalize.go), go-digest v1.0.0's digest validation and Kubernetes' pkg/util/parsers, so an image
// string parses, normalises and fails exactly as it does in the kubelet.

export interface ImageReference {
  domain: string
  path: string
  /** domain + '/' + path, or path when domain is ''; '' only for a bare digest from parseAnyReference. */
  name: string
  tag?: string
  digest?: string
}

export type ReferenceResult = { ok: true; ref: ImageReference } | { ok: false; error: string }

/** Upstream error values by their Go identifier, so tables that name the constant can be compared. */
export const REFERENCE_ERRORS = {
  ErrReferenceInvalidFormat: 'invalid reference format',
  ErrTagInvalidFormat: 'invalid tag format',
  ErrDigestInvalidFormat: 'invalid digest format',
  ErrNameContainsUppercase: 'repository name must be lowercase',
  ErrNameEmpty: 'repository name must have at least one component',
  ErrNameTooLong: 'repository name must not be more than 255 characters',
  ErrNameNotCanonical: 'repository name must be canonical',
  'digest.ErrDigestInvalidFormat': 'invalid checksum digest format',
  'digest.ErrDigestInvalidLength': 'invalid checksum digest length',
  'digest.ErrDigestUnsupported': 'unsupported digest algorithm',
} as const

/**
 * Digest algorithm → exact hex length. go-digest only accepts algorithms whose hash the Go binary
 * links in: the kubelet imports crypto/sha256 and crypto/sha512, and the latter also registers
 * SHA-384.
 */
export type DigestAlgorithms = ReadonlyMap<string, number>

export const KUBELET_DIGEST_ALGORITHMS: DigestAlgorithms = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
])

// v0.6.0 excludes the domain from this limit (commit aaca75e).
const REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255
const DEFAULT_DOMAIN = 'docker.io'
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io'
const OFFICIAL_REPO_PREFIX = 'library/'
const LOCALHOST = 'localhost'
const DEFAULT_TAG = 'latest'

// Built from the same fragments as regexp.go so the two can be compared line by line. Go's RE2
// returns the submatches a backtracking engine would pick, so JS captures agree with Go's.
const alphanumeric = '[a-z0-9]+'
const separator = '(?:[._]|__|[-]+)'
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const optionalPort = '(?::[0-9]+)?'
const tagPat = '[\\w][\\w.-]{0,127}'
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}'
const identifierPat = '([a-f0-9]{64})'
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]'
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`
const hostPat = `(?:${domainName}|${ipv6address})`
const domainAndPort = hostPat + optionalPort
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`
const remoteName = `${pathComponent}(?:/${pathComponent})*`
const namePat = `(?:${domainAndPort}/)?${remoteName}`

/** `^domain[:port]$` (upstream's DomainRegexp, anchored as in TestDomainRegexp). */
export const domainAndPortRegexp = new RegExp(`^${domainAndPort}$`)
/** Captures 1 = domain (undefined when absent), 2 = remote name. */
export const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`)
/** Captures 1 = name, 2 = tag, 3 = digest (undefined when absent). */
export const referenceRegexp = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`)
export const anchoredIdentifierRegexp = new RegExp(`^${identifierPat}$`)
// go-digest's DigestRegexpAnchored: decides "unsupported" versus "invalid format" for unknown algorithms.
const goDigestAnchoredRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
const lowerHexRegexp = /^[a-f0-9]*$/
const nonAsciiRegexp = /[\u0080-\uffff]/

/**
 * Go's strings.ToLower maps each rune by its simple lower-case mapping; JS's full mapping differs
 * only for the few runes whose lower case is longer (İ → i̇), which Go maps to one rune.
 */
function goToLower(s: string): string {
  if (!nonAsciiRegexp.test(s)) return s.toLowerCase()
  let out = ''
  for (const ch of s) {
    const lower = ch.toLowerCase()
    if (ch === '\u0130') out += 'i'
    else out += [...lower].length === 1 ? lower : ch
  }
  return out
}

function makeRef(domain: string, path: string, tag?: string, digest?: string): ImageReference {
  const ref: ImageReference = { domain, path, name: domain === '' ? path : `${domain}/${path}` }
  if (tag !== undefined && tag !== '') ref.tag = tag
  if (digest !== undefined && digest !== '') ref.digest = digest
  return ref
}

/** go-digest's Digest.Validate: returns an error message, or undefined when the digest is usable. */
function validateDigest(d: string, algorithms: DigestAlgorithms): string | undefined {
  const i = d.indexOf(':')
  if (i <= 0 || i + 1 === d.length) return REFERENCE_ERRORS['digest.ErrDigestInvalidFormat']
  const hexLength = algorithms.get(d.slice(0, i))
  if (hexLength === undefined) {
    return goDigestAnchoredRegexp.test(d) ? REFERENCE_ERRORS['digest.ErrDigestUnsupported'] : REFERENCE_ERRORS['digest.ErrDigestInvalidFormat']
  }
  const encoded = d.slice(i + 1)
  if (encoded.length !== hexLength) return REFERENCE_ERRORS['digest.ErrDigestInvalidLength']
  return lowerHexRegexp.test(encoded) ? undefined : REFERENCE_ERRORS['digest.ErrDigestInvalidFormat']
}

/** reference.Parse: the grammar only, with no Docker Hub normalisation ("test.com:5000" is a tag). */
export function parse(s: string, digestAlgorithms: DigestAlgorithms = KUBELET_DIGEST_ALGORITHMS): ReferenceResult {
  if (s === '') return { ok: false, error: REFERENCE_ERRORS.ErrNameEmpty }
  const matches = referenceRegexp.exec(s)
  if (matches === null) {
    const lower = goToLower(s)
    if (lower !== s && referenceRegexp.test(lower)) return { ok: false, error: REFERENCE_ERRORS.ErrNameContainsUppercase }
    return { ok: false, error: REFERENCE_ERRORS.ErrReferenceInvalidFormat }
  }
  const name = matches[1]
  let domain = ''
  let path = name
  const nameMatch = anchoredNameRegexp.exec(name)
  if (nameMatch !== null) {
    domain = nameMatch[1] ?? ''
    path = nameMatch[2]
  }
  if (path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) return { ok: false, error: REFERENCE_ERRORS.ErrNameTooLong }
  const digest = matches[3]
  if (digest !== undefined) {
    const digestError = validateDigest(digest, digestAlgorithms)
    if (digestError !== undefined) return { ok: false, error: digestError }
  }
  return { ok: true, ref: makeRef(domain, path, matches[2], digest) }
}

/** splitDockerDomain: decides whether the first component is a registry or a Docker Hub namespace. */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/')
  if (slash < 0) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name]
  const maybeDomain = name.slice(0, slash)
  const maybeRemainder = name.slice(slash + 1)
  let domain: string
  let remainder: string
  if (maybeDomain === LOCALHOST) {
    ;[domain, remainder] = [maybeDomain, maybeRemainder]
  } else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) {
    ;[domain, remainder] = [DEFAULT_DOMAIN, maybeRemainder]
  } else if (maybeDomain.includes('.') || maybeDomain.includes(':')) {
    ;[domain, remainder] = [maybeDomain, maybeRemainder]
  } else if (goToLower(maybeDomain) !== maybeDomain) {
    // Namespaces cannot be upper case, so an upper-case first component must be a host (v0.5.0+).
    ;[domain, remainder] = [maybeDomain, maybeRemainder]
  } else {
    ;[domain, remainder] = [DEFAULT_DOMAIN, name]
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder
  return [domain, remainder]
}

/** reference.ParseNormalizedNamed: what the kubelet uses; `nginx` → docker.io/library/nginx. */
export function parseNormalizedNamed(s: string, digestAlgorithms: DigestAlgorithms = KUBELET_DIGEST_ALGORITHMS): ReferenceResult {
  if (anchoredIdentifierRegexp.test(s)) {
    return { ok: false, error: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` }
  }
  const [domain, remainder] = splitDockerDomain(s)
  const colon = remainder.indexOf(':')
  const remote = colon > -1 ? remainder.slice(0, colon) : remainder
  if (goToLower(remote) !== remote) {
    return { ok: false, error: `invalid reference format: repository name (${remote}) must be lowercase` }
  }
  const result = parse(`${domain}/${remainder}`, digestAlgorithms)
  if (!result.ok) return result
  if (result.ref.name === '') return { ok: false, error: `reference ${referenceString(result.ref)} has no name` }
  return result
}

/** reference.ParseAnyReference: a bare 64-hex identifier or a full digest yields a digest-only reference. */
export function parseAnyReference(s: string, digestAlgorithms: DigestAlgorithms = KUBELET_DIGEST_ALGORITHMS): ReferenceResult {
  if (anchoredIdentifierRegexp.test(s)) return { ok: true, ref: { domain: '', path: '', name: '', digest: `sha256:${s}` } }
  if (validateDigest(s, digestAlgorithms) === undefined) return { ok: true, ref: { domain: '', path: '', name: '', digest: s } }
  return parseNormalizedNamed(s, digestAlgorithms)
}

/** reference.WithName: a name alone; a tag or digest is a format error. */
export function withName(s: string): ReferenceResult {
  const match = anchoredNameRegexp.exec(s)
  if (match === null) return { ok: false, error: REFERENCE_ERRORS.ErrReferenceInvalidFormat }
  if (match[2].length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) return { ok: false, error: REFERENCE_ERRORS.ErrNameTooLong }
  return { ok: true, ref: makeRef(match[1] ?? '', match[2]) }
}

export type DockerRefResult = { ok: true; ref: ImageReference; canonical: string } | { ok: false; error: string }

/**
 * reference.ParseDockerRef: normalised, with a tag dropped when a digest is present and `latest`
 * added when neither is; `canonical` is its string form.
 */
export function parseDockerRef(s: string, digestAlgorithms: DigestAlgorithms = KUBELET_DIGEST_ALGORITHMS): DockerRefResult {
  const named = parseNormalizedNamed(s, digestAlgorithms)
  if (!named.ok) return named
  let ref = named.ref
  if (ref.tag !== undefined && ref.digest !== undefined) {
    const nameOnly = withName(ref.name)
    if (!nameOnly.ok) return nameOnly
    ref = makeRef(nameOnly.ref.domain, nameOnly.ref.path, undefined, ref.digest)
  } else if (ref.tag === undefined && ref.digest === undefined) {
    ref = makeRef(ref.domain, ref.path, DEFAULT_TAG)
  }
  return { ok: true, ref, canonical: referenceString(ref) }
}

/**
 * k8s parsers.ParseImageName: ParseNormalizedNamed, then tag `latest` only when the image has
 * neither a tag nor a digest. `ref.name` is the repository the kubelet looks credentials up for.
 */
export function parseImageName(s: string, digestAlgorithms: DigestAlgorithms = KUBELET_DIGEST_ALGORITHMS): ReferenceResult {
  const named = parseNormalizedNamed(s, digestAlgorithms)
  if (!named.ok) return { ok: false, error: `couldn't parse image name ${JSON.stringify(s)}: ${named.error}` }
  const { ref } = named
  if (ref.tag === undefined && ref.digest === undefined) return { ok: true, ref: makeRef(ref.domain, ref.path, DEFAULT_TAG) }
  return named
}

/** The reference's String(): name[:tag][@digest], or the bare digest when there is no name. */
export function referenceString(ref: ImageReference): string {
  if (ref.name === '') return ref.digest ?? ''
  let s = ref.name
  if (ref.tag !== undefined) s += `:${ref.tag}`
  if (ref.digest !== undefined) s += `@${ref.digest}`
  return s
}

/** reference.FamiliarName: docker.io/ and a single-level library/ dropped, as the docker CLI shows it. */
export function familiarName(ref: ImageReference): string {
  let { domain, path } = ref
  if (domain === DEFAULT_DOMAIN) {
    domain = ''
    if (path.startsWith(OFFICIAL_REPO_PREFIX)) {
      const remainder = path.slice(OFFICIAL_REPO_PREFIX.length)
      if (!remainder.includes('/')) path = remainder
    }
  }
  return domain === '' ? path : `${domain}/${path}`
}

/** reference.FamiliarString: the familiar name with the tag and digest kept. */
export function familiarString(ref: ImageReference): string {
  if (ref.name === '') return referenceString(ref)
  return referenceString({ ...ref, name: familiarName(ref) })
}

/**
 * The API server's default imagePullPolicy (SetDefaults_Container): Always iff ParseImageName's
 * tag is `latest`, so `:latest@sha256:…` is Always and an unparsable image is IfNotPresent.
 */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return defaultPullPolicyOf(parseNormalizedNamed(image))
}

/** defaultPullPolicy from the image's parseNormalizedNamed result (ParseImageName adds `latest` only when there is neither tag nor digest). */
export function defaultPullPolicyOf(named: ReferenceResult): 'Always' | 'IfNotPresent' {
  if (!named.ok) return 'IfNotPresent'
  const { tag, digest } = named.ref
  return tag === DEFAULT_TAG || (tag === undefined && digest === undefined) ? 'Always' : 'IfNotPresent'
}
