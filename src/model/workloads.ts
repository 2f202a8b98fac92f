// Where PodSpecs live (SEMANTICS §7) and the images each one pulls.
import { annotations, get, isObj, spanAt, str, type FieldPath, type Obj, type Resource } from './resources.js'
import { valueKind } from './validation.js'
import type { Span } from '../source/yaml.js'
import { spanLocation } from '../source/files.js'
import type { Location } from '../findings/types.js'

export type ImageSlot = 'initContainers' | 'containers' | 'ephemeralContainers' | 'volumes'

/** One container (or image volume) of a PodSpec and the image it pulls. */
export class ImageUse {
  pullPolicy?: string

  constructor(
    readonly slot: ImageSlot,
    /** Container (or volume) name. */
    readonly name: string,
    /** The raw `image` value; undefined when the field is missing. */
    readonly image: unknown,
    /** The container/volume entry itself (its position record gives the image's at once). */
    readonly entry: Obj,
    /** Path of the PodSpec, and the entry's index in its list. */
    private readonly specPath: FieldPath,
    private readonly index: number,
  ) {}

  /** Path of the container/volume entry from the resource root (made when asked: rarely needed). */
  get entryPath(): FieldPath {
    return [...this.specPath, this.slot, this.index]
  }

  /** Path of the `image:` value (or `image.reference` for image volumes) from the resource root. */
  get path(): FieldPath {
    return this.slot === 'volumes' ? [...this.entryPath, 'image', 'reference'] : [...this.entryPath, 'image']
  }
}

export interface PodSpecRef {
  resource: Resource
  spec: Obj
  /** Path of the PodSpec from the resource root. */
  path: FieldPath
  namespace: string
  images: ImageUse[]
}

/** Core kinds whose PodSpec is not at spec.template.spec (SEMANTICS §7). */
const CORE_PATHS: Record<string, { apiVersion: string; path: FieldPath }> = {
  Pod: { apiVersion: 'v1', path: ['spec'] },
  PodTemplate: { apiVersion: 'v1', path: ['template', 'spec'] },
}
const TEMPLATE: FieldPath = ['spec', 'template', 'spec']
const JOB_TEMPLATE: FieldPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec']
const TEMPLATE_CONTAINERS: FieldPath = [...TEMPLATE, 'containers']
const JOB_TEMPLATE_CONTAINERS: FieldPath = [...JOB_TEMPLATE, 'containers']
/** KEDA's ScaledJob: a batch JobSpec at spec.jobTargetRef, whose Jobs it creates in its own namespace. */
const JOB_TARGET: FieldPath = ['spec', 'jobTargetRef', 'template', 'spec']
const JOB_TARGET_CONTAINERS: FieldPath = [...JOB_TARGET, 'containers']

/**
 * The PodSpec of a resource, if it has one: Pod and PodTemplate at their own paths; every other
 * kind (the apps/batch workloads, Argo Rollout, Knative Service, OpenShift DeploymentConfig, …)
 * wherever `spec.template.spec` or `spec.jobTemplate.spec.template.spec` holds a containers list,
 * and a KEDA ScaledJob's `spec.jobTargetRef.template.spec`.
 */
export function podSpecPath(r: Resource): FieldPath | undefined {
  const core = CORE_PATHS[r.kind]
  if (core && r.apiVersion === core.apiVersion) return isObj(get(r.obj, core.path)) ? core.path : undefined
  if (Array.isArray(get(r.obj, TEMPLATE_CONTAINERS))) return TEMPLATE
  if (Array.isArray(get(r.obj, JOB_TEMPLATE_CONTAINERS))) return JOB_TEMPLATE
  if (r.kind === 'ScaledJob' && r.apiVersion.startsWith('keda.sh/') && Array.isArray(get(r.obj, JOB_TARGET_CONTAINERS))) return JOB_TARGET
  return undefined
}

const SLOTS: ImageSlot[] = ['initContainers', 'containers', 'ephemeralContainers']

/** Where the built-in workload kinds hold their PodSpec, by kind and API group. */
const BUILT_IN_POD_SPECS = new Map<string, { groups: readonly string[]; path: FieldPath }>([
  ['Pod', { groups: [''], path: CORE_PATHS.Pod.path }],
  ['PodTemplate', { groups: [''], path: CORE_PATHS.PodTemplate.path }],
  ['ReplicationController', { groups: [''], path: TEMPLATE }],
  ['Deployment', { groups: ['apps', 'extensions'], path: TEMPLATE }],
  ['ReplicaSet', { groups: ['apps', 'extensions'], path: TEMPLATE }],
  ['StatefulSet', { groups: ['apps'], path: TEMPLATE }],
  ['DaemonSet', { groups: ['apps', 'extensions'], path: TEMPLATE }],
  ['Job', { groups: ['batch'], path: TEMPLATE }],
  ['CronJob', { groups: ['batch'], path: JOB_TEMPLATE }],
])

/**
 * A container list of a built-in workload that kubectl cannot decode: not a list (`containers:`
 * written as a mapping), or holding an item that is not a mapping (`- nginx`), or a ServiceAccount
 * name that is no string (YAML's `yes`, `123`). The object never exists, and its images were never
 * pulled: said, not skipped silently.
 */
