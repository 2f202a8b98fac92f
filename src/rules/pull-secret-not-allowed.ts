// pull-secret-not-allowed: the pod lists a pull secret that its ServiceAccount, which enforces
// mountable secrets, does not reference; the ServiceAccount admission plugin rejects the pod.
import { annotations, isObj, str } from '../model/resources.js'
import { parseGoBool } from '../model/secrets.js'
import type { Rule } from './types.js'
import { locationAt, podsLabel, refHolderLabel, refNamePath, serviceAccountRelated, describe } from './util.js'

export const ENFORCE_MOUNTABLE_SECRETS = 'kubernetes.io/enforce-mountable-secrets'


export const pullSecretNotAllowed: Rule = {
  meta: {
    id: 'pull-secret-not-allowed',
    severity: 'error',
    description: 'The pod lists a pull secret that its ServiceAccount, annotated kubernetes.io/enforce-mountable-secrets, does not reference: admission rejects the pod.',
    rationale:
      'With kubernetes.io/enforce-mountable-secrets: "true" on the ServiceAccount, the ServiceAccount admission plugin (limitSecretReferences) requires every imagePullSecrets name of the pod to appear in the ServiceAccount\'s imagePullSecrets, and rejects the pod otherwise: nothing runs.',
    remediation: 'Add the secret to the ServiceAccount\'s imagePullSecrets (or leave the pod\'s list out, so that it gets the ServiceAccount\'s), or drop the annotation.',
    example: `kind: ServiceAccount
metadata:
  name: locked
  annotations: {kubernetes.io/enforce-mountable-secrets: "true"}
imagePullSecrets: [{name: other}]
---
spec:
  serviceAccountName: locked
  imagePullSecrets: [{name: regcred}]   # not in locked's list: the pod is rejected`,
  },
  *check({ resolution }) {
    for (const pod of resolution.pods) {
      // Only a list of the pod's own is checked: one copied from the ServiceAccount is its own.
      const sa = pod.sa
      if (pod.listSource !== 'pod' || !sa?.resource) continue
      const value = annotations(sa.resource)[ENFORCE_MOUNTABLE_SECRETS]
      // No list at all is an empty one: every secret the pod lists is refused. One that is not a
      // list keeps the ServiceAccount from being created (reported as such).
      const list = sa.imagePullSecrets ?? []
      // enforceMountableSecrets: strconv.ParseBool, an error reads as false.
      if (parseGoBool(value) !== true || !Array.isArray(list)) continue
      const allowed = new Set(list.map((e) => (isObj(e) ? (str(e.name) ?? '') : undefined)))
      // Admission stops at the first entry it refuses and quotes it; every one needs mending.
      let first = true
      for (const ref of pod.podRefs) {
        if (ref.status === 'not-list' || ref.status === 'not-object' || ref.status === 'name-not-string' || allowed.has(ref.name)) continue
        const saLabel = `ServiceAccount ${sa.namespace}/${sa.name}`
        const holder = refHolderLabel(ref)
        const users = podsLabel([pod])
        const rejection = first
          ? `so admission rejects the pods (imagePullSecrets[${ref.index}].name="${ref.name}" is not allowed because service account ${sa.name} does not reference that imagePullSecret)`
          : 'so admission refuses it as well'
        first = false
        yield {
          message: `${holder} lists pull secret "${ref.name}"${users === holder ? '' : ` (used by ${users})`}, but its ${saLabel} has ${ENFORCE_MOUNTABLE_SECRETS}: "${value}" and does not list "${ref.name}" in its imagePullSecrets, ${rejection}; add "${ref.name}" to the ServiceAccount's imagePullSecrets${list.length ? ', or drop the pod\'s list to get the ServiceAccount\'s' : ''}.`,
          fix: `Add "${ref.name}" to the imagePullSecrets of ${saLabel}.`,
          location: locationAt(ref.holder, refNamePath(ref)),
          related: [
            { message: `${saLabel} enforces mountable secrets`, location: locationAt(sa.resource, ['metadata', 'annotations', ENFORCE_MOUNTABLE_SECRETS]) },
            ...serviceAccountRelated(pod, `${saLabel}, used by ${describe(pod.pod.resource)}`),
          ],
          resource: ref.holder,
          pods: [pod],
          key: ref.entryPath.join('.'),
        }
      }
    }
  },
}
