// Where PodSpecs live (SEMANTICS §7) and the images each one pulls.
import { get, isObj, spanAt, str, type FieldPath, type Obj, type Resource } from './resources.js'
import type { Span } from '../source/yaml.js'

export type ImageSlot = 'initContainers' | 'containers' | 'ephemeralContainers' | 'volumes'

export interface ImageUse {
  slot: ImageSlot
  /** Container (or volume) name. */
  name: string
  /** The raw `image` value; undefined when the field is missing. */
  image: unknown
  /** Path of the `image:` value (or `image.reference` for image volumes) from the resource root. */
  path: FieldPath
  /** Path of the container/volume entry. */
  entryPath: FieldPath
  /** The container/volume entry itself (its position record gives the image's at once). */
  entry: Obj
  pullPolicy?: string
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

/**
 * The PodSpec of a resource, if it has one: Pod and PodTemplate at their own paths; every other
 * kind (the apps/batch workloads, Argo Rollout, Knative Service, OpenShift DeploymentConfig, …)
 * wherever `spec.template.spec` or `spec.jobTemplate.spec.template.spec` holds a containers list.
 */
export function podSpecPath(r: Resource): FieldPath | undefined {
  const core = CORE_PATHS[r.kind]
  if (core && r.apiVersion === core.apiVersion) return isObj(get(r.obj, core.path)) ? core.path : undefined
  if (Array.isArray(get(r.obj, TEMPLATE_CONTAINERS))) return TEMPLATE
  if (Array.isArray(get(r.obj, JOB_TEMPLATE_CONTAINERS))) return JOB_TEMPLATE
  return undefined
}

const SLOTS: ImageSlot[] = ['initContainers', 'containers', 'ephemeralContainers']

export function podSpecOf(r: Resource): PodSpecRef | undefined {
  if (r.namespace === undefined) return undefined
  const path = podSpecPath(r)
  if (!path) return undefined
  const spec = get(r.obj, path) as Obj
  const images: ImageUse[] = []
  for (const slot of SLOTS) {
    const list = spec[slot]
    if (!Array.isArray(list)) continue
    list.forEach((c, i) => {
      if (!isObj(c)) return
      const entryPath = [...path, slot, i]
      const use: ImageUse = { slot, name: str(c.name) ?? `#${i}`, image: c.image, path: [...entryPath, 'image'], entryPath, entry: c }
      const policy = str(c.imagePullPolicy)
      if (policy) use.pullPolicy = policy
      images.push(use)
    })
  }
  const volumes = spec.volumes
  if (Array.isArray(volumes)) {
    volumes.forEach((v, i) => {
      if (!isObj(v) || !isObj(v.image)) return
      const entryPath = [...path, 'volumes', i]
      const use: ImageUse = { slot: 'volumes', name: str(v.name) ?? `#${i}`, image: v.image.reference, path: [...entryPath, 'image', 'reference'], entryPath, entry: v }
      const policy = str(v.image.pullPolicy)
      if (policy) use.pullPolicy = policy
      images.push(use)
    })
  }
  return { resource: r, spec, path, namespace: r.namespace, images }
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
