// pull-secret-not-found: an effective pull secret that does not exist in the pod's namespace.
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { defaultOptions } from '../../src/options.js'
import { DELETED_HOOKS_CHART, GHCR_SECRET, hookedChart, PRE_INSTALL, PRE_INSTALL_EARLIER } from './manifests.js'
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

/** ClusterExternalSecret registry-sync making Secret regcred in the namespaces `selectors` (YAML under spec, 2 spaces in) pick. */
function selectingCes(selectors: string): string {
  return (
    'apiVersion: external-secrets.io/v1beta1\nkind: ClusterExternalSecret\nmetadata: {name: registry-sync}\nspec:\n  externalSecretName: regcred\n' +
    selectors +
    '  externalSecretSpec:\n    target:\n      template: {type: kubernetes.io/dockerconfigjson}\n    dataFrom: [{extract: {key: registry/ghcr}}]\n'
  )
}

const NAMESPACE_APP = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n  labels: {${labels}}\n`

/** Secret regcred in namespace shared, with replication annotations. */
function sharedSecret(annotations: string): string {
  return yaml`
    apiVersion: v1
    kind: Secret
    metadata:
      name: regcred
      namespace: shared
      annotations:
    ` + annotations + yaml`
    type: kubernetes.io/dockerconfigjson
    stringData:
      .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
  `
}

/** ExternalSecret app/regcred of type dockerconfigjson whose target manifest is a v1 `kind`. */
function externalSecretWithManifest(kind: string): string {
  return yaml`
    apiVersion: external-secrets.io/v1
    kind: ExternalSecret
    metadata: {name: regcred, namespace: app}
    spec:
      secretStoreRef: {name: vault, kind: ClusterSecretStore}
      target:
        manifest: {apiVersion: v1, kind: ${kind}}
        template: {type: kubernetes.io/dockerconfigjson}
      dataFrom: [{extract: {key: registry/ghcr}}]
  `
}

ruleTester('pull-secret-not-found', {
  valid: [
    {
      // Two charts rendered apart into one directory, not a chart and its subchart: neither is the other's release.
      name: "a pre-install hook's pull secret in a sibling chart directory (charts/<a>/templates, charts/<b>/templates)",
      files: {
        'out/charts/migrator/templates/job.yaml': hookedChart(PRE_INSTALL, PRE_INSTALL_EARLIER).split('---\n').slice(0, 1).join('') + '---\n' + hookedChart(PRE_INSTALL).split('---\n')[2],
        'out/charts/creds/templates/secret.yaml': hookedChart(PRE_INSTALL).split('---\n')[1],
      },
    },
    {
      name: 'a pre-install hook whose ServiceAccount and pull secret are pre-install hooks too',
      files: { 'chart.yaml': hookedChart(PRE_INSTALL, PRE_INSTALL_EARLIER, PRE_INSTALL_EARLIER) },
    },
    {
      // A Secret of another file and directory is taken to be applied on its own, before the release (a platform's).
      name: "a pre-install hook whose pull secret is in another file and directory (not the release's)",
      files: {
        'apps/chart.yaml': hookedChart(PRE_INSTALL, PRE_INSTALL_EARLIER).split('---\n').filter((_, i) => i !== 1).join('---\n'),
        'platform/secrets.yaml': hookedChart(PRE_INSTALL).split('---\n')[1],
      },
    },
    {
      // On an upgrade the chart's objects exist already.
      name: 'a pre-upgrade hook (only) uses the objects of the release before',
      files: { 'chart.yaml': hookedChart('  annotations: {"helm.sh/hook": pre-upgrade}\n') },
    },
    { name: 'fixture: Secret, SealedSecret and ExternalSecret (spec.target.name) all make the secret exist', files: 'passes.yaml' },
    {
      // The controller names the Secret after the SealedSecret (Unseal sets name and namespace
      // from its metadata); kustomize's namespace: rewrites metadata, not spec.template.metadata.
      name: "a SealedSecret makes the secret under its own name and namespace, whatever its template's metadata says",
      files: {
        'pod.yaml': POD_REGCRED,
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: {name: regcred, namespace: app}
          spec:
            encryptedData: {.dockerconfigjson: AgBxxx}
            template:
              metadata: {name: regcred-template, namespace: other}
              type: kubernetes.io/dockerconfigjson
        `,
      },
    },
    {
      name: 'existing-secrets ns/name declares a secret created outside the manifests',
      files: { 'pod.yaml': POD_REGCRED },
      options: { existingSecrets: [{ namespace: 'app', name: 'regcred', registries: [] }] },
    },
    {
      name: 'existing-secrets */name declares it in every namespace',
      files: { 'pod.yaml': POD_REGCRED },
      options: { existingSecrets: [{ namespace: '*', name: 'regcred', registries: ['ghcr.io'] }] },
    },
    {
      name: 'a ClusterExternalSecret listing the namespace produces it there',
      files: {
        'pod.yaml': POD_REGCRED,
        'ces.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ClusterExternalSecret
          metadata: {name: regcred}
          spec:
            namespaces: [app, web]
            externalSecretSpec:
              secretStoreRef: {name: vault, kind: ClusterSecretStore}
              target:
                template: {type: kubernetes.io/dockerconfigjson}
              dataFrom: [{extract: {key: registry/ghcr}}]
        `,
      },
    },
    {
      name: 'a ClusterExternalSecret with a namespace selector may produce it anywhere',
      files: {
        'pod.yaml': POD_REGCRED,
        'ces.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ClusterExternalSecret
          metadata: {name: registry-sync}
          spec:
            externalSecretName: regcred
            namespaceSelector:
              matchLabels: {registry-access: "true"}
            externalSecretSpec:
              target:
                template: {type: kubernetes.io/dockerconfigjson}
              dataFrom: [{extract: {key: registry/ghcr}}]
        `,
      },
    },
    {
      // Namespace app's labels match: matchExpressions In, and a second selector of namespaceSelectors.
      name: 'a ClusterExternalSecret whose namespace selectors match the labels of the declared Namespace',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': NAMESPACE_APP('team: web, tier: prod'),
        'ces.yaml': selectingCes('  namespaceSelectors:\n    - matchLabels: {registry-access: "true"}\n    - matchExpressions: [{key: tier, operator: In, values: [prod, staging]}, {key: legacy, operator: DoesNotExist}]\n'),
      },
    },
    {
      name: 'a ClusterExternalSecret selector that the API would refuse (operator in lower case) may still match: not evaluated',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': NAMESPACE_APP('team: web'),
        'ces.yaml': selectingCes('  namespaceSelector:\n    matchExpressions: [{key: team, operator: in, values: [api]}]\n'),
      },
    },
    {
      name: 'an empty ClusterExternalSecret selector selects every namespace',
      files: { 'pod.yaml': POD_REGCRED, 'ns.yaml': NAMESPACE_APP('team: web'), 'ces.yaml': selectingCes('  namespaceSelector: {}\n') },
    },
    {
      name: 'kubernetes-replicator replicate-to copies the secret into the namespace',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': sharedSecret('    replicator.v1.mittwald.de/replicate-to: "app,web"\n') },
    },
    {
      name: 'reflector auto-reflection into the allowed namespaces',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': sharedSecret(
          '    reflector.v1.k8s.emberstack.com/reflection-allowed: "true"\n' +
            '    reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces: "app,web"\n' +
            '    reflector.v1.k8s.emberstack.com/reflection-auto-enabled: "true"\n',
        ),
      },
    },
    {
      name: 'an empty name is pull-secret-empty-name, not a missing secret',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: ""}]
            containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
    },
    {
      name: 'a secret found only in another namespace is pull-secret-in-other-namespace',
      files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': sharedSecret('    team: platform\n') },
    },
    {
      name: 'an existing-secrets entry in another namespace is pull-secret-in-other-namespace',
      files: { 'pod.yaml': POD_REGCRED },
      options: { existingSecrets: [{ namespace: 'shared', name: 'regcred', registries: [] }] },
    },
    {
      name: "a ServiceAccount's missing secret does not matter while every pod lists its own",
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: web, namespace: app}
          imagePullSecrets: [{name: gone}]
        `,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            serviceAccountName: web
            imagePullSecrets: [{name: ghcr-pull}]
            containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
    },
    {
      name: 'an ExternalSecret whose target manifest is a v1 Secret still makes the Secret',
      files: {
        'pod.yaml': POD_REGCRED,
        'es.yaml': externalSecretWithManifest('Secret'),
      },
    },
    {
      name: 'suppressed by a comment on the line before the name',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets:
              # pullcheck-ignore pull-secret-not-found: created by the cluster bootstrap job
              - name: regcred
            containers:
              - name: web
                image: ghcr.io/acme/web:1.0
        `,
      },
      suppressed: [{ line: 7, column: 13 }],
    },
  ],
  invalid: [
    {
      // Helm creates the chart's other objects only after its pre-install hooks have run (and waits for them).
      name: "a Helm pre-install hook's pull secret that is not a hook: missing on the first install",
      files: { 'chart.yaml': hookedChart(PRE_INSTALL, PRE_INSTALL_EARLIER) },
      errors: [
        {
          line: 7,
          column: 27,
          file: 'chart.yaml',
          message:
            'ServiceAccount prod/myapp references pull secret "regcred" (used by Job prod/myapp-migrate, a Helm pre-install hook), but Secret prod/regcred is not one (or one of a higher weight), so Helm creates it only after the hook has run: on the first install its image registry.acme.io/team/migrate:1.2.3 is pulled without it, and the install waits on the hook until it fails; make Secret prod/regcred a pre-install hook too, with a lower helm.sh/hook-weight.',
          related: [{ message: 'Secret prod/regcred is created after the hook', file: 'chart.yaml', line: 12, column: 9 }],
        },
      ],
    },
    {
      name: 'an Argo CD PreSync hook likewise',
      files: { 'app.yaml': hookedChart('  annotations: {argocd.argoproj.io/hook: PreSync}\n', '  annotations: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/sync-wave: "-1"}\n') },
      errors: [{ line: 7, column: 27, file: 'app.yaml', message: 'an Argo CD PreSync hook), but Secret prod/regcred is not one (or one of a higher weight), so Argo CD creates it only after the hook has run' }],
    },
    {
      // Helm runs hooks by ascending weight: a hook Secret of weight 10 comes after the Job of weight 0. Three Jobs, one finding.
      name: 'a hook Secret of a higher weight than the hooks that use it: one finding for the reference they share',
      files: {
        'chart.yaml':
          hookedChart(PRE_INSTALL, PRE_INSTALL_EARLIER, '  annotations: {"helm.sh/hook": pre-install, "helm.sh/hook-weight": "10"}\n') +
          '---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: seed, namespace: prod, annotations: {"helm.sh/hook": pre-install}}\nspec:\n  template:\n    spec:\n      serviceAccountName: myapp\n      containers: [{name: seed, image: registry.acme.io/team/seed:1}]\n',
      },
      errors: [{ line: 7, column: 27, file: 'chart.yaml', message: '(used by Job prod/myapp-migrate and 1 more, a Helm pre-install hook), but Secret prod/regcred is not one (or one of a higher weight), so Helm creates it only after the hook has run: on the first install its images registry.acme.io/team/migrate:1.2.3, registry.acme.io/team/seed:1 are pulled without it' }],
    },
    {
      // Helm's execHook deletes hook-succeeded hooks once the event's hooks have run, before it creates the release's objects.
      name: 'a pull secret that is a Helm hook deleted once its hooks succeed, used by a Deployment of the chart',
      files: { 'chart.yaml': DELETED_HOOKS_CHART },
      errors: [
        {
          line: 26,
          column: 33,
          file: 'chart.yaml',
          message:
            'Deployment shop/app references pull secret "app-pull" (used by Deployment shop/app), but Secret shop/app-pull is a Helm hook that Helm deletes once its hooks succeed (helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded), and those pods are no hooks of its events: its image ghcr.io/acme/app:1.0 is pulled without it; drop hook-succeeded from Secret shop/app-pull\'s helm.sh/hook-delete-policy (or make it no hook: no helm.sh/hook).',
          fix: "Drop hook-succeeded from Secret shop/app-pull's helm.sh/hook-delete-policy (or make it no hook: no helm.sh/hook).",
          related: [{ message: 'Secret shop/app-pull is deleted once its hooks succeed', file: 'chart.yaml', line: 4, column: 9 }],
        },
      ],
    },
    {
      // gitops-engine deletes HookSucceeded hooks once the whole sync has succeeded: hooks of every phase have it.
      name: "an Argo CD PreSync hook Secret deleted once the sync succeeds: the Deployment's later pods lose it, a PostSync Job has it",
      files: {
        'app.yaml': DELETED_HOOKS_CHART.replace('helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded', 'argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded').replace(
          '{helm.sh/hook: pre-install}',
          '{argocd.argoproj.io/hook: PostSync}',
        ),
      },
      errors: [
        {
          line: 26,
          column: 33,
          file: 'app.yaml',
          message:
            'but Secret shop/app-pull is an Argo CD hook that Argo CD deletes once the sync succeeds (argocd.argoproj.io/hook-delete-policy: HookSucceeded), and those pods are no hooks: after the sync (a pod rescheduled or scaled up) its image ghcr.io/acme/app:1.0 is pulled without it;',
        },
      ],
    },
    {
      // On upgrade Helm runs the Job as a pre-upgrade hook; the pre-install Secret was deleted at install.
      name: 'a Helm hook Job of more events than the deleted hook Secret it uses',
      files: {
        'chart.yaml': DELETED_HOOKS_CHART.replace('helm.sh/hook: pre-install,pre-upgrade', 'helm.sh/hook: pre-install').replace('{helm.sh/hook: pre-install}', '{helm.sh/hook: "pre-install,pre-upgrade"}'),
      },
      errors: [
        { line: 26, column: 33, file: 'chart.yaml', message: '(used by Deployment shop/app), but Secret shop/app-pull is a Helm hook' },
        { line: 36, column: 33, file: 'chart.yaml', message: '(used by Job shop/migrate), but Secret shop/app-pull is a Helm hook' },
      ],
    },
    {
      // `helm template --output-dir`: a subchart's objects are the release's too.
      name: "a pre-install hook's pull secret rendered by a subchart of the chart (--output-dir)",
      files: {
        'out/app/templates/migrate.yaml': hookedChart(PRE_INSTALL, PRE_INSTALL_EARLIER).split('---\n').slice(0, 1).join('') + '---\n' + hookedChart(PRE_INSTALL).split('---\n')[2],
        'out/app/charts/creds/templates/secret.yaml': hookedChart(PRE_INSTALL).split('---\n')[1],
      },
      errors: [{ line: 7, column: 27, file: 'out/app/templates/migrate.yaml', message: 'but Secret prod/regcred is not one (or one of a higher weight), so Helm creates it only after the hook has run' }],
    },
    {
      // `production` is no kustomize hash (its encoding writes 2456789bcdfghkmt only): the near spelling is suggested.
      name: 'a name that ends in a ten-letter word is not taken for a kustomize hash',
      files: {
        'pod.yaml': POD_REGCRED,
        'secrets.yaml': ['regcred-production', 'regcreds']
          .map((n) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${n}, namespace: app}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'\n`)
          .join('---\n'),
      },
      errors: [{ file: 'pod.yaml', line: 6, column: 13, message: /fix the name \(did you mean "regcreds"\?\)\.$/ }],
    },
    {
      // SPEC §6: the message names the images; those that may fail, the first two and how many more.
      name: 'the message names the images that are pulled without the secret',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: regcred}]
            initContainers: [{name: init, image: ghcr.io/acme/init:1}]
            containers:
              - {name: web, image: ghcr.io/acme/web:1}
              - {name: side, image: ghcr.io/acme/side:1}
              - {name: proxy, image: nginx:1.27}
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 5, column: 29, message: '(used by Pod app/web); its images ghcr.io/acme/init:1, ghcr.io/acme/web:1 and 1 more are pulled without it; create Secret app/regcred' }],
    },
    {
      // The reference was rendered apart from the kustomization that generated the Secret (another base, a CRD kustomize does not know).
      name: 'a Secret that kustomize\'s secretGenerator made of the name (hash suffix, namePrefix) is suggested, and why the names differ',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: prod-regcred-7g2fk8h9m4, namespace: app}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \'{"auths": {"quay.io": {"auth": "YWNtZTpzM2NyZXQ="}}}\'\n',
      },
      errors: [
        {
          file: 'pod.yaml',
          line: 6,
          column: 13,
          message: 'create Secret app/regcred or fix the name (did you mean "prod-regcred-7g2fk8h9m4"? kustomize adds a hash to the names of the Secrets its secretGenerator makes, and rewrites only the references it renders with them).',
          related: [{ message: 'Secret app/prod-regcred-7g2fk8h9m4 has a similar name', file: 'secret.yaml', line: 3, column: 18 }],
        },
      ],
    },
    {
      // ESO lists the Namespaces by the selector: a declared Namespace without the label gets no copy.
      name: 'a ClusterExternalSecret whose namespace selector the declared Namespace does not match: the message says to label it',
      files: {
        'pod.yaml': POD_REGCRED,
        'ns.yaml': NAMESPACE_APP('team: web'),
        'ces.yaml': selectingCes('  namespaceSelector:\n    matchLabels: {registry-access: "true"}\n'),
      },
      errors: [
        {
          file: 'pod.yaml',
          line: 6,
          column: 13,
          severity: 'error',
          message:
            'Pod app/web references pull secret "regcred", which does not exist in namespace app (used by Pod app/web); ClusterExternalSecret registry-sync makes it only in the namespaces its namespace selectors pick, and Namespace app\'s labels match none; its image ghcr.io/acme/web:1.0 is pulled without it; label Namespace app to match, create Secret app/regcred or fix the name.',
          fix: 'Label Namespace app to match the namespace selectors of ClusterExternalSecret registry-sync, create Secret regcred in namespace app, or list it in existing-secrets.',
          related: [{ message: 'ClusterExternalSecret registry-sync picks its namespaces here', file: 'ces.yaml', line: 7, column: 5 }],
        },
      ],
    },
    {
      // The API server names it regcred plus five random characters (kubectl apply refuses generateName).
      name: 'a Secret declared with generateName only: its name is not regcred',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {generateName: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          data:
            .dockerconfigjson: eyJhdXRocyI6IHsiZ2hjci5pbyI6IHsiYXV0aCI6ICJZV050WlRwek0yTnlaWFE9In19fQ==
        `,
      },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', message: /^Pod app\/web references pull secret "regcred", which does not exist in namespace app/ }],
    },
    {
      // ESO's GetTargetNamespaces: no namespaces, no namespaceSelector(s), no namespace at all.
      name: 'a ClusterExternalSecret that names no namespace and no selector makes nothing; nor one whose creationPolicy is None',
      files: {
        'pod.yaml': POD_REGCRED,
        'ces.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ClusterExternalSecret
          metadata: {name: regcred}
          spec:
            namespaceSelectors: []
            externalSecretSpec:
              target:
                template: {type: kubernetes.io/dockerconfigjson}
              dataFrom: [{extract: {key: registry/ghcr}}]
          ---
          apiVersion: external-secrets.io/v1beta1
          kind: ClusterExternalSecret
          metadata: {name: regcred-none}
          spec:
            externalSecretName: regcred
            namespaces: [app]
            externalSecretSpec:
              target:
                creationPolicy: None
                template: {type: kubernetes.io/dockerconfigjson}
              dataFrom: [{extract: {key: registry/ghcr}}]
        `,
      },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', message: /^Pod app\/web references pull secret "regcred", which does not exist in namespace app/ }],
    },
    {
      // `namespace: no` is false to kubectl: the Secret is never created (not even in the default namespace).
      name: 'a Secret whose namespace YAML reads as a boolean never exists, in the default namespace or any',
      files: {
        'pod.yaml': POD_REGCRED.replace('namespace: app', 'namespace: default'),
        'secret.yaml': GHCR_SECRET.replace('{name: ghcr-pull, namespace: app}', '{name: regcred, namespace: no}'),
      },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', message: /^Pod default\/web references pull secret "regcred", which does not exist in namespace default/ }],
    },
    {
      // ESO's generic targets (isGenericTarget): spec.target.manifest makes that object, not a Secret.
      name: 'an ExternalSecret whose target manifest is a ConfigMap makes no Secret',
      files: {
        'pod.yaml': POD_REGCRED,
        'es.yaml': externalSecretWithManifest('ConfigMap'),
      },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', message: /^Pod app\/web references pull secret "regcred", which does not exist in namespace app/ }],
    },
    {
      name: 'a name one edit away from a pull secret of the namespace: the message asks "did you mean", and points at it',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': POD_REGCRED.replace('name: regcred', 'name: ghcr-pul') },
      errors: [
        {
          file: 'pod.yaml',
          line: 6,
          column: 13,
          message:
            'Pod app/web references pull secret "ghcr-pul", which does not exist in namespace app (used by Pod app/web); its image ghcr.io/acme/web:1.0 is pulled without it; create Secret app/ghcr-pul or fix the name (did you mean "ghcr-pull"?).',
        },
      ],
    },
    {
      name: 'no suggestion from another namespace, from a secret that is no pull secret, or from a name far off',
      files: {
        'secret.yaml': GHCR_SECRET.replace('namespace: app', 'namespace: other'),
        'opaque.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcreds, namespace: app}
          type: Opaque
        `,
        'far.yaml': GHCR_SECRET.replace('ghcr-pull', 'quay-robot'),
        'pod.yaml': POD_REGCRED,
      },
      errors: [{ file: 'pod.yaml', line: 6, column: 13, message: /; create Secret app\/regcred or fix the name\.$/ }],
    },
    {
      name: 'fixture: a typo, a ServiceAccount entry, a warning when another secret covers every image',
      files: 'fires.yaml',
      errors: [
        { line: 25, column: 17, endLine: 25, endColumn: 25, severity: 'error', message: /^Deployment shop\/api references pull secret "ghcr-pul", which does not exist in namespace shop .*create Secret shop\/ghcr-pul or fix the name/ },
        { line: 38, column: 11, endColumn: 20, severity: 'error', message: /^ServiceAccount shop\/builder references pull secret "quay-pull".*used by Job shop\/build/ },
        { line: 63, column: 13, endColumn: 32, severity: 'warning', message: 'FailedToRetrieveImagePullSecret' },
      ],
    },
    {
      name: 'no secret at all',
      files: { 'pod.yaml': POD_REGCRED },
      errors: [{ line: 6, column: 13, endColumn: 20, severity: 'error' }],
    },
    {
      name: 'names are case-sensitive',
      files: {
        'secret.yaml': GHCR_SECRET,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: GHCR-pull}]
            containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
      errors: [{ line: 5, column: 29, file: 'pod.yaml', severity: 'error' }],
    },
    {
      name: 'error, not warning, when the remaining secrets miss one of the images',
      files: {
        'secret.yaml': GHCR_SECRET,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets:
              - name: quay-pull
              - name: ghcr-pull
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
              - {name: cache, image: quay.io/acme/cache:2}
        `,
      },
      options: { privateRegistries: ['quay.io/acme'] },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', severity: 'error' }],
    },
    {
      // The kubelet records FailedToRetrieveImagePullSecret and pulls anonymously, which a public image allows.
      name: "a warning when none of the pod's images needs a pull secret (an official Docker Hub image, one never pulled)",
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: regcred}]
            containers: [{name: web, image: nginx:1.27}, {name: cache, image: ghcr.io/acme/cache:1, imagePullPolicy: Never}]
        `,
      },
      errors: [
        {
          line: 5,
          column: 29,
          endColumn: 36,
          severity: 'warning',
          message:
            'Pod app/web references pull secret "regcred", which does not exist in namespace app (used by Pod app/web); the kubelet only records a FailedToRetrieveImagePullSecret event because none of the pod\'s images needs a pull secret; create Secret app/regcred or fix the name.',
        },
      ],
    },
    {
      // A pod that lists secrets has its images checked (SPEC §4.5): acme/app may be private.
      name: 'an error when the pod has no other usable secret and an image that may be private',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: regcred}]
            containers: [{name: web, image: nginx:1.27}, {name: app, image: acme/app:1}]
        `,
      },
      errors: [{ line: 5, column: 29, endColumn: 36, severity: 'error', message: /; its image acme\/app:1 is pulled without it; create Secret app\/regcred/ }],
    },
    {
      name: 'a ServiceAccount entry used by several pods: one report, error when one pod loses an image',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: runner, namespace: app}
          imagePullSecrets:
            - name: quay-pull
            - name: ghcr-pull
        `,
        'pods.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: a, namespace: app}
          spec:
            serviceAccountName: runner
            containers: [{name: a, image: ghcr.io/acme/a:1}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: b, namespace: app}
          spec:
            serviceAccountName: runner
            containers: [{name: b, image: quay.io/acme/b:1}]
        `,
      },
      options: { privateRegistries: ['quay.io/acme'] },
      errors: [{ line: 5, column: 11, file: 'sa.yaml', severity: 'error', message: 'used by Pod app/a and 1 more' }],
    },
    {
      name: 'a ServiceAccount entry: warning when every pod still pulls every image',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: runner, namespace: app}
          imagePullSecrets:
            - name: quay-pull
            - name: ghcr-pull
        `,
        'pods.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: a, namespace: app}
          spec:
            serviceAccountName: runner
            containers: [{name: a, image: ghcr.io/acme/a:1}]
        `,
      },
      errors: [{ line: 5, column: 11, file: 'sa.yaml', severity: 'warning' }],
    },
    {
      // ghcr-pull covers nothing of quay.io: the image is unknown, it may need the missing secret.
      name: 'a ServiceAccount entry: still an error when another secret is usable but an image is unclassified',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: runner, namespace: app}
          imagePullSecrets:
            - name: quay-pull
            - name: ghcr-pull
        `,
        'pods.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: a, namespace: app}
          spec:
            serviceAccountName: runner
            containers: [{name: a, image: quay.io/acme/a:1}]
        `,
      },
      errors: [{ line: 5, column: 11, file: 'sa.yaml', severity: 'error' }],
    },
    ...(['error', 'warning', 'notice'] as const).map((setting) => ({
      // A setting moves the severity as far as it moves the rule's default: writing the default changes nothing.
      name: `configured ${setting}: the softened finding moves with it (${setting === 'error' ? 'warning' : 'notice'})`,
      files: {
        'secret.yaml': GHCR_SECRET,
        'pod.yaml': POD_REGCRED.replace(/( *)- name: regcred\n/, '$1- name: regcred\n$1- name: ghcr-pull\n'),
      },
      options: { rules: { 'pull-secret-not-found': setting } },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', severity: setting === 'error' ? ('warning' as const) : ('notice' as const) }],
    })),
    {
      name: 'an existing-secrets entry of another name does not help',
      files: { 'pod.yaml': POD_REGCRED },
      options: { existingSecrets: [{ namespace: 'app', name: 'regcred2', registries: [] }] },
      errors: [{ line: 6, column: 13 }],
    },
    {
      name: 'a ServiceAccount and a Deployment inside a List (kubectl get -o yaml)',
      files: {
        'list.yaml': yaml`
          apiVersion: v1
          kind: List
          items:
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: runner, namespace: app}
              imagePullSecrets:
                - name: quay-pull
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: web, namespace: app}
              spec:
                template:
                  spec:
                    serviceAccountName: runner
                    containers: [{name: web, image: quay.io/acme/web:1}]
        `,
      },
      errors: [{ line: 8, column: 15, endColumn: 24, message: /^ServiceAccount app\/runner references pull secret "quay-pull".*used by Deployment app\/web/ }],
    },
    {
      name: 'an annotation on the ServiceAccount suppresses its entry',
      files: {
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata:
            name: runner
            namespace: app
            annotations:
              pullcheck.dev/ignore: "pull-secret-not-found: created by the namespace operator"
          imagePullSecrets:
            - name: quay-pull
        `,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: a, namespace: app}
          spec:
            serviceAccountName: runner
            imagePullSecrets: [{name: regcred}]
            containers: [{name: a, image: quay.io/acme/a:1}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: b, namespace: app}
          spec:
            serviceAccountName: runner
            containers: [{name: b, image: quay.io/acme/b:1}]
        `,
      },
      errors: [{ line: 6, column: 29, file: 'pod.yaml' }],
      suppressed: [{ line: 9, column: 11, file: 'sa.yaml' }],
    },
  ],
})

