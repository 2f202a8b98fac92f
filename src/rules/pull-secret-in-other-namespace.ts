// pull-secret-in-other-namespace: the secret exists, but in another namespace than the pod's.
import type { SecretDef } from '../model/secrets.js'
import type { Rule } from './types.js'
import { effectiveRefs, imagesAtRisk, locationAt, podsLabel, refHolderLabel, refNamePath, secretRelated, stillPullsWithout } from './util.js'

export const pullSecretInOtherNamespace: Rule = {
  meta: {
    id: 'pull-secret-in-other-namespace',
    severity: 'error',
    description: 'An effective pull secret is missing from the pod\'s namespace but a Secret of that name exists in another namespace (a warning when the pod still pulls every image).',
    rationale:
      'Pull secrets are looked up in the pod\'s namespace only; a `namespace:` field on the reference is dropped. A Secret in another namespace is never used.',
    remediation: 'Copy the Secret into the pod\'s namespace, or replicate it (reflector, kubernetes-replicator, ClusterExternalSecret).',
    example: `# Secret regcred lives in namespace shared; the pod runs in namespace app
spec:
  imagePullSecrets:
    - name: regcred`,
  },
  *check({ resolution, graph }) {
    // What is said of the secrets of a name, once per name: thousands of references in as many
    // namespaces may name one that thousands of namespaces hold.
    const described = new Map<string, { namespaces: string[]; holds: Set<string>; replicas: SecretDef[]; clusterExternal: string[] }>()
    const describe = (name: string, ns: string) => {
      let d = described.get(name)
      if (!d) {
        const namespaces = graph.namespacesWith(name)
        const clusterExternal = [...new Set(graph.secretsNamed(name).filter((e) => e.origin === 'ClusterExternalSecret').map((e) => e.resource!.name))]
        described.set(name, (d = { namespaces, holds: new Set(namespaces), replicas: graph.replicasNamed(name), clusterExternal }))
      }
      const shown: string[] = []
      for (const n of d.namespaces) if (n !== ns && shown.push(n) === 5) break
      const more = d.namespaces.length - (d.holds.has(ns) ? 1 : 0) - shown.length
      // Already copied by a replicator, or made by a ClusterExternalSecret, but not into this namespace.
      const copies = d.replicas.filter((e) => e.source!.namespace !== ns)
      const reaches = [
        ...copies.map((e) => `${e.origin === 'reflector' ? 'reflector' : 'kubernetes-replicator'} copies ${e.source!.label} into ${e.reach}`),
        ...d.clusterExternal.map((r) => `ClusterExternalSecret ${r} makes it in the namespaces of its spec.namespaces`),
      ]
      return { where: more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', '), first: shown[0], reaches, bySelector: copies.some((e) => e.bySelector === true) }
    }
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
      if (ref.status !== 'other-namespace') continue
      const ns = pods[0].pod.namespace
      const { where, first, reaches, bySelector } = describe(ref.name, ns)
      const advice = reaches.length
        ? `${reaches.join(', and ')}, not into ${ns}: add ${ns} there${bySelector ? ` (or label Namespace ${ns} to match the selector)` : ''}, or copy Secret ${ref.name} into ${ns}`
        : `copy or replicate Secret ${ref.name} into ${ns}`
      // As pull-secret-not-found, which this rule replaces: a warning when the pod's other
      // secrets still cover every image (the kubelet records an event and pulls).
      const still = stillPullsWithout(pods)
      const warning = still !== undefined
      const consequence = still ? ` (${still}: the kubelet only records a FailedToRetrieveImagePullSecret event)` : `; ${imagesAtRisk(pods)} pulled without it`
      // Checked in the default namespace because it names none: installed with -n, it may be where the Secret is.
      const unset = ref.holder.namespaceUnset ? ref.holder : pods.find((p) => p.pod.resource.namespaceUnset)?.pod.resource
      // Or the Secret names none: installed with -n into the pod's namespace, it is there.
      const unsetSecret = unset ? undefined : ref.elsewhere.find((d) => d.resource?.namespaceUnset)
      const installedElsewhere =
        unset && first !== undefined
          ? `; ${unset.kind} ${unset.name} names no namespace and is checked in ${ns}, the default-namespace: if it is installed into ${first} (kubectl apply -n, helm install -n, a GitOps target namespace), set default-namespace to ${first} or write its metadata.namespace instead`
          : unsetSecret
            ? `; ${unsetSecret.label} names no namespace and is checked in ${unsetSecret.namespace}, the default-namespace: if it is installed into ${ns} with the pods (kubectl apply -n, helm install -n, a GitOps target namespace), set default-namespace to ${ns} or write its metadata.namespace instead`
            : ''
      yield {
        message: `${refHolderLabel(ref)} references pull secret "${ref.name}", which is not in namespace ${ns} but only in ${where} (used by ${podsLabel(pods)})${consequence}; pull secrets are read from the pod's namespace only${reaches.length ? '; ' : ', so '}${advice}${installedElsewhere}.`,
        severity: warning ? 'warning' : 'error',
        fix: `Copy or replicate Secret ${ref.name} into namespace ${ns}.`,
        location: locationAt(ref.holder, refNamePath(ref)),
        resource: ref.holder,
        related: ref.elsewhere.slice(0, 5).flatMap((d) => secretRelated(d, `${d.label} is in another namespace`)),
        pods,
        key: `${ref.entryPath.join('.')}=${ref.name}`,
      }
    }
  },
}
