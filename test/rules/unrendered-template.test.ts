// unrendered-template: Helm/Go template markers in a file that should hold rendered manifests.
import { describe, expect, it } from 'vitest'
import { ruleTester, runCase, yaml } from './tester.js'

/** Rendered output with a real indentation error (line 13) and a Prometheus {{ }} string. */
const BROKEN_PROMETHEUS_RULE = yaml`
  apiVersion: monitoring.coreos.com/v1
  kind: PrometheusRule
  metadata:
    name: node
    namespace: monitoring
  spec:
    groups:
      - name: node
        rules:
          - alert: NodeDown
            annotations:
              summary: "{{ $labels.instance }} is down"
             description: bad indentation
`

ruleTester('unrendered-template', {
  valid: [
    {
      // Flux's Kustomization is a cluster object (it points the controller at a path); rendered output holds it as it is.
      name: "Flux's Kustomization (kustomize.toolkit.fluxcd.io), even in a file named kustomization.yaml",
      files: {
        'clusters/prod/kustomization.yaml': yaml`
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata: {name: apps, namespace: flux-system}
          spec: {path: ./apps, interval: 10m, sourceRef: {kind: GitRepository, name: flux-system}}
        `,
      },
    },
    {
      name: 'a values.yaml or any other file of plain YAML that is no kustomization',
      files: { 'chart/values.yaml': 'image:\n  repository: ghcr.io/acme/api\nresources:\n  - a\n' },
    },
    { name: 'fixture: Prometheus, Alertmanager, Argo Workflows and Grafana strings', files: 'passes.yaml' },
    {
      // Go's template action and sprig's default are not Helm's: Alertmanager writes them in its own strings.
      name: "an AlertmanagerConfig's one-line Go templates ({{ template \"slack.default.title\" . }}, default)",
      files: {
        'amcfg.yaml': yaml`
          apiVersion: monitoring.coreos.com/v1alpha1
          kind: AlertmanagerConfig
          metadata: {name: slack, namespace: monitoring}
          spec:
            receivers:
              - name: slack
                slackConfigs:
                  - title: '{{ template "slack.default.title" . }}'
                    text: '{{ .CommonAnnotations.summary | default "no summary" }}'
        `,
      },
    },
    {
      name: 'a multi-line block scalar holding Helm syntax (a sidecar injector template) is data',
      files: {
        'injector.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: istio-sidecar-injector, namespace: istio-system}
          data:
            config: |-
              policy: enabled
              template: |
                image: "{{ .Values.global.hub }}/proxyv2:{{ .Values.global.tag }}"
        `,
      },
    },
    {
      name: 'a Helm expression in a comment of rendered output',
      files: {
        'sa.yaml': yaml`
          # Source: shop/templates/serviceaccount.yaml (set {{ .Values.serviceAccount.name }} to rename)
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: shop, namespace: app}
        `,
      },
    },
    {
      name: 'a rendered file with a real syntax error and a Prometheus {{ }} string is not a template',
      files: { 'rules.yaml': BROKEN_PROMETHEUS_RULE },
    },
    {
      name: 'suppressed by a comment on the line before the first marker',
      files: {
        'values-doc.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: chart-docs, namespace: app}
          data:
            # pullcheck-ignore unrendered-template: documentation of the chart values, shown verbatim
            example: "{{ .Values.image.tag }}"
        `,
      },
      suppressed: [{ line: 6, column: 13 }],
    },
  ],
  invalid: [
    {
      name: 'fixture: a Deployment template (the first marker, in metadata.name)',
      files: 'fires.yaml',
      errors: [
        {
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 11,
          severity: 'warning',
          message: /^fires\.yaml still contains Helm\/Go template markers \(\{\{ … \}\}\), so it is a template rather than rendered manifests; render it with helm template or kustomize build/,
        },
      ],
    },
    { name: 'fixture: a control structure on line 1', files: 'fires-control.yaml', errors: [{ line: 1, column: 1, endColumn: 3 }] },
    { name: 'fixture: a quoted value that names .Values (the file parses)', files: 'fires-quoted.yaml', errors: [{ line: 10, column: 32, endColumn: 34 }] },
    {
      name: 'a template marker in a mapping key',
      files: {
        'cm.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: settings, namespace: app}
          data:
            "{{ .Values.key }}": value
        `,
      },
      errors: [{ line: 5, column: 3 }],
    },
    {
      name: 'one finding per file, at its first marker',
      files: {
        'a.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\n',
        'b.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: fixed\n  labels: {chart: "{{ .Chart.Name }}"}\n',
      },
      errors: [
        { line: 4, column: 9, file: 'a.yaml' },
        { line: 5, column: 20, file: 'b.yaml' },
      ],
    },
    {
      // Documents pruned as they parse (fast path) must not hide a marker in a later document's labels.
      name: 'a marker in the labels of a later document of the file',
      files: {
        'a.yaml':
          'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels:\n    app: a\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n  labels:\n    chart: "{{ .Chart.Name }}"\n',
      },
      errors: [{ line: 13, column: 13, file: 'a.yaml' }],
    },
    {
      // kustomize build would change the namespace, the images and the generated Secret's name: the sources are not what reaches the cluster.
      name: 'a kustomization, with or without apiVersion and kind, and a kustomize Component: at the kind, or at the first line',
      files: {
        'base/kustomization.yaml': yaml`
          apiVersion: kustomize.config.k8s.io/v1beta1
          kind: Kustomization
          namespace: shop
          resources: [deployment.yaml]
          secretGenerator:
            - {name: regcred, type: kubernetes.io/dockerconfigjson, files: [.dockerconfigjson=config.json]}
        `,
        'overlays/prod/kustomization.yml': '# the production overlay\nresources:\n  - ../../base\nimages:\n  - {name: app, newName: ghcr.io/acme/app, newTag: "1.2"}\n',
        'components/pull/kustomization.yaml': yaml`
          apiVersion: kustomize.config.k8s.io/v1alpha1
          kind: Component
          patches: [{path: pull-secret.yaml}]
        `,
      },
      errors: [
        {
          file: 'base/kustomization.yaml',
          line: 2,
          column: 7,
          endColumn: 20,
          message:
            'base/kustomization.yaml is a kustomize kustomization: the manifests it builds are read as written, without the namespace, images, name prefixes and suffixes, patches and generated Secrets that kustomize build gives them, so their pull secrets and images may not be those that reach the cluster; run kustomize build base and check its output, or exclude the kustomize sources with a !glob.',
          fix: 'Run kustomize build base and check the output, or exclude the kustomize sources.',
        },
        { file: 'components/pull/kustomization.yaml', line: 2, column: 7, endColumn: 16, message: 'run kustomize build components/pull and check its output' },
        { file: 'overlays/prod/kustomization.yml', line: 2, column: 1, endColumn: 11, message: 'overlays/prod/kustomization.yml is a kustomize kustomization' },
      ],
    },
    {
      name: 'a comment without a reason does not suppress',
      files: { 'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  # pullcheck-ignore unrendered-template\n  name: {{ .Release.Name }}\n' },
      errors: [{ line: 5, column: 9, message: 'gives no reason' }],
    },
  ],
})

describe('unrendered-template: the parse errors the markers cause are not reported twice', () => {
  it('reports the template, not a yaml-syntax-error, for fires.yaml', () => {
    const { all } = runCase('unrendered-template', { files: 'fires.yaml' })
    expect(all.filter((f) => f.ruleId === 'yaml-syntax-error')).toEqual([])
  })
})
