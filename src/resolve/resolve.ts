// Effective pull credentials of every pod spec, as the ServiceAccount admission plugin and the
// kubelet compute them (SEMANTICS §1–§4), and the classification of every image (SPEC §4).
import type { Graph, ServiceAccountDef } from '../model/graph.js'
import { isDockerHubTrapKey, keyCovers, normalizeKey, shownNormalizedKey, urlsMatchStr } from '../model/keyring.js'
import { defaultPullPolicyOf, parseNormalizedNamed, type ImageReference, type ReferenceResult } from '../model/reference.js'
import { annotations, get, isObj, str, type FieldPath, type Resource } from '../model/resources.js'
import type { SecretDef } from '../model/secrets.js'
import { valueKind } from '../model/validation.js'
import type { ImageUse, PodSpecRef } from '../model/workloads.js'
import type { ImageClass } from '../findings/types.js'
import type { Options } from '../options.js'
import { evaluateSecret, isPullSecretType, type SecretCredential, type SecretEvaluation } from './secrets.js'

export type RefStatus = 'ok' | 'empty-name' | 'name-not-string' | 'not-object' | 'not-list' | 'not-found' | 'other-namespace' | 'wrong-type' | 'malformed'

/**
 * An entry the API server cannot decode into a {name: …} reference (a string, a number, a list, or
 * a name that is a number or a boolean), or an `imagePullSecrets` that is not a list: the whole
 * object is rejected (kubectl: "cannot unmarshal string into Go struct field …"). A null entry, or
 * a null name, decodes to an empty name instead.
 */
export function apiRejects(ref: SecretRef): boolean {
  return ref.status === 'not-list' || ref.status === 'name-not-string' || (ref.status === 'not-object' && ref.entry !== null)
}

/** An entry that names no Secret: an empty or null name (the kubelet skips it), or one the API server rejects. */
export function namesNoSecret(ref: SecretRef): boolean {
  return ref.status === 'empty-name' || ref.status === 'name-not-string' || ref.status === 'not-object' || ref.status === 'not-list'
}

/** One `imagePullSecrets` entry, where it is written and what it resolves to in the pod's namespace. */
export interface SecretRef {
  /** The object that holds the list: the workload, or the ServiceAccount. */
  holder: Resource
  owner: 'pod' | 'serviceAccount'
  /** Path of the entry (`…imagePullSecrets[i]`) from the holder's root. */
  entryPath: FieldPath
  index: number
  name: string
  entry: unknown
  /** Fields of the entry other than `name`. */
  extraFields: string[]
  status: RefStatus
  /** Secrets of that name in the pod's namespace. */
  found: SecretDef[]
  /** The one the kubelet would use (first usable), or the first found. */
  chosen?: SecretDef
  evaluation?: SecretEvaluation
  /** Secrets of that name in other namespaces: the first ELSEWHERE_SHOWN (Graph.namespacesWith has them all). */
  elsewhere: SecretDef[]
}

export type ImageStatus =
  | 'ok'
  | 'invalid'
  | 'not-pulled'
  | 'not-checked'
  | 'unclassified'
  | 'auth-only'
  | 'no-pull-secret'
  | 'not-covered'
  | 'shadowed'
  | 'broken-secret'
  | 'refs-broken'
  | 'sa-missing'

export interface ImageFact {
  pod: PodFact
  use: ImageUse
  image: string
  ref?: ImageReference
  invalidReason?: string
  /** The API server itself rejects the object (missing or empty image), not the kubelet. */
  apiRejects?: boolean
  classification: ImageClass
  reason: string
  needsCredential: boolean
  pullPolicy: string
  status: ImageStatus
  /** Secrets whose keys cover the image (or that are assumed to, when their content is unknown). */
  coveredBy: readonly SecretDef[]
  assumed: boolean
  /** For not-covered: the usable keys the pod has (key undefined: the kubelet cannot parse it and skips it). */
  availableKeys: readonly AvailableKey[]
  /** For shadowed: ServiceAccount secrets that would have covered it. */
  shadowedBy: readonly SecretDef[]
  /**
   * imagePullPolicy Never, yet checked (no-pull-secret, not-covered): another pod pulls the same
   * image with a pull secret, so the kubelet (1.35+, KubeletEnsureSecretPulledImages) lets this
   * pod use the cached image only with matching credentials, which it lacks. That pod's image.
   */
  cachedBy?: ImageFact
}

