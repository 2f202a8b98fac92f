// Keeping only what the graph reads. A parsed document is pruned in place, right after parsing
// (on whichever thread parsed it): the fields pullcheck never looks at (labels, env, probes,
// resources, volume sources, Secret values that are not docker configs, SealedSecret ciphertext…)
// are deleted, so they are neither sent between threads nor kept alive for the whole run.
// Objects keep their identity, so the position table stays valid for what remains.

import { isObj, type Obj } from '../model/resources.js'
import { isBase64Strict } from './base64.js'
import { PULL_SECRET_KEYS, PULL_SECRET_LOOKALIKES } from '../model/pull-secret-keys.js'
import type { ParseFilter } from './fastyaml.js'

/** Set when pruning deletes a field: the position records of what it held must then go too. */
let deleted = false

function keepOnly(obj: Obj, keep: ReadonlySet<string>): void {
  for (const key of Object.keys(obj)) {
    if (!keep.has(key)) {
      delete obj[key]
      deleted = true
    }
  }
}

const METADATA = new Set(['name', 'namespace', 'generateName', 'annotations'])
/**
 * A Secret or ServiceAccount keeps its labels too: a label the API server refuses means the object
 * never exists (model/validation.ts); a Namespace, for label selectors (reflector's).
 */
const CHECKED_METADATA = new Set([...METADATA, 'labels'])
const CHECKED_KINDS = new Set(['Secret', 'ServiceAccount', 'Namespace'])
// Pull-secret lists written where Kubernetes never reads them are kept too, to be pointed at
// (model/misplaced.ts): look-alike keys in the PodSpec, any of them in containers and above.
const POD_SPEC = new Set(['serviceAccountName', 'serviceAccount', 'imagePullSecrets', 'containers', 'initContainers', 'ephemeralContainers', 'volumes', ...PULL_SECRET_LOOKALIKES])
const CONTAINER = new Set(['name', 'image', 'imagePullPolicy', ...PULL_SECRET_KEYS])
/**
 * What is kept of a mapping above the PodSpec besides the way down (`key`): pull-secret lists and
 * a ServiceAccount name written there, where Kubernetes never reads them (model/misplaced.ts).
 */
const SERVICE_ACCOUNT_KEYS = ['serviceAccountName', 'serviceAccount']
const above = (key: string): ReadonlySet<string> => new Set([key, ...PULL_SECRET_KEYS, ...SERVICE_ACCOUNT_KEYS])
// A pod template's metadata keeps its annotations: pullcheck.dev/ignore may be written there (a
// Helm chart's podAnnotations), and applies to the pods made from it (findings/suppress.ts).
const TEMPLATE_KEEP = new Set([...above('spec'), 'metadata'])
const ANNOTATIONS_ONLY = new Set(['annotations'])
/** A CronJob's jobTemplate: only its `spec` matters. */
const JOB_TEMPLATE_KEEP = above('spec')
// An OpenShift DeploymentConfig's `triggers`: an automatic ImageChange trigger sets the image of
// the containers it names (model/workloads.ts).
const SPEC_KEEP_TEMPLATE = new Set([...above('template'), 'triggers'])
const SPEC_KEEP_JOB_TEMPLATE = above('jobTemplate')
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
  keepOnly(template, TEMPLATE_KEEP)
  if (isObj(template.metadata)) keepOnly(template.metadata, ANNOTATIONS_ONLY)
  prunePodSpec(template.spec)
}

/**
 * Values of a Secret's data that are not docker configs: only their keys are read, and whether the
 * API server can decode them (a `data` value that is not base64 is kept, to be reported).
 */
function blankValues(data: unknown, base64 = false): void {
  if (!isObj(data)) return
  for (const key of Object.keys(data)) {
    const value = data[key]
    if (!DOCKER_KEYS.has(key) && typeof value === 'string' && (!base64 || isBase64Strict(value))) data[key] = ''
  }
}


/**
 * Prunes Kubernetes objects in place (see pruneObject); true when a field was deleted (string
 * values blanked do not count: they hold no collections).
 */
export function pruneObjects(objects: Iterable<unknown>): boolean {
  deleted = false
  for (const obj of objects) pruneObject(obj)
  return deleted
}

/**
 * Prunes one Kubernetes object in place. Kinds pullcheck does not know keep their `spec`
 * (a custom resource may name pull secrets anywhere in it).
 */
