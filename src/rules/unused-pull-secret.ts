// unused-pull-secret: a docker-config secret that no pod and no ServiceAccount references.
import { locationAt } from '../model/resources.js'
import { isPullSecretType } from '../resolve/secrets.js'
import type { Rule } from './types.js'

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
    for (const def of graph.secretDefs) {
      if (!def.resource || def.namespace === '*' || def.source || !isPullSecretType(def)) continue
      if (resolution.referencedSecrets.has(`${def.namespace}/${def.name}`)) continue
      if (resolution.referencedElsewhere.has(def.name) || sources.has(def)) continue
      // Replicated to other namespaces: used if referenced by name anywhere.
      if (graph.secretDefs.some((d) => d.source === def) && referencedNames.has(def.name)) continue
      yield {
        message: `${def.label} (${def.type}) is referenced by no pod and no ServiceAccount in namespace ${def.namespace}; reference it where it is needed or delete it.`,
        fix: 'Reference it from a pod or ServiceAccount, or delete it.',
        location: locationAt(def.resource, def.namePath ?? ['metadata', 'name']),
        resource: def.resource,
        key: `${def.origin}/${def.namespace}/${def.name}`,
      }
    }
  },
}
