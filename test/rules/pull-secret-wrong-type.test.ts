// pull-secret-wrong-type: the secret exists, but MakeDockerKeyring skips it because of its type.
import { GHCR_SECRET, replicated } from './manifests.js'
import { ruleTester, yaml } from './tester.js'

/** A Pod in namespace app listing `regcred`; the name value is on line 6, column 13. */
const POD_REGCRED = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: app}
  spec:
    imagePullSecrets:
      - name: regcred
    containers:
      - name: web
        image: ghcr.io/acme/web:1.0
`

const CONFIG_JSON = `'{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'`

function regcred(type: string, key = '.dockerconfigjson', value = CONFIG_JSON): string {
  return yaml`
    apiVersion: v1
    kind: Secret
    metadata: {name: regcred, namespace: app}
    type: ${type}
    stringData:
      ${key}: ${value}
  `
}


const SEALED_PAIR = (annotation: string) =>
  'apiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: shop' + annotation + '}\ntype: Opaque\ndata: {token: YWJj}\n---\n' +
  'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: regcred, namespace: shop}\nspec:\n  encryptedData: {.dockerconfigjson: AgBy3i4OJSWK}\n  template: {type: kubernetes.io/dockerconfigjson}\n---\n' +
  'apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: api, image: ghcr.io/acme/api:1.0}]\n'

ruleTester('pull-secret-wrong-type', {
  valid: [
    {
      // The controller takes over a Secret that asks for it.
      name: 'a v1 Secret annotated sealedsecrets.bitnami.com/managed beside a SealedSecret of its name: the SealedSecret makes it',
      files: { 'a.yaml': SEALED_PAIR(', annotations: {sealedsecrets.bitnami.com/managed: "true"}') },
    },
    { name: 'fixture: docker types with agreeing keys, SealedSecret and ExternalSecret templates typed', files: 'passes.yaml' },
    {
      name: 'a dockerconfigjson secret that also carries a .dockercfg key is still used',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': regcred('kubernetes.io/dockerconfigjson') + `  .dockercfg: '{"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}'\n`,
      },
    },
    {
      name: 'an ExternalSecret whose template is typed and names the .dockerconfigjson key',
      files: {
        'pod.yaml': POD_REGCRED,
        'es.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ExternalSecret
          metadata: {name: regcred, namespace: app}
          spec:
            target:
              template:
                type: kubernetes.io/dockerconfigjson
                data:
                  .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "{{ .token | b64enc }}"}}}'
        `,
      },
    },
    {
      name: 'a wrongly typed secret that no pod uses is not reported here',
      files: {
        'secret.yaml': regcred('Opaque'),
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: idle, namespace: app}
          imagePullSecrets: [{name: regcred}]
        `,
      },
    },
    {
      name: 'suppressed by a comment on the line before the name',
      files: {
        'secret.yaml': regcred('Opaque'),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets:
              # pullcheck-ignore pull-secret-wrong-type: a mutating webhook retypes it on admission
              - name: regcred
            containers:
              - name: web
                image: ghcr.io/acme/web:1.0
        `,
      },
      suppressed: [{ line: 7, column: 13, file: 'pod.yaml' }],
    },
  ],
  invalid: [
    {
      // sealed-secrets: "already exists and is not managed by SealedSecret" (an identity audit).
      name: 'an Opaque v1 Secret beside a SealedSecret of its name: the controller leaves the v1 Secret, which the kubelet ignores',
      files: { 'a.yaml': SEALED_PAIR('') },
      errors: [{ line: 18, column: 29, message: /^Pod shop\/api references pull secret "regcred" \(used by Pod shop\/api\), but the kubelet ignores Secret shop\/regcred because its type is Opaque/ }],
    },
    {
      // MakeDockerKeyring skips it silently; another secret covers the image, so the pod still pulls.
      name: 'a warning when another secret still covers every image',
      files: {
        'pod.yaml': POD_REGCRED.replace(/( *)- name: regcred\n/, '$1- name: regcred\n$1- name: good\n'),
        'secret.yaml': regcred('Opaque') + '---\n' + regcred('kubernetes.io/dockerconfigjson').replace('name: regcred', 'name: good'),
      },
      errors: [
        {
          line: 6,
          column: 13,
          endColumn: 20,
          file: 'pod.yaml',
          severity: 'warning',
          message: /^Pod app\/web references pull secret "regcred" \(used by Pod app\/web\), but the kubelet ignores Secret app\/regcred because .*; the pod still pulls \(the other secrets still cover every image\); set type kubernetes\.io\/dockerconfigjson with a \.dockerconfigjson key\.$/,
        },
      ],
    },
    {
      // The other secret is usable but covers ghcr.io only: the quay.io image is unclassified, and may need the ignored one.
      name: 'an error when another secret is usable but an image is unclassified',
      files: {
        'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: app}\nimagePullSecrets: [{name: regcred}, {name: ghcr-pull}]\n',
        'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: app}\nspec:\n  containers: [{name: web, image: quay.io/acme/web:1.0}]\n',
        'secret.yaml': regcred('Opaque') + '---\n' + GHCR_SECRET,
      },
      errors: [{ line: 4, column: 27, file: 'sa.yaml', severity: 'error', message: /because its type is Opaque.*; set type kubernetes\.io\/dockerconfigjson/ }],
    },
    {
      // The copy never exists (ValidateSecret), so what the replicator would or would not copy does not matter.
      name: 'a replicate-from copy whose own type and key disagree: the API server rejects it, and the fix is its type',
      files: {
        'pod.yaml': POD_REGCRED,
        'source.yaml': regcred('kubernetes.io/dockerconfigjson').replace('namespace: app', 'namespace: infra'),
        'copy.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: app\n  annotations:\n    replicator.v1.mittwald.de/replicate-from: infra/regcred\ntype: kubernetes.io/dockercfg\ndata:\n  .dockerconfigjson: e30=\n',
      },
      errors: [
        {
          file: 'pod.yaml',
          line: 6,
          column: 13,
          message: 'but the API server rejects Secret app/regcred, so it never exists, because its type is kubernetes.io/dockercfg but its data key is .dockerconfigjson; the type needs the key .dockercfg; its image ghcr.io/acme/web:1.0 is pulled without it; set type kubernetes.io/dockerconfigjson with a .dockerconfigjson key.',
        },
      ],
    },
    {
      // ESO makes an Opaque Secret unless the target template says otherwise.
      name: 'an ExternalSecret without a template type: the fix is in its target template',
      files: {
        'pod.yaml': POD_REGCRED,
        'es.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ExternalSecret
          metadata: {name: regcred, namespace: app}
          spec:
            secretStoreRef: {name: vault, kind: ClusterSecretStore}
            target: {name: regcred}
        `,
      },
      errors: [
        {
          line: 6,
          column: 13,
          endColumn: 20,
          file: 'pod.yaml',
          message:
            'Pod app/web references pull secret "regcred" (used by Pod app/web), but the kubelet ignores the Secret that ExternalSecret app/regcred makes because its type is Opaque, and the kubelet only uses secrets of type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg; its image ghcr.io/acme/web:1.0 is pulled without it; set the target template\'s type kubernetes.io/dockerconfigjson (spec.target.template.type) with a .dockerconfigjson key in its data.',
        },
      ],
    },
    {
      name: 'an error when the ignored secret was the one for the image',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': regcred('Opaque') },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', severity: 'error', message: /because .*; set type kubernetes\.io\/dockerconfigjson/ }],
    },
    {
      name: 'fixture: Opaque, untyped, dockercfg/.dockerconfigjson, dockerconfigjson/.dockercfg, basic-auth, SealedSecret and ExternalSecret without a type',
      files: 'fires.yaml',
      errors: [
        {
          line: 67,
          column: 17,
          endLine: 67,
          endColumn: 28,
          severity: 'error',
          message: /^Deployment shop\/api references pull secret "opaque-cred" .*Secret shop\/opaque-cred because its type is Opaque even though it holds a \.dockerconfigjson key.*set type kubernetes\.io\/dockerconfigjson/,
        },
        { line: 68, column: 17, endColumn: 29, message: 'its type is Opaque' },
        // ValidateSecret requires the type's key: these two never exist.
        { line: 69, column: 17, endColumn: 28, message: /so it never exists, because its type is kubernetes\.io\/dockercfg but its data key is \.dockerconfigjson/ },
        { line: 70, column: 17, endColumn: 29, message: /but the API server rejects Secret shop\/[a-z-]+, so it never exists, because its type is kubernetes\.io\/dockerconfigjson but its data key is \.dockercfg/ },
        { line: 71, column: 17, endColumn: 27, message: /the kubelet ignores Secret shop\/[a-z-]+ because its type is kubernetes\.io\/basic-auth/ },
        { line: 106, column: 11, endColumn: 22, message: /^ServiceAccount shop\/worker .*the Secret that SealedSecret shop\/sealed-cred makes because its type is Opaque/ },
        { line: 107, column: 11, endColumn: 24, message: 'the Secret that ExternalSecret shop/external-cred makes because its type is Opaque' },
      ],
    },
    {
      // kubernetes-replicator copies the data only; a Secret's type cannot change.
      name: 'a replica declared without a type stays Opaque, whatever the type of its source',
      files: { 'pod.yaml': POD_REGCRED, ...replicated('data: {}\n') },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', message: /the kubelet ignores Secret app\/regcred because its type is Opaque even though it holds a \.dockerconfigjson key/ }],
    },
    {
      // Reflector's auto-reflection skips a same-named Secret that is not its reflection, and
      // kubernetes-replicator keeps the type of one that exists.
      name: 'a Secret declared in the namespace is not replaced by a copy pushed there',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': regcred('Opaque'),
        'source.yaml': regcred('kubernetes.io/dockerconfigjson').replace('namespace: app}', 'namespace: platform, annotations: {replicator.v1.mittwald.de/replicate-to: app}}'),
      },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', message: /the kubelet ignores Secret app\/regcred because its type is Opaque/ }],
    },
    {
      name: 'the type is case-sensitive',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': regcred('kubernetes.io/DockerConfigJson') },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'its type is kubernetes.io/DockerConfigJson' }],
    },
    {
      name: 'a dockercfg secret holding a .dockerconfigjson document under the .dockerconfigjson key',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': regcred('kubernetes.io/dockercfg') },
      errors: [{ line: 6, column: 13, file: 'pod.yaml' }],
    },
    {
      name: 'a SealedSecret whose template says Opaque',
      files: {
        'pod.yaml': POD_REGCRED,
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: {name: regcred, namespace: app}
          spec:
            encryptedData: {.dockerconfigjson: AgBy3i4OJSWK+PiTySYZZA==}
            template: {type: Opaque}
        `,
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'SealedSecret app/regcred' }],
    },
    {
      name: 'an ExternalSecret typed dockercfg whose template writes .dockerconfigjson',
      files: {
        'pod.yaml': POD_REGCRED,
        'es.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ExternalSecret
          metadata: {name: regcred, namespace: app}
          spec:
            target:
              template:
                type: kubernetes.io/dockercfg
                data:
                  .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "{{ .token | b64enc }}"}}}'
        `,
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'but the API server rejects the Secret that ExternalSecret app/regcred makes, so it never exists, because its type is kubernetes.io/dockercfg but its data key is .dockerconfigjson' }],
    },
    {
      name: 'reported even when another secret of the pod covers the image (the kubelet skips it silently)',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: regcred}, {name: good}]
            containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
        'secret.yaml': regcred('Opaque'),
        'good.yaml': regcred('kubernetes.io/dockerconfigjson').replace('name: regcred', 'name: good'),
      },
      errors: [{ line: 5, column: 29, file: 'pod.yaml' }],
    },
    {
      name: 'an annotation on the workload without a reason does not suppress',
      files: {
        'secret.yaml': regcred('Opaque'),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: app
            annotations: {pullcheck.dev/ignore: "pull-secret-wrong-type:"}
          spec:
            imagePullSecrets: [{name: regcred}]
            containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
      errors: [{ line: 8, column: 29, file: 'pod.yaml', message: 'gives no reason' }],
    },
  ],
})
