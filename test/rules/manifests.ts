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
/** A chart's pre-install migration Job, its ServiceAccount and pull secret; `hook` annotations (or none) on the ServiceAccount and the Secret. */
export function hookedChart(jobAnnotations: string, saAnnotations = '', secretAnnotations = ''): string {
  return (
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: myapp\n  namespace: prod\n${saAnnotations}imagePullSecrets: [{name: regcred}]\n---\n` +
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: prod\n${secretAnnotations}type: kubernetes.io/dockerconfigjson\n` +
    `data: {.dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5hY21lLmlvIjp7ImF1dGgiOiJkWE5sY2pwd1lYTnoifX19}\n---\n` +
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: myapp-migrate\n  namespace: prod\n${jobAnnotations}spec:\n  template:\n    spec:\n      serviceAccountName: myapp\n      restartPolicy: Never\n` +
    `      containers: [{name: migrate, image: registry.acme.io/team/migrate:1.2.3}]\n`
  )
}

export const PRE_INSTALL = '  annotations: {"helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-weight": "0"}\n'
export const PRE_INSTALL_EARLIER = '  annotations: {"helm.sh/hook": "pre-install", "helm.sh/hook-weight": "-5"}\n'

/**
 * A chart whose pull secret (line 4) and ServiceAccount (line 15) are pre-install hooks deleted once
 * the hooks succeed, used by its Deployment (serviceAccountName value at 25:27, the secret's name at
 * 26:33) and by a pre-install Job, which has them.
 */
export const DELETED_HOOKS_CHART = `apiVersion: v1
kind: Secret
metadata:
  name: app-pull
  namespace: shop
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
type: kubernetes.io/dockerconfigjson
stringData: {.dockerconfigjson: '{"auths":{"ghcr.io":{"auth":"dTpnaHBfeA=="}}}'}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: shop
  annotations: {helm.sh/hook: pre-install, helm.sh/hook-delete-policy: hook-succeeded}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: app
      imagePullSecrets: [{name: app-pull}]
      containers: [{name: app, image: ghcr.io/acme/app:1.0}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop, annotations: {helm.sh/hook: pre-install}}
spec:
  template:
    spec:
      serviceAccountName: app
      imagePullSecrets: [{name: app-pull}]
      containers: [{name: migrate, image: ghcr.io/acme/app:1.0}]
`
