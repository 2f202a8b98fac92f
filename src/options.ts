// The one typed Options object shared by the CLI, the action and the config file: the option table,
// defaults, and the parsing and validation of every value, whichever front end it came from.
// Synchronous reads: node:fs/promises costs ~1 ms of start-up (Node 24) for two small reads.
import { isUtf8 } from 'node:buffer'
import { lstatSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import yaml from 'js-yaml'
import type { FailOn, Severity } from './findings/types.js'
import { keyCovers, normalizeKey } from './model/keyring.js'
import { isDns1123Label, isDns1123Subdomain } from './model/validation.js'
import { nearest } from './nearest.js'
import { displayPath } from './paths.js'
import { redactYamlReason } from './source/yaml.js'
export { displayPath }

export type RuleSetting = 'off' | Severity

export interface ExistingSecret {
  /** `*` means every namespace. */
  namespace: string
  name: string
  /** Registry patterns the secret holds credentials for; empty = unknown content (covers everything). */
  registries: string[]
}

export interface Options {
  /** Globs; entries starting with `!` exclude. */
  manifests: string[]
  /** Absolute path: root for globs and for reported paths. */
  workingDirectory: string
  /** Absolute path of the config file used, if any. */
  config?: string
  privateRegistries: string[]
  publicRegistries: string[]
  nodeCredentials: string[]
  existingSecrets: ExistingSecret[]
  /** `ns/name` */
  existingServiceAccounts: { namespace: string; name: string }[]
  existingNamespaces: string[]
  defaultNamespace: string
  failOn: FailOn
  annotations: boolean
  summary: boolean
  sarifFile?: string
  reportFile?: string
  onlyChanged: boolean
  githubToken?: string
  registryProbe: boolean
  registryCredentials?: string
  rules: Record<string, RuleSetting>
}

export const DEFAULT_MANIFESTS: readonly string[] = ['**/*.yaml', '**/*.yml', '**/*.json']
export const CONFIG_FILE_NAMES: readonly string[] = ['.pullcheck.yml', '.pullcheck.yaml']
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'notice', 'never']
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'notice', 'warning', 'error']

/** A configuration or usage error: exit code 2 on the CLI, `setFailed` in the action. */
export class OptionsError extends Error {
  /** One line per problem; `message` joins them. */
  readonly problems: string[]

  constructor(problems: string | string[]) {
    const list = typeof problems === 'string' ? [problems] : problems
    super(list.join('\n'))
    this.name = 'OptionsError'
    this.problems = list
  }
}

// ---------------------------------------------------------------------------------------------
// The option table

export type OptionKind =
  | 'list'
  | 'string'
  | 'boolean'
  | 'enum'
  | 'path'
  | 'secrets'
  | 'serviceAccounts'
  | 'registryPatterns'

export interface OptionSpec {
  /** Action input name and CLI flag (`--<kebab>`); also accepted as a config key. */
  readonly kebab: string
  /** Options field and config file key. */
  readonly camel: keyof Options
  readonly kind: OptionKind
  /** The default as a user sees it (help, action.yml); `undefined` = none. */
  readonly default: string | boolean | readonly string[] | undefined
  /** One line, for help and action.yml. */
  readonly description: string
  /** Placeholder in the CLI help (`--fail-on <level>`). */
  readonly valueName?: string
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[]
  /** Every value (of a string, or each item of a list) must be a namespace name (DNS-1123 label). */
  readonly namespaceNames?: boolean
  /** Never echoed in messages. */
  readonly secret?: boolean
  /** Default of the action input when it differs from `default` (an expression the runner expands). */
  readonly actionDefault?: string
  /** False for options that locate the config file and so cannot be set inside it. */
  readonly inConfigFile?: boolean
  /**
   * What the option does only in the GitHub Action, said to a CLI user who sets it on the command
   * line (the CLI has no annotations, job summary or pull request); the shared config file may
   * set it without a word.
   */
  readonly actionOnly?: string
}

