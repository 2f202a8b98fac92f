// A hand-built AnalyzeResult for the reporter tests: several files, all three severities, a
// suppressed finding, related locations, unclassified images, and a secret value that leaks into
// a message, a fix, a related message and an assumption (to prove masking). Findings are listed
// out of order on purpose: the reporters must sort them.
import type { AnalyzeResult, Finding, Range, RuleMeta } from '../../src/findings/types.js'

/** A decoded registry password the engine registered; it must never be printed. */
export const LEAKED_PASSWORD = 'hunter2-Zq9xT4pW'

export function range(line: number, column: number, endColumn: number, endLine = line): Range {
  return { start: { line, column }, end: { line: endLine, column: endColumn } }
}

export const RULES: RuleMeta[] = [
  {
    id: 'pull-secret-not-found',
    severity: 'error',
    description: 'An effective pull secret does not exist in the pod\'s namespace.',
    rationale: 'The kubelet looks pull secrets up in the pod\'s namespace only; a missing one is skipped and the pull is attempted without it.',
    remediation: 'Create the Secret in the pod\'s namespace, or fix the name in imagePullSecrets.',
  },
  {
    id: 'no-pull-secret',
    severity: 'error',
    description: 'A private image\'s pod has no effective pull secrets.',
    rationale: 'Without imagePullSecrets on the pod or on its ServiceAccount the kubelet pulls anonymously, and a private registry answers 401: ImagePullBackOff.',
    remediation: 'Add imagePullSecrets to the pod template or to its ServiceAccount.',
  },
  {
    id: 'pull-secret-in-other-namespace',
    severity: 'error',
    description: 'The pull secret exists, but in another namespace.',
    rationale: 'Secrets are namespaced; the kubelet never reads a pull secret from another namespace.',
    remediation: 'Copy the Secret into the pod\'s namespace, or replicate it (reflector, kubernetes-replicator, ClusterExternalSecret).',
  },
  {
    id: 'pull-secret-empty-name',
    severity: 'warning',
    description: 'An imagePullSecrets entry has an empty name.',
    rationale: 'An entry with an empty name is skipped, yet it makes the pod\'s list non-empty, which hides the ServiceAccount\'s list.',
    remediation: 'Remove the empty entry or give it the Secret\'s name.',
  },
  {
    id: 'credentials-in-repo',
    severity: 'warning',
    description: 'A pull secret with plaintext credentials is committed.',
    rationale: 'Anyone with read access to the repository can pull (and often push) the images.',
    remediation: 'Use a SealedSecret or an ExternalSecret, and rotate the committed credential.',
  },
  {
    id: 'auth-only-registry',
    severity: 'warning',
    description: 'An image on a registry that always requires authentication is not classified.',
    rationale: 'ECR, ACR and Artifact Registry never serve anonymous pulls.',
    remediation: 'Add the registry to private-registries or node-credentials.',
  },
  {
    id: 'unused-pull-secret',
    severity: 'notice',
    description: 'A docker-config secret no pod and no ServiceAccount references.',
    rationale: 'Unused credentials widen the blast radius of a leak for no benefit.',
    remediation: 'Reference the Secret where it is needed, or delete it.',
  },
  {
    id: 'yaml-syntax-error',
    severity: 'error',
    description: 'A file cannot be parsed.',
    rationale: 'Nothing in an unparsable file can be checked, and kubectl would reject it too.',
    remediation: 'Fix the YAML syntax at the reported position.',
  },
]

