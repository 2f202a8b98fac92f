// Kubernetes objects out of parsed documents: List expansion, identity, and positions of fields.
import type { SourceFile } from '../source/files.js'
import { spanRange } from '../source/files.js'
import type { Location, Range, ResourceRef } from '../findings/types.js'
import type { Span } from '../source/yaml.js'
import { undecodablePodField } from './workloads.js'

export type Obj = Record<string, unknown>
export type FieldPath = (string | number)[]

export interface Resource {
  file: SourceFile
  obj: Obj
  apiVersion: string
  kind: string
  name: string
  /** Effective namespace (the default namespace when unset); undefined for cluster-scoped kinds. */
  namespace?: string
  /** Index of the document in the file, and of the item inside a List. */
  docIndex: number
  listIndex?: number
  /**
   * No `metadata.name`, only a `generateName` (shown as the name): the API server names it with
   * five random characters after it (kubectl apply refuses it), so nothing can refer to it.
   */
  generated?: true
  /** A namespaced object that names no namespace: `namespace` is the default namespace, which `kubectl apply -n`, `helm install -n` or a GitOps tool's target namespace may replace. */
  namespaceUnset?: true
}

/** Kinds that have no namespace. Unknown kinds are taken as namespaced. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'IngressClass', 'RuntimeClass',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'ClusterExternalSecret', 'ClusterSecretStore', 'ClusterIssuer',
  'ClusterPolicy', 'ClusterRoleTemplate', 'PodSecurityPolicy', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration', 'ComponentStatus', 'ClusterTriggerBinding', 'ClusterTask', 'ClusterInterceptor',
])

/** A mapping, not a list. (Parsed values hold nothing else: `!!binary` and `!!timestamp` are strings, schema.ts.) */
export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

export function get(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[key]
  }
  return cur
}

export function ref(r: Resource): ResourceRef {
  return r.namespace !== undefined ? { kind: r.kind, namespace: r.namespace, name: r.name } : { kind: r.kind, name: r.name }
}