export function pruneObject(obj: unknown): void {
  if (!isObj(obj) || typeof obj.kind !== 'string') return
  const kind = obj.kind
  if (isObj(obj.metadata)) keepOnly(obj.metadata, CHECKED_KINDS.has(kind) ? CHECKED_METADATA : METADATA)
  if (Array.isArray(obj.items) && (kind === 'List' || kind.endsWith('List'))) {
    for (const item of obj.items) pruneObject(item)
    return
  }
  const spec = obj.spec
  switch (kind) {
    case 'Secret':
      blankValues(obj.data, true)
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
  switch (podTemplateIn(spec)) {
    case 'template':
      keepOnly(spec, SPEC_KEEP_TEMPLATE)
      pruneTemplate(spec.template)
      break
    case 'jobTemplate': {
      const jobTemplate = spec.jobTemplate as Obj
      keepOnly(spec, SPEC_KEEP_JOB_TEMPLATE)
      keepOnly(jobTemplate, JOB_TEMPLATE_KEEP)
      keepOnly(jobTemplate.spec as Obj, SPEC_KEEP_TEMPLATE)
      pruneTemplate((jobTemplate.spec as Obj).template)
    }
  }
}

/**
 * Where a `spec` holds a pod template whose PodSpec has a `containers` list: `template` first,
 * else `jobTemplate.spec.template`; undefined when neither (pruning then keeps the spec whole).
 */
function podTemplateIn(spec: Obj): 'template' | 'jobTemplate' | undefined {
  const template = spec.template
  if (isObj(template) && isObj(template.spec) && Array.isArray(template.spec.containers)) return 'template'
  const jobTemplate = spec.jobTemplate
  if (!isObj(jobTemplate) || !isObj(jobTemplate.spec) || !isObj(jobTemplate.spec.template)) return undefined
  const jt = jobTemplate.spec.template
  return isObj(jt.spec) && Array.isArray(jt.spec.containers) ? 'jobTemplate' : undefined
}

// The same pruning, done while parsing (fastyaml.ts): the parts pruneObject would delete whatever
// the document holds are read but never built. Where pruneObject decides on what the document
// holds (the `spec` of workloads and custom resources: only a `template` or `jobTemplate` whose
// PodSpec has a `containers` list), the filter assumes the usual case and checks it on the result;
// the document is parsed again, with only its metadata pruned, when it does not hold. pruneObject
// still runs after: on a filtered document it changes nothing more than on a whole one (tested on
// the corpus, a generated repository and mutated documents).

const METADATA_FILTER: ParseFilter = { keep: METADATA }
const CONTAINER_FILTER: ParseFilter = { keep: CONTAINER }
const POD_SPEC_FILTER: ParseFilter = {
  keep: POD_SPEC,
  sub: new Map([
    ['containers', { items: CONTAINER_FILTER }],
    ['initContainers', { items: CONTAINER_FILTER }],
    ['ephemeralContainers', { items: CONTAINER_FILTER }],
    ['volumes', { items: { keep: VOLUME } }],
  ]),
}
const TEMPLATE_FILTER: ParseFilter = { keep: TEMPLATE_KEEP, sub: new Map([['spec', POD_SPEC_FILTER], ['metadata', { keep: ANNOTATIONS_ONLY }]]) }
/** Only the metadata pruned (also for the stubs of documents not built, yaml.ts skippedDocument). */
export const ONLY_METADATA: ParseFilter = { sub: new Map([['metadata', METADATA_FILTER]]) }
const CHECKED_ONLY_METADATA: ParseFilter = { sub: new Map([['metadata', { keep: CHECKED_METADATA }]]) }

/** pruneObject's default branch keeps `template` or `jobTemplate` only when its PodSpec has a `containers` list. */
function hasPodTemplate(obj: Record<string, unknown>): boolean {
  const spec = obj.spec
  // pruneObject leaves a spec that is not a mapping alone, and so did the filter.
  return !isObj(spec) || podTemplateIn(spec) !== undefined
}

const FILTERS = new Map<string, ParseFilter>([
  ['Pod', { sub: new Map([['metadata', METADATA_FILTER], ['spec', POD_SPEC_FILTER]]) }],
  ['PodTemplate', { sub: new Map([['metadata', METADATA_FILTER], ['template', TEMPLATE_FILTER]]) }],
  ['Secret', CHECKED_ONLY_METADATA],
  ['SealedSecret', ONLY_METADATA],
  ['ServiceAccount', CHECKED_ONLY_METADATA],
  ['ExternalSecret', ONLY_METADATA],
  ['ClusterExternalSecret', ONLY_METADATA],
  ['Namespace', CHECKED_ONLY_METADATA],
])

/** Workloads and custom resources: a `spec` with a pod template, checked on the result. */
const WITH_TEMPLATE: ParseFilter = {
  sub: new Map([
    ['metadata', METADATA_FILTER],
    [
      'spec',
      {
        keep: new Set(['template', 'jobTemplate', 'triggers', ...PULL_SECRET_KEYS, ...SERVICE_ACCOUNT_KEYS]),
        sub: new Map([
          ['template', TEMPLATE_FILTER],
          ['jobTemplate', { keep: JOB_TEMPLATE_KEEP, sub: new Map([['spec', { keep: SPEC_KEEP_TEMPLATE, sub: new Map([['template', TEMPLATE_FILTER]]) }]]) }],
        ]),
      },
    ],
  ]),
  check: hasPodTemplate,
  fallback: ONLY_METADATA,
}

/** The parse-time filter for a document whose top-level `kind` is the plain string `kind`. */
export function parseFilter(kind: string): ParseFilter {
  if (kind === 'List' || kind.endsWith('List')) return ONLY_METADATA
  return FILTERS.get(kind) ?? WITH_TEMPLATE
}
