// pull-secret-wrong-type: the secret exists but the kubelet ignores it because of its type.
import type { Rule } from './types.js'
import { asSentence, effectiveRefs, imagesAtRisk, locationAt, podsLabel, producerOf, refHolderLabel, refNamePath, stillPullsWithout } from './util.js'

export const pullSecretWrongType: Rule = {
  meta: {
    id: 'pull-secret-wrong-type',
    severity: 'error',
    description: 'A referenced pull secret is ignored by the kubelet: its type is not dockerconfigjson/dockercfg, or type and data key do not agree (a warning when the pod still pulls every image).',
    rationale:
      'MakeDockerKeyring uses a secret only when type is kubernetes.io/dockerconfigjson with a .dockerconfigjson key, or kubernetes.io/dockercfg with a .dockercfg key. Everything else (Opaque holding .dockerconfigjson included) is skipped silently.',
    remediation: 'Set type: kubernetes.io/dockerconfigjson with the key .dockerconfigjson (kubectl create secret docker-registry does both).',
    example: `apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: app}
type: Opaque          # the kubelet ignores it
data:
  .dockerconfigjson: eyJhdXRocyI6e319`,
  },
  *check({ resolution }) {
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
      if (ref.status !== 'wrong-type' || !ref.chosen || !ref.evaluation || ref.evaluation.usable) continue
      const def = ref.chosen
      // The `type:` when it is written; else the object (an ExternalSecret without a template type).
      const typed = def.typePath !== undefined
      const related = def.resource ? [{ message: typed ? `${def.label} type` : def.label, location: locationAt(def.resource, ref.evaluation.path ?? ['metadata', 'name']) }] : []
      // Where the type is set: an operator's object sets it in its template; a copy that reflector
      // or kubernetes-replicator pushes takes its source's.
      const producer = producerOf(def)
      const of = producer !== def ? ` on its source ${producer.label}` : ''
      const remedy =
        ref.evaluation.remedy ??
        (producer.origin === 'SealedSecret'
          ? `set spec.template.type kubernetes.io/dockerconfigjson${of} and seal a .dockerconfigjson key`
          : producer.origin === 'ExternalSecret' || producer.origin === 'ClusterExternalSecret'
            ? `set the target template's type kubernetes.io/dockerconfigjson${of} (spec.target.template.type) with a .dockerconfigjson key in its data`
            : `set type kubernetes.io/dockerconfigjson with a .dockerconfigjson key${of}`)
      // A warning, as for pull-secret-not-found, when the pod pulls every image all the same.
      const still = stillPullsWithout(pods)
      // The API server and the kubelet see the Secret an operator's object makes, not the object.
      const made = def.origin === 'SealedSecret' || def.origin === 'ExternalSecret' || def.origin === 'ClusterExternalSecret'
      const secret = made && !def.label.includes("'s Secret ") ? `the Secret that ${def.label} makes` : def.label
      yield {
        message: `${refHolderLabel(ref)} references pull secret "${ref.name}" (used by ${podsLabel(pods)}), but ${ref.evaluation.refused ? `the API server rejects ${secret}, so it never exists,` : `the kubelet ignores ${secret}`} because ${ref.evaluation.detail}; ${still ? `the pod still pulls (${still})` : `${imagesAtRisk(pods)} pulled without it`}; ${remedy}.`,
        ...(still ? { severity: 'warning' as const } : {}),
        fix: asSentence(remedy),
        location: locationAt(ref.holder, refNamePath(ref)),
        resource: ref.holder,
        related,
        pods,
        key: `${ref.entryPath.join('.')}=${ref.name}`,
      }
    }
  },
}