describe('pull-secret-not-found: the secret with a similar name is a related location', () => {
  it('points at its name', () => {
    const result = analyzeSources([{ path: 'secret.yaml', text: GHCR_SECRET }, { path: 'pod.yaml', text: POD_REGCRED.replace('name: regcred', 'name: ghcr-pul') }], defaultOptions('.'))
    const finding = result.findings.find((f) => f.ruleId === 'pull-secret-not-found')
    expect(finding?.related.map((r) => [r.message, r.location.file, r.location.range.start.line, r.location.range.start.column])).toEqual([['Secret app/ghcr-pull has a similar name', 'secret.yaml', 3, 18]])
  })
})

describe('pull-secret-not-found: the pull paths of a finding are bounded', () => {
  it('names at most 20 pods per finding and 20 secrets per pod, and counts the rest', () => {
    const names = Array.from({ length: 30 }, (_, i) => `missing-${i}`)
    const sa = `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner, namespace: app}\nimagePullSecrets:\n${names.map((n) => `  - name: ${n}\n`).join('')}`
    const pods = Array.from({ length: 25 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: app}\nspec:\n  serviceAccountName: runner\n  containers: [{name: c, image: ghcr.io/acme/a:1}]\n`)
    const result = analyzeSources([{ path: 'sa.yaml', text: sa }, { path: 'pods.yaml', text: pods.join('---\n') }], defaultOptions('/virtual'))
    const findings = result.findings.filter((f) => f.ruleId === 'pull-secret-not-found')
    expect(findings).toHaveLength(30)
    for (const f of findings) {
      expect(f.paths).toHaveLength(20)
      expect(f.pathsOmitted).toBe(5)
      expect(f.paths![0]).toEqual({ namespace: 'app', serviceAccount: 'runner', secrets: names.slice(0, 20), workload: { kind: 'Pod', namespace: 'app', name: 'p0' }, secretsOmitted: 10, secretsFrom: 'serviceAccount' })
    }
  })
})
