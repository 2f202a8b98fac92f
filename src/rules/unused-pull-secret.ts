// unused-pull-secret: a docker-config secret that no pod and no ServiceAccount references.
import { misplacedInPod, namesIn, type MisplacedPullSecrets } from '../model/misplaced.js'
import { locationAt } from '../model/resources.js'
import { push, type Graph } from '../model/graph.js'
import { isPullSecretType } from '../resolve/secrets.js'
import { budgetedNearest } from '../nearest.js'
import type { SecretRef } from '../resolve/resolve.js'
import type { Rule } from './types.js'
import { effectiveRefs, misplacedInServiceAccountOf, refHolderLabel, refNamePath } from './util.js'

export const unusedPullSecret: Rule = {
  meta: {
    id: 'unused-pull-secret',
    severity: 'notice',
    description: 'A docker-config secret is referenced by no pod and no ServiceAccount.',
    rationale: 'An unreferenced pull secret is either dead weight (credentials kept for nothing) or the sign of a reference with a typo somewhere else.',
    remediation: 'Reference it from the pods or ServiceAccount that need it, or delete it.',
    example: `apiVersion: v1
kind: Secret
metadata: {name: old-regcred, namespace: app}
type: kubernetes.io/dockerconfigjson`,
  },
  *check({ graph, resolution }) {
    const referencedNames = new Set<string>()
    for (const k of resolution.referencedSecrets) referencedNames.add(k.slice(k.indexOf('/') + 1))
    const sources = new Set(graph.secretDefs.map((d) => d.source).filter((s) => s !== undefined))
    const unused = graph.secretDefs.filter((def) => {
      // One the API server refuses never exists: not unused, and nothing to reference.
      if (!def.resource || def.namespace === '*' || def.source || def.rejected || !isPullSecretType(def)) return false
      if (resolution.referencedSecrets.has(`${def.namespace}/${def.name}`)) return false
      if (resolution.referencedElsewhere.has(def.name) || sources.has(def)) return false
      // Replicated to other namespaces: used if referenced by name anywhere.
      return !(graph.secretDefs.some((d) => d.source === def) && referencedNames.has(def.name))
    })
    if (unused.length === 0) return
    const misplaced = misplacedByName(graph, new Set(unused.map((def) => def.namespace)))
    // The references to missing secrets, by namespace: one may be a misspelling of an unused name.
    const missing = new Map<string, SecretRef[]>()
    for (const [ref, pods] of effectiveRefs(resolution.pods)) if (ref.status === 'not-found') push(missing, pods[0].pod.namespace, ref)
    // Their names, one array per namespace: nearest() keeps what it computes of an array.
    const suggest = budgetedNearest()
    const missingNames = new Map([...missing].map(([ns, refs]) => [ns, refs.map((r) => r.name)]))
    for (const def of unused) {
      const named = misplaced.get(`${def.namespace}/${def.name}`) ?? []
      const refs = missing.get(def.namespace) ?? []
      const typo = named.length ? undefined : suggest(def.name, missingNames.get(def.namespace) ?? [])
      const misspelt = typo === undefined ? undefined : refs.find((r) => r.name === typo)
      const shown = named.slice(0, 3).map((m) => m.at)
      if (named.length > 3) shown.push(`${named.length - 3} more`)
      const where = named.length ? `, only where Kubernetes never reads it (${shown.join(', ')})` : ''
      const todo = named.length
        ? `move ${named.length > 1 ? 'those references where Kubernetes reads them' : 'that reference where Kubernetes reads it'}`
        : misspelt
          ? `${refHolderLabel(misspelt)} references "${misspelt.name}", which does not exist: a misspelling of this name?`
          : 'reference it where it is needed or delete it'
      yield {
        message: `${def.label} (${def.type}) is referenced by no pod and no ServiceAccount in namespace ${def.namespace}${where}; ${todo}${misspelt ? '' : '.'}`,
        fix: named.length ? 'Move the reference where Kubernetes reads it.' : misspelt ? `Fix the name "${misspelt.name}" in ${refHolderLabel(misspelt)}.` : 'Reference it from a pod or ServiceAccount, or delete it.',
        location: locationAt(def.resource!, def.namePath ?? ['metadata', 'name']),
        resource: def.resource!,
        related: misspelt
          ? [{ message: `"${misspelt.name}" referenced by ${refHolderLabel(misspelt)}`, location: locationAt(misspelt.holder, refNamePath(misspelt)) }]
          : named.map((m) => ({ message: m.label, location: locationAt(m.holder, m.path, true) })),
        key: `${def.origin}/${def.namespace}/${def.name}`,
      }
    }
  },
}

/** `namespace/name` → the lists in `namespaces` that name it where Kubernetes never reads them. */
function misplacedByName(graph: Graph, namespaces: ReadonlySet<string | undefined>): Map<string, MisplacedPullSecrets[]> {
  const index = new Map<string, MisplacedPullSecrets[]>()
  const add = (namespace: string, m: MisplacedPullSecrets) => {
    for (const n of namesIn(m)) push(index, `${namespace}/${n}`, m)
  }
  for (const pod of graph.podSpecs) if (namespaces.has(pod.namespace)) for (const m of misplacedInPod(pod)) add(pod.namespace, m)
  for (const r of graph.resources) {
    if (r.kind !== 'ServiceAccount' || r.namespace === undefined || !namespaces.has(r.namespace)) continue
    for (const m of misplacedInServiceAccountOf(graph, r)) add(r.namespace, m)
  }
  return index
}
