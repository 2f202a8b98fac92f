// pull-secret-ref-extra-field: fields other than `name` on an imagePullSecrets entry are dropped.
import { defaultServiceAccount, GHCR_SECRET } from './manifests.js'
import { ruleTester, yaml } from './tester.js'

/** A Pod in namespace app with the given imagePullSecrets lines (from line 6, 4-space indented). */
function pod(lines: string): string {
  return (
    yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: app}
      spec:
        imagePullSecrets:
    ` +
    lines +
    yaml`
      containers:
        - {name: web, image: ghcr.io/acme/web:1.0}
    `.replace(/^/gm, '  ').replace(/ +$/, '')
  )
}

ruleTester('pull-secret-ref-extra-field', {
  valid: [
    { name: 'fixture: name only, block and flow style, pod and ServiceAccount', files: 'passes.yaml' },
    {
      name: "an extra field in a ServiceAccount entry whose list no pod uses",
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('imagePullSecrets: [{name: ghcr-pull, namespace: platform}]\n'),
        'pod.yaml': pod('    - name: ghcr-pull\n'),
      },
    },
    {
      name: 'suppressed by the annotation on the workload',
      files: {
        'secret.yaml': GHCR_SECRET,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: app
            annotations:
              pullcheck.dev/ignore: "pull-secret-ref-extra-field: kept for the in-house admission webhook"
          spec:
            imagePullSecrets:
              - name: ghcr-pull
                namespace: app
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      suppressed: [{ line: 10, column: 13, file: 'pod.yaml' }],
    },
  ],
  invalid: [
    {
      name: 'fixture: namespace:, two fields in flow style, a ServiceAccount entry',
      files: 'fires.yaml',
      errors: [
        {
          line: 26,
          column: 17,
          endLine: 26,
          endColumn: 26,
          severity: 'warning',
          message: /^Deployment shop\/api gives pull secret reference "ghcr-pull" a "namespace" field .*the Secret is read from namespace shop; remove "namespace"\.$/,
        },
        { line: 39, column: 29, endColumn: 38, message: '"kind" field' },
        { line: 39, column: 29, endColumn: 38, message: '"namespace" field' },
        { line: 51, column: 11, endColumn: 20, message: /^ServiceAccount shop\/batch .*"key" field \(used by Job shop\/export\)/ },
      ],
    },
    {
      name: 'the field comes first: the finding is still on the name',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('    - namespace: platform\n      name: ghcr-pull\n') },
      errors: [{ line: 7, column: 13, endColumn: 22, file: 'pod.yaml', message: '"namespace"' }],
    },
    {
      name: 'an entry with no name: the finding is on the entry',
      files: { 'pod.yaml': pod('    - namespace: platform\n') },
      errors: [{ line: 6, column: 7, message: 'reference "" a "namespace" field' }],
    },
    {
      name: 'reported even when the secret exists in the pod namespace',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('    - {name: ghcr-pull, optional: true}\n') },
      errors: [{ line: 6, column: 14, file: 'pod.yaml', message: '"optional"' }],
    },
    {
      name: 'a JSON manifest',
      files: {
        'pod.json': yaml`
          {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "app"},
            "spec": {
              "imagePullSecrets": [{"name": "regcred", "namespace": "platform"}],
              "containers": [{"name": "web", "image": "ghcr.io/acme/web:1.0"}]
            }
          }
        `,
      },
      errors: [{ line: 6, column: 35, endColumn: 44 }],
    },
  ],
})
