// Secrets and the objects that make Secrets appear (SealedSecret, ExternalSecret, replication
// annotations, configuration): each becomes a SecretDef, with known or unknown content.
import { annotations, get, isObj, str, stringEntries, type FieldPath, type Obj, type Resource } from './resources.js'
import type { ExistingSecret } from '../options.js'
import { decodeDockerConfigJson } from './dockerconfig.js'
import { decodeBase64Strict, isBase64Strict } from '../source/base64.js'
import { invalidMetadata, isConfigMapKey, isLabelValue, isQualifiedName, kindOf, refusalDetail, nonStringLabels } from './validation.js'

export const DOCKERCONFIGJSON = 'kubernetes.io/dockerconfigjson'
export const DOCKERCFG = 'kubernetes.io/dockercfg'
export const DOCKER_TYPES = new Set([DOCKERCONFIGJSON, DOCKERCFG])
export const KEY_FOR_TYPE: Record<string, string> = { [DOCKERCONFIGJSON]: '.dockerconfigjson', [DOCKERCFG]: '.dockercfg' }

export type SecretOrigin = 'Secret' | 'SealedSecret' | 'ExternalSecret' | 'ClusterExternalSecret' | 'reflector' | 'replicator' | 'existing-secrets'

export interface SecretValue {
  /** Decoded bytes as a latin1/utf8 string; undefined when `data` held invalid base64. */
  value: string | undefined
  /** Where it is written, from the resource root (`data.<key>` or `stringData.<key>`). */
  path: FieldPath
  /** Why the API server rejects the Secret for this value, when it is not bad base64. */
  rejected?: string
}

/** The labels of a namespace that a Namespace object declares; undefined when none does (unknown). */
export type NamespaceLabels = Readonly<Record<string, string>> | undefined

export interface SecretDef {
  name: string
  /** A namespace, or `*` when `matches` decides (replication to several namespaces, a `*` namespace in the configuration). */
  namespace: string
  /** Whether it exists in `namespace`, whose labels are given when a Namespace object declares it. */
  matches?: (namespace: string, labels: NamespaceLabels) => boolean
  type: string
  origin: SecretOrigin
  /** The object that declares or produces it (absent for configuration). */
  resource?: Resource
  /** Path of the node that names the secret (metadata.name, spec.target.name…). */
  namePath?: FieldPath
  /** Path of the `type:` node, when written. */
  typePath?: FieldPath
  /** `known`: data below; `unknown`: assumed to cover every image; `registries`: keys known, credentials not. */
  content: 'known' | 'unknown' | 'registries'
  data?: Map<string, SecretValue>
  /** Data keys present, when known even if values are not (SealedSecret encryptedData, templates). */
  dataKeys?: string[]
  /**
   * `dataKeys` are all the keys the Secret made will hold, though their values are unknown (a
   * SealedSecret; an ExternalSecret whose template data replaces the provider's): a docker-config
   * type without its key is then a Secret the API server rejects. Where those keys are written.
   */
  keysExactAt?: FieldPath
  /** Registry keys, raw as written, for content `registries`. */
  registries?: string[]
  /** The Secret a replicated copy comes from. */
  source?: SecretDef
  /** The tool that fills a copy declared here (replicate-from, reflects). */
  copiedBy?: 'reflector' | 'kubernetes-replicator'
  /** A copy (replicate-from, reflects) that its tool does not fill, and why. */
  notCopied?: string
  /** How to have it filled (with notCopied). */
  notCopiedFix?: string
  /** For a copy into several namespaces (namespace `*`): where it goes, as its annotation says. */
  reach?: string
  /** A copy that goes into the namespaces a label selector picks (labelling a namespace brings it there). */
  bySelector?: boolean
  /** How to name it in a message. */
  label: string
  /** The API server cannot decode or refuses the object (a v1 Secret): it never exists. Why, and where. */
  rejected?: { detail: string; path: FieldPath }
}

