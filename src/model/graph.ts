// The indexed graph of SPEC §2: namespaces, ServiceAccounts, secrets (and producers), pod specs.
import type { SourceFile } from '../source/files.js'
import type { Options } from '../options.js'
import { get, stringEntries, type FieldPath, type Resource } from './resources.js'
import { existingSecretDef, KEY_FOR_TYPE, replicationRefused, replicationSource, secretDefsOf, type SecretDef } from './secrets.js'
import { podSpecOf, type PodSpecRef } from './workloads.js'
import { invalidMetadata, refusalDetail, nonStringLabels } from './validation.js'
import { decodeDockerCfg, decodeDockerConfigJson } from './dockerconfig.js'

export interface ServiceAccountDef {
  name: string
  namespace: string
  origin: 'manifest' | 'existing-service-accounts' | 'implicit'
  resource?: Resource
  /** The raw `imagePullSecrets` value (a list of `{name}` when well-formed). */
  imagePullSecrets: unknown
  /** The API server cannot decode or refuses the object: it never exists. Why, and where. */
  rejected?: { detail: string; path: FieldPath }
}

export class Graph {
  readonly resources: Resource[] = []
  readonly podSpecs: PodSpecRef[] = []
  readonly namespaces = new Set<string>()
  /** The labels of the namespaces that Namespace objects declare (the last declaration's). */
  private readonly namespaceLabels = new Map<string, Record<string, string>>()
  private readonly serviceAccounts = new Map<string, ServiceAccountDef[]>()
  private readonly serviceAccountsByName = new Map<string, ServiceAccountDef[]>()
  private readonly secrets = new Map<string, SecretDef[]>()
  /** Secrets that exist in namespaces decided by a predicate (replication, `*` configuration). */
  private readonly wildcardSecrets = new Map<string, SecretDef[]>()
  /** Every SecretDef with a fixed namespace, by name (for "it exists in another namespace"). */
  private readonly secretsByName = new Map<string, SecretDef[]>()
  readonly secretDefs: SecretDef[] = []

  constructor(
    readonly files: SourceFile[],
    readonly defaultNamespace: string,
  ) {}

  addResource(r: Resource): void {
    this.resources.push(r)
    if (r.kind === 'Namespace' && r.apiVersion === 'v1') {
      this.namespaces.add(r.name)
      // The API server adds kubernetes.io/metadata.name to every Namespace (NamespaceDefaultLabelName).
      this.namespaceLabels.set(r.name, { ...stringEntries(get(r.obj, ['metadata', 'labels'])), 'kubernetes.io/metadata.name': r.name })
    }
    if (r.namespace !== undefined) this.namespaces.add(r.namespace)
    // An object named by generateName gets a name no manifest can know: nothing refers to it.
    if (r.kind === 'ServiceAccount' && r.apiVersion === 'v1' && r.namespace !== undefined && !r.generated) {
      const sa: ServiceAccountDef = { name: r.name, namespace: r.namespace, origin: 'manifest', resource: r, imagePullSecrets: get(r.obj, ['imagePullSecrets']) }
      const refusal = nonStringLabels(r.obj) ?? invalidMetadata(r.obj, 'ServiceAccount')
      if (refusal) sa.rejected = { detail: refusalDetail(refusal, 'ServiceAccount'), path: refusal.path }
      this.addServiceAccount(sa)
    }
    for (const def of secretDefsOf(r)) if (!(r.generated && def.name === r.name)) this.addSecret(def)
    const pod = podSpecOf(r)
    if (pod) this.podSpecs.push(pod)
  }

  addServiceAccount(sa: ServiceAccountDef): void {
    push(this.serviceAccounts, `${sa.namespace}/${sa.name}`, sa)
    push(this.serviceAccountsByName, sa.name, sa)
  }

  addSecret(def: SecretDef): void {
    this.secretDefs.push(def)
    if (def.namespace === '*' || def.matches) {
      push(this.wildcardSecrets, def.name, def)
      return
    }
    push(this.secrets, `${def.namespace}/${def.name}`, def)
    push(this.secretsByName, def.name, def)
  }

