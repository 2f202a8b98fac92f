// Manifests that several rule tests share, written once.
import { yaml } from './tester.js'

/** Secret app/ghcr-pull: a dockerconfigjson with a key for ghcr.io. */
export const GHCR_SECRET = yaml`
  apiVersion: v1
  kind: Secret
  metadata: {name: ghcr-pull, namespace: app}
  type: kubernetes.io/dockerconfigjson
  stringData:
    .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
`

/** ServiceAccount app/default with `body` (its own lines, YAML, from line 4) after the metadata. */
export function defaultServiceAccount(body: string): string {
  return yaml`
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: default, namespace: app}
  ` + body
}