function secretFromV1(r: Resource): SecretDef {
  const data = new Map<string, SecretValue>()
  const d = get(r.obj, ['data'])
  if (isObj(d)) {
    for (const [k, v] of Object.entries(d)) {
      data.set(k, { value: typeof v === 'string' ? decodeBase64Strict(v) : v === null ? '' : undefined, path: ['data', k] })
    }
  }
  const sd = get(r.obj, ['stringData'])
  if (isObj(sd)) {
    // stringData wins per key, as the API server merges it.
    for (const [k, v] of Object.entries(sd)) {
      const path = ['stringData', k]
      if (typeof v === 'string' || v === null) data.set(k, { value: v ?? '', path })
      else data.set(k, { value: undefined, path, rejected: stringDataRejected(k, v) })
    }
  }
  const rejected = undecodable(r)
  const def: SecretDef = {
    name: r.name,
    namespace: r.namespace!,
    type: str(r.obj.type) ?? 'Opaque',
    origin: 'Secret',
    resource: r,
    namePath: ['metadata', 'name'],
    content: 'known',
    data,
    dataKeys: [...data.keys()],
    label: `Secret ${r.namespace}/${r.name}`,
  }
  if (r.obj.type !== undefined) def.typePath = ['type']
  if (rejected) def.rejected = rejected
  return def
}

/**
 * The first field that keeps the API server from accepting a v1 Secret (so it never exists). First
 * what it cannot decode at all: a label or annotation that is not a string, a `data` value that is
 * not a base64 string (also one that stringData replaces: data is decoded first), a `stringData`
 * value that is not a string. Then what its validation (ValidateSecret) refuses: the object's
 * metadata (invalidMetadata), the keys of data and stringData (IsConfigMapKey). The key the type
 * reads is left to the resolver, which says more about it.
 */
function undecodable(r: Resource): { detail: string; path: FieldPath } | undefined {
  const metadata = nonStringLabels(r.obj)
  if (metadata) return { detail: refusalDetail(metadata, 'Secret'), path: metadata.path }
  // The key the type reads, where it is written last, is left to the resolver (it says more).
  const dockerKey = KEY_FOR_TYPE[str(r.obj.type) ?? 'Opaque']
  const data = get(r.obj, ['data'])
  const stringData = get(r.obj, ['stringData'])
  const overridden = (k: string) => isObj(stringData) && k in stringData
  if (isObj(data)) {
    // Every data value is decoded, also one that stringData then replaces.
    for (const [k, v] of Object.entries(data)) {
      if ((k === dockerKey && !overridden(k)) || v === null || (typeof v === 'string' && isBase64Strict(v))) continue
      const what = typeof v === 'string' ? 'is not valid base64' : `is ${kindOf(v)}, not a base64 string`
      return { detail: `its data value ${k} ${what}, so the API server cannot decode the Secret and it never exists`, path: ['data', k] }
    }
  }
  if (isObj(stringData)) {
    for (const [k, v] of Object.entries(stringData)) {
      if (k === dockerKey || typeof v === 'string' || v === null) continue
      return { detail: stringDataRejected(k, v), path: ['stringData', k] }
    }
  }
  const invalid = invalidMetadata(r.obj, 'Secret')
  if (invalid) return { detail: refusalDetail(invalid, 'Secret'), path: invalid.path }
  for (const field of ['data', 'stringData'] as const) {
    const entries = get(r.obj, [field])
    if (!isObj(entries)) continue
    for (const k of Object.keys(entries)) {
      if (!isConfigMapKey(k)) return { detail: `its ${field} key ${JSON.stringify(k)} is not a valid key (letters, digits, -, _ and . only, at most 253 characters, not . or .. and not starting with ..), so the API server refuses the Secret and it never exists`, path: [field, k] }
    }
  }
  return undefined
}

function stringDataRejected(key: string, value: unknown): string {
  return `its stringData value ${key} is ${kindOf(value)}, not a string, so the API server cannot decode the Secret (quote the value, or write it as a JSON string)`
}

function sealedSecret(r: Resource): SecretDef {
  const tmplType = str(get(r.obj, ['spec', 'template', 'type']))
  const enc = get(r.obj, ['spec', 'encryptedData'])
  // The controller names the Secret after the SealedSecret itself, whatever spec.template.metadata
  // says (Unseal: "Ensure these are set to what we expect"; kustomize's namespace: and namePrefix
  // change metadata only).
  const ns = r.namespace!
  const name = r.name
  const def: SecretDef = {
    name,
    namespace: ns,
    type: tmplType ?? 'Opaque',
    origin: 'SealedSecret',
    resource: r,
    namePath: ['metadata', 'name'],
    content: 'unknown',
    label: `SealedSecret ${ns}/${name}`,
  }
  if (tmplType !== undefined) def.typePath = ['spec', 'template', 'type']
  if (isObj(enc)) {
    // Unseal: the decrypted encryptedData, then spec.template.data (templates over it), nothing else.
    const tdata = get(r.obj, ['spec', 'template', 'data'])
    def.dataKeys = [...new Set([...Object.keys(enc), ...(isObj(tdata) ? Object.keys(tdata) : [])])]
    def.keysExactAt = ['spec', 'encryptedData']
  }
  return def
}