export interface AvailableKey {
  key: string | undefined
  rawKey: string
  secret: SecretDef
  /** Every entry of the key holds no credentials: the kubelet sends an empty one. */
  empty: boolean
  /** Empty, though it holds an identitytoken or registrytoken (which the kubelet never reads). */
  tokenOnly: boolean
  /** Why the registry refuses what the kubelet sends for it (a line break at the end of the password). */
  refused?: string
}

/** The empty list every ImageFact starts with (most stay empty: one array fewer each). */
const NONE: readonly never[] = Object.freeze([])

export interface PodFact {
  pod: PodSpecRef
  saName: string
  /** Path of the node naming the ServiceAccount, when written. */
  saPath?: FieldPath
  sa?: ServiceAccountDef
  listSource: 'pod' | 'serviceAccount' | 'none'
  podRefs: SecretRef[]
  saRefs: SecretRef[]
  /** The effective list (podRefs or saRefs). */
  effective: SecretRef[]
  images: ImageFact[]
}

export interface Resolution {
  pods: PodFact[]
  /** `ns/name` of every secret any pod spec or ServiceAccount names, or that some object references. */
  referencedSecrets: Set<string>
  /** Names referenced from any `imagePullSecrets`-like field of other kinds (CRs), any namespace. */
  referencedElsewhere: Set<string>
  /**
   * The pull secrets of known content (and existing-secrets entries with registries) anywhere
   * whose keys cover a repository: those that make an image inferred-private, and that a pod
   * without a pull secret could reference or copy.
   */
  credentialHolders(repository: string): readonly SecretDef[]
}

interface Classified {
  classification: ImageClass
  reason: string
  /** On a registry that requires authentication by default (and no pattern or secret says more). */
  authOnly?: boolean
  /** Public by a public-registries pattern: never checked (SPEC §5). */
  byPattern?: boolean
}

interface Patterns {
  nodeCredentials: string[]
  publicRegistries: string[]
  privateRegistries: string[]
}

/** The reason of an image checked only because its pod lists pull secrets (SPEC §4.5). */
export const EXPLICIT_LIST_REASON = 'its pod lists pull secrets explicitly'

/** Registries that serve public images only: no pull secret can matter for them. */
const PUBLIC_ONLY = ['registry.k8s.io', 'k8s.gcr.io', 'public.ecr.aws', 'mcr.microsoft.com']
  .map((p) => normalizeKey(p))
  .filter((k): k is string => k !== undefined)

/**
 * Registries that require authentication by default (SPEC §4: private ECR always; ACR and Artifact
 * Registry unless a repository allows anonymous pulls): private ECR in every partition (FIPS
 * endpoints, China), ACR in the public, US Government and China clouds.
 */
const AUTH_ONLY = ['*.dkr.ecr.*.amazonaws.com', '*.dkr.ecr-fips.*.amazonaws.com', '*.dkr.ecr.*.amazonaws.com.cn', '*.azurecr.io', '*.azurecr.us', '*.azurecr.cn', '*-docker.pkg.dev']
  .map((p) => normalizeKey(p))
  .filter((k): k is string => k !== undefined)

function normalizePatterns(list: string[]): string[] {
  return list.map((p) => normalizeKey(p)).filter((k): k is string => k !== undefined)
}

/** The repository with its host (before the first `/`) in lower case. */
function foldHost(repository: string): string {
  const slash = repository.indexOf('/')
  const host = slash < 0 ? repository : repository.slice(0, slash)
  return host === host.toLowerCase() ? repository : host.toLowerCase() + repository.slice(host.length)
}

function firstMatch(keys: string[], repository: string): string | undefined {
  return keys.find((k) => keyCovers(k, repository))
}

function refsOf(holder: Resource, owner: 'pod' | 'serviceAccount', list: unknown, listPath: FieldPath): SecretRef[] {
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) {
    // Not a list: the API server rejects the object. One reference stands for the field.
    return [{ holder, owner, entryPath: listPath, index: 0, name: '', entry: list, extraFields: [], status: 'not-list', found: [], elsewhere: [] }]
  }
  return list.map((entry, index) => {
    const name = isObj(entry) ? (str(entry.name) ?? '') : ''
    const status: RefStatus = !isObj(entry) ? 'not-object' : entry.name !== undefined && entry.name !== null && typeof entry.name !== 'string' ? 'name-not-string' : name === '' ? 'empty-name' : 'ok'
    const extraFields = isObj(entry) ? Object.keys(entry).filter((k) => k !== 'name') : []
    return {
      holder,
      owner,
      entryPath: [...listPath, index],
      index,
      name,
      entry,
      extraFields,
      status,
      found: [],
      elsewhere: [],
    } satisfies SecretRef
  })
}

