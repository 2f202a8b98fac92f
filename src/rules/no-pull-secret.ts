// no-pull-secret: a private image whose pod ends up with no pull secret at all.
import { misplacedInPod, misplacedServiceAccountName, pathText, type MisplacedPullSecrets } from '../model/misplaced.js'
import { apiRejects, labelOfHolder } from '../resolve/resolve.js'
import type { Rule } from './types.js'
import { cachedNote, containerLabel, pullsVerb, credentialFor, credentialLabel, imageLocation, locationAt, misplacedInServiceAccountOf, registryOf, secretRelated, serviceAccountRelated, workloadRelated } from './util.js'

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
  *check({ graph, resolution }) {
    for (const pod of resolution.pods) {
      let misplaced: MisplacedPullSecrets[] | undefined
      for (const img of pod.images) {
        if (img.status !== 'no-pull-secret') continue
        const r = pod.pod.resource
        const ns = pod.pod.namespace
        // Pull secrets written where Kubernetes never reads them: what the user meant, named.
        misplaced ??= [
          ...misplacedInPod(pod.pod),
          ...(pod.listSource !== 'pod' && pod.sa?.resource ? misplacedInServiceAccountOf(graph, pod.sa.resource) : []),
        ]
        const noted = misplaced.length === 0 ? '' : `${misplaced[0].why}${misplaced.length > 1 ? ` (and ${misplaced.length - 1} more list${misplaced.length > 2 ? 's' : ''} never read)` : ''}`
        // A ServiceAccount named where Kubernetes never reads it: the pods run as default.
        const saMisplaced = pod.saPath === undefined ? misplacedServiceAccountName(pod.pod) : undefined
        const saNote = saMisplaced
          ? `; ${saMisplaced.shown} (${saMisplaced.name}) is not part of the pod template, so the pods run as ServiceAccount default: move it to ${saMisplaced.target}, or`
          : ';'
        const why =
          pod.listSource === 'pod'
            ? `the pod's imagePullSecrets holds only empty names, which the kubelet skips and which keep ServiceAccount ${ns}/${pod.saName}'s list out`
            : pod.listSource === 'serviceAccount'
              ? pod.saRefs.some(apiRejects)
                ? `ServiceAccount ${ns}/${pod.saName}'s imagePullSecrets is not a list of {name: …} objects, which the API server rejects`
                : `ServiceAccount ${ns}/${pod.saName}'s imagePullSecrets holds only empty names, which the kubelet skips`
              : noted
                ? `neither the pod nor its ServiceAccount ${ns}/${pod.saName} has imagePullSecrets where Kubernetes reads them`
                : `neither the pod nor its ServiceAccount ${ns}/${pod.saName} lists any imagePullSecrets`
        // With a list written where it is never read, moving it is the fix.
        const moveOnly = noted !== '' && pod.listSource === 'none'
        const registry = registryOf(img)
        // A secret with credentials for the registry: in the namespace, to list; elsewhere, to copy.
        const credential = moveOnly ? undefined : credentialFor(graph, resolution, img)
        // A pod list of empty names keeps the ServiceAccount's out: only the pod's own list helps.
        const listIt = pod.listSource === 'pod' ? "the pod's imagePullSecrets" : `the pod's or ServiceAccount ${pod.saName}'s imagePullSecrets`
        // Whether the image's reason already names that secret (`Secret app/regcred has credentials for ghcr.io`).
        const named = credential !== undefined && img.reason.startsWith(`${labelOfHolder(credential.def)} `)
        const remedy = !credential
          ? `add a pull secret for ${registry} in namespace ${ns} and list it in ${listIt}`
          : credential.here
            ? `list ${credentialLabel(credential.def, ns)}${named ? '' : `, which has credentials for ${registry},`} in ${listIt}`
            : `copy or replicate ${credentialLabel(credential.def)}${named ? '' : ` (it has credentials for ${registry})`} into namespace ${ns} (or add a pull secret for ${registry} there) and list it in ${listIt}`
        yield {
          message:
            (moveOnly
              ? `${containerLabel(img)} ${pullsVerb(img)} private image ${img.image} (${img.reason}), but ${why}: ${noted}.`
              : `${containerLabel(img)} ${pullsVerb(img)} private image ${img.image} (${img.reason}), but ${why}${noted ? `; ${noted}` : ''}${saNote} ${remedy}.`) + cachedNote(img),
          ...(img.cachedBy ? { severity: 'warning' as const } : {}),
          fix: moveOnly
            ? `Move the pull secrets to the pod's imagePullSecrets (${pathText([...pod.pod.path, 'imagePullSecrets'])}) or to ServiceAccount ${pod.saName}'s imagePullSecrets.`
            : saMisplaced
              ? `Move ${saMisplaced.shown} to ${saMisplaced.target}.`
              : !credential
              ? `Create a docker-registry Secret for ${registry} in namespace ${ns} and reference it from ${listIt}.`
              : credential.here
                ? `Add {name: ${credential.def.name}} to ${listIt}.`
                : `Copy or replicate ${credentialLabel(credential.def)} into namespace ${ns} (or create a docker-registry Secret for ${registry} there) and reference it from ${listIt}.`,
          location: imageLocation(r, img.use),
          resource: r,
          related: [
            ...serviceAccountRelated(pod, pod.listSource === 'none' ? `ServiceAccount ${ns}/${pod.saName} has no imagePullSecrets` : `ServiceAccount ${ns}/${pod.saName}`),
            workloadRelated(pod, `${r.kind} ${ns}/${r.name}`),
            ...misplaced.map((m) => ({ message: m.label, location: locationAt(m.holder, m.path, true) })),
            ...(saMisplaced ? [{ message: `${saMisplaced.shown}, never read`, location: locationAt(r, saMisplaced.path, true) }] : []),
            ...(credential ? secretRelated(credential.def, `${credential.def.label} has credentials for ${registry}`) : []),
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