/**
 * Registry keys of a literal `.dockerconfigjson` template (`{"auths":{"ghcr.io":{…{{ .token }}…}}}`);
 * undefined when they cannot be read, or when the template computes a host itself.
 */
export function registriesFromTemplate(template: string): string[] | undefined {
  // Template expressions replaced, as text inside strings, or as strings where a value goes
  // (`"auth": {{ .x | quote }}`), then read as the kubelet reads it (auths matched in any case).
  // The stand-in is base64 of `u:p`, so that an `auth` made of expressions decodes.
  const PLACEHOLDER = 'dTpw'
  const EXPRESSION = /\{\{[\s\S]*?\}\}/g
  for (const text of [template.replace(EXPRESSION, PLACEHOLDER), template.replace(EXPRESSION, `"${PLACEHOLDER}"`)]) {
    const decoded = decodeDockerConfigJson(text)
    if (!decoded.ok) continue
    const keys = decoded.entries.map(([key]) => key)
    if (!keys.length || keys.some((k) => k.includes(PLACEHOLDER))) return undefined
    return keys
  }
  return undefined
}

function externalSecretDef(
  r: Resource,
  spec: Obj,
  namespace: string,
  origin: 'ExternalSecret' | 'ClusterExternalSecret',
  base: FieldPath,
  fallbackName: string,
  fallbackPath: FieldPath = ['metadata', 'name'],
): SecretDef {
  const targetName = str(get(spec, ['target', 'name']))
  const type = str(get(spec, ['target', 'template', 'type']))
  const tdata = get(spec, ['target', 'template', 'data'])
  const def: SecretDef = {
    name: targetName || fallbackName,
    namespace,
    type: type ?? 'Opaque',
    origin,
    resource: r,
    namePath: targetName ? [...base, 'target', 'name'] : fallbackPath,
    content: 'unknown',
    // The object by its own name, and the Secret's when it differs (spec.target.name, a ClusterExternalSecret's externalSecretName).
    label: `${origin} ${namespace === '*' ? '' : namespace + '/'}${r.name}${(targetName || fallbackName) !== r.name ? `'s Secret ${targetName || fallbackName}` : ''}`,
  }
  if (type !== undefined) def.typePath = [...base, 'target', 'template', 'type']
  if (isObj(tdata)) {
    def.dataKeys = Object.keys(tdata)
    // ESO's applyTemplate: template data (and templateFrom) replace the provider's data unless the
    // mergePolicy is Merge; an empty template data falls back to the provider's.
    const templateFrom = get(spec, ['target', 'template', 'templateFrom'])
    const merge = str(get(spec, ['target', 'template', 'mergePolicy'])) === 'Merge'
    if (def.dataKeys.length > 0 && !merge && !(Array.isArray(templateFrom) && templateFrom.length > 0)) def.keysExactAt = [...base, 'target', 'template', 'data']
    const key = KEY_FOR_TYPE[def.type]
    const literal = key ? tdata[key] : undefined
    if (typeof literal === 'string') {
      const regs = registriesFromTemplate(literal)
      if (regs) {
        def.content = 'registries'
        def.registries = regs
      }
    }
  }
  return def
}

/**
 * Whether an ExternalSecret spec makes a Secret: creationPolicy `None` creates nothing, `Merge`
 * only adds to a Secret that must exist on its own, and a `target.manifest` of another kind than a
 * v1 Secret makes that object instead (ESO's generic targets: a ConfigMap, a custom resource).
 */
function createsSecret(spec: Obj): boolean {
  const policy = str(get(spec, ['target', 'creationPolicy']))
  const manifest = get(spec, ['target', 'manifest'])
  if (isObj(manifest) && (manifest.apiVersion !== 'v1' || manifest.kind !== 'Secret')) return false
  return policy !== 'None' && policy !== 'Merge'
}

function externalSecret(r: Resource): SecretDef | undefined {
  const spec = get(r.obj, ['spec'])
  if (!isObj(spec) || !createsSecret(spec)) return undefined
  return externalSecretDef(r, spec, r.namespace!, 'ExternalSecret', ['spec'], r.name)
}

