// unused-pull-secret: a docker-config secret that no pod and no ServiceAccount references.
import { ruleTester, yaml } from './tester.js'

/** Secret `namespace`/regcred (dockerconfigjson); metadata.name's value is on line 5, column 9. */
function secret(namespace = 'app', annotations = ''): string {
  return (
    yaml`
      apiVersion: v1
      kind: Secret
      metadata:
        namespace: ${namespace}
        name: regcred
    ` +
    annotations +
    yaml`
      type: kubernetes.io/dockerconfigjson
      stringData:
        .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
    `
  )
}

/** ServiceAccount app/builder with one more line (`line`, YAML) after its metadata. */
function builder(line: string): string {
  return yaml`
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: builder, namespace: app}
  ` + `${line}\n`
}

/** Pod app/web whose imagePullSecrets name `secretName`. */
function podReferencing(secretName: string): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: app}
    spec:
      imagePullSecrets: [{name: ${secretName}}]
      containers: [{name: web, image: ghcr.io/acme/web:1}]
  `
}

ruleTester('unused-pull-secret', {
  valid: [
    { name: 'fixture: referenced by a pod, a ServiceAccount, a custom resource; an Opaque secret', files: 'passes.yaml' },
    {
      // The API server refuses them, so they never exist: nothing to reference (an identity audit).
      name: 'a pull secret without a name, or with an invalid one',
      files: { 'a.yaml': secret().replace('  name: regcred\n', '') + '---\n' + secret().replace('name: regcred', 'name: RegCred') },
    },
    {
      name: 'referenced by an Argo Workflow (spec.imagePullSecrets of a custom resource)',
      files: {
        'secret.yaml': secret(),
        'wf.yaml': yaml`
          apiVersion: argoproj.io/v1alpha1
          kind: Workflow
          metadata: {generateName: build-, namespace: app}
          spec:
            entrypoint: main
            imagePullSecrets: [{name: regcred}]
            templates: [{name: main, container: {image: ghcr.io/acme/builder:1}}]
        `,
      },
    },
    {
      name: 'referenced through the deprecated serviceAccount field',
      files: {
        'secret.yaml': secret(),
        'sa.yaml': builder('imagePullSecrets: [{name: regcred}]'),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            serviceAccount: builder
            containers: [{name: web, image: ghcr.io/acme/web:1}]
        `,
      },
    },
    {
      name: 'a reflected secret referenced by name in the namespaces it is copied to',
      files: {
        'secret.yaml': secret(
          'platform',
          '  annotations:\n' +
            '    reflector.v1.k8s.emberstack.com/reflection-allowed: "true"\n' +
            '    reflector.v1.k8s.emberstack.com/reflection-auto-enabled: "true"\n',
        ),
        'pod.yaml': podReferencing('regcred'),
      },
    },
    {
      name: 'existing-secrets are not in the manifests, so never reported',
      files: {},
      options: { existingSecrets: [{ namespace: 'app', name: 'regcred', registries: [] }] },
    },
    {
      name: 'an Opaque secret holding .dockerconfigjson is not a pull secret (pull-secret-wrong-type covers its users)',
      files: { 'secret.yaml': secret().replace('kubernetes.io/dockerconfigjson', 'Opaque') },
    },
    {
      name: 'turned off by the rules option',
      files: { 'secret.yaml': secret() },
      options: { rules: { 'unused-pull-secret': 'off' } },
    },
    {
      name: 'suppressed by the annotation with a reason',
      files: { 'secret.yaml': secret('app', '  annotations:\n    pullcheck.dev/ignore: "unused-pull-secret: used by the nightly build cluster"\n') },
      suppressed: [{ line: 5, column: 9 }],
    },
  ],
  invalid: [
    {
      name: 'a reference to a missing secret with a close name: the message asks whether it is a misspelling, and points at it',
      files: {
        'secret.yaml': secret(),
        'pod.yaml': podReferencing('regcerd'),
      },
      errors: [
        {
          file: 'secret.yaml',
          line: 5,
          column: 9,
          message:
            'Secret app/regcred (kubernetes.io/dockerconfigjson) is referenced by no pod and no ServiceAccount in namespace app; Pod app/web references "regcerd", which does not exist: a misspelling of this name?',
        },
      ],
    },
    {
      name: "named only by a ServiceAccount's secrets (mountable secrets): the message says where, and to move it",
      files: {
        'secret.yaml': secret(),
        'sa.yaml': builder('secrets: [{name: regcred}]'),
      },
      errors: [
        {
          file: 'secret.yaml',
          line: 5,
          column: 9,
          message:
            'Secret app/regcred (kubernetes.io/dockerconfigjson) is referenced by no pod and no ServiceAccount in namespace app, only where Kubernetes never reads it (secrets of ServiceAccount app/builder); move that reference where Kubernetes reads it.',
        },
      ],
    },
    {
      name: 'named only by lists Kubernetes never reads, in four places: three are named, then a count',
      files: {
        'secret.yaml': secret(),
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: regcred}]
            template:
              imagePullSecrets: [regcred]
              spec:
                imagePullSecret: {name: regcred}
                containers:
                  - name: web
                    image: ghcr.io/acme/web:1.0
                    imagePullSecrets: [{name: regcred}]
        `,
      },
      errors: [
        {
          file: 'secret.yaml',
          line: 5,
          column: 9,
          message:
            'in namespace app, only where Kubernetes never reads it (spec.imagePullSecrets of Deployment app/web, spec.template.imagePullSecrets of Deployment app/web, spec.template.spec.imagePullSecret of Deployment app/web, 1 more); move those references where Kubernetes reads them.',
        },
      ],
    },
    {
      name: 'a misplaced list in another namespace, or naming another secret, is not mentioned',
      files: {
        'secret.yaml': secret(),
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web, namespace: other}
          spec:
            imagePullSecrets: [{name: regcred}]
            template:
              spec:
                imagePullSecret: [{name: regcred2}]
                containers:
                  - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      errors: [{ file: 'secret.yaml', line: 5, column: 9, message: 'is referenced by no pod and no ServiceAccount in namespace app; reference it where it is needed or delete it.' }],
    },
    {
      name: 'fixture: unreferenced, legacy type, referenced from another namespace, SealedSecret, ExternalSecret target',
      files: 'fires.yaml',
      errors: [
        {
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 21,
          severity: 'notice',
          message: /^Secret shop\/old-registry \(kubernetes\.io\/dockerconfigjson\) is referenced by no pod and no ServiceAccount in namespace shop; reference it where it is needed or delete it\.$/,
        },
        { line: 16, column: 9, endColumn: 19, message: 'Secret shop/hub-legacy (kubernetes.io/dockercfg)' },
        { line: 26, column: 9, endColumn: 18, message: 'Secret platform/ghcr-pull' },
        { line: 48, column: 9, endColumn: 18, message: 'SealedSecret shop/quay-pull' },
        { line: 65, column: 11, endColumn: 22, message: "ExternalSecret shop/gitlab-sync's Secret gitlab-pull (kubernetes.io/dockerconfigjson) is referenced" },
      ],
    },
    {
      name: 'metadata.name is blamed wherever it is written',
      files: { 'secret.yaml': secret() },
      errors: [{ line: 5, column: 9, endColumn: 16 }],
    },
    {
      name: 'a JSON manifest',
      files: {
        'secret.json': '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "regcred", "namespace": "app"}, "type": "kubernetes.io/dockercfg", "data": {}}\n',
      },
      errors: [{ line: 1, column: 61, endColumn: 70 }],
    },
    {
      name: 'an annotation without a reason does not suppress',
      files: { 'secret.yaml': secret('app', '  annotations:\n    pullcheck.dev/ignore: "unused-pull-secret"\n') },
      errors: [{ line: 5, column: 9, message: 'gives no reason' }],
    },
  ],
})
