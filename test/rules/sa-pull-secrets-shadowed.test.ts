// sa-pull-secrets-shadowed: the pod's own list replaces its ServiceAccount's, which would have covered the image.
import { ruleTester, yaml } from './tester.js'

function secret(name: string, key: string): string {
  return yaml`
    apiVersion: v1
    kind: Secret
    metadata: {name: ${name}, namespace: app}
    type: kubernetes.io/dockerconfigjson
    stringData:
  ` + `  .dockerconfigjson: '{"auths": {"${key}": {"auth": "YWNtZTpzM2NyZXQ="}}}'\n`
}

const SECRETS = { 'ghcr.yaml': secret('ghcr-pull', 'ghcr.io'), 'quay.yaml': secret('quay-pull', 'quay.io') }

/** ServiceAccount app/`name` listing ghcr-pull. */
function serviceAccount(name = 'runner', list = '[{name: ghcr-pull}]'): string {
  return yaml`
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: ${name}, namespace: app}
    imagePullSecrets: ${list}
  `
}

/** A Pod of ServiceAccount runner listing `podList`; the first container's image is on line 8, column 14. */
function pod(podList: string, image = 'ghcr.io/acme/web:1.0', extra = ''): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: app}
    spec:
      serviceAccountName: runner
      imagePullSecrets: ${podList}
      containers:
        - {name: web, image: ${image}}
  ` + extra
}

ruleTester('sa-pull-secrets-shadowed', {
  valid: [
    {
      name: 'a pod list the API server rejects (a bare string) shadows nothing: the Pod is never created',
      files: { ...SECRETS, 'sa.yaml': serviceAccount(), 'pod.yaml': pod('[ghcr-pull]') },
    },
    { name: 'fixture: the pod lists both secrets, or none', files: 'passes.yaml' },
    {
      name: "the ServiceAccount's list would not cover the image either (registry-not-covered)",
      files: { ...SECRETS, 'sa.yaml': serviceAccount('runner', '[{name: quay-pull}]'), 'pod.yaml': pod('[{name: quay-pull}]') },
    },
    {
      name: "the ServiceAccount's secret does not exist, so it would not have covered anything",
      files: { 'quay.yaml': SECRETS['quay.yaml'], 'sa.yaml': serviceAccount(), 'pod.yaml': pod('[{name: quay-pull}]') },
    },
    {
      name: "the ServiceAccount's secret has the wrong type, so it would not have covered anything",
      files: {
        ...SECRETS,
        'ghcr.yaml': SECRETS['ghcr.yaml'].replace('kubernetes.io/dockerconfigjson', 'Opaque'),
        'sa.yaml': serviceAccount(),
        'pod.yaml': pod('[{name: quay-pull}]'),
      },
    },
    {
      name: "the pod's own list covers the image with another secret for the same registry",
      files: { ...SECRETS, 'ghcr2.yaml': secret('ghcr-ci', 'ghcr.io/acme'), 'sa.yaml': serviceAccount(), 'pod.yaml': pod('[{name: ghcr-ci}]') },
    },
    {
      name: 'imagePullPolicy Never: not pulled',
      files: { ...SECRETS, 'sa.yaml': serviceAccount(), 'pod.yaml': pod('[{name: quay-pull}]', 'ghcr.io/acme/web:1.0, imagePullPolicy: Never') },
    },
    {
      name: 'a missing ServiceAccount is service-account-not-found',
      files: { ...SECRETS, 'pod.yaml': pod('[{name: quay-pull}]') },
    },
    {
      name: 'suppressed by the annotation on the workload',
      files: {
        ...SECRETS,
        'sa.yaml': serviceAccount(),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: app
            annotations: {pullcheck.dev/ignore: "sa-pull-secrets-shadowed: the admission webhook merges the lists"}
          spec:
            serviceAccountName: runner
            imagePullSecrets: [{name: quay-pull}]
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      suppressed: [{ line: 11, column: 26, file: 'pod.yaml' }],
    },
  ],
  invalid: [
    {
      // The ServiceAccount's own Docker Hub secret (hub2) covers the image the pod's hub does: removing the pod's list loses nothing.
      name: "when the ServiceAccount's list covers the pod's other images too, removing the pod's list is offered",
      files: {
        'm.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: ghcr, namespace: t}
          type: kubernetes.io/dockerconfigjson
          stringData: {.dockerconfigjson: '{"auths":{"ghcr.io":{"username":"u","password":"ghp_x"}}}'}
          ---
          apiVersion: v1
          kind: Secret
          metadata: {name: hub, namespace: t}
          type: kubernetes.io/dockerconfigjson
          stringData: {.dockerconfigjson: '{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"dckr_pat_x"}}}'}
          ---
          apiVersion: v1
          kind: Secret
          metadata: {name: hub2, namespace: t}
          type: kubernetes.io/dockerconfigjson
          stringData: {.dockerconfigjson: '{"auths":{"docker.io":{"username":"u","password":"dckr_pat_y"}}}'}
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: app, namespace: t}
          imagePullSecrets: [{name: ghcr}, {name: hub2}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: p, namespace: t}
          spec:
            serviceAccountName: app
            imagePullSecrets: [{name: hub}]
            containers:
              - {name: c, image: ghcr.io/acme/a:1}
              - {name: e, image: acme/private:1}
        `,
      },
      errors: [{ line: 31, column: 24, message: "add ghcr to the pod's imagePullSecrets or remove the pod's list." }],
    },
    {
      // Removing the pod's list gives the pod the ServiceAccount's: the Docker Hub image would lose hub.
      name: "when the pod's list covers another image the ServiceAccount's does not, removing it is not offered",
      files: {
        'm.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: ghcr, namespace: t}
          type: kubernetes.io/dockerconfigjson
          stringData: {.dockerconfigjson: '{"auths":{"ghcr.io":{"username":"u","password":"ghp_x"}}}'}
          ---
          apiVersion: v1
          kind: Secret
          metadata: {name: hub, namespace: t}
          type: kubernetes.io/dockerconfigjson
          stringData: {.dockerconfigjson: '{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"dckr_pat_x"}}}'}
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: app, namespace: t}
          imagePullSecrets: [{name: ghcr}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: p, namespace: t}
          spec:
            serviceAccountName: app
            imagePullSecrets: [{name: hub}]
            containers:
              - {name: c, image: ghcr.io/acme/a:1}
              - {name: e, image: acme/private:1}
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: q, namespace: t}
          spec:
            serviceAccountName: app
            imagePullSecrets: [{name: hub}]
            containers:
              - {name: c, image: ghcr.io/acme/a:1}
        `,
      },
      errors: [
        { line: 25, column: 24, message: "add ghcr to the pod's imagePullSecrets (removing the pod's list would lose hub, which acme/private:1 is pulled with)." },
        { line: 35, column: 24, message: "add ghcr to the pod's imagePullSecrets or remove the pod's list." },
      ],
    },
    {
      name: 'fixture: one secret on the pod, an empty name on the pod',
      files: 'fires.yaml',
      errors: [
        {
          line: 48,
          column: 18,
          endLine: 48,
          endColumn: 40,
          severity: 'error',
          message: /^container "api" of Deployment shop\/api in namespace shop pulls ghcr\.io\/acme\/api:2\.0\.1, which ServiceAccount app's pull secret ghcr-pull would cover, but the pod's own imagePullSecrets \(dockerhub-pull\) replace the ServiceAccount's list; add ghcr-pull to the pod's imagePullSecrets \(removing the pod's list would lose dockerhub-pull, which acme\/proxy:1\.4 is pulled with\)\.$/,
        },
        { line: 67, column: 18, endColumn: 40, message: 'Job shop/migrate' },
      ],
    },
    {
      name: 'the pod list names another registry',
      files: { ...SECRETS, 'sa.yaml': serviceAccount(), 'pod.yaml': pod('[{name: quay-pull}]') },
      errors: [{ line: 8, column: 26, endColumn: 46, file: 'pod.yaml', message: "ServiceAccount runner's pull secret ghcr-pull would cover" }],
    },
    {
      name: "the pod list names a missing secret: the ServiceAccount's is still shadowed",
      files: { ...SECRETS, 'sa.yaml': serviceAccount(), 'pod.yaml': pod('[{name: typo}]') },
      errors: [{ line: 8, column: 26, file: 'pod.yaml' }],
    },
    {
      name: 'the declared default ServiceAccount is shadowed too',
      files: {
        ...SECRETS,
        'sa.yaml': serviceAccount('default'),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: quay-pull}]
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      errors: [{ line: 7, column: 26, file: 'pod.yaml', message: "ServiceAccount default's pull secret ghcr-pull" }],
    },
    {
      name: 'a ServiceAccount secret of unknown content is assumed to cover the image',
      files: {
        'quay.yaml': SECRETS['quay.yaml'],
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: {name: ghcr-pull, namespace: app}
          spec:
            encryptedData: {.dockerconfigjson: AgBy3i4OJSWK+PiTySYZZA==}
            template: {type: kubernetes.io/dockerconfigjson}
        `,
        'sa.yaml': serviceAccount(),
        'pod.yaml': pod('[{name: quay-pull}]', 'ghcr.io/acme/web:1.0'),
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 8, column: 26, file: 'pod.yaml' }],
    },
    {
      name: 'an image volume and an init container',
      files: {
        ...SECRETS,
        'sa.yaml': serviceAccount(),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            serviceAccountName: runner
            imagePullSecrets: [{name: quay-pull}]
            initContainers:
              - name: init
                image: ghcr.io/acme/init:1
            containers:
              - {name: web, image: quay.io/acme/web:1.0}
            volumes:
              - name: model
                image:
                  reference: ghcr.io/acme/model:4
        `,
      },
      errors: [
        { line: 9, column: 14, file: 'pod.yaml', message: 'init container "init"' },
        { line: 15, column: 20, file: 'pod.yaml', message: 'image volume "model"' },
      ],
    },
  ],
})