/**
 * The objects that make a Secret of one name in one namespace, with a v1 Secret declared several
 * times counted once, as `kubectl apply -f` leaves it: each declaration applied over the one before,
 * except those the update validation refuses (ValidateSecretUpdate): another type (a Secret's type
 * cannot change), or other data once a declaration has `immutable: true` (nor can it be made
 * mutable again); and those the API server refuses outright, which are never created.
 */
export function appliedSecrets(found: SecretDef[]): SecretDef[] {
  let current: SecretDef | undefined
  let declared = 0
  for (const d of found) {
    if (d.origin !== 'Secret') continue
    declared++
    // One the API server refuses is never created: it neither locks nor replaces what is there.
    if (current === undefined || current.rejected || (!d.rejected && updateAccepted(current, d))) current = d
  }
  const applied = declared < 2 ? found : found.filter((d) => d.origin !== 'Secret' || d === current)
  // The sealed-secrets controller leaves a Secret it does not own ("already exists and is not
  // managed by SealedSecret") unless the Secret asks for it (sealedsecrets.bitnami.com/managed).
  const kept = current !== undefined && !current.rejected ? current : undefined
  if (kept === undefined || !applied.some((d) => d.origin === 'SealedSecret')) return applied
  if (kept.resource?.obj && annotations(kept.resource)['sealedsecrets.bitnami.com/managed'] === 'true') return applied
  return applied.filter((d) => d.origin !== 'SealedSecret')
}

/** Whether the API server accepts `next` as an update of `current` (ValidateSecretUpdate). */
function updateAccepted(current: SecretDef, next: SecretDef): boolean {
  if (next.type !== current.type) return false
  if (current.resource?.obj.immutable !== true) return true
  return next.resource?.obj.immutable === true && sameData(current, next)
}

function sameData(a: SecretDef, b: SecretDef): boolean {
  const x = a.data ?? new Map()
  const y = b.data ?? new Map()
  if (x.size !== y.size) return false
  for (const [k, v] of x) if (!y.has(k) || y.get(k)!.value !== v.value) return false
  return true
}

/** How many of the secrets of a missing name in other namespaces a reference keeps. */
export const ELSEWHERE_SHOWN = 5

/** Resolves one reference in `namespace`: found, usable, or why not. */
function resolveRef(graph: Graph, ref: SecretRef, namespace: string): void {
  if (ref.status !== 'ok') return
  ref.found = graph.secretsIn(namespace, ref.name)
  if (ref.found.length === 0) {
    // A few, for the findings to point at: thousands of namespaces may hold one of that name.
    ref.elsewhere = graph.secretsElsewhere(namespace, ref.name, ELSEWHERE_SHOWN)
    ref.status = ref.elsewhere.length ? 'other-namespace' : 'not-found'
    return
  }
  // With several objects producing the same name, prefer one that is usable.
  const candidates = appliedSecrets(ref.found)
  let chosen = candidates[0]
  let ev = evaluateSecret(chosen)
  for (const def of candidates) {
    const e = evaluateSecret(def)
    if (e.usable) {
      chosen = def
      ev = e
      break
    }
  }
  ref.chosen = chosen
  ref.evaluation = ev
  if (!ev.usable) ref.status = ev.problem
}

/**
 * Which keys of the pod's secrets the kubelet's keyring Lookup finds for the repository: those
 * that match it, or the `index.docker.io` fallback only when none does. Keys of entries without
 * credentials are in the keyring too (an all-empty secret among them): they use up the fallback.
 */
function keyringMatch(refs: SecretRef[], repository: string): (key: string) => boolean {
  const matched = refs.some((r) => r.chosen && r.evaluation && (r.evaluation.keys ?? []).some((k) => urlsMatchStr(k, repository)))
  return matched ? (k) => urlsMatchStr(k, repository) : (k) => keyCovers(k, repository)
}

/**
 * Which of the pod's secrets give the image a credential, as the kubelet's keyring Lookup finds
 * them over all the pod's secrets together: every key that matches, and the `index.docker.io`
 * fallback only when no key matched at all. A matching entry without credentials counts as a
 * match: it uses up the fallback, and the kubelet pulls with its empty credential.
 */
