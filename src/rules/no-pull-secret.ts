// no-pull-secret: a private image whose pod ends up with no pull secret at all.
import { apiRejects } from '../resolve/resolve.js'
import type { Rule } from './types.js'
import { containerLabel, imageLocation, registryOf, serviceAccountRelated, workloadRelated } from './util.js'

export const noPullSecret: Rule = {
  meta: {
    id: 'no-pull-secret',
    severity: 'error',
    description: 'A private image is pulled by a pod that has no effective pull secrets (none on the pod, none on its ServiceAccount).',
    rationale:
      'The ServiceAccount admission plugin copies the ServiceAccount\'s imagePullSecrets into a pod only when the pod lists none; when neither lists any, the kubelet pulls anonymously and a private registry answers 401: ImagePullBackOff.',
    remediation: 'Create a kubernetes.io/dockerconfigjson Secret for the registry in the pod\'s namespace and list it under imagePullSecrets of the pod or of its ServiceAccount.',
    example: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0   # private, and no imagePullSecrets anywhere`,
  },
  *check({ resolution }) {
    for (const pod of resolution.pods) {
      for (const img of pod.images) {
        if (img.status !== 'no-pull-secret') continue
        const r = pod.pod.resource
        const ns = pod.pod.namespace
        const why =
          pod.listSource === 'pod'
            ? `the pod's imagePullSecrets holds only empty names, which the kubelet skips and which keep ServiceAccount ${ns}/${pod.saName}'s list out`
            : pod.listSource === 'serviceAccount'
              ? pod.saRefs.some(apiRejects)
                ? `ServiceAccount ${ns}/${pod.saName}'s imagePullSecrets is not a list of {name: …} objects, which the API server rejects`
                : `ServiceAccount ${ns}/${pod.saName}'s imagePullSecrets holds only empty names, which the kubelet skips`
              : `neither the pod nor its ServiceAccount ${ns}/${pod.saName} lists any imagePullSecrets`
        yield {
          message: `${containerLabel(img)} pulls private image ${img.image} (${img.reason}), but ${why}; add a pull secret for ${registryOf(img)} in namespace ${ns}.`,
          fix: `Create a docker-registry Secret for ${registryOf(img)} in namespace ${ns} and reference it from the pod's or ServiceAccount ${pod.saName}'s imagePullSecrets.`,
          location: imageLocation(r, img.use),
          resource: r,
          related: [...serviceAccountRelated(pod, pod.listSource === 'pod' ? `ServiceAccount ${ns}/${pod.saName}` : `ServiceAccount ${ns}/${pod.saName} has no imagePullSecrets`), workloadRelated(pod, `${r.kind} ${ns}/${r.name}`)],
          container: img.use.name,
          image: img.image,
          pods: [pod],
          key: `${img.use.slot}/${img.use.name}`,
        }
      }
    }
  },
}
