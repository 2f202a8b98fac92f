// service-account-not-found: a named ServiceAccount that the pod's namespace does not have.
import { DELETED_HOOKS_CHART, hookedChart, PRE_INSTALL, PRE_INSTALL_EARLIER } from './manifests.js'
import { ruleTester, yaml } from './tester.js'

function serviceAccount(name: string, namespace = 'app'): string {
  return yaml`
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: ${name}, namespace: ${namespace}}
  `
}

/** A Pod in namespace app with the given spec lines before its containers. */
function pod(specLines: string): string {
  return (
    yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: app}
      spec:
    ` +
    specLines +
    yaml`
      containers:
        - {name: web, image: ghcr.io/acme/web:1.0}
    `.replace(/^/gm, '  ').replace(/ +$/, '')
  )
}

ruleTester('service-account-not-found', {
  valid: [
    { name: "a pre-install hook whose ServiceAccount is a pre-install hook too", files: { 'chart.yaml': hookedChart(PRE_INSTALL, PRE_INSTALL_EARLIER, PRE_INSTALL_EARLIER) } },
    {
      // The file is not rendered (unrendered-template says so): what the placeholders become is unknown.
      name: 'template placeholders in a ServiceAccount\'s name and labels do not make it refused',
      files: {
        'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: "{{ .Release.Name }}-sa"\n  namespace: app\n  labels: {helm.sh/chart: "{{ .Chart.Name }}-{{ .Chart.Version }}", ver: "${VERSION}"}\n',
        'pod.yaml': pod('  serviceAccountName: "{{ .Release.Name }}-sa"\n'),
      },
    },
    { name: 'fixture: declared ServiceAccounts, the deprecated field, and default', files: 'passes.yaml' },
    { name: 'no ServiceAccount named: default', files: { 'pod.yaml': pod('') } },
    { name: 'an empty serviceAccountName means default', files: { 'pod.yaml': pod('  serviceAccountName: ""\n') } },
    {
      name: 'existing-service-accounts declares one created outside the manifests',
      files: { 'pod.yaml': pod('  serviceAccountName: deployer\n') },
      options: { existingServiceAccounts: [{ namespace: 'app', name: 'deployer' }] },
    },
    {
      name: 'serviceAccountName wins: a missing deprecated serviceAccount beside it does not matter',
      files: { 'sa.yaml': serviceAccount('deployer'), 'pod.yaml': pod('  serviceAccountName: deployer\n  serviceAccount: old-name\n') },
    },
    {
      name: 'a ServiceAccount declared inside a List',
      files: {
        'list.yaml': yaml`
          apiVersion: v1
          kind: List
          items:
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: deployer, namespace: app}
        `,
        'pod.yaml': pod('  serviceAccountName: deployer\n'),
      },
    },
    {
      name: 'a ServiceAccount and a workload without namespace are both in default-namespace',
      files: {
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: deployer}
        `,
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            template:
              spec:
                serviceAccountName: deployer
                containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
      options: { defaultNamespace: 'prod' },
    },
    {
      name: 'a ServiceAccount declared in JSON',
      files: {
        'sa.json': '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "deployer", "namespace": "app"}}\n',
        'pod.yaml': pod('  serviceAccountName: deployer\n'),
      },
    },
    {
      name: 'suppressed by the annotation with a reason',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
            namespace: app
            annotations:
              pullcheck.dev/ignore: "service-account-not-found: created by the Terraform workspace"
          spec:
            template:
              spec:
                serviceAccountName: deployer
                containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
      suppressed: [{ line: 11, column: 27 }],
    },
  ],
  invalid: [
    {
      name: "a Helm pre-install hook's ServiceAccount that is not a hook: it does not exist yet on the first install",
      files: { 'chart.yaml': hookedChart(PRE_INSTALL, '', PRE_INSTALL_EARLIER) },
      errors: [
        {
          line: 26,
          column: 27,
          file: 'chart.yaml',
          message:
            "Job prod/myapp-migrate is a Helm pre-install hook and names ServiceAccount prod/myapp, which is not one (or one of a higher weight), so Helm creates it only after the hook has run: on the first install the API server rejects the hook's pods (the ServiceAccount does not exist yet), and the install fails; make ServiceAccount prod/myapp a pre-install hook too, with a lower helm.sh/hook-weight.",
        },
      ],
    },
    {
      // Helm deletes it once the pre-install hooks have run, before it creates the Deployment; the hook Job has it.
      name: 'a ServiceAccount that is a Helm hook deleted once its hooks succeed, named by a Deployment of the chart',
      files: { 'chart.yaml': DELETED_HOOKS_CHART },
      errors: [
        {
          line: 25,
          column: 27,
          file: 'chart.yaml',
          message:
            'Deployment shop/app names ServiceAccount shop/app, a Helm hook that Helm deletes once its hooks succeed (helm.sh/hook-delete-policy: hook-succeeded), and Deployment shop/app is no hook of its events: the API server rejects its pods (the ServiceAccount no longer exists); drop hook-succeeded from ServiceAccount shop/app\'s helm.sh/hook-delete-policy (or make it no hook: no helm.sh/hook).',
          fix: "Drop hook-succeeded from ServiceAccount shop/app's helm.sh/hook-delete-policy (or make it no hook: no helm.sh/hook).",
          related: [{ message: 'ServiceAccount shop/app is deleted once its hooks succeed', file: 'chart.yaml', line: 15, column: 9 }],
        },
      ],
    },
    {
      name: 'fixture: a typo, the deprecated serviceAccount field, a ServiceAccount in another namespace',
      files: 'fires.yaml',
      errors: [
        {
          line: 23,
          column: 27,
          endLine: 23,
          endColumn: 34,
          severity: 'error',
          message: /^Deployment shop\/api names ServiceAccount api-svc, which is not declared in namespace shop; .*declare ServiceAccount shop\/api-svc or list it in existing-service-accounts\.$/,
        },
        { line: 40, column: 27, endColumn: 34, message: 'CronJob shop/cleanup names ServiceAccount janitor' },
        { line: 65, column: 27, endColumn: 34, message: 'one exists in namespace monitoring' },
      ],
    },
    {
      // An object the API server cannot decode (map[string]string) or refuses (ValidateObjectMeta) never exists.
      name: 'a ServiceAccount the API server cannot decode or refuses: an annotation that is not a string, a label value with a space',
      files: {
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: deployer, namespace: app, annotations: {note: 5}}
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: builder, namespace: app, labels: {team: platform team}}
        `,
        'pod.yaml': pod('  serviceAccountName: deployer\n'),
        'pod2.yaml': pod('  serviceAccountName: builder\n'),
      },
      errors: [
        {
          line: 5,
          column: 23,
          endColumn: 31,
          file: 'pod.yaml',
          message:
            'Pod app/web names ServiceAccount deployer, declared in namespace app, but its annotation note is a number, not a string (quote it), so the API server cannot decode the ServiceAccount and it never exists, and admission rejects the pods of a ServiceAccount that does not exist; correct that field.',
        },
        { line: 5, column: 23, endColumn: 30, file: 'pod2.yaml', message: 'its label team has the value "platform team", which is not a label value (at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit), so the API server refuses the ServiceAccount and it never exists, and admission rejects' },
      ],
    },
    {
      // The API server names it deployer plus five random characters (kubectl apply refuses generateName).
      name: 'a ServiceAccount declared with generateName only: its name is not deployer',
      files: { 'sa.yaml': yaml`
        apiVersion: v1
        kind: ServiceAccount
        metadata: {generateName: deployer, namespace: app}
      `, 'pod.yaml': pod('  serviceAccountName: deployer\n') },
      errors: [{ line: 5, column: 23, endColumn: 31, file: 'pod.yaml', message: 'Pod app/web names ServiceAccount deployer' }],
    },
    {
      // js-yaml drops a BOM that opens its input; the document after `...` starts with one here.
      // (Without the ---, kubectl would never apply it: yaml-syntax-error says so.)
      name: 'a document that opens with a BOM after a `...` end marker and ---: positioned as in the file',
      files: { 'pod.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n...\n---\n\uFEFF' + pod('  serviceAccountName: ghost\n') },
      errors: [{ line: 10, column: 23, endColumn: 28, file: 'pod.yaml', message: 'Pod app/web names ServiceAccount ghost' }],
    },
    {
      name: 'a bare Pod',
      files: { 'pod.yaml': pod('  serviceAccountName: deployer\n') },
      errors: [{ line: 5, column: 23, endColumn: 31, message: 'Pod app/web names ServiceAccount deployer' }],
    },
    {
      name: 'serviceAccountName wins: the deprecated serviceAccount names a declared one, but is ignored',
      files: { 'sa.yaml': serviceAccount('old-name'), 'pod.yaml': pod('  serviceAccountName: deployer\n  serviceAccount: old-name\n') },
      errors: [{ line: 5, column: 23, file: 'pod.yaml', message: 'ServiceAccount deployer' }],
    },
    {
      name: 'existing-service-accounts in another namespace do not help',
      files: { 'pod.yaml': pod('  serviceAccountName: deployer\n') },
      options: { existingServiceAccounts: [{ namespace: 'tools', name: 'deployer' }] },
      errors: [{ line: 5, column: 23 }],
    },
    {
      name: 'default-namespace moves a namespace-less workload away from the ServiceAccount in "default"',
      files: {
        'sa.yaml': serviceAccount('deployer', 'default'),
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            template:
              spec:
                serviceAccountName: deployer
                containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
      options: { defaultNamespace: 'prod' },
      errors: [{ line: 7, column: 27, file: 'deploy.yaml', message: 'not declared in namespace prod (one exists in namespace default' }],
    },
    {
      name: 'every kind with a PodSpec: Job, StatefulSet, PodTemplate',
      files: {
        'workloads.yaml': yaml`
          apiVersion: batch/v1
          kind: Job
          metadata: {name: once, namespace: app}
          spec:
            template:
              spec:
                serviceAccountName: runner
                restartPolicy: Never
                containers: [{name: once, image: ghcr.io/acme/once:1}]
          ---
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: db, namespace: app}
          spec:
            template:
              spec:
                serviceAccountName: db
                containers: [{name: db, image: ghcr.io/acme/db:1}]
          ---
          apiVersion: v1
          kind: PodTemplate
          metadata: {name: tpl, namespace: app}
          template:
            spec:
              serviceAccountName: tpl
              containers: [{name: t, image: ghcr.io/acme/t:1}]
        `,
      },
      errors: [
        { line: 7, column: 27, message: 'Job app/once' },
        { line: 17, column: 27, message: 'StatefulSet app/db' },
        { line: 25, column: 25, message: 'PodTemplate app/tpl' },
      ],
    },
  ],
})
