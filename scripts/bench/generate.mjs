// Synthetic rendered repositories for the benchmark: what `helm template` / `kustomize build`
// output of a monorepo looks like. Deterministic (seeded), so every run measures the same bytes.
//
// Per namespace: the Namespace, a `default` ServiceAccount with or without imagePullSecrets, an
// app ServiceAccount, a dockerconfigjson Secret (sometimes missing, sometimes only in another
// namespace), Roles/RoleBindings, Services, ConfigMaps, and workloads of every kind (Pod,
// Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
// PodTemplate), some with init containers. A third of the images are on the private registry the
// Secrets cover; the rest are public. Every ~1,500 resources an "install bundle" adds big
// CustomResourceDefinitions and dashboard ConfigMaps, as real operator bundles do. Files hold ~20
// documents each.
import fs from 'node:fs'
import path from 'node:path'

export const GENERATOR_VERSION = 8
const DOCS_PER_FILE = 20

/** Deterministic PRNG (mulberry32), in [0, 1): also the random source of the property tests. */
export function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const PRIVATE_REGISTRY = 'registry.example.com'
const PUBLIC_IMAGES = [
  'docker.io/library/nginx:1.27.2',
  'quay.io/prometheus/node-exporter:v1.8.2',
  'registry.k8s.io/ingress-nginx/controller:v1.11.3',
  'busybox:1.36',
  'docker.io/bitnami/redis:7.4.1',
  'ghcr.io/fluxcd/source-controller:v1.4.1',
]
const WORKLOAD_KINDS = ['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet', 'ReplicationController', 'PodTemplate']

function b64(s) {
  return Buffer.from(s).toString('base64')
}

function dockerconfig(registry, user) {
  const auth = b64(`${user}:s3cr3t-${user}`)
  return b64(JSON.stringify({ auths: { [registry]: { username: user, password: `s3cr3t-${user}`, auth } } }))
}

function labels(app, indent) {
  const pad = ' '.repeat(indent)
  return `${pad}app.kubernetes.io/name: ${app}\n`
}

function container(name, image, indent, r) {
  const p = ' '.repeat(indent)
  let s = `${p}- name: ${name}\n${p}  image: ${image}\n`
  if (r() < 0.3) s += `${p}  imagePullPolicy: IfNotPresent\n`
  s += `${p}  ports:\n${p}    - containerPort: ${8000 + Math.floor(r() * 1000)}\n`
  if (r() < 0.2) s += `${p}  env:\n${p}    - name: LOG_LEVEL\n${p}      value: info\n`
  s += `${p}  resources:\n${p}    requests: {cpu: 100m, memory: 128Mi}\n`
  return s
}

/** A PodSpec at `indent`. */
function podSpec(ctx, app, indent) {
  const { r } = ctx
  const p = ' '.repeat(indent)
  const image = r() < 1 / 3 ? `${PRIVATE_REGISTRY}/${ctx.team}/${app}:1.${Math.floor(r() * 20)}.${Math.floor(r() * 10)}` : PUBLIC_IMAGES[Math.floor(r() * PUBLIC_IMAGES.length)]
  let s = ''
  const sa = r()
  if (sa < 0.35) s += `${p}serviceAccountName: ${ctx.appSa}\n`
  else if (sa < 0.4) s += `${p}serviceAccountName: missing-sa\n`
  const pull = r()
  if (pull < 0.25) s += `${p}imagePullSecrets:\n${p}  - name: ${ctx.secretName}\n`
  else if (pull < 0.3) s += `${p}imagePullSecrets:\n${p}  - name: not-there\n`
  if (r() < 0.35) {
    const init = r() < 0.5 ? `${PRIVATE_REGISTRY}/${ctx.team}/migrate:2.${Math.floor(r() * 9)}` : 'busybox:1.36'
    s += `${p}initContainers:\n${p}  - name: init\n${p}    image: ${init}\n${p}    command: ["sh", "-c", "until nc -z db 5432; do sleep 1; done"]\n`
  }
  s += `${p}containers:\n${container(app, image, indent + 2, r)}`
  return s
}