export const OPTION_TABLE = [
  {
    kebab: 'manifests',
    camel: 'manifests',
    kind: 'list',
    default: DEFAULT_MANIFESTS,
    valueName: 'globs',
    description: 'globs or directories of the rendered manifests, comma- or newline-separated (not inside {…}); !glob excludes, and excludes alone narrow the default',
  },
  {
    kebab: 'working-directory',
    camel: 'workingDirectory',
    kind: 'path',
    default: '.',
    valueName: 'dir',
    description: 'root for the globs, the config file and the reported paths: relative paths (config, sarif-file, report-file) are taken from it',
    inConfigFile: false,
  },
  {
    kebab: 'config',
    camel: 'config',
    kind: 'path',
    default: undefined,
    valueName: 'file',
    description: 'config file (default: .pullcheck.yml or .pullcheck.yaml in the working directory, if present)',
    inConfigFile: false,
  },
  {
    kebab: 'private-registries',
    camel: 'privateRegistries',
    kind: 'registryPatterns',
    default: [],
    valueName: 'patterns',
    description: 'registry patterns (host[:port][/path-prefix], * inside host labels) whose images always need a pull secret',
  },
  {
    kebab: 'public-registries',
    camel: 'publicRegistries',
    kind: 'registryPatterns',
    default: [],
    valueName: 'patterns',
    description: 'registry patterns whose images are public and never checked',
  },
  {
    kebab: 'node-credentials',
    camel: 'nodeCredentials',
    kind: 'registryPatterns',
    default: [],
    valueName: 'patterns',
    description: 'registry patterns the nodes pull from with their own identity (ECR node role, GKE, AKS kubelet identity, a mirror)',
  },
  {
    kebab: 'existing-secrets',
    camel: 'existingSecrets',
    kind: 'secrets',
    default: [],
    valueName: 'ns/name[=registry,…]',
    description:
      'pull secrets that exist in the cluster outside the manifests; */name for every namespace. After =, commas separate registries until a piece of the form ns/name, which starts the next entry (or separate entries by newlines)',
  },
  {
    kebab: 'existing-service-accounts',
    camel: 'existingServiceAccounts',
    kind: 'serviceAccounts',
    default: [],
    valueName: 'ns/name',
    description: 'ServiceAccounts that exist in the cluster outside the manifests',
  },
  {
    kebab: 'existing-namespaces',
    camel: 'existingNamespaces',
    kind: 'list',
    default: [],
    valueName: 'names',
    namespaceNames: true,
    description: 'namespaces that exist in the cluster outside the manifests',
  },
  {
    kebab: 'default-namespace',
    camel: 'defaultNamespace',
    kind: 'string',
    default: 'default',
    valueName: 'name',
    namespaceNames: true,
    description: 'namespace of the objects that name none',
  },
  {
    kebab: 'fail-on',
    camel: 'failOn',
    kind: 'enum',
    default: 'error',
    values: FAIL_ON_VALUES,
    valueName: 'level',
    description: 'fail when a finding has this severity or a higher one; never: report only',
  },
  {
    kebab: 'annotations',
    camel: 'annotations',
    kind: 'boolean',
    default: true,
    description: 'emit GitHub annotations on the offending lines',
    actionOnly: 'the CLI prints annotations when --format github is given, and only then',
  },
  {
    kebab: 'summary',
    camel: 'summary',
    kind: 'boolean',
    default: true,
    description: 'write the job summary',
    actionOnly: 'the CLI writes no job summary',
  },
  {
    kebab: 'sarif-file',
    camel: 'sarifFile',
    kind: 'path',
    default: undefined,
    valueName: 'file',
    description: 'write a SARIF 2.1.0 report to this file',
  },
  {
    kebab: 'report-file',
    camel: 'reportFile',
    kind: 'path',
    default: undefined,
    valueName: 'file',
    description: 'write the JSON report to this file',
  },
  {
    kebab: 'only-changed',
    camel: 'onlyChanged',
    kind: 'boolean',
    default: false,
    description: 'in a pull request, report only findings in the files it changes (the graph still uses every file)',
    actionOnly: 'the CLI reports every finding',
  },
  {
    kebab: 'github-token',
    camel: 'githubToken',
    kind: 'string',
    default: undefined,
    actionDefault: '${{ github.token }}',
    valueName: 'token',
    secret: true,
    description: 'token for only-changed and for check-run annotations beyond the per-step limit',
    actionOnly: 'the CLI makes no request to GitHub',
  },
  {
    kebab: 'registry-probe',
    camel: 'registryProbe',
    kind: 'boolean',
    default: false,
    description: 'ask the registries whether each image exists and can be pulled with its credentials (network, opt-in; not built yet: setting it only prints a warning)',
  },
  {
    kebab: 'registry-credentials',
    camel: 'registryCredentials',
    kind: 'string',
    default: undefined,
    valueName: 'json',
    secret: true,
    description: 'docker config JSON used by the registry probe (pass it from a secret)',
  },
] as const satisfies readonly OptionSpec[]

export type CamelKey = (typeof OPTION_TABLE)[number]['camel']
export type KebabName = (typeof OPTION_TABLE)[number]['kebab']
/** Raw values from the CLI (strings, string lists, booleans) or the action (strings). */
export type OptionValues = Partial<Record<CamelKey, string | string[] | boolean>>

const SPECS: readonly OptionSpec[] = OPTION_TABLE
const BY_CAMEL = new Map<string, OptionSpec>(SPECS.map((s) => [s.camel, s]))
const BY_KEBAB = new Map<string, OptionSpec>(SPECS.map((s) => [s.kebab, s]))

/** Keys a config file may hold (camelCase; the kebab-case names are accepted too). */
export const CONFIG_FILE_KEYS: readonly string[] = [
  ...SPECS.filter((s) => s.inConfigFile !== false).map((s) => s.camel),
  'rules',
]

/**
 * What the front ends must say about options that are accepted but do not act (yet): a set
 * option must never be ignored silently.
 */
export function optionWarnings(options: Options): string[] {
  const out: string[] = []
  if (options.registryProbe) {
    out.push('registry-probe is set, but the registry probe is not built yet in this version: no registry was asked; the static checks ran as usual.')
  } else if (options.registryCredentials !== undefined) {
    out.push('registry-credentials is set, but registry-probe is not: only the registry probe uses them, so they were not used.')
  }
  const patterns: [string, readonly string[]][] = [
    ['node-credentials', options.nodeCredentials],
    ['public-registries', options.publicRegistries],
    ['private-registries', options.privateRegistries],
    ['existing-secrets', options.existingSecrets.flatMap((s) => s.registries)],
  ]
  for (const [name, list] of patterns) {
    for (const pattern of new Set(list)) {
      const problem = patternNeverMatches(pattern)
      if (problem) out.push(`${name}: the pattern ${quote(pattern)} ${problem}.`)
    }
  }
  return out
}

/** Hosts that name Docker Hub, whose images are nonetheless docker.io/… once normalised. */
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com'])

/**
 * Why a well-formed registry pattern can match no image (it is matched as the kubelet matches a
 * key), or undefined: a Docker Hub host other than docker.io with a path, or a host the kubelet
 * never takes for Docker Hub; `*` alone, which is one host label.
 */