export function coverage(refs: SecretRef[], repository: string): { coveredBy: SecretDef[]; assumed: boolean } {
  const coveredBy: SecretDef[] = []
  let known = false
  let unknown = false
  const covers = keyringMatch(refs, repository)
  for (const r of refs) {
    const ev = r.evaluation
    if (!ev?.usable || !r.chosen) continue
    if (ev.unknownContent) {
      coveredBy.push(r.chosen)
      unknown = true
    } else if (ev.pullKeys.some((k) => covers(k) && !ev.refusedKeys?.has(k))) {
      coveredBy.push(r.chosen)
      known = true
    }
  }
  // The result rests on an assumption only when no secret of known content covers the image.
  return { coveredBy, assumed: unknown && !known }
}

export function resolve(graph: Graph, options: Options): Resolution {
  const patterns: Patterns = {
    nodeCredentials: normalizePatterns(options.nodeCredentials),
    publicRegistries: normalizePatterns(options.publicRegistries),
    privateRegistries: normalizePatterns(options.privateRegistries),
  }
  // Keys of every pull secret of known content anywhere (and configured registries), with the
  // secrets that hold each in the order declared: an image they cover is private, because the
  // repository holds credentials for it.
  const holdersOf = new Map<string, SecretDef[]>()
  // How a key is named in a reason: never with a piece of a password url.Parse took for the host.
  const shownAs = new Map<string, string>()
  for (const def of graph.secretDefs) {
    if (!isPullSecretType(def) || def.content === 'unknown') continue
    const ev = evaluateSecret(def)
    // An entry without credentials says nothing about the registry being private.
    if (ev.usable) {
      for (const k of ev.pullKeys) {
        const list = holdersOf.get(k)
        if (!list) holdersOf.set(k, [def])
        else if (list[list.length - 1] !== def) list.push(def)
      }
    }
    if (ev.usable) for (const c of ev.credentials) if (c.key !== undefined && !shownAs.has(c.key)) shownAs.set(c.key, shownNormalizedKey(c.rawKey, c.key))
  }
  const shown = (key: string) => shownAs.get(key) ?? key
  const inferenceKeys = [...holdersOf.keys()]
  /**
   * Who holds credentials for a key, for the reason of an inferred-private image: the first
   * declared (a copy's source rather than the copy), and how many more. Made once per key:
   * thousands of namespaces may each hold a secret with it, and thousands of repositories match it.
   */
  const holderText = new Map<string, string>()
  const holder = (key: string) => {
    let text = holderText.get(key)
    if (text === undefined) holderText.set(key, (text = holderOf(key)))
    return text
  }
  const holderOf = (key: string) => {
    // Every key of inferenceKeys has a holder.
    const defs = holdersOf.get(key)!
    const first = defs.find((d) => d.origin !== 'existing-secrets' && !d.source) ?? defs.find((d) => d.origin !== 'existing-secrets') ?? defs[0]
    // A copy of a secret counted (reflector, kubernetes-replicator) is not one more.
    const all = new Set(defs)
    const others = new Set(defs.filter((d) => !d.source || !all.has(d.source)).map(labelOfHolder))
    others.delete(labelOfHolder(first))
    const more = others.size ? ` (and ${others.size} more)` : ''
    return first.origin === 'existing-secrets' ? `${labelOfHolder(first)}${more} lists` : `${labelOfHolder(first)}${more} has`
  }
  // Keys meant for Docker Hub that the kubelet never matches (`https://index.docker.io/v1` without
  // the slash, `registry-1.docker.io`) still say the repository holds Docker Hub credentials.
  const dockerHubIntent = inferenceKeys.find(isDockerHubTrapKey)
  const classifyCache = new Map<string, Classified>()

  const classify = (repository: string, explicitList: boolean, listsUnknown: boolean): Classified => {
    const cacheKey = repository + (explicitList ? '\u0001' : '') + (listsUnknown ? '\u0002' : '')
    const cached = classifyCache.get(cacheKey)
    if (cached) return cached
    let out: Classified
    let m: string | undefined
    // Host names are case-insensitive: the configured patterns (lowercased when read) and the
    // built-in ones match the image's host in any case (the kubelet's keys, below, do not).
    const folded = foldHost(repository)
    if ((m = firstMatch(patterns.nodeCredentials, folded))) out = { classification: 'node-credentials', reason: `node-credentials pattern ${m}` }
    else if ((m = firstMatch(patterns.publicRegistries, folded))) out = { classification: 'public', reason: `public-registries pattern ${m}`, byPattern: true }
    else if ((m = firstMatch(patterns.privateRegistries, folded))) out = { classification: 'private', reason: `private-registries pattern ${m}` }
    else if (repository.startsWith('docker.io/library/')) out = { classification: 'public', reason: 'Docker Hub library image (docker.io/library), taken as public: the official images there are pulled anonymously' }
    else if ((m = firstMatch(PUBLIC_ONLY, folded))) out = { classification: 'public', reason: `${m} serves public images only` }
    else if ((m = firstMatch(inferenceKeys, repository))) out = { classification: 'inferred-private', reason: `${holder(m)} credentials for ${shown(m)}` }
    else if (dockerHubIntent && repository.startsWith('docker.io/')) {
      out = { classification: 'inferred-private', reason: `${holder(dockerHubIntent)} credentials meant for Docker Hub (${shown(dockerHubIntent)})` }
    }
    // SPEC §4: a registry that always requires authentication, which no pull secret of the manifests
    // has a key for, is auth-only-registry's (the nodes' own identity usually pulls from it: EKS,
    // AKS, GKE), also in a pod that lists pull secrets for other registries.
    else if (!listsUnknown && (m = firstMatch(AUTH_ONLY, folded))) out = { classification: 'unclassified', reason: `registry ${m} requires authentication by default`, authOnly: true }
    else if (explicitList) out = { classification: 'inferred-private', reason: EXPLICIT_LIST_REASON }
    else out = { classification: 'unclassified', reason: 'no registry pattern or pull secret says whether it is private' }
    classifyCache.set(cacheKey, out)
    return out
  }

  // Images repeat across pods: parse each distinct string once, and keep one string of each (the
  // image reports and reporters then hash and compare that one string, not one copy per use).
  const parsedImages = new Map<string, { image: string; result: ReferenceResult }>()
  const parseImage = (image: string): { image: string; result: ReferenceResult } => {
    let r = parsedImages.get(image)
    if (!r) {
      r = { image, result: parseNormalizedNamed(image) }
      parsedImages.set(image, r)
    }
    return r
  }

  const saRefCache = new Map<ServiceAccountDef, SecretRef[]>()
  const saRefs = (sa: ServiceAccountDef | undefined, namespace: string): SecretRef[] => {
    if (!sa?.resource) return []
    let refs = saRefCache.get(sa)
    if (!refs) {
      refs = refsOf(sa.resource, 'serviceAccount', sa.imagePullSecrets, ['imagePullSecrets'])
      for (const r of refs) resolveRef(graph, r, namespace)
      saRefCache.set(sa, refs)
    }
    return refs
  }

  const pods: PodFact[] = []
  const referencedSecrets = new Set<string>()
  for (const pod of graph.podSpecs) {
    const spec = pod.spec
    const ns = pod.namespace
    const san = str(spec.serviceAccountName)
    const sad = str(spec.serviceAccount)
    const saName = san || sad || 'default'
    const fact: PodFact = {
      pod,
      saName,
      listSource: 'none',
      podRefs: refsOf(pod.resource, 'pod', spec.imagePullSecrets, [...pod.path, 'imagePullSecrets']),
      saRefs: [],
      effective: [],
      images: [],
    }
    if (san) fact.saPath = [...pod.path, 'serviceAccountName']
    else if (sad) fact.saPath = [...pod.path, 'serviceAccount']
    fact.sa = graph.serviceAccount(ns, saName)
    for (const r of fact.podRefs) resolveRef(graph, r, ns)
    fact.saRefs = saRefs(fact.sa, ns)
    // Replace-if-non-empty, never merge (admission.go): even `[{name: ""}]` blocks the SA's list.
    if (fact.podRefs.length > 0) fact.listSource = 'pod'
    else if (fact.saRefs.length > 0) fact.listSource = 'serviceAccount'
    fact.effective = fact.listSource === 'pod' ? fact.podRefs : fact.listSource === 'serviceAccount' ? fact.saRefs : []
    for (const r of [...fact.podRefs, ...fact.saRefs]) if (r.name) referencedSecrets.add(`${ns}/${r.name}`)
    for (const use of pod.images) fact.images.push(imageFact(fact, use, classify, parseImage))
    pods.push(fact)
  }
  // ServiceAccounts no pod uses still reference their secrets.
  for (const def of graph.resources) {
    if (def.kind !== 'ServiceAccount' || def.namespace === undefined) continue
    const list = get(def.obj, ['imagePullSecrets'])
    if (Array.isArray(list)) for (const e of list) if (isObj(e) && typeof e.name === 'string') referencedSecrets.add(`${def.namespace}/${e.name}`)
  }
  // By repository, the list of the keys that cover it: one key's list itself (shared, never copied),
  // or the union of several, made once per set of keys.
  const holdersCache = new Map<string, readonly SecretDef[]>()
  const unions = new Map<string, readonly SecretDef[]>()
  const credentialHolders = (repository: string): readonly SecretDef[] => {
    let out = holdersCache.get(repository)
    if (!out) {
      const keys = inferenceKeys.filter((k) => keyCovers(k, repository))
      if (keys.length <= 1) {
        out = keys.length ? holdersOf.get(keys[0])! : NONE
      } else {
        const id = keys.join('\n')
        out = unions.get(id)
        if (!out) unions.set(id, (out = [...new Set(keys.flatMap((k) => holdersOf.get(k)!))]))
      }
      holdersCache.set(repository, out)
    }
    return out
  }
  neverPulled(pods)
  return { pods, referencedSecrets, referencedElsewhere: referencesInOtherKinds(graph), credentialHolders }
}