  /**
   * The ServiceAccount a pod in `namespace` gets for `name`; `default` always exists. Of several
   * declarations, the last one read: `kubectl apply -f` applies them in turn and leaves the last.
   */
  serviceAccount(namespace: string, name: string): ServiceAccountDef | undefined {
    // A declaration the API server refuses never exists (the namespace's own default still does).
    const found = this.serviceAccounts.get(`${namespace}/${name}`)?.filter((s) => !s.rejected)
    if (found?.length) return found.findLast((s) => s.origin === 'manifest') ?? found[0]
    if (name === 'default') return { name, namespace, origin: 'implicit', imagePullSecrets: undefined }
    return undefined
  }

  /** The last declaration of a ServiceAccount that the API server refuses, if any. */
  refusedServiceAccount(namespace: string, name: string): (ServiceAccountDef & { resource: Resource; rejected: NonNullable<ServiceAccountDef['rejected']> }) | undefined {
    const found = this.serviceAccounts.get(`${namespace}/${name}`)?.findLast((s) => s.rejected !== undefined && s.resource !== undefined)
    return found as ReturnType<Graph['refusedServiceAccount']>
  }

  /** ServiceAccounts the manifests declare more than once, each in the order read. */
  duplicateServiceAccounts(): (ServiceAccountDef & { resource: Resource })[][] {
    return declaredTwice(this.serviceAccounts, (s) => s.origin === 'manifest')
  }

  /** v1 Secrets declared more than once under one namespace and name, in reading order. */
  duplicateSecrets(): (SecretDef & { resource: Resource })[][] {
    return declaredTwice(this.secrets, (d) => d.origin === 'Secret')
  }

  serviceAccountsNamed(name: string): ServiceAccountDef[] {
    return this.serviceAccountsByName.get(name) ?? []
  }

  /** Secrets named `name` that exist in `namespace` (declared, produced, replicated or configured). */
  secretsIn(namespace: string, name: string): SecretDef[] {
    const direct = this.secrets.get(`${namespace}/${name}`) ?? []
    // A Secret of that name already there is left alone: reflector's auto-reflection skips it,
    // kubernetes-replicator keeps its type (a copy never replaces it).
    const wild = (this.wildcardSecrets.get(name) ?? []).filter((d) => (d.matches ? d.matches(namespace, this.namespaceLabels.get(namespace)) : true) && !(direct.length && d.reach !== undefined))
    return wild.length ? [...direct, ...wild] : direct
  }

  /** The Secrets named `name` that ClusterExternalSecrets make in the namespaces their selectors pick. */
  selectedSecretsNamed(name: string): SecretDef[] {
    return (this.wildcardSecrets.get(name) ?? []).filter((d) => d.origin === 'ClusterExternalSecret')
  }

  /** Copies of a Secret named `name` into several namespaces (reflector, kubernetes-replicator). */
  replicasNamed(name: string): SecretDef[] {
    return (this.wildcardSecrets.get(name) ?? []).filter((d) => d.reach !== undefined)
  }

  /** Secrets named `name` in namespaces other than `namespace`. */
  secretsElsewhere(namespace: string, name: string, limit = Infinity): SecretDef[] {
    const out: SecretDef[] = []
    for (const d of this.secretsByName.get(name) ?? []) {
      if (out.length >= limit) break
      if (d.namespace !== namespace) out.push(d)
    }
    return out
  }

  /** The secrets named `name` in one namespace each (declared, produced, or replicated by name). */
  secretsNamed(name: string): readonly SecretDef[] {
    return this.secretsByName.get(name) ?? []
  }

  /** The namespaces that hold a secret named `name` (declared or produced), each once, in reading order. */
  namespacesWith(name: string): string[] {
    return [...new Set(this.secretsNamed(name).map((d) => d.namespace))]
  }