export function patternNeverMatches(pattern: string): string | undefined {
  const slash = pattern.indexOf('/')
  const host = slash < 0 ? pattern : pattern.slice(0, slash)
  const repoPath = slash < 0 ? '' : pattern.slice(slash)
  if (DOCKER_HUB_ALIASES.has(host)) {
    // The kubelet reads /v1/… and /v2/… as the host itself (ResolveAuthConfig's equivalence).
    const meant = /^\/v[12](\/|$)/.test(repoPath) ? repoPath.slice(3) : repoPath
    const sample = `docker.io${meant === '' || meant === '/' ? '/library/nginx' : meant.replace(/\/$/, '') + '/app'}`
    const key = normalizeKey(pattern)
    if (key === undefined || !keyCovers(key, sample)) {
      return `matches no Docker Hub image: they are named docker.io/… once normalised (${sample}), and the kubelet's rules take ${host}${repoPath} for another registry; write docker.io${meant === '/' ? '' : meant}`
    }
  }
  if (/^\*+$/.test(host)) return `matches only registries whose host is one label (localhost), as ${host} stands for one label of a host name (ghcr.io has two); list the registries instead`
  // An image's first path component is its registry only with a dot, a port or `localhost`:
  // `acme/app` is Docker Hub's docker.io/acme/app, so the key `acme` never meets an image.
  if (!host.includes('.') && !host.includes(':') && host !== 'localhost' && !host.includes('*')) {
    return `matches only images whose first part has an upper-case letter (${host.toUpperCase()}/app): ${host} has no dot and no port, and an image such as ${host}/app is read as Docker Hub's docker.io/${host}/app; write docker.io/${host} for that, or the registry's full host name`
  }
  return undefined
}

/**
 * One sentence naming what the patterns reached but nothing read (see AnalyzeResult.notRead), the
 * first few by name; undefined when everything was read.
 */
export function notReadWarning(notRead: readonly { file: string; reason: string }[], shown = 5): string | undefined {
  if (notRead.length === 0) return undefined
  const named = notRead.slice(0, shown).map((n) => `${n.file} (${n.reason})`)
  const more = notRead.length > shown ? `, and ${notRead.length - shown} more (listed in the JSON report's files)` : ''
  return `${notRead.length} ${notRead.length === 1 ? 'path was' : 'paths were'} not read: ${named.join('; ')}${more}.`
}

/**
 * With yaml-syntax-error off, the files that could not be read or parsed would go unsaid: one
 * sentence naming them (the first few), as eslint never lets a rule setting hide a parsing error.
 */
export function unparsedWarning(files: readonly { file: string; status: string; reason?: string }[], rules: Readonly<Record<string, string>>, shown = 5): string | undefined {
  if (rules['yaml-syntax-error'] !== 'off') return undefined
  const failed = files.filter((f) => f.status === 'error')
  if (failed.length === 0) return undefined
  const named = failed.slice(0, shown).map((f) => (f.reason ? `${f.file} (${f.reason})` : f.file))
  const more = failed.length > shown ? `, and ${failed.length - shown} more (listed in the JSON report's files)` : ''
  return `yaml-syntax-error is off, but ${failed.length} ${failed.length === 1 ? 'file' : 'files'} could not be read or parsed (in part or whole), and what could not be read was not checked: ${named.join('; ')}${more}.`
}

/**
 * One sentence naming the `manifests` patterns that match no file while others do (a typo, or a
 * directory that moved: the manifests meant would go unchecked without a word). The default
 * globs are left out: a repository without JSON files is normal; so are the patterns whose files
 * an exclude all leaves out (`excludedOnly`): they matched. Undefined when there is nothing to
 * say, or when nothing matched at all (the front ends say that instead).
 */
export function unmatchedWarning(unmatched: readonly string[], excludedOnly: readonly string[], filesFound: number): string | undefined {
  if (filesFound === 0) return undefined
  const named = unmatched.filter((p) => !DEFAULT_MANIFESTS.includes(p) && !excludedOnly.includes(p))
  if (named.length === 0) return undefined
  const list = named.map((p) => JSON.stringify(p)).join(', ')
  return named.length === 1
    ? `the manifests pattern ${list} matches no file; the files it was meant for, if any, were not checked (a typo, or a directory that moved?).`
    : `the manifests patterns ${list} match no file; the files they were meant for, if any, were not checked (typos, or directories that moved?).`
}

/** The option kinds whose values are lists. */
const LIST_KINDS: ReadonlySet<string> = new Set(['list', 'registryPatterns', 'secrets', 'serviceAccounts'])

/** Every default, for a given working directory (tests and programmatic use). */
export function defaultOptions(workingDirectory: string): Options {
  return {
    manifests: [...DEFAULT_MANIFESTS],
    workingDirectory,
    privateRegistries: [],
    publicRegistries: [],
    nodeCredentials: [],
    existingSecrets: [],
    existingServiceAccounts: [],
    existingNamespaces: [],
    defaultNamespace: 'default',
    failOn: 'error',
    annotations: true,
    summary: true,
    onlyChanged: false,
    registryProbe: false,
    rules: {},
  }
}

// ---------------------------------------------------------------------------------------------
// Lists

/**
 * Comma- or newline-separated values, trimmed, empties dropped. A comma inside braces is a glob's
 * alternatives (`{base,overlays}/*.yaml`), not a separator: the glob stays whole, as a shell and
 * eslint keep it. No other list option has braces.
 */
export function splitList(value: string): string[] {
  const out: string[] = []
  for (const line of value.split(/\r\n|\r|\n/)) {
    let depth = 0
    let start = 0
    for (let i = 0; i < line.length; i++) {
      const c = line[i]
      if (c === '\\') i++
      else if (c === '{') depth++
      else if (c === '}' && depth > 0) depth--
      else if (c === ',' && depth === 0) {
        out.push(line.slice(start, i))
        start = i + 1
      }
    }
    out.push(line.slice(start))
  }
  return out.map((s) => s.trim()).filter((s) => s !== '')
}

/** A piece that starts a new `existing-secrets` entry rather than continuing the registries of the previous one. */
const SECRET_ENTRY_START = /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)\/[^/,=]+$/

/**
 * Splits `existing-secrets` values into entries. Commas separate entries but also the registries
 * after `=`: a piece that follows an entry with `=` continues its registry list unless it contains
 * `=` or looks like `ns/name` (a single-label first segment, one slash). Newlines always separate.
 */