function clusterExternalSecret(r: Resource): SecretDef[] {
  const spec = get(r.obj, ['spec', 'externalSecretSpec'])
  // Each ExternalSecret it makes carries the spec, creation policy included.
  if (!isObj(spec) || !createsSecret(spec)) return []
  const esName = str(get(r.obj, ['spec', 'externalSecretName']))
  const name = esName || r.name
  const namePath: FieldPath = esName ? ['spec', 'externalSecretName'] : ['metadata', 'name']
  const base: FieldPath = ['spec', 'externalSecretSpec']
  const namespaces = get(r.obj, ['spec', 'namespaces'])
  // ESO's GetTargetNamespaces: one selector per listed namespace, then namespaceSelector (when
  // set; `{}` selects every namespace) and each of namespaceSelectors. None: no namespace at all.
  const selector = get(r.obj, ['spec', 'namespaceSelector'])
  const selectors = get(r.obj, ['spec', 'namespaceSelectors'])
  const all = [...(isObj(selector) ? [selector] : []), ...(Array.isArray(selectors) ? selectors.filter(isObj) : [])]
  const defs: SecretDef[] = []
  if (Array.isArray(namespaces)) {
    for (const ns of namespaces) if (typeof ns === 'string') defs.push(externalSecretDef(r, spec, ns, 'ClusterExternalSecret', base, name, namePath))
  }
  if (all.length > 0) {
    // The selectors are matched against the labels of declared Namespaces; a namespace no object
    // declares may match (its labels are unknown), and so may any, for a selector not understood.
    const matchers = all.map(metaLabelSelector)
    const def = externalSecretDef(r, spec, '*', 'ClusterExternalSecret', base, name, namePath)
    def.matches = (_ns, labels) => matchers.some((m) => m === undefined || m(labels) !== false)
    defs.push(def)
  }
  return defs
}

/** One requirement of a label selector, on known labels. */
type Requirement = (labels: Readonly<Record<string, string>>) => boolean

/** Whether a namespace's labels match a selector; undefined when its labels are unknown (no Namespace object declares it). */
type LabelMatcher = (labels: NamespaceLabels) => boolean | undefined

/** The value of a label, own keys only (a label named `constructor` is not the prototype's). */
function labelValue(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined
}

/** The selector of all these requirements: none selects everything, even unknown labels. */
function allOf(requirements: readonly Requirement[]): LabelMatcher {
  return (labels) => (requirements.length === 0 ? true : labels === undefined ? undefined : requirements.every((r) => r(labels)))
}

/**
 * A metav1.LabelSelector as LabelSelectorAsSelector reads it: every `matchLabels` pair and every
 * `matchExpressions` requirement (In, NotIn with values; Exists, DoesNotExist without), all of
 * them; `{}` selects everything. Undefined when it refuses the selector. The matcher gives
 * undefined for a namespace whose labels are unknown.
 */
export function metaLabelSelector(selector: Obj): LabelMatcher | undefined {
  const requirements: Requirement[] = []
  const { matchLabels, matchExpressions } = selector
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isObj(matchLabels)) return undefined
    for (const [key, v] of Object.entries(matchLabels)) {
      if (!isQualifiedName(key) || typeof v !== 'string' || !isLabelValue(v)) return undefined
      requirements.push((l) => labelValue(l, key) === v)
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return undefined
    for (const e of matchExpressions) {
      if (!isObj(e) || typeof e.key !== 'string' || !isQualifiedName(e.key)) return undefined
      const key = e.key
      const values = e.values ?? []
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' && isLabelValue(v))) return undefined
      const set = new Set(values as string[])
      switch (e.operator) {
        case 'In':
        case 'NotIn':
          if (set.size === 0) return undefined
          requirements.push(e.operator === 'In' ? (l) => set.has(labelValue(l, key) ?? '\u0000') : (l) => !set.has(labelValue(l, key) ?? '\u0000'))
          break
        case 'Exists':
        case 'DoesNotExist':
          if (set.size > 0) return undefined
          requirements.push(e.operator === 'Exists' ? (l) => labelValue(l, key) !== undefined : (l) => labelValue(l, key) === undefined)
          break
        default:
          return undefined
      }
    }
  }
  return allOf(requirements)
}

const REFLECTOR = 'reflector.v1.k8s.emberstack.com/'
const REPLICATOR = 'replicator.v1.mittwald.de/'