function meta(kind, name, ns, apiVersion) {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n${labels(name, 4)}`
}

function workload(ctx, kind, app) {
  const ns = ctx.ns
  const tmplMeta = `    metadata:\n      labels:\n${labels(app, 8)}`
  const sel = `  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${app}\n`
  switch (kind) {
    case 'Pod':
      return `${meta('Pod', app, ns, 'v1')}spec:\n${podSpec(ctx, app, 2)}`
    case 'PodTemplate':
      return `${meta('PodTemplate', app, ns, 'v1')}template:\n  metadata:\n    labels:\n${labels(app, 6)}  spec:\n${podSpec(ctx, app, 4)}`
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet': {
      const api = 'apps/v1'
      const extra = kind === 'StatefulSet' ? `  serviceName: ${app}\n` : kind === 'DaemonSet' ? '' : '  replicas: 2\n'
      return `${meta(kind, app, ns, api)}spec:\n${extra}${sel}  template:\n${tmplMeta}    spec:\n${podSpec(ctx, app, 6)}`
    }
    case 'ReplicationController':
      return `${meta(kind, app, ns, 'v1')}spec:\n  replicas: 1\n  selector:\n    app.kubernetes.io/name: ${app}\n  template:\n${tmplMeta}    spec:\n${podSpec(ctx, app, 6)}`
    case 'Job':
      return `${meta(kind, app, ns, 'batch/v1')}spec:\n  backoffLimit: 3\n  template:\n${tmplMeta}    spec:\n      restartPolicy: OnFailure\n${podSpec(ctx, app, 6)}`
    case 'CronJob':
      return `${meta(kind, app, ns, 'batch/v1')}spec:\n  schedule: "*/15 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec(ctx, app, 10)}`
    default:
      throw new Error(kind)
  }
}

function service(ns, app) {
  return `${meta('Service', app, ns, 'v1')}spec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: ${app}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`
}

function configMap(ns, name, r) {
  let s = `${meta('ConfigMap', name, ns, 'v1')}data:\n  config.yaml: |\n`
  const lines = 3 + Math.floor(r() * 8)
  for (let i = 0; i < lines; i++) s += `    setting_${i}: value-${Math.floor(r() * 1e6)}\n`
  return s
}

function role(ns, name) {
  return `${meta('Role', name, ns, 'rbac.authorization.k8s.io/v1')}rules:\n  - apiGroups: [""]\n    resources: ["configmaps", "secrets"]\n    verbs: ["get", "list", "watch"]\n`
}

function roleBinding(ns, name, sa) {
  return `${meta('RoleBinding', name, ns, 'rbac.authorization.k8s.io/v1')}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: ${name}\nsubjects:\n  - kind: ServiceAccount\n    name: ${sa}\n    namespace: ${ns}\n`
}

/** An openAPIV3Schema-heavy CRD, like the ones of prometheus-operator or argo-cd (~`kb` KB). */
function bigCrd(group, plural, kind, kb, r) {
  let s = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${plural}.${group}\n  annotations:\n    controller-gen.kubebuilder.io/version: v0.16.1\nspec:\n  group: ${group}\n  names:\n    kind: ${kind}\n    plural: ${plural}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n`
  let i = 0
  while (s.length < kb * 1024) {
    const p = ' '.repeat(12)
    s += `${p}field${i}:\n${p}  description: |-\n${p}    Field${i} configures how the ${kind} controller handles item ${i}; see the\n${p}    documentation for the allowed values. Defaults to the operator's setting.\n${p}  type: object\n${p}  properties:\n`
    for (let j = 0; j < 4; j++) s += `${p}    sub${j}:\n${p}      description: Sub-field ${j} of field ${i} (${Math.floor(r() * 1e6)}).\n${p}      type: ${j % 2 ? 'string' : 'integer'}\n`
    s += `${p}  required: [sub0]\n`
    i++
  }
  return s
}

