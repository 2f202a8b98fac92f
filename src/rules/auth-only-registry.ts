// auth-only-registry: an image on a registry that never serves anonymous pulls, with nothing configured for it.
import type { Rule } from './types.js'
import { containerLabel, imageLocation, registryOf } from './util.js'

export const authOnlyRegistry: Rule = {
  meta: {
    id: 'auth-only-registry',
    severity: 'warning',
    description: 'An image on a registry that requires authentication by default (ECR, ACR, Artifact Registry) is not covered by node-credentials, public-registries or private-registries.',
    rationale:
      'Private ECR, Azure Container Registry and Artifact Registry never allow anonymous pulls. Nodes often pull them with their own identity (ECR node role, AKS kubelet identity, GKE service account), which pullcheck cannot see; otherwise the pod needs a pull secret.',
    remediation: 'Add the registry to node-credentials when the nodes pull it with their own identity, or to private-registries and give the pod a pull secret.',
    example: `containers:
  - name: api
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2.3`,
  },
  *check({ resolution }) {
    for (const pod of resolution.pods) {
      for (const img of pod.images) {
        if (img.status !== 'auth-only') continue
        const r = pod.pod.resource
        const reg = registryOf(img)
        yield {
          message: `${containerLabel(img)} in namespace ${pod.pod.namespace} pulls ${img.image} from ${reg}, a registry that requires authentication by default; add ${reg} to node-credentials if the nodes pull it with their own identity, or give the pod a pull secret and list it in private-registries.`,
          fix: `Configure ${reg} as node-credentials or private-registries.`,
          location: imageLocation(r, img.use),
          resource: r,
          related: [],
          container: img.use.name,
          image: img.image,
          pods: [pod],
          key: `${img.use.slot}/${img.use.name}`,
        }
      }
    }
  },
}