const findings: Finding[] = [
  {
    ruleId: 'unused-pull-secret',
    severity: 'notice',
    message: 'Secret shared/old-regcred is a docker-config secret that no pod and no ServiceAccount references; delete it or reference it.',
    location: { file: 'infra/secrets.yaml', range: range(22, 9, 21) },
    resource: { kind: 'Secret', namespace: 'shared', name: 'old-regcred' },
    related: [],
    fingerprint: '5d41402abc4b2a76',
  },
  {
    ruleId: 'pull-secret-in-other-namespace',
    severity: 'error',
    message:
      'Deployment shop/web container "web" (ghcr.io/acme/web:1.4.2) names pull secret "regcred", which does not exist in namespace shop but does in namespace shared; copy or replicate it into shop.',
    location: { file: 'apps/web/deployment.yaml', range: range(24, 19, 26) },
    resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    container: 'web',
    image: 'ghcr.io/acme/web:1.4.2',
    fix: 'Copy Secret shared/regcred into namespace shop.',
    related: [
      { message: 'Secret shared/regcred, in namespace shared', location: { file: 'infra/secrets.yaml', range: range(4, 9, 16) } },
      { message: 'ServiceAccount shop/default (implicit)', location: { file: 'apps/web/deployment.yaml', range: range(1, 1, 11) } },
    ],
    fingerprint: '9b2f1c07e3aa4d18',
  },
  {
    ruleId: 'credentials-in-repo',
    severity: 'warning',
    message: `Secret shared/regcred commits plaintext credentials for ghcr.io (user "acme-bot", password "${LEAKED_PASSWORD}"); seal it or use an ExternalSecret.`,
    location: { file: 'infra/secrets.yaml', range: range(9, 3, 22) },
    resource: { kind: 'Secret', namespace: 'shared', name: 'regcred' },
    fix: `Rotate ${LEAKED_PASSWORD} and commit a SealedSecret instead.`,
    related: [
      { message: `The decoded auth "acme-bot:${LEAKED_PASSWORD}"`, location: { file: 'infra/secrets.yaml', range: range(10, 7, 61) } },
    ],
    fingerprint: '0cc175b9c0f1b6a8',
  },
  {
    ruleId: 'no-pull-secret',
    severity: 'error',
    message:
      'Deployment payments/api container "api" (registry.acme.io/payments/api:2.0.1) has no pull secret: neither the pod nor ServiceAccount payments/api lists imagePullSecrets; add one.',
    location: { file: 'apps/api/deployment.yaml', range: range(31, 18, 54) },
    resource: { kind: 'Deployment', namespace: 'payments', name: 'api' },
    container: 'api',
    image: 'registry.acme.io/payments/api:2.0.1',
    related: [
      { message: 'ServiceAccount payments/api', location: { file: 'apps/api/serviceaccount.yaml', range: range(4, 9, 12) } },
    ],
    fingerprint: 'e4da3b7fbbce2345',
  },
  {
    ruleId: 'pull-secret-empty-name',
    severity: 'warning',
    message: 'Deployment shop/web lists an imagePullSecrets entry with an empty name, which also hides the ServiceAccount\'s pull secrets; remove it.',
    location: { file: 'apps/web/deployment.yaml', range: range(25, 13, 15) },
    resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    related: [],
    fingerprint: '1679091c5a880faf',
  },
  {
    ruleId: 'auth-only-registry',
    severity: 'warning',
    message:
      'CronJob ops/backup container "backup" uses 123456789012.dkr.ecr.eu-west-1.amazonaws.com/backup:7, a registry that always requires authentication; classify it.',
    location: { file: 'jobs/backup-cronjob.yaml', range: range(18, 22, 75) },
    resource: { kind: 'CronJob', namespace: 'ops', name: 'backup' },
    container: 'backup',
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/backup:7',
    related: [],
    fingerprint: '8f14e45fceea167a',
    suppressed: { reason: 'pulled by the nodes\' ECR role; tracked in OPS-142', by: 'comment' },
  },
  {
    ruleId: 'yaml-syntax-error',
    severity: 'error',
    message: 'charts/raw/broken.yaml cannot be parsed: bad indentation of a mapping entry; fix the YAML.',
    location: { file: 'charts/raw/broken.yaml', range: range(7, 5, 6) },
    related: [],
    fingerprint: 'c9f0f895fb98ab91',
  },
  {
    // Same position as the error above it in the file, lower severity: sorts after it.
    ruleId: 'pull-secret-not-found',
    severity: 'warning',
    message:
      'Deployment payments/api names pull secret "legacy-regcred", which does not exist in namespace payments; another secret still covers every image, so only an event is recorded.',
    location: { file: 'apps/api/deployment.yaml', range: range(31, 18, 54) },
    resource: { kind: 'Deployment', namespace: 'payments', name: 'api' },
    related: [],
    fingerprint: '45c48cce2e2d7fbd',
  },
]