/**
 * Images of imagePullPolicy Never: the kubelet never pulls them, so credentials play no part
 * (status not-pulled), except on Kubernetes 1.35 and later (KubeletEnsureSecretPulledImages, beta,
 * on by default; SEMANTICS §6): an image the kubelet pulled with a pull secret is used by another
 * pod only when its credentials match, and under Never a pod without them fails
 * (ErrImageNeverPull). So a Never image that another pod of the manifests pulls with a pull
 * secret, and that this pod's credentials would not cover (no-pull-secret, not-covered), keeps
 * that status, with the other pod's image in cachedBy. (An image the nodes have preloaded is
 * exempt, which the manifests cannot tell.)
 */
function neverPulled(pods: readonly PodFact[]): void {
  let pulled: Map<string, ImageFact> | undefined // made when a Never image first needs it
  for (const pod of pods) {
    for (const f of pod.images) {
      if (f.pullPolicy !== 'Never' || f.status === 'invalid') continue
      if ((f.status === 'no-pull-secret' || f.status === 'not-covered') && f.ref) {
        const cached = (pulled ??= pulledWithSecret(pods)).get(pulledIdentity(f))
        if (cached) {
          f.cachedBy = cached
          continue
        }
      }
      // Never pulled: as before any check.
      f.status = 'not-pulled'
      f.needsCredential = false
      f.coveredBy = NONE
      f.assumed = false
      f.availableKeys = NONE
      f.shadowedBy = NONE
    }
  }
}

