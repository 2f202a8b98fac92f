// auth-only-registry: an image on a registry that never allows anonymous pulls, with nothing configured for it.
import { ruleTester, yaml, type Case } from './tester.js'

/** A Pod pulling `image` (line 7, column 14). */
function pod(image: string): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: app}
    spec:
      containers:
        - name: web
          image: ${image}
  `
}

function fires(name: string, image: string): Case {
  return { name: `${name}: ${image}`, files: { 'pod.yaml': pod(image) }, errors: [{ line: 7, column: 14, endColumn: 14 + image.length, severity: 'warning' }] }
}

function silent(name: string, image: string): Case {
  return { name: `${name}: ${image}`, files: { 'pod.yaml': pod(image) } }
}

const ALL_AUTH_ONLY = ['*.dkr.ecr.*.amazonaws.com', '*.dkr.ecr.*.amazonaws.com.cn', '*.azurecr.io', '*-docker.pkg.dev']

ruleTester('auth-only-registry', {
  valid: [
    {
      // SPEC §3.4: a listed secret whose content is unknown is assumed to cover every image; the image is checked, and covered.
      name: 'in a pod that lists a secret of unknown content (an existing-secrets entry without registries)',
      files: { 'pod.yaml': pod('acmeshop.azurecr.io/search:1.8').replace('  containers:', '  imagePullSecrets: [{name: acr-cred}]\n  containers:') },
      options: { existingSecrets: [{ namespace: 'app', name: 'acr-cred', registries: [] }] },
    },
    { name: 'fixture: a pull secret for the registry, public look-alikes, imagePullPolicy Never', files: 'passes.yaml' },
    { name: 'fixture fires.yaml with node-credentials for the three clouds', files: 'fires.yaml', options: { nodeCredentials: ALL_AUTH_ONLY } },
    { name: 'fixture fires.yaml with private-registries (the images are then checked, not warned about)', files: 'fires.yaml', options: { privateRegistries: ALL_AUTH_ONLY } },
    {
      name: 'public-registries (an ACR with anonymous pull enabled)',
      files: { 'pod.yaml': pod('acmeshop.azurecr.io/search:1.8') },
      options: { publicRegistries: ['acmeshop.azurecr.io'] },
    },
    silent('ECR Public', 'public.ecr.aws/nginx/nginx:1.27'),
    silent('Container Registry (gcr.io) is not auth-only', 'gcr.io/acme/app:1'),
    silent('a host with one label too few is not private ECR', 'dkr.ecr.eu-west-1.amazonaws.com/app:1'),
    silent('*.azurecr.io matches one label only', 'a.b.azurecr.io/app:1'),
    silent('Docker Hub', 'acme/app:1'),
    {
      name: 'suppressed by a comment on the line before',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                # pullcheck-ignore auth-only-registry: the node role pulls from this account
                image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1
        `,
      },
      suppressed: [{ line: 8, column: 14 }],
    },
  ],
  invalid: [
    {
      name: 'fixture: private ECR, ECR in China, ACR, Artifact Registry',
      files: 'fires.yaml',
      errors: [
        {
          line: 18,
          column: 18,
          endLine: 18,
          endColumn: 75,
          severity: 'warning',
          message: /^container "api" of Deployment shop\/api in namespace shop pulls 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/shop\/api:2\.3 from 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com, a registry that requires authentication by default; add .* to node-credentials .* private-registries\.$/,
        },
        { line: 21, column: 18, endColumn: 79, message: 'amazonaws.com.cn' },
        { line: 24, column: 18, endColumn: 48, message: 'from acmeshop.azurecr.io' },
        { line: 27, column: 18, endColumn: 71, message: 'from europe-west1-docker.pkg.dev' },
      ],
    },
    {
      // A Docker Hub secret listed for rate limits does not make the ECR image an error: the node's identity may pull it.
      name: 'in a pod that lists a pull secret for another registry: still a warning, never registry-not-covered',
      files: {
        'pod.yaml': pod('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.3').replace('  containers:', '  imagePullSecrets: [{name: hub}]\n  containers:'),
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: hub, namespace: app}
          type: kubernetes.io/dockerconfigjson
          data: {.dockerconfigjson: eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsiYXV0aCI6IlpHVndiRzk1T21SamEzSmZjR0YwWDJGaVl3PT0ifX19}
        `,
      },
      errors: [{ line: 8, column: 14, file: 'pod.yaml', severity: 'warning', message: 'a registry that requires authentication by default; add' }],
    },
    fires('a multi-region Artifact Registry', 'us-docker.pkg.dev/acme/app/web:1'),
    fires('private ECR through a FIPS endpoint', '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/web:1'),
    fires('ACR in Azure Government', 'acmeshop.azurecr.us/search:1.8'),
    fires('ACR in Azure China', 'acmeshop.azurecr.cn/search:1.8'),
    fires('ECR by digest', '123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:4c1e7c1a7d9f0b2e8a6c3d5f7b9e1a3c5d7f9b1e3a5c7d9f1b3e5a7c9d1f3b5e'),
    {
      name: 'node-credentials for another cloud do not cover it',
      files: { 'pod.yaml': pod('acmeshop.azurecr.io/search:1.8') },
      options: { nodeCredentials: ['*.dkr.ecr.*.amazonaws.com'] },
      errors: [{ line: 7, column: 14 }],
    },
    {
      name: 'a pull secret for another ECR account does not make this one private',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: ecr-other, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"999999999999.dkr.ecr.us-east-1.amazonaws.com": {"auth": "QVdTOnRva2Vu"}}}'
        `,
        'pod.yaml': pod('123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1'),
      },
      errors: [{ line: 7, column: 14, file: 'pod.yaml' }],
    },
    {
      name: 'the rules option raises it to error',
      files: { 'pod.yaml': pod('acmeshop.azurecr.io/search:1.8') },
      options: { rules: { 'auth-only-registry': 'error' } },
      errors: [{ line: 7, column: 14, severity: 'error' }],
    },
  ],
})
