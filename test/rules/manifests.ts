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

/** Secret app/regcred in namespace platform (ghcr.io), and a copy of it in app that kubernetes-replicator fills (`copy` is its type and data lines). */
export function replicated(copy: string): Record<string, string> {
  return {
    'source.yaml': yaml`
      apiVersion: v1
      kind: Secret
      metadata:
        name: regcred
        namespace: platform
        annotations:
          replicator.v1.mittwald.de/replication-allowed: "true"
          replicator.v1.mittwald.de/replication-allowed-namespaces: app,team-.*
      type: kubernetes.io/dockerconfigjson
      stringData:
        .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
    `,
    'copy.yaml':
      yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: regcred
          namespace: app
          annotations:
            replicator.v1.mittwald.de/replicate-from: platform/regcred
      ` + copy,
  }
}