/**
 * reflector's PatternListMatch: the comma-separated items, trimmed (blank ones dropped), each a
 * regular expression whose first match must be the whole name (.NET's Regex.Match, unanchored:
 * of `ns-1|ns-10`, `ns-1` matches first, so ns-10 is not matched). An empty list allows every
 * namespace; a list of blanks, none. An item that is not a valid expression is taken literally.
 */
function reflectorPatternMatch(list: string, ns: string): boolean {
  if (list === '') return true
  return list.split(',').some((raw) => {
    const item = raw.trim()
    if (item === '') return false
    try {
      const m = dotNetRegExp(item).exec(ns)
      return m !== null && m.index === 0 && m[0].length === ns.length
    } catch {
      return ns === item
    }
  })
}

/**
 * A .NET regular expression as JavaScript reads it, for the constructs of .NET that JavaScript
 * lacks and namespace patterns use: a leading inline `(?i)` (a flag), `\A` and `\z` / `\Z` (the
 * input's start and end).
 */
/** The expressions made of reflector's patterns, by pattern: a pattern is read once, however many namespaces it is tried on. */
const DOTNET_CACHE = new Map<string, RegExp>()

function dotNetRegExp(pattern: string): RegExp {
  let re = DOTNET_CACHE.get(pattern)
  if (!re) {
    re = makeDotNetRegExp(pattern)
    if (DOTNET_CACHE.size < 10_000) DOTNET_CACHE.set(pattern, re)
  }
  return re
}

function makeDotNetRegExp(pattern: string): RegExp {
  let flags = ''
  let p = pattern
  if (p.startsWith('(?i)')) {
    flags = 'i'
    p = p.slice(4)
  }
  p = p.replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2^').replace(/(^|[^\\])((?:\\\\)*)\\[zZ]/g, '$1$2$')
  return new RegExp(p, flags)
}

/**
 * reflector's LabelSelectorMatch: comma-separated requirements (outside parentheses), all of
 * them: `key in (a,b)`, `key notin (a,b)`, `key!=value`, `key=value` or `key==value`, `!key`,
 * `key`. Undefined when the namespace's labels are unknown (no Namespace object declares it).
 */
export function reflectorSelectorMatch(selector: string, labels: NamespaceLabels): boolean | undefined {
  if (selector.trim() === '') return true
  if (labels === undefined) return undefined
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k)
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i))
      start = i + 1
    }
  }
  parts.push(selector.slice(start))
  for (const raw of parts) {
    const req = raw.trim()
    if (req === '') continue
    const set = /^([a-zA-Z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req)
    if (set) {
      const values = new Set(set[3].split(',').map((v) => v.trim()).filter((v) => v !== ''))
      const value = has(set[1]) ? labels[set[1]] : undefined
      const ok = set[2] === 'in' ? value !== undefined && values.has(value) : value === undefined || !values.has(value)
      if (!ok) return false
      continue
    }
    if (req.includes('!=')) {
      const [k, v] = [req.slice(0, req.indexOf('!=')).trim(), req.slice(req.indexOf('!=') + 2).trim()]
      if (has(k) && labels[k] === v) return false
      continue
    }
    let eq = req.indexOf('==')
    if (eq < 0) eq = req.indexOf('=')
    if (eq > 0) {
      const k = req.slice(0, eq).replace(/=+$/, '').trim()
      const v = req.slice(eq + (req.startsWith('==', eq) ? 2 : 1)).trim()
      if (!has(k) || labels[k] !== v) return false
      continue
    }
    if (req.startsWith('!')) {
      if (has(req.slice(1).trim())) return false
      continue
    }
    if (!has(req)) return false
  }
  return true
}

/**
 * reflector's MatchNamespace: the name patterns or the label selector (either one; a namespace
 * whose labels are unknown may match the selector), every namespace when neither is set.
 */
function reflectorMatch(list: string | undefined, selector: string | undefined, ns: string, labels: NamespaceLabels): boolean {
  const patterns = list ?? ''
  const sel = selector ?? ''
  if (patterns === '' && sel === '') return true
  if (patterns !== '' && reflectorPatternMatch(patterns, ns)) return true
  return sel !== '' && reflectorSelectorMatch(sel, labels) !== false
}

/**
 * A Kubernetes label selector as labels.Parse reads it (k8s.io/apimachinery/pkg/labels): requirements
 * separated by commas, all of them: `key`, `!key`, `key=value`, `key==value`, `key!=value`,
 * `key in (a,b)`, `key notin (a,b)`, `key>1`, `key<1`; keys must be qualified names and values
 * label values. An empty selector selects everything. Undefined when labels.Parse refuses it. The
 * matcher gives undefined for a namespace whose labels are unknown (no Namespace object declares it).
 */
