// Keeping only what the graph reads. A parsed document is pruned in place, right after parsing
// (on whichever thread parsed it): the fields pullcheck never looks at (labels, env, probes,
// resources, volume sources, Secret values that are not docker configs, SealedSecret ciphertext…)
// are deleted, so they are neither sent between threads nor kept alive for the whole run.
// Objects keep their identity, so the position table stays valid for what remains.

import { isObj, type Obj } from '../model/resources.js'

function keepOnly(obj: Obj, keep: ReadonlySet<string>): void {
  for (const key of Object.keys(obj)) if (!keep.has(key)) delete obj[key]
}

const METADATA = new Set(['name', 'namespace', 'generateName', 'annotations'])
const POD_SPEC = new Set(['serviceAccountName', 'serviceAccount', 'imagePullSecrets', 'containers', 'initContainers', 'ephemeralContainers', 'volumes'])
const CONTAINER = new Set(['name', 'image', 'imagePullPolicy'])
const VOLUME = new Set(['name', 'image'])
const DOCKER_KEYS = new Set(['.dockerconfigjson', '.dockercfg'])

function prunePodSpec(spec: unknown): void {
  if (!isObj(spec)) return
  keepOnly(spec, POD_SPEC)
  for (const slot of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = spec[slot]
    if (Array.isArray(list)) for (const c of list) if (isObj(c)) keepOnly(c, CONTAINER)
  }
  const volumes = spec.volumes
  if (Array.isArray(volumes)) for (const v of volumes) if (isObj(v)) keepOnly(v, VOLUME)
}

/** `spec.template` of a workload: only its `spec` matters. */
function pruneTemplate(template: unknown): void {
  if (!isObj(template)) return
  keepOnly(template, new Set(['spec']))
  prunePodSpec(template.spec)
}

/** Values of a Secret's data that are not docker configs: only their keys are read. */
function blankValues(data: unknown): void {
  if (!isObj(data)) return
  for (const key of Object.keys(data)) if (!DOCKER_KEYS.has(key) && typeof data[key] === 'string') data[key] = ''
}

/**
 * Prunes one Kubernetes object in place. Kinds pullcheck does not know keep their `spec`
 * (a custom resource may name pull secrets anywhere in it).
 */
export function pruneObject(obj: unknown): void {
  if (!isObj(obj) || typeof obj.kind !== 'string') return
  const kind = obj.kind
  if (isObj(obj.metadata)) keepOnly(obj.metadata, METADATA)
  if (Array.isArray(obj.items) && (kind === 'List' || kind.endsWith('List'))) {
    for (const item of obj.items) pruneObject(item)
    return
  }
  const spec = obj.spec
  switch (kind) {
    case 'Secret':
      blankValues(obj.data)
      blankValues(obj.stringData)
      return
    case 'Pod':
      prunePodSpec(spec)
      return
    case 'PodTemplate':
      pruneTemplate(obj.template)
      return
    case 'SealedSecret':
      if (isObj(spec) && isObj(spec.encryptedData)) blankValues(spec.encryptedData)
      return
    case 'ServiceAccount':
    case 'ExternalSecret':
    case 'ClusterExternalSecret':
    case 'Namespace':
      return
  }
  if (!isObj(spec)) return
  const template = spec.template
  const jobTemplate = spec.jobTemplate
  if (isObj(template) && isObj(template.spec) && Array.isArray(template.spec.containers)) {
    keepOnly(spec, new Set(['template']))
    pruneTemplate(template)
  } else if (isObj(jobTemplate) && isObj(jobTemplate.spec) && isObj(jobTemplate.spec.template)) {
    const jt = jobTemplate.spec.template
    if (isObj(jt.spec) && Array.isArray(jt.spec.containers)) {
      keepOnly(spec, new Set(['jobTemplate']))
      keepOnly(jobTemplate, new Set(['spec']))
      keepOnly(jobTemplate.spec, new Set(['template']))
      pruneTemplate(jt)
    }
  }
}
