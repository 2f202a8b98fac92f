// sa-pull-secrets-shadowed: the pod's own list replaces its ServiceAccount's, which would have covered the image.
import { locationAt } from '../model/resources.js'
import { coverage } from '../resolve/resolve.js'
import type { Rule } from './types.js'
import { containerLabel, imageLocation, secretRelated, serviceAccountRelated } from './util.js'

export const saPullSecretsShadowed: Rule = {
  meta: {
    id: 'sa-pull-secrets-shadowed',
    severity: 'error',
    description: 'The pod\'s own imagePullSecrets replace its ServiceAccount\'s, and the ServiceAccount\'s would have covered an image the pod\'s list does not.',
    rationale:
      'The ServiceAccount admission plugin copies the ServiceAccount\'s pull secrets only when the pod lists none; it never merges the two lists (TestDoNotAddImagePullSecrets). A pod that lists one secret loses all of its ServiceAccount\'s.',
    remediation: 'Add the ServiceAccount\'s secret to the pod\'s imagePullSecrets, or remove the pod\'s list so the ServiceAccount\'s applies.',
    example: `# ServiceAccount app-sa lists ghcr-secret; the pod lists only dockerhub-secret
spec:
  serviceAccountName: app-sa
  imagePullSecrets: [{name: dockerhub-secret}]
  containers:
    - {name: app, image: ghcr.io/acme/app:1.0}`,
  },
  *check({ resolution }) {
    for (const pod of resolution.pods) {
      for (const img of pod.images) {
        if (img.status !== 'shadowed') continue
        const r = pod.pod.resource
        const names = img.shadowedBy.map((s) => s.name).join(', ')
        const own = pod.podRefs.map((x) => x.name || '""').join(', ')
        // Removing the pod's list is a fix only when the ServiceAccount's list covers every other image the pod's covers.
        const needed = pod.images.filter((i) => i !== img && i.status === 'ok' && i.ref !== undefined && i.coveredBy.length > 0 && coverage(pod.saRefs, i.ref.name).coveredBy.length === 0)
        const alternative = needed.length
          ? ` (removing the pod's list would lose ${needed[0].coveredBy[0].name}, which ${needed[0].image} is pulled with)`
          : ' or remove the pod\'s list'
        yield {
          message: `${containerLabel(img)} in namespace ${pod.pod.namespace} pulls ${img.image}, which ServiceAccount ${pod.saName}'s pull secret ${names} would cover, but the pod's own imagePullSecrets (${own}) replace the ServiceAccount's list; add ${names} to the pod's imagePullSecrets${alternative}.`,
          fix: `Add ${names} to the pod's imagePullSecrets.`,
          location: imageLocation(r, img.use),
          resource: r,
          related: [
            { message: `the pod's own imagePullSecrets`, location: locationAt(r, [...pod.pod.path, 'imagePullSecrets'], true) },
            ...serviceAccountRelated(pod, `ServiceAccount ${pod.pod.namespace}/${pod.saName} lists ${names}`),
            ...img.shadowedBy.flatMap((s) => secretRelated(s)),
          ],
          container: img.use.name,
          image: img.image,
          pods: [pod],
          key: `${img.use.slot}/${img.use.name}`,
        }
      }
    }
  },
}