export function labelSelector(selector: string): LabelMatcher | undefined {
  const SPECIAL = '=!(),<>'
  const tokens: string[] = []
  for (let i = 0; i < selector.length; ) {
    const c = selector[i]
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
    } else if (SPECIAL.includes(c)) {
      const two = selector.slice(i, i + 2)
      const op = two === '==' || two === '!=' ? two : c
      tokens.push(op)
      i += op.length
    } else {
      let j = i
      while (j < selector.length && !SPECIAL.includes(selector[j]) && !' \t\n\r'.includes(selector[j])) j++
      tokens.push(selector.slice(i, j))
      i = j
    }
  }
  // `in` and `notin` are operators where a key is read, and words where a value is.
  const isValue = (t: string | undefined): t is string => t !== undefined && !SPECIAL.includes(t[0])
  const isWord = (t: string | undefined) => isValue(t) && t !== 'in' && t !== 'notin'
  const requirements: Requirement[] = []
  let k = 0
  while (k < tokens.length) {
    const negated = tokens[k] === '!'
    if (negated) k++
    const key = tokens[k++]
    if (!isWord(key) || !isQualifiedName(key)) return undefined
    const op = tokens[k]
    if (negated || op === undefined || op === ',') {
      requirements.push(negated ? (l) => labelValue(l, key) === undefined : (l) => labelValue(l, key) !== undefined)
    } else if (op === 'in' || op === 'notin') {
      if (tokens[++k] !== '(') return undefined
      const values = new Set<string>()
      k++
      for (;;) {
        let v = '' // `()` and `(a,,b)` hold the empty value
        if (isValue(tokens[k])) v = tokens[k++]
        if (!isLabelValue(v)) return undefined
        values.add(v)
        if (tokens[k] === ')') break
        if (tokens[k] !== ',') return undefined
        k++
      }
      k++
      requirements.push(op === 'in' ? (l) => values.has(labelValue(l, key) ?? '\u0000') : (l) => !values.has(labelValue(l, key) ?? '\u0000'))
    } else if (op === '=' || op === '==' || op === '!=') {
      k++
      let v = ''
      if (isValue(tokens[k])) v = tokens[k++]
      if (!isLabelValue(v)) return undefined
      requirements.push(op === '!=' ? (l) => labelValue(l, key) !== v : (l) => labelValue(l, key) === v)
    } else if (op === '<' || op === '>') {
      const v = tokens[++k]
      k++
      if (!isValue(v) || !/^[-+]?[0-9]+$/.test(v) || !isLabelValue(v)) return undefined
      const bound = BigInt(v)
      requirements.push((l) => {
        const have = labelValue(l, key)
        if (have === undefined || !/^[-+]?[0-9]+$/.test(have)) return false
        return op === '<' ? BigInt(have) < bound : BigInt(have) > bound
      })
    } else {
      return undefined
    }
    if (k === tokens.length) break
    if (tokens[k] !== ',' || k === tokens.length - 1) return undefined
    k++
  }
  return allOf(requirements)
}

/**
 * kubernetes-replicator's reading of a namespace list (StringToPatternList): each comma-separated
 * item, trimmed, anchored with ^ and $ where it lacks them and with no group around it
 * (BuildStrictRegex), so `dev|staging` matches every namespace that starts with dev; an empty item
 * matches none, an invalid one is skipped.
 */
function replicatorMatcher(list: string): (ns: string) => boolean {
  const patterns = list.split(',').flatMap((p) => {
    let re = p.trim()
    if (!re.startsWith('^')) re = '^' + re
    if (!re.endsWith('$')) re += '$'
    try {
      return [new RegExp(re)]
    } catch {
      return []
    }
  })
  return (ns) => patterns.some((re) => re.test(ns))
}

/**
 * The annotations of the Secret an object makes: a Secret's own; a SealedSecret's
 * spec.template.metadata (Unseal copies that ObjectMeta, never the SealedSecret's); an
 * ExternalSecret's target template metadata when it has a template, else its own (ESO's
 * mergeMetadata).
 */