export function describe(r: Resource): string {
  return r.namespace !== undefined ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`
}

/**
 * Span of the node at `path` below `r.obj`, or of its nearest ancestor that exists: a finding
 * always points at real text, never at line 1 by default.
 */
export function spanAt(r: Resource, path: FieldPath, key = false): Span {
  const table = r.file.positions
  let best: Span | undefined = table.span(r.obj)
  let cur: unknown = r.obj
  for (let i = 0; i < path.length; i++) {
    const k = path[i]
    const last = i === path.length - 1
    const s = key && last && typeof k === 'string' ? table.keySpan(cur, k) : table.valueSpan(cur, k)
    if (!s) {
      // A value a merge key brought in (`<<: *base`): the alias names where it comes from.
      const merged = typeof k === 'string' && cur !== undefined ? table.valueSpan(cur, '<<') : undefined
      if (merged) best = merged
      break
    }
    best = s
    cur = (cur as Record<string | number, unknown>)[k]
    if (cur === undefined || cur === null) break
  }
  return best ?? { start: 0, end: 0 }
}

export function rangeAt(r: Resource, path: FieldPath, key = false): Range {
  return spanRange(r.file, spanAt(r, path, key))
}

export function locationAt(r: Resource, path: FieldPath, key = false): Location {
  return { file: r.file.path, range: rangeAt(r, path, key) }
}

export interface ExtractCounts {
  documents: number
  resources: number
  nonKubernetes: number
}

/** Resources of a parsed file; `List`/`*List` documents (and lists in them) are expanded into their items. */
export function extractResources(file: SourceFile, defaultNamespace: string): { resources: Resource[]; counts: ExtractCounts } {
  const resources: Resource[] = []
  const counts: ExtractCounts = { documents: 0, resources: 0, nonKubernetes: 0 }
  // loadSource reports each object kubectl cannot decode as a syntax problem: none, none to look for.
  const undecodable = file.problems.some((p) => p.kind === 'syntax')
  for (const doc of file.parsed?.documents ?? []) {
    counts.documents++
    if (doc.value === null || doc.value === undefined) continue
    forEachObject(doc.value, (obj, listIndex) => {
      if (obj === undefined) counts.nonKubernetes++
      // An object the API server cannot decode never exists (loadSource reported it).
      else if (!undecodable || (undecodableMetadata(obj) === undefined && undecodablePodField(obj) === undefined)) resources.push(makeResource(file, obj, defaultNamespace, doc.index, listIndex))
    })
  }
  counts.resources = resources.length
  return { resources, counts }
}

/**
 * Calls `visit` with each Kubernetes object of a document's value (apiVersion and kind strings),
 * or undefined for what is not one. Lists inside a List are flattened too, as kubectl's
 * FlattenListVisitor does: their items come after the outer list's other items (`pending` is its
 * itemsToProcess). Parsed documents hold no cycles (a recursive alias is a syntax error), so this ends.
 */
export function forEachObject(value: unknown, visit: (obj: Obj | undefined, listIndex?: number) => void): void {
  if (!isObj(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') return visit(undefined)
  if (!isList(value)) return visit(value)
  const pending: Obj[] = [value]
  for (let n = 0; n < pending.length; n++) {
    const list = pending[n]
    const items = Array.isArray(list.items) ? list.items : []
    // A typed list (PodList, SecretList: what `kubectl get -o yaml` of one kind writes) names
    // neither on its items: the decoder kubectl uses sets them from the list (decodeToList).
    const itemKind = (list.kind as string).slice(0, -'List'.length)
    items.forEach((item, i) => {
      if (isObj(item) && itemKind !== '' && (item.kind === undefined || item.kind === '') && (item.apiVersion === undefined || item.apiVersion === '')) {
        item.kind = itemKind
        item.apiVersion = list.apiVersion
      }
      if (!isObj(item) || typeof item.kind !== 'string' || typeof item.apiVersion !== 'string') visit(undefined)
      else if (isList(item)) pending.push(item)
      else visit(item, i)
    })
  }
}

/**
 * The metadata field (`name` or `namespace`) the API server cannot decode into a string: a number,
 * a boolean (`namespace: no`, YAML 1.1's false), a list or a mapping. kubectl rejects the object.
 */
export function undecodableMetadata(obj: Obj): 'name' | 'namespace' | undefined {
  const meta = obj.metadata
  if (!isObj(meta)) return undefined
  for (const key of ['name', 'namespace'] as const) {
    const v = meta[key]
    if (v !== undefined && v !== null && typeof v !== 'string') return key
  }
  return undefined
}

/** A `List` (items or not), or a `*List` kind with an `items` list. */
function isList(v: Obj): boolean {
  return typeof v.kind === 'string' && (v.kind === 'List' || (v.kind.endsWith('List') && Array.isArray(v.items)))
}

function makeResource(file: SourceFile, obj: Obj, defaultNamespace: string, docIndex: number, listIndex?: number): Resource {
  const meta = isObj(obj.metadata) ? obj.metadata : {}
  const kind = obj.kind as string
  // `name: ""` is no name: the API server then names it from generateName, if one is given.
  const named = (str(meta.name) ?? '') !== ''
  const generateName = str(meta.generateName) ?? ''
  const name = named ? (meta.name as string) : generateName
  const ns = str(meta.namespace)
  const namespace = CLUSTER_SCOPED.has(kind) ? undefined : ns && ns.length > 0 ? ns : defaultNamespace
  const r: Resource = { file, obj, apiVersion: obj.apiVersion as string, kind, name, docIndex }
  if (namespace !== undefined) r.namespace = namespace
  if (namespace !== undefined && namespace !== ns) r.namespaceUnset = true
  if (listIndex !== undefined) r.listIndex = listIndex
  if (!named && generateName !== '') r.generated = true
  return r
}

export function annotations(r: Resource): Record<string, string> {
  return stringEntries(get(r.obj, ['metadata', 'annotations']))
}

/** The entries of a mapping whose values are strings (annotations, labels), or none. */
export function stringEntries(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}
