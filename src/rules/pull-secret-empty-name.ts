// pull-secret-empty-name: an imagePullSecrets entry without a name (skipped, and it blocks the ServiceAccount's list).
import type { Rule } from './types.js'
import { effectiveRefs, locationAt, podsLabel, refHolderLabel, refNamePath } from './util.js'

export const pullSecretEmptyName: Rule = {
  meta: {
    id: 'pull-secret-empty-name',
    severity: 'warning',
    description: 'An imagePullSecrets entry has an empty (or no) name.',
    rationale:
      'The kubelet skips entries with an empty name, but the admission plugin still counts the pod\'s list as non-empty, so the ServiceAccount\'s pull secrets are not copied in.',
    remediation: 'Remove the entry or give it the Secret\'s name (often an unset Helm value).',
    example: `spec:
  imagePullSecrets:
    - name: ""   # from an unset {{ .Values.imagePullSecret }}`,
  },
  *check({ resolution }) {
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
      if (ref.status !== 'empty-name' && ref.status !== 'not-object') continue
      const pod = pods[0]
      const blocks = ref.owner === 'pod' && pod.saRefs.length > 0 ? `; it also keeps ServiceAccount ${pod.saName}'s pull secrets out of the pod` : ''
      const what = ref.status === 'not-object' ? `an entry that is not a {name: …} object (${JSON.stringify(ref.entry)})` : 'an entry with an empty name'
      yield {
        message: `${refHolderLabel(ref)} lists ${what} under imagePullSecrets (used by ${podsLabel(pods)}), which the kubelet skips${blocks}; remove it or set the Secret's name.`,
        fix: 'Remove the entry or set the Secret name.',
        location: locationAt(ref.holder, refNamePath(ref)),
        resource: ref.holder,
        pods,
        key: `${ref.entryPath.join('.')}`,
      }
    }
  },
}