export function splitSecretList(value: string): string[] {
  const entries: string[] = []
  for (const line of value.split(/\r?\n|\r/)) {
    let current: string | undefined
    for (const piece of line.split(',').map((s) => s.trim())) {
      if (piece === '') continue
      const startsEntry =
        current === undefined ||
        !current.includes('=') ||
        piece.includes('=') ||
        (SECRET_ENTRY_START.test(piece) && !piece.startsWith('localhost/'))
      if (startsEntry) {
        if (current !== undefined) entries.push(current)
        current = piece
      } else {
        current = `${current},${piece}`
      }
    }
    if (current !== undefined) entries.push(current)
  }
  return entries
}

/** Splits raw list items as the option's kind requires (`existing-secrets` keeps `=a,b` together). */
export function splitOptionList(kind: OptionKind, items: readonly string[]): string[] {
  return items.flatMap((item) => (kind === 'secrets' ? splitSecretList(item) : splitList(item)))
}

// ---------------------------------------------------------------------------------------------
// Value validation (pure; each returns an error sentence or the parsed value)

export type Check<T> = { ok: true; value: T } | { ok: false; problem: string }
const ok = <T>(value: T): Check<T> => ({ ok: true, value })
const bad = <T>(problem: string): Check<T> => ({ ok: false, problem })

const REGISTRY_FORM =
  'expected host[:port][/path-prefix] with * or ? only inside host labels, e.g. ghcr.io/acme, *.azurecr.io, registry.local:5000'
const NAMESPACE_FORM =
  'expected a DNS-1123 label: lowercase letters, digits and -, starting and ending with a letter or digit, at most 63 characters'
const NAME_FORM =
  'expected a DNS-1123 subdomain: lowercase letters, digits, - and ., starting and ending with a letter or digit, at most 253 characters'

/** Why `pattern` is not a registry pattern, or undefined when it is one. */
function registryPatternProblem(pattern: string): string | undefined {
  if (/\s/.test(pattern)) return 'it contains white space'
  // A digest: an algorithm (sha256…) and at least 32 hexadecimal digits, not a user before host:port.
  if (/@(?:sha(?:256|384|512):|[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})/.test(pattern)) return 'a digest is not allowed, patterns name registries and repository prefixes'
  if (/^[^/]*@/.test(pattern)) return 'a user name (user@) is not allowed, patterns name registries and repository prefixes'
  if (pattern.includes('@')) return 'a digest is not allowed, patterns name registries and repository prefixes'
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pattern)) return 'only an https:// or http:// scheme is accepted'
  const slash = pattern.indexOf('/')
  const hostPort = slash < 0 ? pattern : pattern.slice(0, slash)
  const repoPath = slash < 0 ? '' : pattern.slice(slash)
  if (hostPort === '') return 'the host is missing'
  let host = hostPort
  let port: string | undefined
  const ipv6 = /^(\[[0-9a-fA-F:]+\])(?::(.*))?$/.exec(hostPort)
  if (!ipv6 && (/^\[[^\]]*:/.test(hostPort) || hostPort.startsWith('[]'))) return 'an IPv6 address is written in brackets with hexadecimal digits and colons only, e.g. [fc00::1]:5000'
  if (ipv6) {
    host = ipv6[1]
    port = ipv6[2]
  } else {
    const colon = hostPort.indexOf(':')
    if (colon >= 0) {
      host = hostPort.slice(0, colon)
      port = hostPort.slice(colon + 1)
    }
    if (host === '') return 'the host is missing'
    for (const label of host.split('.')) {
      if (label === '') return 'the host has an empty label'
      if (/[[\]\\]/.test(label)) return 'character classes and escapes are not supported, use * or ?'
      if (!/^[A-Za-z0-9*?-]+$/.test(label)) return `the host label "${label}" has a character other than letters, digits, -, * and ?`
    }
  }
  if (port !== undefined) {
    if (/[*?]/.test(port)) return '* and ? are only allowed inside host labels, not in the port'
    if (!/^\d+$/.test(port)) return 'the port after ":" must be a number (patterns take no tag)'
    if (port.length > 5 || Number(port) > 65535) return 'the port after ":" must be at most 65535'
  }
  if (repoPath !== '') {
    if (/[*?]/.test(repoPath)) return '* and ? are only allowed inside host labels, the path is a plain prefix'
    if (repoPath.includes(':')) return 'a tag is not allowed, patterns name registries and repository prefixes'
    if (/[A-Z]/.test(repoPath)) return 'repository paths are lowercase'
    if (repoPath.includes('//')) return 'the path has an empty segment (//), which no image path holds'
    if (/\/[._-]/.test(repoPath)) return 'a path segment starts with ., _ or -, which no image path holds (each starts with a letter or digit)'
    if (!/^\/[a-z0-9._/-]*$/.test(repoPath)) return 'the path has a character other than lowercase letters, digits, ., _, - and /'
  }
  return undefined
}

/**
 * A registry pattern, with an optional `https://` / `http://` scheme stripped and its host in
 * lower case (host names are case-insensitive; images are matched with theirs folded too). Not
 * folded (`fold` false): the registries of an `existing-secrets` entry, which are the keys of a
 * Secret in the cluster, matched case-sensitively by the kubelet.
 */
