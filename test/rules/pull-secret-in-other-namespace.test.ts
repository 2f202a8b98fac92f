// pull-secret-in-other-namespace: the secret is missing from the pod's namespace but exists in another.
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { defaultOptions } from '../../src/options.js'
import { replicated } from './manifests.js'
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

/** Secret regcred in namespace `namespace` with the given annotation lines (4-space indented). */
function secret(namespace: string, annotations = ''): string {
  return (
    yaml`
      apiVersion: v1
      kind: Secret
      metadata:
        name: regcred
    ` +
    `  namespace: ${namespace}\n` +
    (annotations ? `  annotations:\n${annotations}` : '') +
    yaml`
      type: kubernetes.io/dockerconfigjson
      stringData:
        .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
    `
  )
}

const REFLECTOR = 'reflector.v1.k8s.emberstack.com'

ruleTester('pull-secret-in-other-namespace', {
  valid: [
    {
      // BuildStrictRegex adds ^ and $ without a group: ^ap|web$ matches app (and anything starting with ap).
      name: 'kubernetes-replicator replicate-to with an alternation is anchored without a group, as the replicator reads it',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': secret('platform', '    replicator.v1.mittwald.de/replicate-to: "ap|web"\n') },
    },
    { name: 'fixture: reflector, kubernetes-replicator, ClusterExternalSecret and a plain copy', files: 'passes.yaml' },
    {
      name: 'reflector auto-namespaces take regular expressions',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': secret(
          'platform',
          `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-auto-enabled: "true"\n    ${REFLECTOR}/reflection-auto-namespaces: "ap.*,web"\n`,
        ),
      },
    },
    {
      // MatchNamespace: the name patterns or the label selector (reflector PR #620), a declared Namespace's labels.
      name: 'reflector label selectors: a declared namespace whose labels match, though its name is not listed',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n  labels: {team: payments, tier: backend}\n',
        'secret.yaml': secret(
          'platform',
          `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-allowed-namespaces: "ops"\n    ${REFLECTOR}/reflection-allowed-namespaces-selector: "team=payments, tier in (backend,frontend), !legacy"\n` +
            `    ${REFLECTOR}/reflection-auto-enabled: "true"\n    ${REFLECTOR}/reflection-auto-namespaces-selector: "team"\n`,
        ),
      },
    },
    {
      // The API server labels every Namespace kubernetes.io/metadata.name: <name> (NamespaceDefaultLabelName).
      name: 'reflector label selectors on kubernetes.io/metadata.name, which a declared Namespace carries without writing it',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n',
        'secret.yaml': secret(
          'platform',
          `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-allowed-namespaces-selector: "kubernetes.io/metadata.name in (app,web)"\n    ${REFLECTOR}/reflection-auto-enabled: "true"\n    ${REFLECTOR}/reflection-auto-namespaces-selector: "kubernetes.io/metadata.name=app"\n`,
        ),
      },
    },
    {
      // .NET constructs JavaScript lacks: an inline (?i), \A and \z anchors.
      name: 'reflector patterns written for .NET: (?i) and \\A…\\z',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': secret(
          'platform',
          `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-allowed-namespaces: "(?i)APP"\n    ${REFLECTOR}/reflection-auto-enabled: "true"\n    ${REFLECTOR}/reflection-auto-namespaces: '\\Aap+\\z'\n`,
        ),
      },
    },
    {
      name: 'reflector label selectors: a namespace no Namespace object declares may carry the labels (unknown, not refused)',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': secret(
          'platform',
          `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-allowed-namespaces-selector: "team=payments"\n    ${REFLECTOR}/reflection-auto-enabled: "true"\n`,
        ),
      },
    },
    {
      name: 'reflector with no namespace list reflects into every namespace',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': secret('platform', `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-auto-enabled: "true"\n`),
      },
    },
    {
      name: 'kubernetes-replicator replicate-to-matching (a label selector) may reach any namespace',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': secret('platform', '    replicator.v1.mittwald.de/replicate-to-matching: "registry-access=true"\n'),
      },
    },
    {
      // ResourceAdded: replicate-to-matching is labels.Parse'd and listed against the Namespaces' labels.
      name: 'kubernetes-replicator replicate-to-matching: a declared namespace whose labels the selector selects',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n  labels: {registry-access: "true", tier: backend}\n',
        'secret.yaml': secret('platform', '    replicator.v1.mittwald.de/replicate-to-matching: "registry-access=true,tier in (backend)"\n'),
      },
    },
    {
      // Both annotations: the namespaces of either (replicate-to does not list app; the labels select it).
      name: 'kubernetes-replicator replicate-to and replicate-to-matching together copy into the namespaces of either',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n  labels: {registry-access: "true"}\n',
        'secret.yaml': secret('platform', '    replicator.v1.mittwald.de/replicate-to: "web"\n    replicator.v1.mittwald.de/replicate-to-matching: "registry-access"\n'),
      },
    },
    {
      name: 'a pull-replicated copy (replicate-from) declared in the pod namespace, with the placeholder the API server requires',
      files: { 'pod.yaml': POD_REGCRED, ...replicated('type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: e30K}\n') },
    },
    {
      // ESO's mergeMetadata: the target template's annotations go on the Secret it makes.
      name: 'an ExternalSecret whose target template carries reflector auto-reflection',
      files: {
        'pod.yaml': POD_REGCRED,
        'es.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ExternalSecret
          metadata: {name: regcred, namespace: platform}
          spec:
            secretStoreRef: {name: vault, kind: ClusterSecretStore}
            target:
              template:
                type: kubernetes.io/dockerconfigjson
                metadata:
                  annotations:
                    reflector.v1.k8s.emberstack.com/reflection-allowed: "true"
                    reflector.v1.k8s.emberstack.com/reflection-auto-enabled: "true"
        `,
      },
    },
    {
      // Unseal copies spec.template.metadata into the Secret, not the SealedSecret's own metadata.
      name: 'a SealedSecret whose template carries reflector auto-reflection',
      files: {
        'pod.yaml': POD_REGCRED,
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: {name: regcred, namespace: platform}
          spec:
            encryptedData: {.dockerconfigjson: AgBy3i4OJSWK}
            template:
              type: kubernetes.io/dockerconfigjson
              metadata:
                annotations:
                  reflector.v1.k8s.emberstack.com/reflection-allowed: "true"
                  reflector.v1.k8s.emberstack.com/reflection-auto-enabled: "true"
        `,
      },
    },
    {
      name: 'existing-secrets */name exists in every namespace',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': secret('platform') },
      options: { existingSecrets: [{ namespace: '*', name: 'regcred', registries: [] }] },
    },
    {
      name: 'a secret missing everywhere is pull-secret-not-found',
      files: { 'pod.yaml': POD_REGCRED },
    },
  ],
  invalid: [
    {
      name: 'fixture: pod list, namespace: on the reference, ServiceAccount list, replicated elsewhere only',
      files: 'fires.yaml',
      errors: [
        {
          line: 26,
          column: 17,
          endLine: 26,
          endColumn: 24,
          severity: 'error',
          message: /^Deployment shop\/api references pull secret "regcred", which is not in namespace shop but only in platform .*copy or replicate Secret regcred into shop\.$/,
        },
        { line: 46, column: 17, endColumn: 24, message: 'StatefulSet shop/db' },
        { line: 59, column: 11, endColumn: 18, message: /^ServiceAccount ci\/runner .*not in namespace ci but only in platform \(used by Job ci\/build\)/ },
        { line: 94, column: 13, endColumn: 22, message: '"team-cred", which is not in namespace shop' },
      ],
    },
    {
      name: 'fixture directory: one directory per namespace, the secret and the Deployment in different files',
      files: 'fires-split',
      errors: [{ line: 15, column: 17, endColumn: 24, file: 'fires-split/shop/api.yaml', message: 'only in platform' }],
    },
    {
      name: "a warning, as for pull-secret-not-found, when the pod's other secret covers every image",
      files: {
        'pod.yaml': POD_REGCRED.replace(/( *)- name: regcred\n/, '$1- name: regcred\n$1- name: local\n'),
        'secret.yaml': secret('platform') + '---\n' + secret('app').replace('name: regcred', 'name: local'),
      },
      errors: [
        {
          line: 6,
          column: 13,
          endColumn: 20,
          file: 'pod.yaml',
          severity: 'warning',
          message:
            'Pod app/web references pull secret "regcred", which is not in namespace app but only in platform (used by Pod app/web) (the other secrets still cover every image: the kubelet only records a FailedToRetrieveImagePullSecret event); pull secrets are read from the pod\'s namespace only, so copy or replicate Secret regcred into app.',
        },
      ],
    },
    {
      name: 'a secret in many other namespaces: the first five named, the rest counted',
      files: { 'pod.yaml': POD_REGCRED, 'secrets.yaml': Array.from({ length: 8 }, (_, i) => secret(`ns${i}`)).join('---\n') },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: /which is not in namespace app but only in ns0, ns1, ns2, ns3, ns4 and 3 more \(used by Pod app\/web\)/ }],
    },
    {
      name: "a SealedSecret's own metadata annotations are not the Secret's: nothing is reflected",
      files: {
        'pod.yaml': POD_REGCRED,
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata:
            name: regcred
            namespace: platform
            annotations:
              reflector.v1.k8s.emberstack.com/reflection-allowed: "true"
              reflector.v1.k8s.emberstack.com/reflection-auto-enabled: "true"
          spec:
            encryptedData: {.dockerconfigjson: AgBy3i4OJSWK}
            template: {type: kubernetes.io/dockerconfigjson}
        `,
      },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', message: /which is not in namespace app but only in platform/ }],
    },
    {
      name: 'reflector without reflection-auto-enabled copies nothing',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': secret('platform', `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-allowed-namespaces: "app"\n`) },
      errors: [{ line: 6, column: 13, file: 'pod.yaml' }],
    },
    {
      name: 'reflector into allowed namespaces that exclude the pod namespace',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': secret(
          'platform',
          `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-allowed-namespaces: "web,apps"\n    ${REFLECTOR}/reflection-auto-enabled: "true"\n`,
        ),
      },
      // The message says where the copies go, and that the pod's namespace is not among them.
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message:
            'Pod app/web references pull secret "regcred", which is not in namespace app but only in platform (used by Pod app/web); its image ghcr.io/acme/web:1.0 is pulled without it; pull secrets are read from the pod\'s namespace only; reflector copies Secret platform/regcred into the namespaces of its reflection-allowed-namespaces "web,apps", not into app: add app there, or copy Secret regcred into app.',
        },
      ],
    },
    {
      name: 'kubernetes-replicator replicate-to other namespaces',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': secret('platform', '    replicator.v1.mittwald.de/replicate-to: "web, staging"\n') },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: /only in platform .*; kubernetes-replicator copies Secret platform\/regcred into the namespaces of its replicate-to "web, staging", not into app: add app there/ }],
    },
    {
      name: 'reflector label selectors: a declared namespace whose labels do not match, and a name that is not listed',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n  labels: {team: payments, legacy: "yes"}\n',
        'secret.yaml': secret(
          'platform',
          `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-allowed-namespaces: "ops"\n    ${REFLECTOR}/reflection-allowed-namespaces-selector: "team=payments,!legacy"\n    ${REFLECTOR}/reflection-auto-enabled: "true"\n`,
        ),
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: /reflector copies Secret platform\/regcred into the namespaces of its reflection-allowed-namespaces "ops" and reflection-allowed-namespaces-selector "team=payments,!legacy", not into app: add app there \(or label Namespace app to match the selector\), or copy/ }],
    },
    {
      // The Namespace is declared without the label: the replicator lists only labelled namespaces.
      name: 'kubernetes-replicator replicate-to-matching: a declared namespace whose labels the selector does not select',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n  labels: {tier: backend}\n',
        'secret.yaml': secret('platform', '    replicator.v1.mittwald.de/replicate-to: "web"\n    replicator.v1.mittwald.de/replicate-to-matching: "registry-access=true"\n'),
      },
      errors: [
        {
          line: 6,
          column: 13,
          endColumn: 20,
          file: 'pod.yaml',
          severity: 'error',
          message:
            'Pod app/web references pull secret "regcred", which is not in namespace app but only in platform (used by Pod app/web); its image ghcr.io/acme/web:1.0 is pulled without it; pull secrets are read from the pod\'s namespace only; kubernetes-replicator copies Secret platform/regcred into the namespaces of its replicate-to "web" and the namespaces its replicate-to-matching "registry-access=true" selects, not into app: add app there (or label Namespace app to match the selector), or copy Secret regcred into app.',
        },
      ],
    },
    {
      // labels.Parse refuses it: the replicator logs "failed to parse label selector" and copies nothing.
      name: 'kubernetes-replicator replicate-to-matching that is not a label selector copies into no namespace',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': secret('platform', '    replicator.v1.mittwald.de/replicate-to-matching: "!!!invalid!!!"\n') },
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message: /; kubernetes-replicator copies Secret platform\/regcred into no namespace \(its replicate-to-matching "!!!invalid!!!" is not a label selector that labels\.Parse reads\), not into app: add app there, or copy Secret regcred into app\.$/,
        },
      ],
    },
    {
      // PatternListMatch: Regex.Match unanchored, and the first match must be the whole name: ns-1 matches first.
      name: 'reflector name patterns are matched as .NET reads them: of "ap|app", ap matches first, so app is not listed',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': secret('platform', `    ${REFLECTOR}/reflection-allowed: "true"\n    ${REFLECTOR}/reflection-auto-enabled: "true"\n    ${REFLECTOR}/reflection-auto-namespaces: "ap|app"\n`),
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: /reflector copies Secret platform\/regcred into the namespaces of its reflection-auto-namespaces "ap\|app", not into app/ }],
    },
    {
      // StringToPatternList: an empty item is ^$, which no namespace matches.
      name: 'kubernetes-replicator replicate-to that is empty copies into no namespace',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': secret('platform', '    replicator.v1.mittwald.de/replicate-to: ""\n') },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: /only in platform .*; kubernetes-replicator copies Secret platform\/regcred into the namespaces of its replicate-to "", not into app/ }],
    },
    {
      name: 'a ClusterExternalSecret for other namespaces',
      files: {
        'pod.yaml': POD_REGCRED,
        'ces.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ClusterExternalSecret
          metadata: {name: regcred}
          spec:
            namespaces: [web]
            externalSecretSpec:
              target:
                template: {type: kubernetes.io/dockerconfigjson}
        `,
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: /only in web .*; ClusterExternalSecret regcred makes it in the namespaces of its spec\.namespaces, not into app: add app there/ }],
    },
    {
      name: 'an ExternalSecret (spec.target.name) in another namespace',
      files: {
        'pod.yaml': POD_REGCRED,
        'es.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ExternalSecret
          metadata: {name: sync-regcred, namespace: platform}
          spec:
            target:
              name: regcred
              template: {type: kubernetes.io/dockerconfigjson}
        `,
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'only in platform' }],
    },
    {
      name: 'a SealedSecret in another namespace',
      files: {
        'pod.yaml': POD_REGCRED,
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: {name: regcred, namespace: platform}
          spec:
            encryptedData: {.dockerconfigjson: AgBy3i4OJSWK+PiTySYZZA==}
            template: {type: kubernetes.io/dockerconfigjson}
        `,
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml' }],
    },
    {
      name: 'an existing-secrets entry in another namespace',
      files: { 'pod.yaml': POD_REGCRED },
      options: { existingSecrets: [{ namespace: 'platform', name: 'regcred', registries: ['ghcr.io'] }] },
      errors: [{ line: 6, column: 13, message: 'only in platform' }],
    },
    {
      name: 'the message lists every namespace that has it',
      files: { 'pod.yaml': POD_REGCRED, 'a.yaml': secret('platform'), 'b.yaml': secret('tools') },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'only in platform, tools' }],
    },
    {
      name: 'objects without a namespace are in default-namespace, not in the namespace of the secret',
      files: {
        'secret.yaml': secret('default'),
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            template:
              spec:
                imagePullSecrets: [{name: regcred}]
                containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
      options: { defaultNamespace: 'prod' },
      errors: [
        {
          line: 7,
          column: 33,
          file: 'deploy.yaml',
          message:
            'Deployment prod/web references pull secret "regcred", which is not in namespace prod but only in default (used by Deployment prod/web); its image ghcr.io/acme/web:1.0 is pulled without it; pull secrets are read from the pod\'s namespace only, so copy or replicate Secret regcred into prod; Deployment web names no namespace and is checked in prod, the default-namespace: if it is installed into default (kubectl apply -n, helm install -n, a GitOps target namespace), set default-namespace to default or write its metadata.namespace instead.',
        },
      ],
    },
    {
      // One template of a chart writes the namespace, another does not: installed with -n prod, the Secret is in prod.
      name: 'a Secret that names no namespace, used by a Deployment in prod',
      files: {
        'secret.yaml': secret('default').replace('  namespace: default\n', '').replace('namespace: default, ', '').replace(', namespace: default', ''),
        'pod.yaml': POD_REGCRED.replace('namespace: app', 'namespace: prod'),
      },
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message: /so copy or replicate Secret regcred into prod; Secret default\/regcred names no namespace and is checked in default, the default-namespace: if it is installed into prod with the pods \(kubectl apply -n, helm install -n, a GitOps target namespace\), set default-namespace to prod or write its metadata\.namespace instead\.$/,
        },
      ],
    },
    {
      name: 'a Deployment whose namespace is written gets no word about the default namespace',
      files: { 'secret.yaml': secret('platform'), 'pod.yaml': POD_REGCRED },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: /copy or replicate Secret regcred into app\.$/ }],
    },
  ],
})