export function undecodablePodField(obj: Obj): { holder: Obj; key: string | number; path: string; what: string; list: boolean; string?: boolean } | undefined {
  const at = typeof obj.kind === 'string' ? BUILT_IN_POD_SPECS.get(obj.kind) : undefined
  if (!at || typeof obj.apiVersion !== 'string') return undefined
  const slash = obj.apiVersion.indexOf('/')
  if (!at.groups.includes(slash < 0 ? '' : obj.apiVersion.slice(0, slash))) return undefined
  const spec = get(obj, at.path)
  if (!isObj(spec)) return undefined
  for (const slot of SLOTS) {
    const list = spec[slot]
    if (list === undefined || list === null) continue
    if (!Array.isArray(list)) return { holder: spec, key: slot, path: [...at.path, slot].join('.'), what: valueKind(list), list: true }
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i]
      if (item !== null && !isObj(item)) return { holder: list as unknown as Obj, key: i, path: `${[...at.path, slot].join('.')}[${i}]`, what: valueKind(item), list: false }
    }
  }
  // The ServiceAccount's name, which YAML may read as a boolean or a number (`serviceAccountName: yes`).
  for (const key of ['serviceAccountName', 'serviceAccount']) {
    const v = spec[key]
    if (v !== undefined && v !== null && typeof v !== 'string') return { holder: spec, key, path: [...at.path, key].join('.'), what: valueKind(v), list: false, string: true }
  }
  return undefined
}

export function podSpecOf(r: Resource): PodSpecRef | undefined {
  if (r.namespace === undefined) return undefined
  const path = podSpecPath(r)
  if (!path) return undefined
  const spec = get(r.obj, path) as Obj
  const images: ImageUse[] = []
  const triggered = imageChangeTriggered(r)
  for (const slot of SLOTS) {
    const list = spec[slot]
    if (!Array.isArray(list)) continue
    list.forEach((c, i) => {
      if (!isObj(c)) return
      // The image is not the manifest's to decide: the trigger writes it before any pod exists.
      if (triggered && slot !== 'ephemeralContainers' && (triggered.has(str(c.name) ?? '') || triggered.has(`${slot}/${str(c.name) ?? ''}`))) return
      const use = new ImageUse(slot, str(c.name) ?? `#${i}`, c.image, c, path, i)
      const policy = str(c.imagePullPolicy)
      if (policy) use.pullPolicy = policy
      images.push(use)
    })
  }
  const volumes = spec.volumes
  if (Array.isArray(volumes)) {
    volumes.forEach((v, i) => {
      if (!isObj(v) || !isObj(v.image)) return
      const use = new ImageUse('volumes', str(v.name) ?? `#${i}`, v.image.reference, v, path, i)
      const policy = str(v.image.pullPolicy)
      if (policy) use.pullPolicy = policy
      images.push(use)
    })
  }
  return { resource: r, spec, path, namespace: r.namespace, images }
}

/**
 * The containers whose image an OpenShift DeploymentConfig's automatic ImageChange triggers set
 * (`spec.triggers[].imageChangeParams`, `automatic: true`, `containerNames`): the controller
 * writes the image the ImageStreamTag resolves to into the template before it makes a pod, so the
 * template's own image (often a placeholder such as " ") is never pulled.
 */
function imageChangeTriggered(r: Resource): Set<string> | undefined {
  if (r.kind !== 'DeploymentConfig' || !(r.apiVersion === 'v1' || r.apiVersion.startsWith('apps.openshift.io/'))) return annotationTriggered(r)
  const triggers = get(r.obj, ['spec', 'triggers'])
  if (!Array.isArray(triggers)) return undefined
  let names: Set<string> | undefined
  for (const t of triggers) {
    if (!isObj(t) || t.type !== 'ImageChange' || !isObj(t.imageChangeParams) || t.imageChangeParams.automatic !== true) continue
    const list = t.imageChangeParams.containerNames
    if (Array.isArray(list)) for (const n of list) if (typeof n === 'string') (names ??= new Set()).add(n)
  }
  return names
}

/** A trigger's fieldPath that names a container's image: `spec.template.spec.containers[?(@.name=="web")].image`. */
const TRIGGER_FIELD = /(?:^|\.)(containers|initContainers)\[\?\(@\.name==(?:"([^"]*)"|'([^']*)')\)\]\.image$/

/**
 * The containers (`slot/name`) whose image OpenShift's image trigger controller sets from the
 * `image.openshift.io/triggers` annotation of a Deployment, StatefulSet, DaemonSet, CronJob…
 * (what `oc new-app` writes, with the placeholder image " "): each trigger not paused, from an
 * ImageStreamTag or DockerImage, to the fieldPath of a container's image.
 */
function annotationTriggered(r: Resource): Set<string> | undefined {
  const text = annotations(r)['image.openshift.io/triggers']
  if (text === undefined) return undefined
  let triggers: unknown
  try {
    triggers = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!Array.isArray(triggers)) return undefined
  let names: Set<string> | undefined
  for (const t of triggers) {
    if (!isObj(t) || t.paused === true || t.paused === 'true' || !isObj(t.from) || typeof t.fieldPath !== 'string') continue
    const m = TRIGGER_FIELD.exec(t.fieldPath)
    if (m) (names ??= new Set()).add(`${m[1]}/${m[2] ?? m[3]}`)
  }
  return names
}

export function slotLabel(slot: ImageSlot): string {
  switch (slot) {
    case 'initContainers':
      return 'init container'
    case 'ephemeralContainers':
      return 'ephemeral container'
    case 'volumes':
      return 'image volume'
    default:
      return 'container'
  }
}

/**
 * Span of an image use's value: `spanAt(r, use.path)`, looked up from the container (or volume)
 * entry instead of walked down from the resource's root.
 */
export function imageSpan(r: Resource, use: ImageUse): Span {
  const table = r.file.positions
  const holder = use.slot === 'volumes' ? use.entry.image : use.entry
  const span = table.valueSpan(holder, use.slot === 'volumes' ? 'reference' : 'image')
  return span ?? spanAt(r, use.path)
}

/** Where a finding about an image use points: its image value (the entry when the value is missing). */
export function imageLocation(r: Resource, use: ImageUse): Location {
  return spanLocation(r.file, imageSpan(r, use))
}