export function parseRegistryPattern(value: string, fold = true): Check<string> {
  const stripped = value.replace(/^https?:\/\//i, '')
  const problem = registryPatternProblem(stripped)
  const slash = stripped.indexOf('/')
  return problem === undefined
    ? ok(!fold ? stripped : slash < 0 ? stripped.toLowerCase() : stripped.slice(0, slash).toLowerCase() + stripped.slice(slash))
    : bad(`${quote(value)} is not a registry pattern: ${problem} (${REGISTRY_FORM})`)
}

export function parseNamespaceName(value: string): Check<string> {
  return isDns1123Label(value) ? ok(value) : bad(`${quote(value)} is not a valid namespace name (${NAMESPACE_FORM})`)
}

const SECRET_FORM = 'expected ns/name[=registry,…] or */name[=registry,…], e.g. prod/regcred=ghcr.io/acme'

export function parseExistingSecret(value: string): Check<ExistingSecret> {
  const eq = value.indexOf('=')
  const ref = eq < 0 ? value : value.slice(0, eq)
  const parts = ref.split('/')
  if (parts.length !== 2) return bad(`${quote(value)} is not a secret reference (${SECRET_FORM})`)
  const [namespace, name] = parts.map((s) => s.trim())
  if (namespace !== '*' && !isDns1123Label(namespace)) {
    return bad(`${quote(value)} has an invalid namespace ${quote(namespace)} (${NAMESPACE_FORM}, or * for every namespace)`)
  }
  if (!isDns1123Subdomain(name)) return bad(`${quote(value)} has an invalid secret name ${quote(name)} (${NAME_FORM})`)
  const registries: string[] = []
  if (eq >= 0) {
    const patterns = splitList(value.slice(eq + 1))
    if (patterns.length === 0) {
      return bad(`${quote(value)} lists no registry after = (${SECRET_FORM}; leave out = when the content is unknown)`)
    }
    for (const p of patterns) {
      const r = parseRegistryPattern(p, false)
      if (!r.ok) return bad(`${quote(value)}: ${r.problem}`)
      registries.push(r.value)
    }
  }
  return ok({ namespace, name, registries })
}

const SERVICE_ACCOUNT_FORM = 'expected ns/name, e.g. prod/deployer'

export function parseExistingServiceAccount(value: string): Check<{ namespace: string; name: string }> {
  const parts = value.split('/')
  if (parts.length !== 2) return bad(`${quote(value)} is not a ServiceAccount reference (${SERVICE_ACCOUNT_FORM})`)
  const [namespace, name] = parts.map((s) => s.trim())
  if (!isDns1123Label(namespace)) return bad(`${quote(value)} has an invalid namespace ${quote(namespace)} (${NAMESPACE_FORM})`)
  if (!isDns1123Subdomain(name)) return bad(`${quote(value)} has an invalid ServiceAccount name ${quote(name)} (${NAME_FORM})`)
  return ok({ namespace, name })
}

const TRUE_WORDS = ['true', 'True', 'TRUE']
const FALSE_WORDS = ['false', 'False', 'FALSE']

/** As `@actions/core` getBooleanInput: true|True|TRUE|false|False|FALSE. */
export function parseBoolean(value: string | boolean): Check<boolean> {
  if (typeof value === 'boolean') return ok(value)
  if (TRUE_WORDS.includes(value)) return ok(true)
  if (FALSE_WORDS.includes(value)) return ok(false)
  return bad(`${quote(value)} is not a boolean (expected true or false)`)
}

export function parseEnum<T extends string>(value: string, allowed: readonly T[]): Check<T> {
  return (allowed as readonly string[]).includes(value)
    ? ok(value as T)
    : bad(`${quote(value)} is not one of ${allowed.join(', ')}`)
}

/** A value as the user wrote it, in quotes: the first 80 characters of a long one, and its length. */
function quote(value: string): string {
  return value.length <= 100 ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, 80))}… (${value.length} characters)`
}

// ---------------------------------------------------------------------------------------------
// Config file

/** Where a raw value came from: names the option as the user wrote it. */
type Origin =
  | { from: 'cli' }
  | { from: 'action' }
  | { from: 'config'; file: string; key: string; line?: number }

function where(spec: { kebab: string }, origin: Origin): string {
  switch (origin.from) {
    case 'cli':
      return `--${spec.kebab}`
    case 'action':
      return `input ${spec.kebab}`
    case 'config':
      return `${origin.file}${origin.line ? `:${origin.line}` : ''}: ${origin.key}`
  }
}

interface ConfigEntry {
  raw: unknown
  origin: Extract<Origin, { from: 'config' }>
}

interface LoadedConfig {
  file: string
  entries: Map<string, ConfigEntry>
  rules?: ConfigEntry
  /** Finds the line of a value inside a key's block, for per-item messages. */
  lineOf(key: string, needle: string): number | undefined
  /** Finds the line of `key:` inside the block of the top-level `parent:`. */
  nestedLine(parent: string, key: string): number | undefined
}


function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Line numbers by text: the config is small and block-style in practice, so a scan is enough. */
function lineFinder(source: string) {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/)
  const keyLine = (key: string, indented: boolean, from = 0, to = lines.length): number | undefined => {
    const re = new RegExp(`^${indented ? '\\s+' : ''}(["']?)${escapeRegExp(key)}\\1\\s*:(\\s|$)`)
    for (let i = from; i < to; i++) if (re.test(lines[i])) return i + 1
    return undefined
  }
  /** [start, end) of the block of a top-level key: until the next top-level key. */
  const blockEnd = (start: number): number => {
    for (let i = start; i < lines.length; i++) if (/^[^\s#-]/.test(lines[i])) return i
    return lines.length
  }
  return {
    top: (key: string) => keyLine(key, false),
    nested: (parent: string, key: string) => {
      const at = keyLine(parent, false)
      if (at === undefined) return undefined
      return keyLine(key, true, at, blockEnd(at)) ?? at
    },
    within: (parent: string, needle: string) => {
      const at = keyLine(parent, false)
      if (at === undefined) return undefined
      const end = blockEnd(at)
      // The needle as a whole item (`- "*."`, `[a, *.]`), not inside another one (`"*.azurecr.io"`).
      const whole = new RegExp(`(^|[\\s,\\[:"'-])${escapeRegExp(needle)}(?=$|[\\s,\\]"'#])`)
      const comment = (line: string) => line.trimStart().startsWith('#')
      for (let i = at - 1; i < end; i++) if (!comment(lines[i]) && whole.test(lines[i])) return i + 1
      for (let i = at - 1; i < end; i++) if (!comment(lines[i]) && lines[i].includes(needle)) return i + 1
      return at
    },
  }
}

function configFlag(spec: OptionSpec, front: Origin): string {
  return front.from === 'action' ? `the ${spec.kebab} input` : `--${spec.kebab}`
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

/** Whether `file` is a file, a directory, or missing (unreadable counts as missing). */
export async function pathKind(file: string): Promise<'file' | 'directory' | undefined> {
  try {
    const s = statSync(file)
    return s.isDirectory() ? 'directory' : 'file'
  } catch {
    return undefined
  }
}

async function loadConfig(file: string, cwd: string, problems: string[]): Promise<LoadedConfig | undefined> {
  const shown = displayPath(file, cwd)
  let source: string
  try {
    const bytes = readFileSync(file)
    if (!isUtf8(bytes)) {
      // Its first line that is not: the YAML parser would only see U+FFFD there and blame the syntax.
      const bad = firstNonUtf8Line(bytes)
      problems.push(`${shown}${bad === undefined ? '' : `:${bad}`}: the config file is not UTF-8 text; save it as UTF-8`)
      return undefined
    }
    source = bytes.toString('utf8')
  } catch (e) {
    problems.push(`${shown}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
    return undefined
  }
  let doc: unknown
  try {
    doc = yaml.load(source, { filename: shown })
  } catch (e) {
    if (e instanceof yaml.YAMLException) {
      // Only reason and position: js-yaml's own message quotes the source lines, which may hold a token.
      const pos = e.mark ? `:${e.mark.line + 1}:${e.mark.column + 1}` : ''
      problems.push(`${shown}${pos}: YAML syntax error: ${redactYamlReason(e.reason)}`)
    } else {
      problems.push(`${shown}: cannot parse the config file`)
    }
    return undefined
  }
  const lines = lineFinder(source)
  const config: LoadedConfig = {
    file,
    entries: new Map(),
    lineOf: (key, needle) => lines.within(key, needle),
    nestedLine: (parent, key) => lines.nested(parent, key),
  }
  if (doc === null || doc === undefined) return config
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push(`${shown}:1: expected a mapping of option keys to values, got ${describe(doc)}`)
    return undefined
  }
  const validKeys = CONFIG_FILE_KEYS
  const candidates = [...validKeys, ...SPECS.filter((s) => s.inConfigFile !== false).map((s) => s.kebab)]
  for (const [key, raw] of Object.entries(doc as Record<string, unknown>)) {
    const origin = { from: 'config' as const, file: shown, key, line: lines.top(key) }
    const at = `${shown}${origin.line ? `:${origin.line}` : ''}`
    if (key === 'rules') {
      config.rules = { raw, origin }
      continue
    }
    const spec = BY_CAMEL.get(key) ?? BY_KEBAB.get(key)
    if (spec === undefined) {
      const guess = nearest(key, candidates)
      const hint = guess === undefined ? '' : `; did you mean "${guess}"?`
      problems.push(`${at}: unknown key "${key}"${hint} (valid keys: ${validKeys.join(', ')}; kebab-case names are accepted too)`)
      continue
    }
    if (spec.inConfigFile === false) {
      problems.push(
        `${at}: "${key}" cannot be set in the config file, which is looked up from it (use --${spec.kebab} or the ${spec.kebab} input)`,
      )
      continue
    }
    const earlier = config.entries.get(spec.camel)
    if (earlier !== undefined) {
      problems.push(`${at}: "${key}" sets the same option as "${earlier.origin.key}"; keep one`)
      continue
    }
    config.entries.set(spec.camel, { raw, origin })
  }
  return config
}

/** The 1-based number of the first line whose bytes are not UTF-8. */
function firstNonUtf8Line(bytes: Buffer): number | undefined {
  let start = 0
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start)
    if (end === -1) end = bytes.length
    if (!isUtf8(bytes.subarray(start, end))) return line
    start = end + 1
  }
  return undefined
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Date) return 'a date'
  if (typeof value === 'object') return 'a mapping'
  return typeof value === 'string' ? `string ${quote(value)}` : `${typeof value} ${JSON.stringify(value)}`
}

function describeRedacted(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value !== null && typeof value === 'object') return 'a mapping'
  return '<redacted>'
}

// ---------------------------------------------------------------------------------------------
// Resolution

interface Sink {
  problems: string[]
  config?: LoadedConfig
}

/** The raw value as one string, for scalar kinds; undefined (with a problem) for lists or mappings. */
function asScalar(spec: OptionSpec, raw: unknown, origin: Origin, sink: Sink): string | boolean | undefined {
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    // YAML reads 007 as 7 and 1.0 as 1: the text the user wrote is gone, so it cannot be taken as a name or path.
    const shown = spec.secret ? '<redacted>' : String(raw)
    sink.problems.push(`${where(spec, origin)}: expected ${spec.kind === 'boolean' ? 'true or false' : spec.kind === 'enum' ? `one of ${(spec.values ?? []).join(', ')}` : 'text'}, got the number ${shown}${spec.kind === 'boolean' || spec.kind === 'enum' ? '' : NUMBER_HINT}`)
    return undefined
  }
  const got = spec.secret ? describeRedacted(raw) : describe(raw)
  sink.problems.push(`${where(spec, origin)}: expected ${spec.kind === 'boolean' ? 'true or false' : 'a single value'}, got ${got}`)
  return undefined
}

const NUMBER_HINT = ' (YAML reads an unquoted 007 as 7 and 1.0 as 1): write it in quotes'

/** The raw value as list items (before splitting), or undefined with a problem. */
function asItems(spec: OptionSpec, raw: unknown, origin: Origin, sink: Sink): string[] | undefined {
  if (typeof raw === 'string') return [raw]
  const items = Array.isArray(raw) ? raw : [raw]
  const out: string[] = []
  for (const item of items) {
    if (typeof item === 'string') out.push(item)
    else if (typeof item === 'number') {
      sink.problems.push(`${where(spec, origin)}: expected a list of strings, got ${Array.isArray(raw) ? 'an item that is ' : ''}the number ${String(item)}${NUMBER_HINT}`)
      return undefined
    } else {
      sink.problems.push(`${where(spec, origin)}: expected a list of strings, got ${Array.isArray(raw) ? 'an item that is ' : ''}${describe(item)}`)
      return undefined
    }
  }
  return out
}

function itemOrigin(origin: Origin, item: string, sink: Sink): Origin {
  if (origin.from !== 'config' || sink.config === undefined) return origin
  return { ...origin, line: sink.config.lineOf(origin.key, item) ?? origin.line }
}

function checkItems<T>(
  spec: OptionSpec,
  items: string[],
  origin: Origin,
  sink: Sink,
  parse: (item: string) => Check<T>,
): T[] {
  const out: T[] = []
  for (const item of items) {
    const r = parse(item)
    if (r.ok) out.push(r.value)
    else sink.problems.push(`${where(spec, itemOrigin(origin, item, sink))}: ${r.problem}`)
  }
  return out
}

/** Parses one raw value for one option into the Options field's type; undefined when not set or invalid. */
function parseOption(spec: OptionSpec, raw: unknown, origin: Origin, sink: Sink): unknown {
  switch (spec.kind) {
    case 'list':
    case 'registryPatterns':
    case 'secrets':
    case 'serviceAccounts': {
      const raws = asItems(spec, raw, origin, sink)
      if (raws === undefined) return undefined
      const items = splitOptionList(spec.kind, raws)
      // An empty value on the command line is an unset variable (`--sarif-file "$OUT"`), also
      // when the flag is repeated (`--private-registries ghcr.io --private-registries "$MORE"`),
      // and no manifests at all checks nothing: both are mistakes, never read as "none".
      const emptyFlag = origin.from === 'cli' && raws.length > 1 && raws.some((r) => splitOptionList(spec.kind, [r]).length === 0)
      if (emptyFlag || (items.length === 0 && (origin.from === 'cli' || spec.camel === 'manifests'))) {
        sink.problems.push(`${where(spec, origin)}: the value is empty; expected ${placeholder(spec)}`)
        return undefined
      }
      // Only separators (`${{ vars.A }},${{ vars.B }}` with both unset): not a deliberate "none",
      // which would silently replace the config file's list.
      const separatorsOnly = raws.find((r) => r.trim() !== '' && splitOptionList(spec.kind, [r]).length === 0)
      if (separatorsOnly !== undefined) {
        sink.problems.push(`${where(spec, origin)}: ${quote(separatorsOnly)} holds only separators, no value; expected ${placeholder(spec)}`)
        return undefined
      }
      if (spec.kind === 'registryPatterns') return checkItems(spec, items, origin, sink, parseRegistryPattern)
      if (spec.kind === 'secrets') return checkItems(spec, items, origin, sink, parseExistingSecret)
      if (spec.kind === 'serviceAccounts') return checkItems(spec, items, origin, sink, parseExistingServiceAccount)
      if (spec.namespaceNames) return checkItems(spec, items, origin, sink, parseNamespaceName)
      return items
    }
    case 'boolean': {
      const value = asScalar(spec, raw, origin, sink)
      if (value === undefined) return undefined
      const r = parseBoolean(typeof value === 'string' ? value.trim() : value)
      if (r.ok) return r.value
      sink.problems.push(`${where(spec, origin)}: ${r.problem}`)
      return undefined
    }
    case 'enum': {
      const value = asScalar(spec, raw, origin, sink)
      if (value === undefined) return undefined
      const r = parseEnum(String(value).trim(), spec.values ?? [])
      if (r.ok) return r.value
      sink.problems.push(`${where(spec, origin)}: ${r.problem}`)
      return undefined
    }
    case 'string':
    case 'path': {
      const value = asScalar(spec, raw, origin, sink)
      if (value === undefined) return undefined
      if (typeof value === 'boolean') {
        const got = spec.secret ? '<redacted>' : String(value)
        sink.problems.push(`${where(spec, origin)}: expected ${spec.kind === 'path' ? 'a path' : 'a string'}, got ${got}`)
        return undefined
      }
      const text = spec.secret ? value : value.trim()
      if (text === '') {
        // The runner passes '' for unset inputs (isUnset); elsewhere an empty value is a mistake.
        if (origin.from !== 'action') sink.problems.push(`${where(spec, origin)}: the value is empty; expected ${placeholder(spec)}`)
        return undefined
      }
      if (spec.namespaceNames) {
        const r = parseNamespaceName(text)
        if (!r.ok) sink.problems.push(`${where(spec, origin)}: ${r.problem}`)
        return r.ok ? r.value : undefined
      }
      if (spec.camel === 'registryCredentials' && !isJsonObject(text)) {
        sink.problems.push(
          `${where(spec, origin)}: <redacted> is not a docker config JSON (expected a JSON object such as {"auths": {"ghcr.io": {"auth": "…"}}})`,
        )
        return undefined
      }
      return text
    }
  }
}

/** The option's value placeholder, as --help writes it: `<patterns>`. */
function placeholder(spec: OptionSpec): string {
  return spec.valueName === undefined ? 'a value' : `<${spec.valueName}>`
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v)
  } catch {
    return false
  }
}

function parseRules(entry: ConfigEntry, knownRuleIds: readonly string[], sink: Sink): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = {}
  const { raw, origin } = entry
  const at = `${origin.file}${origin.line ? `:${origin.line}` : ''}`
  if (raw === null || raw === undefined) return rules
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    sink.problems.push(`${at}: rules: expected a mapping of rule id to ${RULE_SETTINGS.join('|')}, got ${describe(raw)}`)
    return rules
  }
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    const line = sink.config?.nestedLine(origin.key, id) ?? origin.line
    const here = `${origin.file}${line ? `:${line}` : ''}: rules.${id}`
    if (!knownRuleIds.includes(id)) {
      const guess = nearest(id, knownRuleIds)
      const hint = guess === undefined ? '' : `; did you mean "${guess}"?`
      sink.problems.push(`${here}: unknown rule id "${id}"${hint} (known rules: ${knownRuleIds.join(', ')})`)
      continue
    }
    const r = typeof value === 'string' ? parseEnum(value.trim(), RULE_SETTINGS) : bad<RuleSetting>(`${describe(value)} is not one of ${RULE_SETTINGS.join(', ')}`)
    if (r.ok) rules[id] = r.value
    else sink.problems.push(`${here}: ${r.problem}`)
  }
  return rules
}

export interface ResolveInput {
  values: OptionValues
  origin: 'cli' | 'action'
  /** Absolute directory the relative `working-directory` is resolved from. */
  cwd: string
  /** Rule ids `rules:` in the config may name. */
  knownRuleIds: string[]
}

function isUnset(value: unknown, origin: 'cli' | 'action'): boolean {
  if (value === undefined || value === null) return true
  // The runner passes '' for inputs that have no default and were not given.
  if (origin === 'action') {
    if (typeof value === 'string') return value.trim() === ''
    if (Array.isArray(value)) return value.every((v) => typeof v === 'string' && v.trim() === '')
  }
  return false
}

/**
 * Builds Options from front-end values, the config file and the defaults (in that precedence).
 * Throws one OptionsError listing every problem.
 */
export async function resolveOptions(input: ResolveInput): Promise<Options> {
  const { values, cwd, knownRuleIds } = input
  const front: Origin = { from: input.origin }
  const sink: Sink = { problems: [] }
  const given = (key: CamelKey) => (isUnset(values[key], input.origin) ? undefined : values[key])

  // 1. The working directory: only from the front end (the config file is looked up in it).
  const wdSpec = BY_CAMEL.get('workingDirectory')!
  const wdRaw = given('workingDirectory')
  const wdValue = wdRaw === undefined ? undefined : (parseOption(wdSpec, wdRaw, front, sink) as string | undefined)
  const workingDirectory = path.resolve(cwd, wdValue ?? '.')
  if (wdValue !== undefined && (await pathKind(workingDirectory)) !== 'directory') {
    sink.problems.push(`${where(wdSpec, front)}: ${quote(wdValue)} is not a directory (resolved to ${workingDirectory})`)
    throw new OptionsError(sink.problems)
  }

  // 2. The config file: the given one must exist; otherwise the default names, if present.
  const configSpec = BY_CAMEL.get('config')!
  const configRaw = given('config')
  const configValue = configRaw === undefined ? undefined : (parseOption(configSpec, configRaw, front, sink) as string | undefined)
  let configFile: string | undefined
  if (configValue !== undefined) {
    configFile = path.resolve(workingDirectory, configValue)
    const kind = await pathKind(configFile)
    if (kind !== 'file') {
      sink.problems.push(
        `${where(configSpec, front)}: ${quote(configValue)} ${kind === 'directory' ? 'is a directory' : 'does not exist'} (expected a config file; resolved to ${configFile})`,
      )
      throw new OptionsError(sink.problems)
    }
  } else {
    const found: string[] = []
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(workingDirectory, name)
      const kind = await pathKind(candidate)
      if (kind === 'file') found.push(candidate)
      // Never ignored without a word: the options it holds would be silently missing.
      else if (kind === 'directory') sink.problems.push(`${displayPath(candidate, cwd)} is a directory, not a config file; rename it or choose a file with ${configFlag(configSpec, front)}`)
      else if (isSymlink(candidate)) sink.problems.push(`${displayPath(candidate, cwd)} is a symbolic link that leads to no file (a missing target, or a loop); fix it, remove it or choose a file with ${configFlag(configSpec, front)}`)
    }
    if (sink.problems.length > 0) throw new OptionsError(sink.problems)
    if (found.length > 1) {
      sink.problems.push(
        `${found.map((f) => displayPath(f, cwd)).join(' and ')} both exist; keep one or choose with ${configFlag(configSpec, front)}`,
      )
      throw new OptionsError(sink.problems)
    }
    configFile = found[0]
  }
  if (configFile !== undefined) {
    sink.config = await loadConfig(configFile, cwd, sink.problems)
  }

  // 3. Every other option: front end > config file > default.
  const options = defaultOptions(workingDirectory)
  const record = options as unknown as Record<string, unknown>
  for (const spec of SPECS) {
    if (spec.camel === 'workingDirectory' || spec.camel === 'config') continue
    const fromFront = given(spec.camel as CamelKey)
    const fromConfig = sink.config?.entries.get(spec.camel)
    // The file's value is checked even where the front end's wins, as eslint checks a whole
    // config: a bad value in a shared file must not pass in CI, where the workflow sets the input,
    // and fail on a laptop.
    let fileValue: unknown
    if (fromConfig !== undefined) {
      // `key:` without a value (YAML null) is the empty value of its kind, never ignored: an empty
      // list (no items, as when every item is commented out), an empty scalar (an error, as "").
      const raw = fromConfig.raw === null ? (LIST_KINDS.has(spec.kind) ? [] : '') : fromConfig.raw
      fileValue = parseOption(spec, raw, fromConfig.origin, sink)
    }
    const value = fromFront !== undefined ? parseOption(spec, fromFront, front, sink) : fileValue
    if (value === undefined) continue
    record[spec.camel] = spec.kind === 'path' ? path.resolve(workingDirectory, value as string) : value
  }
  if (sink.config?.rules !== undefined) options.rules = parseRules(sink.config.rules, knownRuleIds, sink)
  if (configFile !== undefined) options.config = configFile
  // One file for both reports: the second written would replace the first without a word.
  if (options.sarifFile !== undefined && options.sarifFile === options.reportFile) {
    sink.problems.push(`sarif-file and report-file name the same file (${displayPath(options.sarifFile, workingDirectory)}); give each its own`)
  }

  if (sink.problems.length > 0) throw new OptionsError(sink.problems)
  return options
}
