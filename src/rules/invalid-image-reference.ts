// invalid-image-reference: the kubelet cannot parse the image (InvalidImageName).
import type { Rule } from './types.js'
import { containerLabel, imageLocation } from './util.js'

export const invalidImageReference: Rule = {
  meta: {
    id: 'invalid-image-reference',
    severity: 'error',
    description: 'The image string is not a valid reference.',
    rationale:
      'The API server accepts any non-empty image string, but the kubelet parses it with distribution/reference ParseNormalizedNamed before pulling and fails the container with InvalidImageName.',
    remediation: 'Write the image as [registry[:port]/]path[:tag][@sha256:<64 hex>], with a lowercase path.',
    example: `containers:
  - name: app
    image: ghcr.io/Acme/App:1.0   # uppercase path: InvalidImageName`,
  },
  *check({ resolution }) {
    for (const pod of resolution.pods) {
      for (const img of pod.images) {
        if (img.status !== 'invalid') continue
        const r = pod.pod.resource
        const shown = typeof img.use.image === 'string' ? `image ${JSON.stringify(img.use.image)}` : 'its image'
        yield {
          message: img.apiRejects
            ? img.use.image === undefined || img.use.image === null || img.use.image === ''
              ? `${containerLabel(img)} in namespace ${pod.pod.namespace}: ${img.invalidReason}; the API server rejects the object (image: Required value), so set the image.`
              : `${containerLabel(img)} in namespace ${pod.pod.namespace}: ${img.invalidReason}; the API server cannot decode the object (an image is a string), so write the image as one.`
            : `${containerLabel(img)} in namespace ${pod.pod.namespace}: ${shown} is not a valid image reference (${img.invalidReason}); the kubelet fails it with InvalidImageName, so fix the reference.`,
          fix: 'Write the image as [registry[:port]/]path[:tag][@digest] with a lowercase path.',
          location: imageLocation(r, img.use),
          resource: r,
          related: [],
          container: img.use.name,
          image: typeof img.use.image === 'string' ? img.use.image : '',
          pods: [pod],
          key: `${img.use.slot}/${img.use.name}`,
        }
      }
    }
  },
}
