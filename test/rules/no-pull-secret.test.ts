// no-pull-secret: a private image whose pod gets no pull secret from its own list or its ServiceAccount.
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { defaultOptions } from '../../src/options.js'
import { defaultServiceAccount, GHCR_SECRET } from './manifests.js'
import { ruleTester, yaml } from './tester.js'

/** A Pod in namespace app pulling `image`; the image value is on line 7, column 14. */
function pod(image: string, extra = ''): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: app}
    spec:
      containers:
        - name: web
          image: ${image}
  ` + extra
}

/**
 * Deployment app/web pulling ghcr.io/acme/web:1.0, with `spec` lines on its own spec and `podSpec`
 * lines on its pod template's spec (YAML, unindented); the image is on line 9 + the lines given.
 */
function deployment({ spec = '', podSpec = '' }: { spec?: string; podSpec?: string }): string {
  const indent = (text: string, n: number) => text.replace(/^(?=.)/gm, ' '.repeat(n))
  return (
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\nspec:\n' +
    indent(spec, 2) +
    '  template:\n    spec:\n' +
    indent(podSpec, 6) +
    '      containers:\n        - {name: web, image: ghcr.io/acme/web:1.0}\n'
  )
}

/** Pod app/puller pulls ghcr.io/acme/web:1.0 with ghcr-pull; Pod app/cached uses it under Never (its image on line 9, column 14), with `list` as its imagePullSecrets. */
function neverPods(list: string, image = 'ghcr.io/acme/web:1.0'): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: cached, namespace: app}
    spec:
      imagePullSecrets: ${list}
      containers:
        - name: web
          imagePullPolicy: Never
          image: ${image}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: puller, namespace: app}
    spec:
      imagePullSecrets: [{name: ghcr-pull}]
      containers: [{name: web, image: ghcr.io/acme/web:1.0, imagePullPolicy: Always}]
  `
}