/** What the kubelet pulls: the digest when there is one, else the tag (`latest` when none is written). */
function pulledIdentity(f: ImageFact): string {
  return `${f.ref!.name}${f.ref!.digest ? `@${f.ref!.digest}` : `:${f.ref!.tag ?? 'latest'}`}`
}

/** The images pods pull with a pull secret that covers them (known content), by pulledIdentity: the first such use of each. */
function pulledWithSecret(pods: readonly PodFact[]): Map<string, ImageFact> {
  const out = new Map<string, ImageFact>()
  for (const p of pods) {
    // A PodTemplate runs no pod: it pulls nothing.
    if (p.pod.resource.kind === 'PodTemplate') continue
    for (const g of p.images) {
      if (g.pullPolicy === 'Never' || g.status !== 'ok' || !g.ref || g.coveredBy.length === 0 || g.assumed) continue
      const id = pulledIdentity(g)
      if (!out.has(id)) out.set(id, g)
    }
  }
  return out
}

/** A secret as an inferred-private image's reason names it: an existing-secrets entry as the configuration's. */
export function labelOfHolder(def: SecretDef): string {
  return def.origin === 'existing-secrets' ? `existing-secrets entry ${def.namespace}/${def.name} of the configuration` : def.label
}

function imageFact(
  pod: PodFact,
  use: ImageUse,
  classify: (repository: string, explicitList: boolean, listsUnknown: boolean) => Classified,
  parseImage: (image: string) => { image: string; result: ReferenceResult },
): ImageFact {
  const distinct = typeof use.image === 'string' && use.image !== '' ? parseImage(use.image) : undefined
  const image = distinct?.image ?? ''
  const parsed = distinct?.result
  const fact: ImageFact = {
    pod,
    use,
    image,
    classification: 'unclassified',
    reason: '',
    needsCredential: false,
    pullPolicy: use.pullPolicy ?? (parsed ? defaultPullPolicyOf(parsed) : 'IfNotPresent'),
    status: 'ok',
    coveredBy: NONE,
    assumed: false,
    availableKeys: NONE,
    shadowedBy: NONE,
  }
  if (parsed === undefined) {
    // The API server rejects these (Required value / wrong type) before any kubelet sees them.
    fact.classification = 'invalid'
    fact.apiRejects = true
    fact.invalidReason = use.image === undefined || use.image === null ? 'the image field is missing' : typeof use.image !== 'string' ? `the image is ${valueKind(use.image)}, not a string` : 'the image is empty'
    fact.status = 'invalid'
    fact.reason = fact.invalidReason
    return fact
  }
  if (!parsed.ok) {
    fact.classification = 'invalid'
    fact.invalidReason = parsed.error
    fact.status = 'invalid'
    fact.reason = parsed.error
    return fact
  }
  fact.ref = parsed.ref
  const repository = parsed.ref.name
  // A list that is written: `[{name: ""}]` or a null entry (an unset Helm value) is not, and the
  // kubelet pulls anonymously. (A list the API server rejects still counts: it was meant.)
  const explicitList = pod.podRefs.some((r) => r.status !== 'empty-name' && !(r.status === 'not-object' && r.entry === null))
  // A listed secret whose content is unknown is assumed to cover every image (SPEC §3.4): the image is then checked, not auth-only.
  const listsUnknown = explicitList && pod.effective.some((r) => r.evaluation?.usable === true && r.evaluation.unknownContent)
  const cls = classify(repository, explicitList, listsUnknown)
  fact.classification = cls.classification
  fact.reason = cls.reason
  if (cls.classification === 'node-credentials') {
    fact.status = 'ok'
    return fact
  }
  if (cls.classification === 'public') {
    // A public image is pulled with the credentials that match it all the same, and never
    // anonymously after they fail (SEMANTICS §2.4): credentials the registry refuses break it.
    // (Not one that a public-registries pattern names: those are never checked, SPEC §5.)
    if (!cls.byPattern && pod.listSource !== 'none' && onlyRefused(pod.effective, repository)) {
      fact.availableKeys = availableKeys(pod.effective).available
      fact.status = 'not-covered'
    } else fact.status = 'not-checked'
    return fact
  }
  if (cls.classification === 'unclassified') {
    fact.status = cls.authOnly ? 'auth-only' : 'unclassified'
    return fact
  }
  fact.needsCredential = true
  if (pod.listSource === 'none') {
    if (pod.sa?.origin === 'existing-service-accounts') {
      // A ServiceAccount created outside the manifests may carry pull secrets we cannot see.
      fact.assumed = true
      return fact
    }
    fact.status = pod.saName !== 'default' && !pod.sa ? 'sa-missing' : 'no-pull-secret'
    return fact
  }
  const eff = pod.effective
  if (eff.some((r) => r.status === 'malformed' && r.evaluation && !r.evaluation.usable && r.evaluation.fatal)) {
    fact.status = 'broken-secret'
    return fact
  }
  if (pod.listSource === 'pod' && eff.some(apiRejects)) {
    // The API server rejects the object itself (pull-secret-empty-name says so at the list).
    fact.status = 'refs-broken'
    return fact
  }
  const cov = coverage(eff, repository)
  if (cov.coveredBy.length > 0) fact.coveredBy = cov.coveredBy
  fact.assumed = cov.assumed
  if (cov.coveredBy.length > 0) return fact
  if (pod.listSource === 'pod') {
    const saCov = coverage(pod.saRefs, repository)
    if (saCov.coveredBy.length > 0) {
      fact.status = 'shadowed'
      fact.shadowedBy = saCov.coveredBy
      return fact
    }
  }
  const { available, emptyOnly } = availableKeys(eff)
  if (available.length > 0) {
    fact.availableKeys = emptyOnly.length ? [...available, ...emptyOnly] : available
    fact.status = 'not-covered'
  } else if (eff.every(namesNoSecret)) fact.status = 'no-pull-secret'
  else fact.status = 'refs-broken'
  return fact
}

