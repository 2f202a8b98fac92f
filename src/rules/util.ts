// Shared wording and locations for rule messages.
import type { Graph } from '../model/graph.js'
import { misplacedInServiceAccount, type MisplacedPullSecrets } from '../model/misplaced.js'
import { annotations, describe, locationAt, type FieldPath, type Resource } from '../model/resources.js'
import type { SecretDef } from '../model/secrets.js'
import type { Location, RelatedLocation } from '../findings/types.js'
import { appliedSecrets, type ImageFact, type PodFact, type Resolution, type SecretRef } from '../resolve/resolve.js'
import { evaluateSecret, isPullSecretType } from '../resolve/secrets.js'
import { imageLocation, slotLabel } from '../model/workloads.js'

export { describe, imageLocation, locationAt }

/** A clause of a message (`regenerate it …`) as a sentence of its own, for a finding's fix. */
export function asSentence(clause: string): string {
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`
}

/** The Secret whose fields make `def`: a copy that reflector or kubernetes-replicator pushes takes all of its source's. */
export function producerOf(def: SecretDef): SecretDef {
  return (def.origin === 'reflector' || def.origin === 'replicator') && def.source ? def.source : def
}

/** `container "app" of Deployment app/web` */
export function containerLabel(fact: ImageFact): string {
  return `${slotLabel(fact.use.slot)} "${fact.use.name}" of ${describe(fact.pod.pod.resource)}`
}

/** Registry host of an image (`docker.io`, `ghcr.io`, `localhost:5000`). */
export function registryOf(fact: ImageFact): string {
  return fact.ref?.domain ?? '?'
}

/**
 * A pull secret with credentials for the image that its pod could list: one the kubelet would use
 * under that name in the pod's namespace (`here`), else a declared one elsewhere to copy there.
 */
export function credentialFor(graph: Graph, resolution: Resolution, fact: ImageFact): { def: SecretDef; here: boolean } | undefined {
  const repository = fact.ref?.name
  if (repository === undefined) return undefined
  const ns = fact.pod.pod.namespace
  // The pods of a namespace pull the same repositories over and over: one look-up each.
  let cache = credentialCache.get(resolution)
  if (!cache) credentialCache.set(resolution, (cache = new Map()))
  const id = `${ns}\n${repository}`
  let found = cache.get(id)
  if (found === undefined) cache.set(id, (found = findCredential(graph, resolution, repository, ns) ?? null))
  return found ?? undefined
}

const credentialCache = new WeakMap<Resolution, Map<string, { def: SecretDef; here: boolean } | null>>()

function findCredential(graph: Graph, resolution: Resolution, repository: string, ns: string): { def: SecretDef; here: boolean } | undefined {
  const holders = holdersByNamespace(resolution, repository)
  // Only those that can be in the namespace are tried (thousands of namespaces may hold one each),
  // and of the copies into several namespaces only the first few: each is a match of its reach.
  for (const holder of [...(holders.get(ns) ?? []), ...(holders.get('*') ?? []).slice(0, COPIES_TRIED)]) {
    const used = appliedSecrets(graph.secretsIn(ns, holder.name)).find((d) => evaluateSecret(d).usable)
    if (used === holder) return { def: holder, here: true }
  }
  for (const holder of resolution.credentialHolders(repository)) {
    const declared = producerOf(holder)
    if (declared.namespace !== '*' && declared.namespace !== ns) return { def: declared, here: false }
  }
  return undefined
}

/** How many copies into several namespaces (reflector, kubernetes-replicator, ClusterExternalSecret) credentialFor tries in a pod's namespace. */
const COPIES_TRIED = 16

/** Each list of credentialHolders by namespace (the lists are shared between the repositories a key covers). */
const holderIndex = new WeakMap<readonly SecretDef[], Map<string, SecretDef[]>>()

/** The credentialHolders of a repository by namespace (`*` for those that go into several). */
function holdersByNamespace(resolution: Resolution, repository: string): Map<string, SecretDef[]> {
  const holders = resolution.credentialHolders(repository)
  let index = holderIndex.get(holders)
  if (!index) {
    index = new Map()
    for (const holder of holders) {
      const list = index.get(holder.namespace)
      if (list) list.push(holder)
      else index.set(holder.namespace, [holder])
    }
    holderIndex.set(holders, index)
  }
  return index
}

/** How a secret is named as one to reference or copy: `Secret app/regcred`, with where it comes from when it is not a v1 Secret. */
export function credentialLabel(def: SecretDef, namespace = def.namespace): string {
  const copier = def.origin === 'reflector' ? 'reflector' : def.origin === 'replicator' ? 'kubernetes-replicator' : (def.copiedBy ?? 'kubernetes-replicator')
  const from =
    def.origin === 'existing-secrets'
      ? ' (an existing-secrets entry)'
      : def.source
        ? ` (copied from ${def.source.namespace}/${def.source.name} by ${copier})`
        : def.origin === 'Secret'
          ? ''
          : ` (made by ${def.label})`
  return `Secret ${namespace}/${def.name}${from}`
}

export function secretRelated(def: SecretDef, message?: string): RelatedLocation[] {
  if (!def.resource) return []
  // Where a secret is named, found once however many findings point at it (shared, read-only).
  let location = secretLocations.get(def)
  if (!location) secretLocations.set(def, (location = locationAt(def.resource, def.namePath ?? ['metadata', 'name'])))
  return [{ message: message ?? `${def.label} is defined here`, location }]
}

const secretLocations = new WeakMap<SecretDef, Location>()

export function serviceAccountRelated(pod: PodFact, message?: string): RelatedLocation[] {
  const sa = pod.sa
  if (!sa?.resource) return []
  return [{ message: message ?? `ServiceAccount ${sa.namespace}/${sa.name}`, location: locationAt(sa.resource, ['metadata', 'name']) }]
}

export function workloadRelated(pod: PodFact, message?: string): RelatedLocation {
  const r = pod.pod.resource
  return { message: message ?? `used by ${describe(r)}`, location: locationAt(r, ['metadata', 'name']) }
}

/** Path of the blamed node of a reference: its `name:` value, or the entry (or the field) itself. */
export function refNamePath(ref: SecretRef): FieldPath {
  return ref.status === 'not-object' || ref.status === 'not-list' ? ref.entryPath : [...ref.entryPath, 'name']
}

export function refHolderLabel(ref: SecretRef): string {
  return ref.owner === 'serviceAccount' ? `ServiceAccount ${ref.holder.namespace}/${ref.holder.name}` : describe(ref.holder)
}

/** Every distinct reference that is effective for at least one pod, with the pods it serves. */
const effectiveCache = new WeakMap<PodFact[], Map<SecretRef, PodFact[]>>()

export function effectiveRefs(pods: PodFact[]): Map<SecretRef, PodFact[]> {
  const cached = effectiveCache.get(pods)
  if (cached) return cached
  const out = new Map<SecretRef, PodFact[]>()
  effectiveCache.set(pods, out)
  for (const pod of pods) {
    for (const ref of pod.effective) {
      const list = out.get(ref)
      if (list) list.push(pod)
      else out.set(ref, [pod])
    }
  }
  return out
}

/** `Deployment app/web` or `Deployment app/web and 2 more` */
export function podsLabel(pods: PodFact[]): string {
  const names = [...new Set(pods.map((p) => describe(p.pod.resource)))]
  return names.length <= 1 ? (names[0] ?? '') : `${names[0]} and ${names.length - 1} more`
}

/** Pulled or not, with no risk the other secrets' findings bear on (an imagePullPolicy Never image is never pulled: cachedBy's warning is its own). */
const settled = (i: ImageFact) => i.status === 'ok' || i.status === 'not-checked' || i.status === 'not-pulled' || i.cachedBy !== undefined

/** The images of the pods that may fail to pull (not settled), as a message's subject: `its image a:1 is`, `its images a:1, b:2 and 3 more are`. */
export function imagesAtRisk(pods: PodFact[]): string {
  return imagesSubject(imagesOf(pods, (i) => !settled(i)))
}

/** Images as a message's subject: `its image a:1 is`, `its images a:1, b:2 and 3 more are` (`its images are` for none named). */
export function imagesSubject(list: readonly string[]): string {
  if (list.length === 0) return 'its images are'
  if (list.length === 1) return `its image ${list[0]} is`
  return `its images ${namedImages(list)} are`
}

/** The pods' images that are pulled (not those of imagePullPolicy Never): `a:1`, `a:1, b:2`, `a:1, b:2 and 3 more`, or '' when none is. */
export function podImages(pods: PodFact[]): string {
  return namedImages(imagesOf(pods, (i) => i.status !== 'not-pulled' && i.cachedBy === undefined))
}

function imagesOf(pods: PodFact[], which: (i: ImageFact) => boolean): string[] {
  const images = new Set<string>()
  for (const p of pods) for (const i of p.images) if (which(i) && i.image !== '') images.add(i.image)
  return [...images]
}

function namedImages(list: readonly string[]): string {
  return `${list.slice(0, 2).join(', ')}${list.length > 2 ? ` and ${list.length - 2} more` : ''}`
}

/**
 * Why the pods still pull every image without the secret a finding is about (missing, ignored, or
 * one the API server refuses, so never one that covers): the other secrets cover each image that
 * needs one, or none of the images needs a pull secret. Undefined when an image may fail, or is
 * unknown (unclassified: no other secret is known to cover it, and it may be private). The kubelet
 * then only records an event (FailedToRetrieveImagePullSecret) or skips the secret.
 */
export function stillPullsWithout(pods: PodFact[]): string | undefined {
  if (!pods.every((p) => p.images.every(settled))) return undefined
  return pods.some((p) => p.images.some((i) => i.needsCredential && i.cachedBy === undefined)) ? 'the other secrets still cover every image' : "none of the pod's images needs a pull secret"
}

/** misplacedInServiceAccount, with the pull secrets of the ServiceAccount's namespace from the graph. */
export function misplacedInServiceAccountOf(graph: Graph, sa: Resource): MisplacedPullSecrets[] {
  return misplacedInServiceAccount(sa, (name) => graph.secretsIn(sa.namespace ?? '', name).some(isPullSecretType))
}

/** A hook that runs before the objects of its chart (or application) are created, and how to make another object one too. */
export interface EarlyHook {
  /** `a Helm pre-install hook` */
  what: string
  /** Who creates the other objects after it: `Helm`. */
  by: string
  /** `a pre-install hook too, with a lower helm.sh/hook-weight` */
  fix: string
  /** Its helm.sh/hook-weight (or argocd.argoproj.io/sync-wave): hooks run in ascending order. */
  weight: number
}

/**
 * Helm runs pre-install hooks before it creates the chart's other objects, and waits for them; Argo
 * CD runs PreSync hooks before the sync. An object that is such a hook itself, of a weight no
 * higher (of the same weight, Helm creates Secrets and ServiceAccounts before Jobs and Pods), exists
 * by then; the others do not, on the first install.
 */
export function earlyHook(r: Resource): EarlyHook | undefined {
  let hook = earlyHooks.get(r)
  if (hook === undefined) earlyHooks.set(r, (hook = hookOf(r) ?? null))
  return hook ?? undefined
}

const earlyHooks = new WeakMap<Resource, EarlyHook | null>()

function hookOf(r: Resource): EarlyHook | undefined {
  const a = annotations(r)
  if (listed(a['helm.sh/hook'] ?? '').includes('pre-install')) {
    return { what: 'a Helm pre-install hook', by: 'Helm', fix: 'a pre-install hook too, with a lower helm.sh/hook-weight', weight: weightOf(a['helm.sh/hook-weight']) }
  }
  if (listed(a['argocd.argoproj.io/hook'] ?? '').includes('PreSync')) {
    return { what: 'an Argo CD PreSync hook', by: 'Argo CD', fix: 'a PreSync hook too, in an earlier argocd.argoproj.io/sync-wave', weight: weightOf(a['argocd.argoproj.io/sync-wave']) }
  }
  return undefined
}

function weightOf(value: string | undefined): number {
  const n = value === undefined ? 0 : Number.parseInt(value.trim(), 10)
  return Number.isFinite(n) ? n : 0
}

/**
 * Whether `object`, needed by `hook`'s pods, is created only after the hook has run: it belongs to
 * the same release (rendered into the same file or directory: `helm template > out.yaml`, or
 * `--output-dir`), and is not an early hook of a weight no higher. An object of another file and
 * directory is taken to be applied on its own, before (a platform's Secrets).
 */
export function createdAfter(hookResource: Resource, hook: EarlyHook, object: Resource): boolean {
  if (object.file !== hookResource.file && !sameRelease(object.file.path, hookResource.file.path)) return false
  const own = earlyHook(object)
  return own === undefined || own.weight > hook.weight
}

/**
 * Whether two files are rendered from one release: the same directory, or, for `helm template
 * --output-dir` (`out/app/templates/…`), a chart's templates and those of a subchart of it
 * (`out/app/charts/db/templates/…`). Sibling subcharts are not told from charts rendered apart.
 */
function sameRelease(a: string, b: string): boolean {
  if (dirOf(a) === dirOf(b)) return true
  const ca = chartDir(a)
  const cb = chartDir(b)
  return ca !== undefined && cb !== undefined && (ca === topChart(cb) || cb === topChart(ca))
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/')
  return i < 0 ? '' : path.slice(0, i)
}

/** The chart directory of a file rendered under its `templates/`, or undefined. */
function chartDir(path: string): string | undefined {
  const t = `/${path}`.lastIndexOf('/templates/')
  return t < 0 ? undefined : path.slice(0, Math.max(0, t - 1))
}

/** The chart a subchart directory (`out/app/charts/db`) is rendered within (`out/app`). */
function topChart(dir: string): string {
  for (let m; (m = /^(.+)\/charts\/[^/]+$/.exec(dir)); ) dir = m[1]
  return dir
}

/** A hook that its tool deletes once it has run, and the annotation that says so. */
export interface DeletedHook {
  by: 'Helm' | 'Argo CD'
  /** `helm.sh/hook-delete-policy` */
  annotation: string
  /** Its value, as written. */
  value: string
  /** The policy that deletes it: `hook-succeeded`, `HookSucceeded`. */
  policy: string
  /** The annotation that makes the object a hook: `helm.sh/hook`. */
  hookAnnotation: string
  /** When it is deleted: `once its hooks succeed`. */
  when: string
}

/**
 * Whether `object` is gone when `pod`'s pods are made:
 * - a Helm hook with helm.sh/hook-delete-policy: hook-succeeded, which Helm's execHook deletes once
 *   the hooks of its event have run, before it creates the release's other objects: gone for the
 *   release's objects and for a hook that also runs on an event the object is no hook of (a
 *   pre-install,pre-upgrade Job after a pre-install Secret, on upgrade);
 * - an Argo CD hook with argocd.argoproj.io/hook-delete-policy: HookSucceeded, which gitops-engine
 *   deletes once the whole sync has succeeded: the hooks of every phase of the sync have it, and the
 *   other objects' pods have it while the sync runs but not after (a pod rescheduled or scaled up).
 * A pod that is an Argo CD hook is taken to run under Argo CD, which reads Helm's hooks as its own.
 */
export function goneFor(pod: Resource, object: Resource): DeletedHook | undefined {
  const del = deletedHook(object)
  if (!del) return undefined
  const a = annotations(pod)
  if (a['argocd.argoproj.io/hook'] !== undefined) return undefined
  if (del.by === 'Argo CD') return a['helm.sh/hook'] !== undefined ? undefined : del
  const mine = listed(a['helm.sh/hook'] ?? '')
  const its = new Set(listed(annotations(object)['helm.sh/hook'] ?? ''))
  return mine.length > 0 && mine.every((e) => its.has(e)) ? undefined : del
}

const deletedHooks = new WeakMap<Resource, DeletedHook | null>()

function deletedHook(r: Resource): DeletedHook | undefined {
  let hook = deletedHooks.get(r)
  if (hook === undefined) {
    const a = annotations(r)
    const helm = a['helm.sh/hook-delete-policy']
    const argo = a['argocd.argoproj.io/hook-delete-policy']
    hook = null
    if (a['helm.sh/hook'] !== undefined && helm !== undefined && listed(helm).includes('hook-succeeded')) {
      hook = { by: 'Helm', annotation: 'helm.sh/hook-delete-policy', value: helm, policy: 'hook-succeeded', hookAnnotation: 'helm.sh/hook', when: 'once its hooks succeed' }
    } else if (a['argocd.argoproj.io/hook'] !== undefined && argo !== undefined && listed(argo).includes('HookSucceeded')) {
      hook = { by: 'Argo CD', annotation: 'argocd.argoproj.io/hook-delete-policy', value: argo, policy: 'HookSucceeded', hookAnnotation: 'argocd.argoproj.io/hook', when: 'once the sync succeeds' }
    }
    deletedHooks.set(r, hook)
  }
  return hook ?? undefined
}

function listed(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '')
}

/** How a message says the container gets its image: it pulls it, or, under imagePullPolicy Never, uses the cached one. */
export function pullsVerb(img: ImageFact): string {
  return img.cachedBy ? 'uses (imagePullPolicy Never, from the node\'s cache)' : 'pulls'
}

/**
 * For an image of imagePullPolicy Never that another pod pulls with a pull secret (ImageFact
 * cachedBy): why it fails all the same, and that it fails only on Kubernetes 1.35 and later (a
 * warning, then). Empty for the others.
 */
export function cachedNote(img: ImageFact): string {
  const other = img.cachedBy
  if (!other) return ''
  const r = other.pod.pod.resource
  return (
    ` This pod never pulls it, but ${r.kind} ${r.namespace ?? other.pod.pod.namespace}/${r.name} pulls it with a pull secret: ` +
    'on Kubernetes 1.35 and later (KubeletEnsureSecretPulledImages, on by default), the kubelet lets a pod use an image it pulled with a secret only with matching credentials, and fails this one (ErrImageNeverPull); an image the nodes have preloaded is exempt.'
  )
}
