// pull-secret-in-other-namespace: the secret exists, but in another namespace than the pod's.
import type { Rule } from './types.js'
import { effectiveRefs, locationAt, podStillPulls, podsLabel, refHolderLabel, refNamePath, secretRelated } from './util.js'

export const pullSecretInOtherNamespace: Rule = {
  meta: {
    id: 'pull-secret-in-other-namespace',
    severity: 'error',
    description: 'An effective pull secret is missing from the pod\'s namespace but a Secret of that name exists in another namespace (a warning when the pod\'s other secrets still cover every image).',
    rationale:
      'Pull secrets are looked up in the pod\'s namespace only; a `namespace:` field on the reference is dropped. A Secret in another namespace is never used.',
    remediation: 'Copy the Secret into the pod\'s namespace, or replicate it (reflector, kubernetes-replicator, ClusterExternalSecret).',
    example: `# Secret regcred lives in namespace shared; the pod runs in namespace app
spec:
  imagePullSecrets:
    - name: regcred`,
  },
  *check({ resolution, graph }) {
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
      if (ref.status !== 'other-namespace') continue
      const ns = pods[0].pod.namespace
      const namespaces = [...new Set(ref.elsewhere.map((d) => d.namespace))]
      // Already copied by a replicator, or made by a ClusterExternalSecret, but not into this namespace.
      const replicas = graph.replicasNamed(ref.name).filter((d) => ref.elsewhere.includes(d.source!))
      const clusterExternal = [...new Set(ref.elsewhere.filter((d) => d.origin === 'ClusterExternalSecret').map((d) => d.resource!))]
      const reaches = [
        ...replicas.map((d) => `${d.origin === 'reflector' ? 'reflector' : 'kubernetes-replicator'} copies ${d.source!.label} into ${d.reach}`),
        ...clusterExternal.map((r) => `ClusterExternalSecret ${r.name} makes it in the namespaces of its spec.namespaces`),
      ]
      const advice = reaches.length
        ? `${reaches.join(', and ')}, not into ${ns}: add ${ns} there, or copy Secret ${ref.name} into ${ns}`
        : `copy or replicate Secret ${ref.name} into ${ns}`
      const where = namespaces.length > 5 ? `${namespaces.slice(0, 5).join(', ')} and ${namespaces.length - 5} more` : namespaces.join(', ')
      // As pull-secret-not-found, which this rule replaces: a warning when the pod's other
      // secrets still cover every image (the kubelet records an event and pulls).
      const warning = pods.every((p) => podStillPulls(p, ref))
      const consequence = warning ? ' (the other secrets still cover every image: the kubelet only records a FailedToRetrieveImagePullSecret event)' : ''
      yield {
        message: `${refHolderLabel(ref)} references pull secret "${ref.name}", which is not in namespace ${ns} but only in ${where} (used by ${podsLabel(pods)})${consequence}; pull secrets are read from the pod's namespace only${reaches.length ? '; ' : ', so '}${advice}.`,
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
