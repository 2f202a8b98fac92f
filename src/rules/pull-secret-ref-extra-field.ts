// pull-secret-ref-extra-field: fields other than `name` on a reference are dropped silently.
import type { Rule } from './types.js'
import { effectiveRefs, locationAt, podsLabel, refHolderLabel, refNamePath } from './util.js'

export const pullSecretRefExtraField: Rule = {
  meta: {
    id: 'pull-secret-ref-extra-field',
    severity: 'warning',
    description: 'An imagePullSecrets entry carries fields other than name (e.g. namespace), which are silently dropped.',
    rationale:
      'imagePullSecrets entries are LocalObjectReferences: only name exists. A namespace: field is pruned by the API server; the secret is still looked up in the pod\'s namespace.',
    remediation: 'Keep only name:, and put the Secret in the pod\'s namespace.',
    example: `spec:
  imagePullSecrets:
    - name: regcred
      namespace: shared   # dropped: the pod's namespace is used`,
  },
  *check({ resolution }) {
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
      for (const field of ref.extraFields) {
        const ns = pods[0].pod.namespace
        yield {
          message: `${refHolderLabel(ref)} gives pull secret reference "${ref.name}" a "${field}" field (used by ${podsLabel(pods)}), which the API server drops: only name is kept and the Secret is read from namespace ${ns}; remove "${field}".`,
          fix: `Remove "${field}" from the imagePullSecrets entry.`,
          location: locationAt(ref.holder, refNamePath(ref)),
          related: [{ message: `the dropped "${field}" field`, location: locationAt(ref.holder, [...ref.entryPath, field], true) }],
          resource: ref.holder,
          pods,
          key: `${ref.entryPath.join('.')}.${field}`,
        }
      }
    }
  },
}