function dashboard(ns, name, kb, r) {
  let s = `${meta('ConfigMap', name, ns, 'v1')}data:\n  ${name}.json: |-\n    {\n      "title": "${name}",\n      "panels": [\n`
  let i = 0
  while (s.length < kb * 1024) {
    s += `        {"id": ${i}, "type": "timeseries", "title": "Panel ${i}", "targets": [{"expr": "sum(rate(http_requests_total{job=\\"${name}\\"}[5m])) by (code)", "legendFormat": "code"}], "gridPos": {"h": 8, "w": 12, "x": ${(i % 2) * 12}, "y": ${Math.floor(r() * 100)}}},\n`
    i++
  }
  return s + '        {}\n      ]\n    }\n'
}

/** All documents of a repository of about `total` resources, grouped by directory. */
function* documents(total, seed) {
  const r = rng(seed)
  let made = 0
  let n = 0
  while (made < total) {
    const ns = `team-${n}`
    const team = `team${n % 50}`
    // Most namespaces hold their own `regcred`. The others name a Secret of their own that is
    // either only in namespace `shared` (pull-secret-in-other-namespace) or nowhere.
    const hasSecret = r() < 0.8
    const secretName = hasSecret ? 'regcred' : `regcred-${ns}`
    const ctx = { r, ns, team, secretName: r() < 0.95 ? secretName : 'regcred-old', appSa: 'app' }
    const docs = []
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    team: ${team}\n`)
    const defaultPull = r() < 0.5
    docs.push(`apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: ${ns}\n${defaultPull ? `imagePullSecrets:\n  - name: ${secretName}\n` : ''}`)
    docs.push(`apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: ${ns}\n  labels:\n${labels('app', 4)}${r() < 0.6 ? `imagePullSecrets:\n  - name: ${secretName}\n` : ''}`)
    if (hasSecret || r() < 0.5) {
      docs.push(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${secretName}\n  namespace: ${hasSecret ? ns : 'shared'}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${dockerconfig(PRIVATE_REGISTRY, `robot-${team}`)}\n`)
    }
    docs.push(role(ns, 'reader'), roleBinding(ns, 'reader', 'app'))
    const apps = 12 + Math.floor(r() * 8)
    for (let a = 0; a < apps; a++) {
      const app = `svc-${a}`
      const kind = WORKLOAD_KINDS[(n + a) % WORKLOAD_KINDS.length]
      docs.push(workload(ctx, kind, app))
      if (kind === 'Deployment' || kind === 'StatefulSet') docs.push(service(ns, app))
      if (r() < 0.3) docs.push(configMap(ns, `${app}-config`, r))
    }
    // An operator install bundle now and then: big CRDs and dashboards (most of the bytes of real bundles).
    if (n % 40 === 20) {
      for (let c = 0; c < 2; c++) docs.push(bigCrd(`op${n}.example.com`, `things${c}`, `Thing${c}`, 45 + Math.floor(r() * 60), r))
      docs.push(dashboard(ns, `dash-${n}`, 30, r))
    }
    made += docs.length
    yield { dir: `apps/${ns}`, docs }
    n++
  }
}

/**
 * Writes a repository of about `total` resources under `dir` (reused when already complete).
 * Returns its file count, bytes and resource count.
 */
export function generate(dir, total, seed = 42) {
  const stamp = `${dir}.json`
  if (fs.existsSync(stamp)) {
    const info = JSON.parse(fs.readFileSync(stamp, 'utf8'))
    if (info.version === GENERATOR_VERSION && info.total === total && info.seed === seed) return info
  }
  fs.rmSync(dir, { recursive: true, force: true })
  let files = 0
  let bytes = 0
  let resources = 0
  for (const { dir: sub, docs } of documents(total, seed)) {
    const abs = path.join(dir, sub)
    fs.mkdirSync(abs, { recursive: true })
    for (let i = 0; i < docs.length; i += DOCS_PER_FILE) {
      const slice = docs.slice(i, i + DOCS_PER_FILE)
      const text = '---\n' + slice.join('---\n')
      fs.writeFileSync(path.join(abs, `rendered-${i / DOCS_PER_FILE}.yaml`), text)
      files++
      bytes += Buffer.byteLength(text)
      resources += slice.length
    }
  }
  const info = { version: GENERATOR_VERSION, total, seed, files, bytes, resources }
  fs.writeFileSync(stamp, JSON.stringify(info))
  return info
}