ruleTester('no-pull-secret', {
  valid: [
    // Never pulled: its credentials matter only for an image another pod pulls with a secret (1.35+).
    { name: 'imagePullPolicy Never, no other pod pulls the image', files: { 'secret.yaml': GHCR_SECRET, 'pods.yaml': neverPods('[]', 'ghcr.io/acme/other:1.0') } },
    { name: 'imagePullPolicy Never with the secret another pod pulls the image with', files: { 'secret.yaml': GHCR_SECRET, 'pods.yaml': neverPods('[{name: ghcr-pull}]') } },
    {
      // A PodTemplate runs no pod, so it pulls nothing.
      name: 'imagePullPolicy Never, the image named with a pull secret only by a PodTemplate',
      files: {
        'secret.yaml': GHCR_SECRET,
        'pods.yaml':
          neverPods('[]', 'ghcr.io/acme/other:1.0') +
          '---\napiVersion: v1\nkind: PodTemplate\nmetadata: {name: tmpl, namespace: app}\ntemplate:\n  spec:\n    imagePullSecrets: [{name: ghcr-pull}]\n    containers: [{name: web, image: ghcr.io/acme/other:1.0}]\n',
      },
    },
    { name: 'fixture: the fix applied, and images that need no credential', files: 'passes.yaml' },
    { name: 'fixture kinds: the kinds are checked only for private images (no option: unclassified)', files: 'fires-kinds.yaml' },
    { name: 'an unclassified image is listed in the summary, not reported', files: { 'pod.yaml': pod('quay.io/acme/web:1.0') } },
    { name: 'an official Docker Hub image is public', files: { 'pod.yaml': pod('nginx:1.27') } },
    {
      // kubectl cannot decode it (yaml-syntax-error says so): it never exists, so none of its images is checked.
      name: 'a Deployment whose containers hold a string gets no image finding',
      files: {
        'secret.yaml': GHCR_SECRET.replace('namespace: app', 'namespace: other'),
        'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\nspec:\n  template:\n    spec:\n      containers: [nginx, {name: app, image: ghcr.io/acme/app:1}]\n',
      },
    },
    {
      // The kubelet skips the empty name and pulls anonymously: a list that names no Secret does not make the image private.
      name: 'a pull-secret list of empty names only (an unset Helm value) does not make an image checked',
      files: { 'pod.yaml': pod('quay.io/prometheus/node-exporter:v1.8.0', '  imagePullSecrets: [{name: ""}]\n') },
    },
    {
      name: 'public-registries wins over an inferred private registry',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('ghcr.io/acme/web:1.0') },
      options: { publicRegistries: ['ghcr.io'] },
    },
    {
      name: 'public-registries wins over private-registries',
      files: { 'pod.yaml': pod('quay.io/acme/web:1.0') },
      options: { publicRegistries: ['quay.io'], privateRegistries: ['quay.io/acme'] },
    },
    {
      name: 'node-credentials wins over private-registries',
      files: { 'pod.yaml': pod('123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0') },
      options: { nodeCredentials: ['*.dkr.ecr.*.amazonaws.com'], privateRegistries: ['*.dkr.ecr.*.amazonaws.com'] },
    },
    {
      name: 'a private-registries key with a port does not match an image without one',
      files: { 'pod.yaml': pod('registry.example.com/web:1.0') },
      options: { privateRegistries: ['registry.example.com:5000'] },
    },
    {
      name: 'a glob covers one host label only: *.example.com does not match a.b.example.com',
      files: { 'pod.yaml': pod('a.b.example.com/web:1.0') },
      options: { privateRegistries: ['*.example.com'] },
    },
    {
      name: 'a secret of unknown content (SealedSecret) never makes an image private',
      files: {
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: {name: ghcr-pull, namespace: app}
          spec:
            encryptedData:
              .dockerconfigjson: AgBy3i4OJSWK+PiTySYZZA==
            template:
              type: kubernetes.io/dockerconfigjson
        `,
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
    },
    {
      name: "an entry without credentials (a workstation's config) never makes an image private",
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: desktop, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"ghcr.io": {}, "quay.io": {"auth": "YWNtZTpzM2NyZXQ="}}, "credsStore": "desktop"}'
        `,
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
    },
    {
      name: 'an existing-secrets entry without registries (unknown content) never makes an image private',
      files: { 'pod.yaml': pod('ghcr.io/acme/web:1.0') },
      options: { existingSecrets: [{ namespace: 'app', name: 'regcred', registries: [] }] },
    },
    {
      name: 'imagePullPolicy Never: the kubelet never pulls, so no credential is needed',
      files: { 'pod.yaml': pod('ghcr.io/acme/web:1.0', '      imagePullPolicy: Never\n') },
      options: { privateRegistries: ['ghcr.io'] },
    },
    {
      name: 'serviceAccountName wins over the deprecated serviceAccount',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: puller, namespace: app}
          imagePullSecrets: [{name: ghcr-pull}]
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: bare, namespace: app}
        `,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            serviceAccountName: puller
            serviceAccount: bare
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
    },
    {
      name: 'the deprecated serviceAccount alone names the ServiceAccount',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: puller, namespace: app}
          imagePullSecrets: [{name: ghcr-pull}]
        `,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            serviceAccount: puller
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
    },
    {
      name: 'a declared default ServiceAccount with pull secrets serves pods that name no ServiceAccount',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('imagePullSecrets: [{name: ghcr-pull}]\n'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
    },
    {
      name: 'a ServiceAccount from existing-service-accounts may carry pull secrets pullcheck cannot see',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            serviceAccountName: deployer
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      options: { privateRegistries: ['ghcr.io'], existingServiceAccounts: [{ namespace: 'app', name: 'deployer' }] },
    },
    {
      name: 'a pod list the API server rejects (a bare string) is reported by pull-secret-empty-name, not here',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('ghcr.io/acme/web:1.0', '  imagePullSecrets: [ghcr-pull]\n') },
    },
    {
      name: 'a missing non-default ServiceAccount is service-account-not-found, not no-pull-secret',
      files: {
        'secret.yaml': GHCR_SECRET,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            serviceAccountName: ghost
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
    },
    {
      name: 'objects without a namespace share the default namespace',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: ghcr-pull}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: default, namespace: default}
          imagePullSecrets: [{name: ghcr-pull}]
        `,
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            template:
              spec:
                containers:
                  - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
    },
    {
      name: 'suppressed by the pullcheck.dev/ignore annotation with a reason (counted, not dropped)',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: app
            annotations:
              pullcheck.dev/ignore: "no-pull-secret: the nodes pull ghcr.io through a mirror"
          spec:
            containers:
              - name: web
                image: ghcr.io/acme/web:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      suppressed: [{ line: 11, column: 14 }],
    },
    {
      // A Helm chart's podAnnotations land there; the pods made from the template carry it.
      name: 'suppressed by the annotation on the pod template (a Helm chart\'s podAnnotations: the pods carry it)',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web, namespace: app}
          spec:
            template:
              metadata:
                labels: {app: web}
                annotations:
                  checksum/config: abc
                  pullcheck.dev/ignore: "no-pull-secret: the nodes pull ghcr.io through a mirror"
              spec:
                containers:
                  - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      suppressed: [{ line: 13, column: 30 }],
    },
    {
      name: 'suppressed by a pullcheck-ignore comment with a reason on the line before',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                # pullcheck-ignore no-pull-secret: pulled through the node's registry mirror
                image: ghcr.io/acme/web:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      suppressed: [{ line: 8, column: 14 }],
    },
    {
      name: 'the annotation may list several rules',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: app
            annotations:
              pullcheck.dev/ignore: "auth-only-registry,no-pull-secret: built on the node by kaniko"
          spec:
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      suppressed: [{ line: 10, column: 26 }],
    },
    {
      name: 'a reasonless annotation entry does not hide a comment with a reason, nor a later entry with one',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: app
            annotations:
              pullcheck.dev/ignore: "no-pull-secret"
          spec:
            containers:
              - name: web
                # pullcheck-ignore no-pull-secret: pulled through the node's registry mirror
                image: ghcr.io/acme/web:1.0
        `,
        'job.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: job
            namespace: app
            annotations:
              pullcheck.dev/ignore: "no-pull-secret; no-pull-secret: built on the node"
          spec:
            containers:
              - {name: job, image: ghcr.io/acme/job:1.0}
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      suppressed: [
        { file: 'job.yaml', line: 10, column: 26 },
        { file: 'pod.yaml', line: 12, column: 14 },
      ],
    },
  ],
  invalid: [
    {
      // `kubectl get pods -o yaml` of one kind: the items name no kind; kubectl's decoder sets them from the list (an identity audit).
      name: 'a PodList whose items name no apiVersion and kind: they are Pods; a SecretList item is a Secret',
      files: {
        'pods.yaml': 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: api, namespace: shop}\n  spec:\n    containers: [{name: api, image: ghcr.io/acme/api:1.0}]\n',
        'secrets.yaml':
          'apiVersion: v1\nkind: SecretList\nitems:\n- metadata: {name: regcred, namespace: shop}\n  type: kubernetes.io/dockerconfigjson\n  stringData: {.dockerconfigjson: \'{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}\'}\n---\n' +
          'apiVersion: v1\nkind: Pod\nmetadata: {name: ok, namespace: shop}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: api, image: ghcr.io/acme/api:1.0}]\n',
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ file: 'pods.yaml', line: 6, column: 37, endColumn: 57, message: /^container "api" of Pod shop\/api pulls private image ghcr\.io\/acme\/api:1\.0/ }],
    },
    {
      // Files saved with a BOM and joined with ---: kubectl parses each document alone (a positions audit).
      name: 'a byte order mark at the start of every document of a file (LF and CRLF): each document is read',
      files: {
        'a.yaml': ['a', 'b'].map((n) => `\ufeffapiVersion: v1\nkind: Pod\nmetadata: {name: ${n}, namespace: app}\nspec:\n  containers:\n    - name: c\n      image: ghcr.io/acme/web:1\n`).join('---\n'),
        'b.yaml': ['c', 'd'].map((n) => `\ufeffapiVersion: v1\r\nkind: Pod\r\nmetadata: {name: ${n}, namespace: app}\r\nspec:\r\n  containers:\r\n    - name: c\r\n      image: ghcr.io/acme/web:1\r\n`).join('--- # next\r\n'),
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [
        { file: 'a.yaml', line: 7, column: 14, endColumn: 32, message: /^container "c" of Pod app\/a pulls private image/ },
        { file: 'a.yaml', line: 15, column: 14, endColumn: 32, message: /^container "c" of Pod app\/b pulls private image/ },
        { file: 'b.yaml', line: 7, column: 14, endColumn: 32, message: /^container "c" of Pod app\/c pulls private image/ },
        { file: 'b.yaml', line: 15, column: 14, endColumn: 32, message: /^container "c" of Pod app\/d pulls private image/ },
      ],
    },
    {
      // What the kubelet pulls: `latest` when no tag is written.
      name: 'imagePullPolicy Never: the same image written without a tag and with :latest',
      files: { 'secret.yaml': GHCR_SECRET, 'pods.yaml': neverPods('[]', 'ghcr.io/acme/web').replace('image: ghcr.io/acme/web:1.0, imagePullPolicy: Always', 'image: ghcr.io/acme/web:latest') },
      errors: [{ line: 9, column: 14, file: 'pods.yaml', severity: 'warning', message: /^container "web" of Pod app\/cached uses \(imagePullPolicy Never, from the node's cache\) private image ghcr\.io\/acme\/web / }],
    },
    {
      name: 'imagePullPolicy Never without credentials for an image another pod pulls with a pull secret: a warning (1.35+)',
      files: { 'secret.yaml': GHCR_SECRET, 'pods.yaml': neverPods('[]') },
      errors: [
        {
          line: 9,
          column: 14,
          file: 'pods.yaml',
          severity: 'warning',
          message:
            /^container "web" of Pod app\/cached uses \(imagePullPolicy Never, from the node's cache\) private image ghcr\.io\/acme\/web:1\.0 .* This pod never pulls it, but Pod app\/puller pulls it with a pull secret: on Kubernetes 1\.35 and later \(KubeletEnsureSecretPulledImages, on by default\).*\(ErrImageNeverPull\)/,
        },
      ],
    },
    {
      name: 'a reasonless annotation on a CronJob\'s pod template does not apply, and the finding says so',
      files: {
        'cron.yaml': yaml`
          apiVersion: batch/v1
          kind: CronJob
          metadata: {name: nightly, namespace: app}
          spec:
            schedule: "@daily"
            jobTemplate:
              spec:
                template:
                  metadata:
                    annotations: {pullcheck.dev/ignore: no-pull-secret}
                  spec:
                    containers:
                      - {name: job, image: ghcr.io/acme/job:1.0}
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 13, column: 34, message: 'names this rule but gives no reason' }],
    },
    {
      // Host names are case-insensitive: a private-registries pattern matches the image's host in any case.
      name: 'an image whose host is in upper case still matches a private-registries pattern',
      files: { 'pod.yaml': pod('GHCR.IO/acme/web:1.0') },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: 'container "web" of Pod app/web pulls private image GHCR.IO/acme/web:1.0 (private-registries pattern ghcr.io)' }],
    },
    {
      name: "a ServiceAccount list of empty names: the message says so, not that it lists nothing",
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('imagePullSecrets: [{name: ""}]\n'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [
        {
          file: 'pod.yaml',
          line: 7,
          column: 14,
          message:
            "container \"web\" of Pod app/web pulls private image ghcr.io/acme/web:1.0 (Secret app/ghcr-pull has credentials for ghcr.io), but ServiceAccount app/default's imagePullSecrets holds only empty names, which the kubelet skips; list Secret app/ghcr-pull in the pod's or ServiceAccount default's imagePullSecrets.",
        },
      ],
    },
    {
      name: 'a ServiceAccount list the API server rejects (a bare string): its pods get no pull secret from it',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('imagePullSecrets: [ghcr-pull]\n'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: "but ServiceAccount app/default's imagePullSecrets is not a list of {name: …} objects, which the API server rejects; list Secret app/ghcr-pull in" }],
    },
    {
      name: 'a ServiceAccount list the API server rejects (a name that is a number): its pods get no pull secret from it either',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('imagePullSecrets: [{name: 42}]\n'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: "but ServiceAccount app/default's imagePullSecrets is not a list of {name: …} objects, which the API server rejects; list Secret app/ghcr-pull in" }],
    },
    {
      name: 'fixture: default ServiceAccount, ServiceAccount without secrets, only empty names, image volume',
      files: 'fires.yaml',
      errors: [
        { line: 28, column: 18, endLine: 28, endColumn: 40, severity: 'error', message: /^container "api" of Deployment shop\/api pulls private image ghcr\.io\/acme\/api:2\.0\.1 .*ServiceAccount shop\/default.*; list Secret shop\/ghcr-pull in the pod's or ServiceAccount default's imagePullSecrets\.$/ },
        { line: 53, column: 22, endColumn: 46, message: 'init container "fetch" of CronJob shop/nightly-report' },
        { line: 56, column: 22, endColumn: 47, message: 'ServiceAccount shop/reporter' },
        { line: 70, column: 14, endColumn: 37, message: /holds only empty names.*ServiceAccount shop\/default/ },
        { line: 85, column: 20, endColumn: 46, message: 'image volume "model" of Pod shop/inference' },
      ],
    },
    {
      name: 'fixture kinds: Job, ReplicaSet, StatefulSet, DaemonSet (sidecar), ReplicationController, PodTemplate, Rollout, Knative Service, ephemeral container, List item',
      files: 'fires-kinds.yaml',
      options: { privateRegistries: ['ghcr.io/acme'] },
      errors: [
        { line: 12, column: 18, message: 'Job shop/migrate' },
        { line: 23, column: 31, endColumn: 52, message: 'ReplicaSet shop/cart' },
        { line: 36, column: 18, message: 'StatefulSet shop/db' },
        { line: 49, column: 18, message: 'init container "shipper" of DaemonSet monitoring/agent' },
        { line: 53, column: 18, message: 'container "agent" of DaemonSet monitoring/agent' },
        { line: 65, column: 18, message: 'ReplicationController shop/legacy' },
        { line: 75, column: 16, message: 'PodTemplate ci/runner-template' },
        { line: 89, column: 18, message: 'Rollout shop/storefront' },
        { line: 98, column: 18, message: 'Service serverless/hello' },
        { line: 111, column: 14, message: 'ephemeral container "debugger" of Pod shop/debug-target' },
        { line: 128, column: 22, message: 'Deployment shop/search' },
      ],
    },
    {
      // KEDA creates Jobs from spec.jobTargetRef (a batch JobSpec) in the ScaledJob's namespace; another group's ScaledJob is not KEDA's.
      name: "a KEDA ScaledJob's jobTargetRef pod template; a ScaledJob of another API group is not read",
      files: {
        'scaledjob.yaml': yaml`
          apiVersion: keda.sh/v1alpha1
          kind: ScaledJob
          metadata: {name: worker, namespace: jobs}
          spec:
            jobTargetRef:
              template:
                spec:
                  containers:
                    - {name: worker, image: ghcr.io/acme/worker:1.0}
                  restartPolicy: Never
            triggers: [{type: rabbitmq, metadata: {queueName: jobs}}]
          ---
          apiVersion: example.com/v1
          kind: ScaledJob
          metadata: {name: other, namespace: jobs}
          spec:
            jobTargetRef:
              template:
                spec:
                  containers: [{name: worker, image: ghcr.io/acme/worker:1.0}]
        `,
      },
      options: { privateRegistries: ['ghcr.io/acme'] },
      errors: [{ line: 9, column: 35, endColumn: 58, file: 'scaledjob.yaml', message: 'container "worker" of ScaledJob jobs/worker pulls private image ghcr.io/acme/worker:1.0' }],
    },
    {
      // Written on the Deployment's own spec, the ServiceAccount name never reaches the pods: they run as default.
      name: "a serviceAccountName on the Deployment's spec, not its template's: the pods run as default, and the fix is to move it",
      files: {
        'deploy.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: app, namespace: t}
          imagePullSecrets: [{name: regcred}]
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: d, namespace: t}
          spec:
            serviceAccountName: app
            selector: {matchLabels: {app: d}}
            template:
              metadata: {labels: {app: d}}
              spec:
                containers: [{name: c, image: ghcr.io/acme/a:1}]
        `,
      },
      options: { privateRegistries: ['ghcr.io/acme'] },
      errors: [
        {
          line: 15,
          column: 37,
          file: 'deploy.yaml',
          message:
            'container "c" of Deployment t/d pulls private image ghcr.io/acme/a:1 (private-registries pattern ghcr.io/acme), but neither the pod nor its ServiceAccount t/default lists any imagePullSecrets; spec.serviceAccountName (app) is not part of the pod template, so the pods run as ServiceAccount default: move it to spec.template.spec.serviceAccountName, or add a pull secret for ghcr.io in namespace t and list it in the pod\'s or ServiceAccount default\'s imagePullSecrets.',
          fix: 'Move spec.serviceAccountName to spec.template.spec.serviceAccountName.',
        },
      ],
    },
    {
      name: 'fixture JSON: a JSON manifest is checked, and the finding points into it',
      files: 'fires.json',
      options: { privateRegistries: ['ghcr.io/acme'] },
      errors: [{ line: 11, column: 40, endColumn: 66, message: 'Deployment shop/billing' }],
    },
    {
      name: 'private-registries makes an image private without any secret in the manifests',
      files: { 'pod.yaml': pod('quay.io/acme/web:1.0') },
      options: { privateRegistries: ['quay.io/acme'] },
      errors: [{ line: 7, column: 14, endColumn: 34, message: 'private-registries pattern quay.io/acme' }],
    },
    {
      name: 'a registry pattern path is a plain string prefix: quay.io/acme covers quay.io/acmecorp/web',
      files: { 'pod.yaml': pod('quay.io/acmecorp/web:1.0') },
      options: { privateRegistries: ['quay.io/acme'] },
      errors: [{ line: 7, column: 14 }],
    },
    {
      name: 'a glob inside one label: *.example.com covers registry.example.com',
      files: { 'pod.yaml': pod('registry.example.com/web:1.0') },
      options: { privateRegistries: ['*.example.com'] },
      errors: [{ line: 7, column: 14 }],
    },
    {
      name: 'private-registries docker.io makes even an official image private',
      files: { 'pod.yaml': pod('nginx:1.27') },
      options: { privateRegistries: ['docker.io'] },
      errors: [{ line: 7, column: 14, endColumn: 24 }],
    },
    {
      name: 'a pull secret for the registry in another namespace still makes the image private (inferred)',
      files: {
        'secret.yaml': GHCR_SECRET,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: other}
          spec:
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      errors: [{ line: 6, column: 26, message: /\(Secret app\/ghcr-pull has credentials for ghcr\.io\).*; copy or replicate Secret app\/ghcr-pull into namespace other \(or add a pull secret for ghcr\.io there\) and list it in the pod's or ServiceAccount default's imagePullSecrets\.$/ }],
    },
    {
      name: 'an existing-secrets entry with registries makes the image private',
      files: { 'pod.yaml': pod('ghcr.io/acme/web:1.0') },
      options: { existingSecrets: [{ namespace: 'app', name: 'regcred', registries: ['ghcr.io'] }] },
      // The message says where the credentials are known from: the configuration, not the manifests.
      errors: [{ line: 7, column: 14, message: /pulls private image ghcr\.io\/acme\/web:1\.0 \(existing-secrets entry app\/regcred of the configuration lists credentials for ghcr\.io\).*; list Secret app\/regcred \(an existing-secrets entry\) in the pod's/ }],
    },
    {
      name: 'an existing-secrets entry with a key meant for Docker Hub (registry-1.docker.io) makes Docker Hub images private, and says so',
      files: { 'pod.yaml': pod('acme/web:1.0') },
      options: { existingSecrets: [{ namespace: 'other', name: 'regcred', registries: ['registry-1.docker.io'] }] },
      errors: [{ line: 7, column: 14, message: /pulls private image acme\/web:1\.0 \(existing-secrets entry other\/regcred of the configuration lists credentials meant for Docker Hub \(registry-1\.docker\.io\)\).*; add a pull secret for docker\.io in namespace app and list it in the pod's or ServiceAccount default's imagePullSecrets\.$/ }],
    },
    {
      name: 'the deprecated serviceAccount loses to serviceAccountName',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: puller, namespace: app}
          imagePullSecrets: [{name: ghcr-pull}]
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: bare, namespace: app}
        `,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            serviceAccountName: bare
            serviceAccount: puller
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      errors: [{ line: 8, column: 26, message: 'ServiceAccount app/bare' }],
    },
    {
      name: 'a ServiceAccount with an empty imagePullSecrets list gives nothing',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('imagePullSecrets: []\n'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [{ line: 7, column: 14, file: 'pod.yaml' }],
    },
    {
      name: 'default-namespace moves namespace-less objects away from a ServiceAccount declared in "default"',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: ghcr-pull, namespace: default}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: default, namespace: default}
          imagePullSecrets: [{name: ghcr-pull}]
        `,
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            template:
              spec:
                containers:
                  - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      options: { defaultNamespace: 'prod' },
      errors: [{ line: 8, column: 30, file: 'deploy.yaml', message: 'ServiceAccount prod/default' }],
    },
    {
      name: 'an annotation without a reason does not apply, and the message says so',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: app
            annotations:
              pullcheck.dev/ignore: no-pull-secret
          spec:
            containers:
              - name: web
                image: ghcr.io/acme/web:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 11, column: 14, message: 'gives no reason' }],
    },
    {
      name: 'a suppression that misspells the rule id does not apply, and the message names the typo',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                # pullcheck-ignore no-pull-secrets: pulled through the node's registry mirror
                image: ghcr.io/acme/web:1.0
        `,
        'job.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: job
            namespace: app
            annotations:
              pullcheck.dev/ignore: "auth-only-registry,No_Pull_Secret: built on the node"
          spec:
            containers:
              - {name: job, image: ghcr.io/acme/job:1.0}
        `,
        'other.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: other, namespace: app}
          spec:
            containers:
              - name: other
                # pullcheck-ignore registry-not-coverd: a typo of another rule
                image: ghcr.io/acme/other:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [
        { file: 'job.yaml', line: 10, column: 26, message: '(a pullcheck ignore annotation names "No_Pull_Secret", which is no rule: did you mean no-pull-secret?)' },
        { file: 'other.yaml', line: 8, column: 14, message: /ghcr\.io in namespace app and list it in the pod.s or ServiceAccount default.s imagePullSecrets\.$/ },
        { file: 'pod.yaml', line: 8, column: 14, message: '(a pullcheck ignore comment names "no-pull-secrets", which is no rule: did you mean no-pull-secret?)' },
      ],
    },
    {
      name: 'a comment without a reason does not apply',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                # pullcheck-ignore no-pull-secret
                image: ghcr.io/acme/web:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 8, column: 14, message: 'gives no reason' }],
    },
    {
      name: 'a line of a block scalar that reads like the directive is text, not a comment (a shell script in args)',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                args:
                  - |
                    # pullcheck-ignore no-pull-secret: just text in a script
                image: ghcr.io/acme/web:1.0
              - name: side
                command: >-
                  run it
                # pullcheck-ignore no-pull-secret: a comment after the block scalar ends
                image: ghcr.io/acme/side:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 10, column: 14, message: /^container "web" / }],
      suppressed: [{ line: 15, column: 14 }],
    },
    {
      name: 'block scalars end where a line is no more indented than their key: a comment after `- command: |` applies; a deeper one inside a script does not',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - command: |
                  echo hi
                # pullcheck-ignore no-pull-secret: mirrored on the nodes
                image: ghcr.io/acme/web:1.0
              - name: side
                args:
                  - |
                    if true; then
                      # pullcheck-ignore no-pull-secret: shell text, deeper than the script's first line
                image: ghcr.io/acme/side:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 15, column: 14, message: /^container "side" / }],
      suppressed: [{ line: 9, column: 14 }],
    },
    {
      // YAML reads those lines as part of the strings (a quoted scalar runs on over lines).
      name: 'a line inside a quoted string that runs over lines is text, not a comment, in double and single quotes',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                command: "echo hello
                # pullcheck-ignore no-pull-secret: this is inside a double-quoted string"
                image: ghcr.io/acme/web:1.0
              - name: side
                args: ['echo hi
                  # pullcheck-ignore no-pull-secret: inside a single-quoted string']
                image: ghcr.io/acme/side:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [
        { line: 9, column: 14, message: /^container "web" / },
        { line: 13, column: 14, message: /^container "side" / },
      ],
    },
    {
      // The outer block scalar holds everything down to image:; a header-like line in it is text.
      name: 'a block scalar line that reads like a header (`notes: |` in a script that writes YAML) does not end the scalar',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                args:
                  - |
                    cat > values.yaml
                    notes: |
                    # pullcheck-ignore no-pull-secret: text of the script, as indented as notes
                image: ghcr.io/acme/web:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 12, column: 14, message: /^container "web" / }],
    },
    {
      // js-yaml closes an alias past the comments after it; the comment is still a comment (found by differential fuzzing).
      name: 'a comment after a line that ends in an alias applies',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: &n web
                workingDir: *n
                # pullcheck-ignore no-pull-secret: mirrored on the nodes
                image: ghcr.io/acme/web:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      suppressed: [{ line: 9, column: 14 }],
    },
    {
      // The comment sits between the key and its value: it is a comment, not part of the scalar.
      name: 'a comment between a key and its value on the next line applies',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                image:
                  # pullcheck-ignore no-pull-secret: mirrored on the nodes
                  ghcr.io/acme/web:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      suppressed: [{ line: 9, column: 9 }],
    },
    {
      name: 'an ignore without the colon before its reason, or a * in a comment, does not apply, and the finding says why',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: app
            annotations: {pullcheck.dev/ignore: "no-pull-secret mirrored by the nodes"}
          spec:
            containers:
              - name: web
                image: ghcr.io/acme/web:1.0
        `,
        'star.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: star, namespace: app}
          spec:
            containers:
              - name: star
                # pullcheck-ignore *: every rule
                image: ghcr.io/acme/star:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [
        {
          line: 10,
          column: 14,
          file: 'pod.yaml',
          message: /\(a pullcheck ignore annotation names "no-pull-secret mirrored by the nodes", which is no rule: put a colon between the rule and the reason \("no-pull-secret: <reason>"\)\)$/,
        },
        { line: 8, column: 14, file: 'star.yaml', message: /\(a pullcheck ignore comment names \*, which only the pullcheck\.dev\/ignore annotation accepts: name the rule \("no-pull-secret: <reason>"\)\)$/ },
      ],
    },
    {
      name: 'a comment two lines above, or naming another rule, does not apply',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              # pullcheck-ignore no-pull-secret: too far away
              - name: web
                image: ghcr.io/acme/web:1.0
              - name: side
                # pullcheck-ignore registry-not-covered: another rule
                image: ghcr.io/acme/side:1.0
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 8, column: 14 }, { line: 11, column: 14 }],
    },
    {
      name: 'Lists inside a List are flattened, as kubectl does (a PodList in a JSON List, a List in a YAML one)',
      files: {
        'list.json':
          '{"apiVersion": "v1", "kind": "List", "items": [\n' +
          '  {"apiVersion": "v1", "kind": "PodList", "items": [\n' +
          '    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "inner", "namespace": "app"},\n' +
          '     "spec": {"containers": [{"name": "c", "image": "ghcr.io/acme/inner:1"}]}}]}]}\n',
        'list.yaml': yaml`
          apiVersion: v1
          kind: List
          items:
            - apiVersion: v1
              kind: List
              items:
                - apiVersion: v1
                  kind: List
                  items:
                    - apiVersion: v1
                      kind: Pod
                      metadata: {name: deep, namespace: app}
                      spec:
                        containers: [{name: c, image: ghcr.io/acme/deep:1}]
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [
        { file: 'list.json', line: 4, column: 53 },
        { file: 'list.yaml', line: 14, column: 45 },
      ],
    },
    {
      name: 'a comment at the end of the offending line applies to that line only, not to the next',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - {name: a, image: ghcr.io/acme/a:1}  # pullcheck-ignore no-pull-secret: built on the node
              - {name: b, image: ghcr.io/acme/b:1}
              - {name: "c #1", image: 'ghcr.io/acme/c:1'} # pullcheck-ignore no-pull-secret: after quotes with a '#'
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 7, column: 24 }],
      suppressed: [{ line: 6, column: 24 }, { line: 8, column: 29 }],
    },
    {
      name: 'a pullcheck-ignore inside a string, or after code on the line before, is no suppression',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: a
                args: ["# pullcheck-ignore no-pull-secret: a string"]
                image: ghcr.io/acme/a:1
              - name: b
                args: ['it''s # pullcheck-ignore no-pull-secret: a string']
                image: ghcr.io/acme/b:1
              - name: c
                command: [run] # pullcheck-ignore no-pull-secret: the line of command, not of image
                image: ghcr.io/acme/c:1
              - {name: "d # pullcheck-ignore no-pull-secret: a string", image: ghcr.io/acme/d:1}
        `,
      },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [{ line: 8, column: 14 }, { line: 11, column: 14 }, { line: 14, column: 14 }, { line: 15, column: 70 }],
    },
    {
      name: "imagePullSecrets on the Deployment's own spec: named as never read, and moving it is the fix",
      files: {
        'secret.yaml': GHCR_SECRET,
        'deploy.yaml': deployment({ spec: 'imagePullSecrets:\n  - name: ghcr-pull\n' }),
      },
      errors: [
        {
          file: 'deploy.yaml',
          line: 10,
          column: 30,
          message:
            'container "web" of Deployment app/web pulls private image ghcr.io/acme/web:1.0 (Secret app/ghcr-pull has credentials for ghcr.io), but neither the pod nor its ServiceAccount app/default has imagePullSecrets where Kubernetes reads them: spec.imagePullSecrets is not part of the pod template, so it never reaches the pods (move it to spec.template.spec.imagePullSecrets).',
        },
      ],
    },
    {
      name: 'imagePullSecrets inside a container',
      files: {
        'secret.yaml': GHCR_SECRET,
        'pod.yaml': pod('ghcr.io/acme/web:1.0', '      imagePullSecrets: [{name: ghcr-pull}]\n'),
      },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: /: the imagePullSecrets of container "web" is not a field of a container: pull secrets belong to the pod \(move it to spec\.imagePullSecrets\)\.$/ }],
    },
    {
      name: 'a misspelt key in the pod template (imagePullSecret)',
      files: {
        'secret.yaml': GHCR_SECRET,
        'deploy.yaml': deployment({ podSpec: 'imagePullSecret: [{name: ghcr-pull}]\n' }),
      },
      errors: [{ file: 'deploy.yaml', line: 9, column: 30, message: /: spec\.template\.spec\.imagePullSecret is not a field of a pod \(write spec\.template\.spec\.imagePullSecrets\)\.$/ }],
    },
    {
      name: "a CronJob's list on the job template, and a second one on the template: both counted",
      files: {
        'secret.yaml': GHCR_SECRET,
        'cron.yaml': yaml`
          apiVersion: batch/v1
          kind: CronJob
          metadata: {name: nightly, namespace: app}
          spec:
            schedule: "@daily"
            jobTemplate:
              spec:
                imagePullSecrets: [{name: ghcr-pull}]
                template:
                  imagePullSecrets: [{name: ghcr-pull}]
                  spec:
                    restartPolicy: Never
                    containers:
                      - {name: job, image: ghcr.io/acme/job:1.0}
        `,
      },
      errors: [{ file: 'cron.yaml', line: 14, column: 34, message: /: spec\.jobTemplate\.spec\.imagePullSecrets is not part of the pod template, so it never reaches the pods \(move it to spec\.jobTemplate\.spec\.template\.spec\.imagePullSecrets\) \(and 1 more list never read\)\.$/ }],
    },
    {
      name: "a ServiceAccount that lists the pull secret under secrets (mountable secrets), not imagePullSecrets",
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('secrets:\n  - name: app-token\n  - name: ghcr-pull\n'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: /: ServiceAccount app\/default lists ghcr-pull under secrets, the secrets its pods may mount, which no pull reads \(list it under imagePullSecrets\)\.$/ }],
    },
    {
      name: 'a ServiceAccount with a misspelt key',
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('ImagePullSecrets: [{name: ghcr-pull}]\n'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: /: ServiceAccount app\/default's ImagePullSecrets is not a field of a ServiceAccount \(write imagePullSecrets\)\.$/ }],
    },
    {
      name: "a custom resource's spec-level imagePullSecrets may be its operator's field: not called misplaced",
      files: {
        'secret.yaml': GHCR_SECRET,
        'rollout.yaml': deployment({ spec: 'imagePullSecrets: [{name: ghcr-pull}]\n' }).replace('apiVersion: apps/v1\nkind: Deployment', 'apiVersion: example.com/v1\nkind: Widget'),
      },
      errors: [{ file: 'rollout.yaml', line: 9, column: 30, message: /but neither the pod nor its ServiceAccount app\/default lists any imagePullSecrets; list Secret app\/ghcr-pull in the pod's or ServiceAccount default's imagePullSecrets\.$/ }],
    },
    {
      // The fix names the Secret there is, and points at it.
      name: 'a pull secret for the registry in the pod\'s namespace: the fix is to list it',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('ghcr.io/acme/web:1.0') },
      errors: [
        {
          file: 'pod.yaml',
          line: 7,
          column: 14,
          message:
            "container \"web\" of Pod app/web pulls private image ghcr.io/acme/web:1.0 (Secret app/ghcr-pull has credentials for ghcr.io), but neither the pod nor its ServiceAccount app/default lists any imagePullSecrets; list Secret app/ghcr-pull in the pod's or ServiceAccount default's imagePullSecrets.",
          fix: "Add {name: ghcr-pull} to the pod's or ServiceAccount default's imagePullSecrets.",
          related: [
            { message: 'Pod app/web', file: 'pod.yaml', line: 3, column: 18 },
            { message: 'Secret app/ghcr-pull has credentials for ghcr.io', file: 'secret.yaml', line: 3, column: 18 },
          ],
        },
      ],
    },
    {
      name: 'a pull secret for the registry only in another namespace: the fix is to copy it',
      files: { 'secret.yaml': GHCR_SECRET.replace('namespace: app', 'namespace: shared'), 'pod.yaml': pod('ghcr.io/acme/web:1.0') },
      errors: [
        {
          file: 'pod.yaml',
          line: 7,
          column: 14,
          message: /\(Secret shared\/ghcr-pull has credentials for ghcr\.io\).*; copy or replicate Secret shared\/ghcr-pull into namespace app \(or add a pull secret for ghcr\.io there\) and list it in the pod's or ServiceAccount default's imagePullSecrets\.$/,
          fix: "Copy or replicate Secret shared/ghcr-pull into namespace app (or create a docker-registry Secret for ghcr.io there) and reference it from the pod's or ServiceAccount default's imagePullSecrets.",
          related: [
            { message: 'Pod app/web', file: 'pod.yaml', line: 3, column: 18 },
            { message: 'Secret shared/ghcr-pull has credentials for ghcr.io', file: 'secret.yaml', line: 3, column: 18 },
          ],
        },
      ],
    },
    {
      // Under that name in app the kubelet would read the Opaque one: listing the name would not help.
      name: 'a Secret of the same name in the pod\'s namespace that the kubelet cannot use: the one elsewhere is to be copied',
      files: {
        'secret.yaml': GHCR_SECRET.replace('namespace: app', 'namespace: shared'),
        'opaque.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: ghcr-pull, namespace: app}\ntype: Opaque\n',
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: /; copy or replicate Secret shared\/ghcr-pull into namespace app \(or add a pull secret for ghcr\.io there\) and list it in the pod's or ServiceAccount default's imagePullSecrets\.$/ }],
    },
    {
      name: 'a copy that reflector makes in the pod\'s namespace is the one to list, named with its source',
      files: {
        'secret.yaml': GHCR_SECRET.replace(
          'metadata: {name: ghcr-pull, namespace: app}',
          'metadata:\n  name: ghcr-pull\n  namespace: shared\n  annotations:\n    reflector.v1.k8s.emberstack.com/reflection-allowed: "true"\n    reflector.v1.k8s.emberstack.com/reflection-auto-enabled: "true"\n    reflector.v1.k8s.emberstack.com/reflection-auto-namespaces: app',
        ),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [
        {
          file: 'pod.yaml',
          line: 7,
          column: 14,
          message: /\(Secret shared\/ghcr-pull has credentials for ghcr\.io\).*; list Secret app\/ghcr-pull \(copied from shared\/ghcr-pull by reflector\), which has credentials for ghcr\.io, in the pod's or ServiceAccount default's imagePullSecrets\.$/,
          fix: "Add {name: ghcr-pull} to the pod's or ServiceAccount default's imagePullSecrets.",
        },
      ],
    },
    {
      name: 'the reason names the first secret with credentials for the registry, and counts the others',
      files: {
        'a.yaml': GHCR_SECRET.replace('namespace: app', 'namespace: shared'),
        'b.yaml': GHCR_SECRET.replace('namespace: app', 'namespace: team'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: /\(Secret shared\/ghcr-pull \(and 1 more\) has credentials for ghcr\.io\).*; copy or replicate Secret shared\/ghcr-pull into namespace app/ }],
    },
    {
      // A copy declared in the namespace and filled by reflector (reflects), named with the tool that fills it.
      name: 'a copy that reflector fills (reflects) in the pod\'s namespace: named with reflector',
      files: {
        'source.yaml': GHCR_SECRET.replace(
          'metadata: {name: ghcr-pull, namespace: app}',
          'metadata:\n  name: ghcr-pull\n  namespace: infra\n  annotations:\n    reflector.v1.k8s.emberstack.com/reflection-allowed: "true"\n    reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces: app',
        ),
        'copy.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: ghcr-pull\n  namespace: app\n  annotations:\n    reflector.v1.k8s.emberstack.com/reflects: infra/ghcr-pull\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: e30K\n',
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [{ file: 'pod.yaml', line: 7, column: 14, message: /; list Secret app\/ghcr-pull \(copied from infra\/ghcr-pull by reflector\), which has credentials for ghcr\.io, in the pod's or ServiceAccount default's imagePullSecrets\.$/ }],
    },
    {
      // Its empty entry keeps the ServiceAccount's list out: listing the secret there would not help.
      name: 'a pod list of empty names: the fix lists the secret in the pod\'s own imagePullSecrets',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('ghcr.io/acme/web:1.0', '  imagePullSecrets: [{name: ""}]\n') },
      errors: [{ line: 7, column: 14, message: "; list Secret app/ghcr-pull in the pod's imagePullSecrets.", fix: "Add {name: ghcr-pull} to the pod's imagePullSecrets." }],
    },
    {
      name: 'a private-registries pattern and no secret for the registry anywhere: the fix is to create one',
      files: { 'pod.yaml': pod('ghcr.io/acme/web:1.0') },
      options: { privateRegistries: ['ghcr.io'] },
      errors: [
        {
          line: 7,
          column: 14,
          message: /\(private-registries pattern ghcr\.io\).*; add a pull secret for ghcr\.io in namespace app and list it in the pod's or ServiceAccount default's imagePullSecrets\.$/,
          fix: "Create a docker-registry Secret for ghcr.io in namespace app and reference it from the pod's or ServiceAccount default's imagePullSecrets.",
          related: [{ message: 'Pod app/web', file: 'pod.yaml', line: 3, column: 18 }],
        },
      ],
    },
    {
      name: 'the rules option changes the severity',
      files: { 'pod.yaml': pod('ghcr.io/acme/web:1.0') },
      options: { privateRegistries: ['ghcr.io'], rules: { 'no-pull-secret': 'warning' } },
      errors: [{ line: 7, column: 14, severity: 'warning' }],
    },
  ],
})

describe('no-pull-secret: the ServiceAccount as a related location', () => {
  it('says it has no imagePullSecrets only when it has none', () => {
    const related = (sa: string) =>
      analyzeSources([{ path: 'secret.yaml', text: GHCR_SECRET }, { path: 'sa.yaml', text: defaultServiceAccount(sa) }, { path: 'pod.yaml', text: pod('ghcr.io/acme/web:1.0') }], defaultOptions('.'))
        .findings.find((f) => f.ruleId === 'no-pull-secret')
        ?.related.map((r) => r.message)
    expect(related('automountServiceAccountToken: false\n')).toEqual(['ServiceAccount app/default has no imagePullSecrets', 'Pod app/web', 'Secret app/ghcr-pull has credentials for ghcr.io'])
    expect(related('imagePullSecrets: [{name: ""}]\n')).toEqual(['ServiceAccount app/default', 'Pod app/web', 'Secret app/ghcr-pull has credentials for ghcr.io'])
  })
})

describe('no-pull-secret: related locations of a list written where it is never read', () => {
  it('points at each misplaced key', () => {
    const result = analyzeSources(
      [
        { path: 'secret.yaml', text: GHCR_SECRET },
        {
          path: 'deploy.yaml',
          text: yaml`
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: app}
            spec:
              imagePullSecrets: [{name: ghcr-pull}]
              template:
                spec:
                  containers:
                    - name: web
                      image: ghcr.io/acme/web:1.0
                      imagePullSecrets: [{name: ghcr-pull}]
          `,
        },
      ],
      defaultOptions('.'),
    )
    const finding = result.findings.find((f) => f.ruleId === 'no-pull-secret')
    expect(finding?.related.map((r) => [r.message, r.location.file, r.location.range.start.line, r.location.range.start.column])).toEqual([
      ['Deployment app/web', 'deploy.yaml', 3, 18],
      ['spec.imagePullSecrets, never read', 'deploy.yaml', 5, 3],
      ['spec.template.spec.containers[0].imagePullSecrets, never read', 'deploy.yaml', 11, 11],
    ])
    expect(finding?.fix).toBe("Move the pull secrets to the pod's imagePullSecrets (spec.template.spec.imagePullSecrets) or to ServiceAccount default's imagePullSecrets.")
  })
})

describe('no-pull-secret: a ServiceAccount declared twice', () => {
  const withList = defaultServiceAccount('imagePullSecrets: [{name: ghcr-pull}]\n')
  const without = defaultServiceAccount('automountServiceAccountToken: false\n')
  const run = (first: string, second: string) =>
    analyzeSources(
      [
        { path: 'a-sa.yaml', text: first },
        { path: 'b-sa.yaml', text: second },
        { path: 'pod.yaml', text: pod('ghcr.io/acme/web:1.0') },
        { path: 'secret.yaml', text: GHCR_SECRET },
      ],
      defaultOptions('.'),
    )

  it('is taken from its last declaration, as kubectl apply -R -f leaves it, and the assumptions say so', () => {
    const lost = run(withList, without)
    expect(lost.findings.filter((f) => f.ruleId === 'no-pull-secret').map((f) => `${f.location.file}:${f.location.range.start.line}`)).toEqual(['pod.yaml:7'])
    expect(lost.assumptions).toEqual([
      'ServiceAccount app/default is declared 2 times with different imagePullSecrets (a-sa.yaml:3, b-sa.yaml:3); the last one read (b-sa.yaml:3) is used, as kubectl apply -R -f leaves it, though Helm and kustomize refuse duplicate objects.',
    ])
    const kept = run(without, withList)
    expect(kept.findings.filter((f) => f.ruleId === 'no-pull-secret')).toEqual([])
    expect(kept.assumptions).toHaveLength(1)
  })

  it('says nothing when the declarations agree on imagePullSecrets', () => {
    expect(run(withList, withList).assumptions).toEqual([])
  })
})

describe('explicit pull-secret lists', () => {
  // SPEC §4.5: an image is checked when its pod lists pull secrets explicitly.
  it.each([
    ['[{name: regcred}]', 'inferred-private'],
    // Written, though the API server rejects them: meant as a list of pull secrets.
    ['regcred', 'inferred-private'],
    ['[{name: 42}]', 'inferred-private'],
    ['[regcred]', 'inferred-private'],
    // An unset Helm value: no name, and the kubelet pulls anonymously.
    ['[{name: ""}]', 'unclassified'],
    ['[{name: null}]', 'unclassified'],
    ['[null]', 'unclassified'],
  ])('imagePullSecrets: %s makes the image %s', (list, classification) => {
    const result = analyzeSources([{ path: 'pod.yaml', text: pod('quay.io/acme/web:1.0', `  imagePullSecrets: ${list}\n`) }], defaultOptions('/repo'))
    expect(result.images.map((i) => i.classification)).toEqual([classification])
  })
})

describe('an imagePullPolicy Never image that another pod pulls with a pull secret', () => {
  it('is its own warning: the pod\'s other secret findings stay as they were (the image is never pulled)', () => {
    const quay = GHCR_SECRET.replace('ghcr-pull', 'quay').replace('"ghcr.io"', '"quay.io"')
    const result = analyzeSources(
      [
        { path: 'secret.yaml', text: GHCR_SECRET + '---\n' + quay },
        { path: 'pods.yaml', text: neverPods('[{name: missing}, {name: quay}]') },
      ],
      { ...defaultOptions('.'), rules: { 'credentials-in-repo': 'off', 'password-not-token': 'off' } },
    )
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.location.range.start.line])).toEqual([
      ['pull-secret-not-found', 'warning', 5],
      ['registry-not-covered', 'warning', 9],
    ])
    expect(result.findings[0].message).toMatch(/none of the pod's images needs a pull secret/)
  })
})