export function producedAnnotations(r: Resource): Record<string, string> {
  switch (r.kind) {
    case 'SealedSecret':
      return stringEntries(get(r.obj, ['spec', 'template', 'metadata', 'annotations']))
    case 'ExternalSecret': {
      const template = get(r.obj, ['spec', 'target', 'template'])
      return isObj(template) ? stringEntries(get(template, ['metadata', 'annotations'])) : annotations(r)
    }
    default:
      return annotations(r)
  }
}

/** Reflector's reading of a boolean annotation (bool.TryParse: `true` in any case). */
function truthy(v: string | undefined): boolean {
  return (v ?? '').trim().toLowerCase() === 'true'
}

/** Copies that reflector / kubernetes-replicator make of a Secret in other namespaces. */
function replicas(def: SecretDef, r: Resource): SecretDef[] {
  const a = producedAnnotations(r)
  const out: SecretDef[] = []
  if (truthy(a[REFLECTOR + 'reflection-allowed']) && truthy(a[REFLECTOR + 'reflection-auto-enabled'])) {
    const [allowed, allowedSelector, auto, autoSelector] = ['allowed-namespaces', 'allowed-namespaces-selector', 'auto-namespaces', 'auto-namespaces-selector'].map((k) => a[REFLECTOR + 'reflection-' + k])
    const lists = ['auto-namespaces', 'auto-namespaces-selector', 'allowed-namespaces', 'allowed-namespaces-selector']
      .filter((k) => a[REFLECTOR + 'reflection-' + k] !== undefined)
      .map((k) => `reflection-${k} "${a[REFLECTOR + 'reflection-' + k]}"`)
    out.push({
      ...def,
      namespace: '*',
      // CanBeAutoReflectedToNamespace: allowed there, and auto-reflected there.
      matches: (ns, labels) => ns !== def.namespace && reflectorMatch(allowed, allowedSelector, ns, labels) && reflectorMatch(auto, autoSelector, ns, labels),
      origin: 'reflector',
      source: def,
      label: `${def.label} (reflected by reflector)`,
      reach: lists.length ? `the namespaces of its ${lists.join(' and ')}` : 'every namespace',
      bySelector: [allowedSelector, autoSelector].some((v) => v !== undefined && v.trim() !== ''),
    })
  }
  const to = a[REPLICATOR + 'replicate-to']
  const toMatching = a[REPLICATOR + 'replicate-to-matching']
  // kubernetes-replicator's ResourceAdded handles replicate-from and returns: a copy pushes nothing.
  if ((to !== undefined || toMatching !== undefined) && a[REPLICATOR + 'replicate-from'] === undefined) {
    // ResourceAdded: the namespaces replicate-to names, and those replicate-to-matching selects by
    // their labels (labels.Parse; one it refuses copies nowhere).
    const named = to !== undefined ? replicatorMatcher(to) : () => false
    const selects = toMatching !== undefined ? labelSelector(toMatching) : undefined
    const reach = [
      ...(to !== undefined ? [`the namespaces of its replicate-to "${to}"`] : []),
      ...(toMatching === undefined ? [] : selects ? [`the namespaces its replicate-to-matching "${toMatching}" selects`] : [`no namespace (its replicate-to-matching "${toMatching}" is not a label selector that labels.Parse reads)`]),
    ]
    out.push({
      ...def,
      namespace: '*',
      matches: (ns, labels) => ns !== def.namespace && (named(ns) || (selects !== undefined && selects(labels) !== false)),
      origin: 'replicator',
      source: def,
      label: `${def.label} (replicated by kubernetes-replicator)`,
      reach: reach.join(' and '),
      bySelector: selects !== undefined,
    })
  }
  return out
}

/** The `ns/name` a Secret says it copies its content from (pull-based replication), if any. */
export function replicatesFrom(r: Resource): string | undefined {
  return replicationSource(r)?.from
}

/** Which tool a Secret asks to fill it from another (pull-based replication), and from where. */
export function replicationSource(r: Resource): { tool: 'replicator' | 'reflector'; from: string } | undefined {
  const a = annotations(r)
  const replicator = a[REPLICATOR + 'replicate-from']
  if (replicator !== undefined) return { tool: 'replicator', from: replicator.trim() }
  const reflector = a[REFLECTOR + 'reflects']
  return reflector !== undefined ? { tool: 'reflector', from: reflector.trim() } : undefined
}

/** Go's strconv.ParseBool. */
export function parseGoBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false
  return undefined
}