export function fixtureResult(): AnalyzeResult {
  return {
    findings: structuredClone(findings),
    images: [
      {
        image: 'registry.acme.io/payments/api:2.0.1',
        repository: 'registry.acme.io/payments/api',
        classification: 'private',
        reason: 'matches private-registries pattern registry.acme.io',
        uses: [{ file: 'apps/api/deployment.yaml', line: 31, workload: { kind: 'Deployment', namespace: 'payments', name: 'api' }, container: 'api' }],
      },
      {
        image: 'quay.io/vendor/agent:3.2',
        repository: 'quay.io/vendor/agent',
        classification: 'unclassified',
        reason: 'no pattern and no pull secret covers quay.io',
        uses: [
          { file: 'jobs/backup-cronjob.yaml', line: 40, workload: { kind: 'CronJob', namespace: 'ops', name: 'backup' }, container: 'agent' },
          { file: 'apps/web/deployment.yaml', line: 44, workload: { kind: 'Deployment', namespace: 'shop', name: 'web' }, container: 'agent' },
        ],
      },
      {
        image: 'ghcr.io/acme/web:1.4.2',
        repository: 'ghcr.io/acme/web',
        classification: 'inferred-private',
        reason: 'Secret shared/regcred holds a key for ghcr.io',
        uses: [{ file: 'apps/web/deployment.yaml', line: 21, workload: { kind: 'Deployment', namespace: 'shop', name: 'web' }, container: 'web' }],
      },
      {
        image: 'nginx:1.27',
        repository: 'docker.io/library/nginx',
        classification: 'public',
        reason: 'matches public-registries pattern docker.io/library',
        uses: [{ file: 'apps/web/deployment.yaml', line: 38, workload: { kind: 'Deployment', namespace: 'shop', name: 'web' }, container: 'proxy' }],
      },
      {
        image: 'docker.io/acme/tools:latest',
        repository: 'docker.io/acme/tools',
        classification: 'unclassified',
        reason: 'no pattern and no pull secret covers docker.io/acme',
        uses: [{ file: 'apps/api/deployment.yaml', line: 45, workload: { kind: 'Deployment', namespace: 'payments', name: 'api' }, container: 'migrate' }],
      },
      {
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/backup:7',
        repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/backup',
        classification: 'node-credentials',
        reason: 'matches node-credentials pattern *.dkr.ecr.*.amazonaws.com',
        uses: [{ file: 'jobs/backup-cronjob.yaml', line: 18, workload: { kind: 'CronJob', namespace: 'ops', name: 'backup' }, container: 'backup' }],
      },
      {
        image: 'registry.acme.io/billing/worker@sha256:abc',
        classification: 'invalid',
        reason: 'invalid digest: sha256 digests have 64 hex characters',
        uses: [{ file: 'apps/api/deployment.yaml', line: 52, workload: { kind: 'Deployment', namespace: 'payments', name: 'api' }, container: 'worker' }],
      },
      {
        image: 'registry.acme.io/payments/ledger:5',
        repository: 'registry.acme.io/payments/ledger',
        classification: 'private',
        reason: 'matches private-registries pattern registry.acme.io',
        uses: [{ file: 'apps/ledger/statefulset.yaml', line: 27, workload: { kind: 'StatefulSet', namespace: 'payments', name: 'ledger' }, container: 'ledger' }],
        assumedCovered: true,
      },
    ],
    files: [
      { file: 'infra/secrets.yaml', status: 'parsed', documents: 3, resources: 3, nonKubernetes: 0 },
      { file: 'apps/web/deployment.yaml', status: 'parsed', documents: 1, resources: 1, nonKubernetes: 0 },
      { file: 'apps/api/deployment.yaml', status: 'parsed', documents: 1, resources: 1, nonKubernetes: 0 },
      { file: 'apps/api/serviceaccount.yaml', status: 'parsed', documents: 1, resources: 1, nonKubernetes: 0 },
      { file: 'apps/ledger/statefulset.yaml', status: 'parsed', documents: 2, resources: 2, nonKubernetes: 0 },
      { file: 'apps/ledger/sealed-regcred.yaml', status: 'parsed', documents: 1, resources: 1, nonKubernetes: 0 },
      { file: 'jobs/backup-cronjob.yaml', status: 'parsed', documents: 1, resources: 1, nonKubernetes: 0 },
      { file: 'charts/raw/broken.yaml', status: 'error', documents: 0, resources: 0, nonKubernetes: 0 },
      { file: 'charts/raw/values.yaml', status: 'skipped', documents: 1, resources: 0, nonKubernetes: 1, skippedKinds: 0 },
    ],
    stats: {
      files: 9,
      documents: 11,
      resources: 10,
      nonKubernetes: 1,
      workloads: 4,
      podSpecs: 4,
      images: 8,
      serviceAccounts: 2,
      secrets: 2,
      secretProducers: 1,
      namespaces: 4,
    },
    assumptions: [
      'StatefulSet payments/ledger is assumed to pull registry.acme.io/payments/ledger:5 with SealedSecret payments/regcred, whose content is unknown.',
      `Secret shared/regcred was decoded with password ${LEAKED_PASSWORD}; its other keys were not checked.`,
    ],
    secretValues: [LEAKED_PASSWORD],
    rules: structuredClone(RULES),
    counts: { error: 3, warning: 3, notice: 1, suppressed: 1 },
    checkedImages: 5,
    unclassifiedImages: 2,
  }
}