  /** Resolves pull-based replication (`replicate-from`, `reflects`): the copy takes the source's content. */
  linkReplicationSources(): void {
    for (const def of this.secretDefs) {
      if (def.origin !== 'Secret' || !def.resource) continue
      const pull = replicationSource(def.resource)
      if (!pull) continue
      const { tool, from } = pull
      if (tool === 'replicator' && !from.includes('/')) {
        def.notCopied = `kubernetes-replicator copies nothing into it: replicate-from must be <namespace>/<name>, not "${from}"`
        def.notCopiedFix = `write its replicate-from as <namespace>/<name>`
        continue
      }
      const [ns, name] = from.includes('/') ? from.split('/', 2) : [def.namespace, from]
      const source = this.secrets.get(`${ns}/${name}`)?.[0]
      if (source?.rejected) {
        // The API server never created the source: there is nothing to copy.
        def.notCopied = `${tool === 'replicator' ? 'kubernetes-replicator' : 'reflector'} copies nothing into it: its source Secret ${ns}/${name} never exists (the API server refuses it)`
        def.notCopiedFix = `mend its source Secret ${ns}/${name}, which the API server refuses`
        continue
      }
      const refused = source && replicationRefused(tool, source, def.namespace, this.namespaceLabels.get(def.namespace))
      if (refused) {
        def.notCopied = refused.why
        def.notCopiedFix = refused.fix
        continue
      }
      def.source = source
      def.copiedBy = tool === 'replicator' ? 'kubernetes-replicator' : 'reflector'
      // The replicator copies the data only (kubernetes-replicator's ReplicateDataFrom; reflector
      // patches data): the copy keeps the type it was declared with (immutable, Opaque when it
      // names none). And the API server validated the copy as declared: a docker-config copy
      // without its data key (no placeholder such as e30K) was never created, so it keeps its own
      // data and the resolver reports it.
      const wanted = KEY_FOR_TYPE[def.type]
      if (wanted !== undefined && !(def.dataKeys ?? []).includes(wanted)) continue
      // Nor was one whose placeholder the API server refuses (not base64, empty, not a JSON object).
      if (wanted !== undefined && placeholderRefused(def, wanted)) continue
      if (source) {
        def.content = source.content
        def.data = source.data
        def.dataKeys = source.dataKeys
        def.registries = source.registries
      } else {
        def.content = 'unknown'
      }
    }
  }
}

/** Whether ValidateSecret refuses a docker-config Secret's own value of `key` (a copy's placeholder). */
function placeholderRefused(def: SecretDef, key: string): boolean {
  const value = def.data?.get(key)
  if (!value) return false
  if (value.value === undefined || value.value.trim() === '') return true
  const decoded = key === '.dockerconfigjson' ? decodeDockerConfigJson(value.value) : decodeDockerCfg(value.value)
  return !decoded.ok && decoded.apiRejects
}

/** The lists of `byKey` with more than one object that a manifest declares (`declared`), in order. */
function declaredTwice<T extends { resource?: Resource }>(byKey: Map<string, T[]>, declared: (t: T) => boolean): (T & { resource: Resource })[][] {
  const out: (T & { resource: Resource })[][] = []
  for (const list of byKey.values()) {
    const found = list.filter((t): t is T & { resource: Resource } => t.resource !== undefined && declared(t))
    if (found.length > 1) out.push(found)
  }
  return out
}

/** Adds `value` to the list of `key`, made on first use. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Adds what the configuration says exists outside the manifests. */
export function addConfiguredObjects(graph: Graph, options: Pick<Options, 'existingSecrets' | 'existingServiceAccounts' | 'existingNamespaces'>): void {
  for (const ns of options.existingNamespaces) graph.namespaces.add(ns)
  for (const sa of options.existingServiceAccounts) {
    graph.addServiceAccount({ name: sa.name, namespace: sa.namespace, origin: 'existing-service-accounts', imagePullSecrets: undefined })
  }
  for (const s of options.existingSecrets) graph.addSecret(existingSecretDef(s))
}

export type { FieldPath }