/**
 * The keys the pod's secrets put in the keyring: those of usable secrets, and apart, those of
 * secrets that hold only empty entries (pull-secret-malformed), in the keyring all the same, so
 * they explain a miss beside usable secrets. A Secret listed twice lends its keys once.
 */
function availableKeys(eff: SecretRef[]): { available: AvailableKey[]; emptyOnly: AvailableKey[] } {
  const available: AvailableKey[] = []
  const emptyOnly: AvailableKey[] = []
  const lent = new Set<object>()
  for (const r of eff) {
    const ev = r.evaluation
    if (!ev || !r.chosen || lent.has(r.chosen)) continue
    lent.add(r.chosen)
    if (ev.usable) for (const k of availableKeysOf(r.chosen, ev.credentials, ev.pullKeys, ev.refusedKeys)) available.push(k)
    else if (ev.credentials) for (const k of availableKeysOf(r.chosen, ev.credentials, [])) emptyOnly.push(k)
  }
  return { available, emptyOnly }
}

/**
 * Whether every credential the keyring finds for the repository is one the registry refuses (a
 * line break ends its password), as coverage() finds them: the keys that match, or the
 * `index.docker.io` fallback when none does. An entry without credentials that matches sends an
 * empty one, which pulls a public image anonymously; a secret of unknown content is assumed good.
 */