describe('pull-secret-in-other-namespace: objects that name no namespace', () => {
  const deployment = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: shop}
    spec:
      template:
        spec:
          imagePullSecrets: [{name: regcred}]
          containers: [{name: web, image: registry.acme.io/shop/web:1.0.0}]
  `
  it('are listed in the assumptions once, with the first of them; objects of other kinds, and written namespaces, are not counted', () => {
    const one = analyzeSources([{ path: 'rendered.yaml', text: deployment + '---\n' + secret('prod') + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' }], defaultOptions('.'))
    expect(one.assumptions).toEqual([
      'Deployment shop (rendered.yaml:3) names no namespace and is checked in namespace default, the default-namespace, where kubectl apply without -n puts it; if it is installed elsewhere (kubectl apply -n, helm install -n, an Argo CD or Flux target namespace), set default-namespace to that namespace or write metadata.namespace.',
    ])
    const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\n'
    const two = analyzeSources([{ path: 'b.yaml', text: sa }, { path: 'a.yaml', text: deployment }], { ...defaultOptions('.'), defaultNamespace: 'shop' })
    expect(two.assumptions).toEqual([
      '2 objects name (the first: Deployment shop, a.yaml:3) no namespace and are checked in namespace shop, the default-namespace, where kubectl apply without -n puts them; if they are installed elsewhere (kubectl apply -n, helm install -n, an Argo CD or Flux target namespace), set default-namespace to that namespace or write metadata.namespace.',
    ])
    expect(analyzeSources([{ path: 'pod.yaml', text: POD_REGCRED }], defaultOptions('.')).assumptions).toEqual([])
  })
})