/**
 * Why the tool refuses to copy `source` into a Secret of `namespace`, if it does: the source must
 * allow it. kubernetes-replicator's IsReplicationPermitted (unless it runs with --allow-all):
 * `replication-allowed: "true"` and a `replication-allowed-namespaces` pattern that matches;
 * reflector: `reflection-allowed: "true"`, and its `reflection-allowed-namespaces` or
 * `reflection-allowed-namespaces-selector` when set (CanBeReflectedToNamespace).
 */
export function replicationRefused(tool: 'replicator' | 'reflector', source: SecretDef, namespace: string, labels: NamespaceLabels): { why: string; fix: string } | undefined {
  const a = source.resource ? producedAnnotations(source.resource) : {}
  if (tool === 'replicator') {
    const name = 'kubernetes-replicator copies nothing into it'
    const allowAll = ' (unless the replicator runs with --allow-all)'
    if (parseGoBool(a[REPLICATOR + 'replication-allowed']) !== true) {
      return { why: `${name}: its source ${source.label} lacks the annotation ${REPLICATOR}replication-allowed: "true"${allowAll}`, fix: `annotate its source ${source.label} with ${REPLICATOR}replication-allowed: "true" and replication-allowed-namespaces naming ${namespace}` }
    }
    const list = a[REPLICATOR + 'replication-allowed-namespaces']
    if (list === undefined) {
      return { why: `${name}: its source ${source.label} lacks the annotation ${REPLICATOR}replication-allowed-namespaces${allowAll}`, fix: `annotate its source ${source.label} with ${REPLICATOR}replication-allowed-namespaces naming ${namespace}` }
    }
    if (replicatorMatcher(list)(namespace)) return undefined
    return { why: `${name}: the replication-allowed-namespaces "${list}" of its source ${source.label} do not include ${namespace}${allowAll}`, fix: `add ${namespace} to the replication-allowed-namespaces of its source ${source.label}` }
  }
  const name = 'reflector copies nothing into it'
  if (!truthy(a[REFLECTOR + 'reflection-allowed'])) {
    return { why: `${name}: its source ${source.label} lacks the annotation ${REFLECTOR}reflection-allowed: "true"`, fix: `annotate its source ${source.label} with ${REFLECTOR}reflection-allowed: "true"` }
  }
  const list = a[REFLECTOR + 'reflection-allowed-namespaces']
  const selector = a[REFLECTOR + 'reflection-allowed-namespaces-selector']
  if (reflectorMatch(list, selector, namespace, labels)) return undefined
  const names = list !== undefined && list !== '' ? `reflection-allowed-namespaces "${list}"` : undefined
  const selects = selector !== undefined && selector !== '' ? `reflection-allowed-namespaces-selector "${selector}"` : undefined
  const what = [names, selects].filter((x) => x !== undefined).join(' and the ')
  return {
    why: `${name}: the ${what} of its source ${source.label} ${names ? 'do not include' : 'does not select'} ${namespace}`,
    fix: names ? `add ${namespace} to the reflection-allowed-namespaces of its source ${source.label}` : `label Namespace ${namespace} to match the reflection-allowed-namespaces-selector of its source ${source.label}`,
  }
}

/** Every SecretDef a resource contributes. */
export function secretDefsOf(r: Resource): SecretDef[] {
  if (r.namespace === undefined && r.kind !== 'ClusterExternalSecret') return []
  switch (r.kind) {
    case 'Secret': {
      if (r.apiVersion !== 'v1') return []
      const def = secretFromV1(r)
      return [def, ...replicas(def, r)]
    }
    case 'SealedSecret': {
      if (!r.apiVersion.startsWith('bitnami.com/')) return []
      const def = sealedSecret(r)
      return [def, ...replicas(def, r)]
    }
    case 'ExternalSecret': {
      if (!r.apiVersion.startsWith('external-secrets.io/')) return []
      const def = externalSecret(r)
      return def ? [def, ...replicas(def, r)] : []
    }
    case 'ClusterExternalSecret':
      return r.apiVersion.startsWith('external-secrets.io/') ? clusterExternalSecret(r) : []
    default:
      return []
  }
}

export function existingSecretDef(e: ExistingSecret): SecretDef {
  const def: SecretDef = {
    name: e.name,
    namespace: e.namespace,
    type: DOCKERCONFIGJSON,
    origin: 'existing-secrets',
    content: e.registries.length ? 'registries' : 'unknown',
    label: `existing secret ${e.namespace}/${e.name} (configuration)`,
  }
  if (e.registries.length) def.registries = e.registries
  if (e.namespace === '*') def.matches = () => true
  return def
}