function onlyRefused(refs: SecretRef[], repository: string): boolean {
  // Most pods list no secret with such credentials: nothing to match.
  if (!refs.some((r) => r.evaluation?.usable && r.evaluation.refusedKeys)) return false
  const covers = keyringMatch(refs, repository)
  let refused = false
  for (const r of refs) {
    const ev = r.evaluation
    if (!ev || !r.chosen) continue
    if (ev.usable && ev.unknownContent) return false
    for (const k of ev.keys ?? []) {
      if (!covers(k)) continue
      if (!ev.usable || !ev.refusedKeys?.has(k) || !ev.pullKeys.includes(k)) return false
      refused = true
    }
  }
  return refused
}

/** A secret's keys as AvailableKeys, made once per secret (every image it does not cover lists them). */
const availableKeysCache = new WeakMap<SecretDef, AvailableKey[]>()

/** The keys a secret's entries put in the keyring; those not among `pullKeys` send an empty credential. */
function availableKeysOf(def: SecretDef, credentials: readonly SecretCredential[], pullKeys: readonly string[], refusedKeys?: ReadonlyMap<string, string>): AvailableKey[] {
  let keys = availableKeysCache.get(def)
  if (!keys) {
    const pull = new Set(pullKeys)
    keys = credentials.map((c) => {
      const empty = c.key !== undefined && !pull.has(c.key)
      const k: AvailableKey = { key: c.key, rawKey: c.rawKey, secret: def, empty, tokenOnly: empty && c.entry.tokens.length > 0 }
      const refused = c.key === undefined ? undefined : refusedKeys?.get(c.key)
      if (refused !== undefined) k.refused = refused
      return k
    })
    availableKeysCache.set(def, keys)
  }
  return keys
}

const PULL_SECRET_FIELDS = new Set(['imagePullSecrets', 'pullSecrets', 'imagePullSecret', 'pullSecret', 'imagePullSecretName', 'pullSecretName'])
const SKIP_KINDS = new Set(['CustomResourceDefinition', 'ConfigMap'])

/** Secret names referenced by other kinds (CRs such as Prometheus, Workflow, NIMService). */
function referencesInOtherKinds(graph: Graph): Set<string> {
  const names = new Set<string>()
  const visit = (v: unknown, depth: number): void => {
    if (depth > 12 || v === null || typeof v !== 'object') return
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1)
      return
    }
    for (const [k, x] of Object.entries(v)) {
      if (PULL_SECRET_FIELDS.has(k)) collectNames(x, names)
      else visit(x, depth + 1)
    }
  }
  const workloads = new Set(graph.podSpecs.map((p) => p.resource))
  for (const r of graph.resources) {
    if (SKIP_KINDS.has(r.kind) || r.kind === 'ServiceAccount' || workloads.has(r)) continue
    visit(r.obj.spec, 0)
  }
  return names
}

function collectNames(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') out.add(v)
  else if (Array.isArray(v)) for (const x of v) collectNames(x, out)
  else if (isObj(v) && typeof v.name === 'string') out.add(v.name)
}
