// The job summary: exact Markdown for a small result, masking and escaping of manifest content,
// the graph of failing paths, and the 1 MiB limit.
import { describe, expect, it } from 'vitest'
import { SARIF_MAX_RESULTS } from '../../src/report/sarif.js'
import type { AnalyzeResult, Finding } from '../../src/findings/types.js'
import { escapeMarkdown, failingPaths, formatSummary, MERMAID_MAX_CHARS, MERMAID_MAX_EDGES, mermaidLabel, SUMMARY_MAX_BYTES } from '../../src/report/summary.js'
import { LEAKED_PASSWORD, fixtureResult, range } from '../report/fixture.js'

/** Two findings, one suppressed, one unclassified image, one assumption; a secret value in a message. */
function small(): AnalyzeResult {
  const findings: Finding[] = [
    {
      ruleId: 'credentials-in-repo',
      severity: 'warning',
      message: 'Secret app/regcred commits registry credentials for ghcr.io (password s3cr3t-value); seal it.',
      location: { file: 'deploy/secrets.yaml', range: range(9, 22, 80) },
      resource: { kind: 'Secret', namespace: 'app', name: 'regcred' },
      fix: 'Replace it with a SealedSecret and rotate s3cr3t-value.',
      related: [],
      fingerprint: 'f2',
    },
    {
      ruleId: 'no-pull-secret',
      severity: 'error',
      message:
        'container "api" of Deployment app/api pulls private image ghcr.io/acme/api:2.0.1, but neither the pod nor its ServiceAccount app/default lists any imagePullSecrets; add a pull secret for ghcr.io in namespace app.',
      location: { file: 'deploy/api.yaml', range: range(16, 18, 40) },
      resource: { kind: 'Deployment', namespace: 'app', name: 'api' },
      container: 'api',
      image: 'ghcr.io/acme/api:2.0.1',
      fix: 'Create a docker-registry Secret for ghcr.io in namespace app.',
      related: [],
      fingerprint: 'f1',
      paths: [{ namespace: 'app', serviceAccount: 'default', secrets: [], workload: { kind: 'Deployment', namespace: 'app', name: 'api' } }],
    },
    {
      ruleId: 'auth-only-registry',
      severity: 'warning',
      message: 'container "job" of CronJob ops/backup pulls from ECR.',
      location: { file: 'deploy/backup.yaml', range: range(20, 18, 60) },
      resource: { kind: 'CronJob', namespace: 'ops', name: 'backup' },
      related: [],
      fingerprint: 'f3',
      suppressed: { reason: 'the nodes pull ECR with their role', by: 'comment' },
    },
  ]
  return {
    findings,
    images: [
      {
        image: 'quay.io/vendor/agent:3.2',
        repository: 'quay.io/vendor/agent',
        classification: 'unclassified',
        reason: 'no pattern',
        uses: [
          { file: 'deploy/api.yaml', line: 30, workload: { kind: 'Deployment', namespace: 'app', name: 'api' }, container: 'agent' },
          { file: 'deploy/web.yaml', line: 12, workload: { kind: 'Deployment', namespace: 'app', name: 'web' }, container: 'agent' },
        ],
      },
      {
        image: 'ghcr.io/acme/api:2.0.1',
        repository: 'ghcr.io/acme/api',
        classification: 'private',
        reason: 'private-registries',
        uses: [{ file: 'deploy/api.yaml', line: 16, workload: { kind: 'Deployment', namespace: 'app', name: 'api' }, container: 'api' }],
      },
    ],
    files: [],
    stats: { files: 3, documents: 4, resources: 4, nonKubernetes: 0, workloads: 3, podSpecs: 3, images: 2, serviceAccounts: 0, secrets: 1, secretProducers: 0, namespaces: 2 },
    assumptions: ['SealedSecret app/sealed has content pullcheck cannot read; it is assumed to cover ghcr.io/acme/web:1.'],
    secretValues: ['s3cr3t-value'],
    rules: [],
    counts: { error: 1, warning: 1, notice: 0, suppressed: 1 },
    checkedImages: 1,
    unclassifiedImages: 1,
  }
}

/**
 * The small fixture with `count` copies of its first error instead of its findings, one per file
 * and Deployment `api-<i>` (deploy/app-<i>.yaml), each with one failing path as `path(i)` says.
 */
function manyErrors(count: number, path: (i: number) => { namespace: string; secrets: string[] }): AnalyzeResult {
  const base = small()
  const error = base.findings[1]
  const findings = Array.from({ length: count }, (_, i) => {
    const { namespace, secrets } = path(i)
    const workload = { kind: 'Deployment', namespace, name: `api-${i}` }
    return { ...error, location: { file: `deploy/app-${i}.yaml`, range: range(16, 18, 40) }, resource: workload, fingerprint: `f${i}`, paths: [{ namespace, serviceAccount: 'default', secrets, workload }] }
  })
  return { ...base, findings, counts: { error: findings.length, warning: 0, notice: 0, suppressed: 0 } }
}

const EXPECTED = `## pullcheck: ❌ 1 error, 1 warning, 0 notices

Result: **fail** (fail-on: error) · 1 image checked · 1 unclassified · 3 files · 3 workloads

| Errors | Warnings | Notices | Suppressed | Images checked | Unclassified images | Files |
|---:|---:|---:|---:|---:|---:|---:|
| 1 | 1 | 0 | 1 | 1 | 1 | 3 |

> only-changed: reporting the findings in the 2 files pull request &#35;7 changes.

### Findings (2)

| Severity | Location | Rule | Workload | Container | Image | Fix |
|---|---|---|---|---|---|---|
| 🔴 error | [deploy/api.yaml:16](https://github.com/acme/deploy/blob/feedc0de/deploy/api.yaml#L16) | <code>no-pull-secret</code> | Deployment app/api | api | <code>ghcr.io/acme/api:2.0.1</code> | Create a docker-registry Secret for ghcr.io in namespace app. |
| 🟠 warning | [deploy/secrets.yaml:9](https://github.com/acme/deploy/blob/feedc0de/deploy/secrets.yaml#L9) | <code>credentials-in-repo</code> | Secret app/regcred | — | — | Replace it with a SealedSecret and rotate &#42;&#42;&#42;. |

<details><summary>Messages</summary>

- [deploy/api.yaml:16](https://github.com/acme/deploy/blob/feedc0de/deploy/api.yaml#L16) <code>no-pull-secret</code>: container "api" of Deployment app/api pulls private image ghcr.io/acme/api:2.0.1, but neither the pod nor its ServiceAccount app/default lists any imagePullSecrets; add a pull secret for ghcr.io in namespace app.
- [deploy/secrets.yaml:9](https://github.com/acme/deploy/blob/feedc0de/deploy/secrets.yaml#L9) <code>credentials-in-repo</code>: Secret app/regcred commits registry credentials for ghcr.io (password &#42;&#42;&#42;); seal it.

</details>

### Suppressed findings (1)

| Location | Rule | Workload | Suppressed by | Reason |
|---|---|---|---|---|
| [deploy/backup.yaml:20](https://github.com/acme/deploy/blob/feedc0de/deploy/backup.yaml#L20) | <code>auth-only-registry</code> | CronJob ops/backup | comment | the nodes pull ECR with their role |

### Unclassified images (1, not checked)

| Image | Used by |
|---|---|
| <code>quay.io/vendor/agent:3.2</code> | Deployment app/api (agent) at [deploy/api.yaml:30](https://github.com/acme/deploy/blob/feedc0de/deploy/api.yaml#L30), +1 more |

pullcheck cannot tell whether these registries need a credential. Classify them in \`.pullcheck.yml\` or the inputs: \`private-registries\` (a pull secret is required), \`public-registries\` (never checked) or \`node-credentials\` (pulled with the nodes' own identity, e.g. ECR, Artifact Registry, ACR).

### Assumptions

- SealedSecret app/sealed has content pullcheck cannot read; it is assumed to cover ghcr.io/acme/web:1.

### Failing paths

Namespace → ServiceAccount → Secret → workload for each error (Namespace → Secret → workload when the pod lists its own pull secrets); the edge into a workload names the rule.

\`\`\`mermaid
flowchart LR
  n0["Namespace app"]
  n1["ServiceAccount default"]
  n2["Deployment api"]
  n0 --> n1
  n1 -->|"no-pull-secret"| n2
  classDef failing fill:#ffebe9,stroke:#cf222e,color:#82071e
  class n2 failing
\`\`\`

Complete results — SARIF: \`out/pullcheck.sarif\`
`

describe('formatSummary', () => {
  it('renders totals, findings with links, suppressed, unclassified images, assumptions and the graph', () => {
    const md = formatSummary(small(), {
      failOn: 'error',
      serverUrl: 'https://github.com',
      repository: 'acme/deploy',
      sha: 'feedc0de',
      notes: ['only-changed: reporting the findings in the 2 files pull request #7 changes.'],
      sarifFile: 'out/pullcheck.sarif',
    })
    expect(md).toBe(EXPECTED)
  })

  it('prints plain locations when there is no commit to link to, and passes with fail-on never', () => {
    const md = formatSummary(small(), { failOn: 'never' })
    expect(md.startsWith('## pullcheck: ✅ 1 error, 1 warning, 0 notices\n\nResult: **pass** (fail-on: never)')).toBe(true)
    expect(md).toContain('| 🔴 error | deploy/api.yaml:16 | <code>no-pull-secret</code> |')
    expect(md).not.toContain('](')
  })

  it('hangs the secrets a pod lists itself off the namespace, not its ServiceAccount (whose list is then not used)', () => {
    const result = small()
    const error = result.findings.find((f) => f.severity === 'error')!
    const workload = { kind: 'Deployment', namespace: 'app', name: 'api' }
    error.paths = [
      { namespace: 'app', serviceAccount: 'default', secrets: ['own'], secretsFrom: 'pod', workload },
      { namespace: 'app', serviceAccount: 'runner', secrets: ['shared'], secretsFrom: 'serviceAccount', workload: { ...workload, name: 'worker' } },
    ]
    const graph = /```mermaid\n([\s\S]*?)```/.exec(formatSummary(result, { failOn: 'error' }))![1]
    expect(graph).not.toContain('ServiceAccount default')
    expect(graph).toContain('ServiceAccount runner')
    expect(graph).toMatch(/n0 --> (n\d+)\n[\s\S]*\1 -->\|"no-pull-secret"\| /)
    expect(graph.split('\n').filter((l) => l.includes('-->'))).toEqual([
      '  n0 --> n1',
      '  n1 -->|"no-pull-secret"| n2',
      '  n0 --> n3',
      '  n3 --> n4',
      '  n4 -->|"no-pull-secret"| n5',
    ])
    expect(graph).toContain('n1["Secret own"]')
    expect(graph).toContain('n3["ServiceAccount runner"]')
  })

  it('says so when there is nothing to report', () => {
    const result = { ...small(), findings: [], images: [], assumptions: [], counts: { error: 0, warning: 0, notice: 0, suppressed: 0 } }
    const md = formatSummary(result, { failOn: 'error' })
    expect(md.split('\n')[0]).toBe('## pullcheck: ✅ no problems')
    expect(md).not.toContain('### Findings')
    expect(md).not.toContain('mermaid')
  })

  it('names every rule and image of the reporter fixture, and masks the secret value everywhere', () => {
    const result = fixtureResult()
    const md = formatSummary(result, { failOn: 'error', serverUrl: 'https://github.com', repository: 'acme/deploy', sha: 'abc' })
    for (const f of result.findings.filter((f) => !f.suppressed)) expect(md).toContain(`<code>${escapeMarkdown(f.ruleId)}</code>`)
    for (const f of result.findings.filter((f) => f.image && !f.suppressed)) expect(md).toContain(escapeMarkdown(f.image!))
    for (const image of result.images.filter((i) => i.classification === 'unclassified')) expect(md).toContain(`<code>${escapeMarkdown(image.image)}</code>`)
    expect(md).not.toContain(LEAKED_PASSWORD)
    expect(md).toContain('&#42;&#42;&#42;')
  })

  it('keeps manifest content from adding links, mentions, HTML or table columns', () => {
    const result = small()
    const evil = 'evil|col <img src=x onerror=alert(1)> @octocat [x](https://evil.example) `tick` *b* $x$'
    result.findings[1].image = evil
    result.findings[1].resource = { kind: 'Deployment', namespace: 'app', name: evil }
    const md = formatSummary(result, { failOn: 'error' })
    const row = md.split('\n').find((line) => line.startsWith('| 🔴 error'))!
    expect(row.split('|').length).toBe(9) // 7 cells: no extra column
    expect(md).not.toContain('<img')
    expect(md).not.toContain('@octocat')
    expect(md).not.toContain('](https://evil.example)')
    expect(escapeMarkdown(evil)).toBe(
      'evil&#124;col &#60;img src=x onerror=alert(1)&#62; &#64;octocat &#91;x&#93;(https://evil.example) &#96;tick&#96; &#42;b&#42; &#36;x&#36;',
    )
    // Control characters (a terminal sequence in an object name) are shown, not passed on.
    expect(escapeMarkdown('esc\u001b[31mred\u0007')).toBe('esc&#92;x1b&#91;31mred&#92;x07')
  })

  it('stays under the byte limit, cutting every list with a note', () => {
    const result = manyErrors(20_000, () => ({ namespace: 'app', secrets: [] }))
    const md = formatSummary(result, { failOn: 'error', serverUrl: 'https://github.com', repository: 'acme/deploy', sha: 'feedc0de', sarifFile: 'out/p.sarif' })
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(SUMMARY_MAX_BYTES).toBeLessThan(1024 * 1024)
    expect(md).toContain("> **Note:** this summary was cut to stay under GitHub's 1 MiB limit")
    expect(md).toContain('SARIF: `out/p.sarif`')
    expect(md).toMatch(/_… and \d+ more findings not shown\._/)
    expect(md.trimEnd().endsWith('```')).toBe(true) // the graph is still closed

    const tiny = formatSummary(result, { failOn: 'error', maxBytes: 5_000 })
    expect(Buffer.byteLength(tiny)).toBeLessThanOrEqual(5_000)
    expect(tiny).toContain('Note:')
    // The note names the limit it was cut for, and the graph note says the size cut took paths out.
    const checkRun = formatSummary(result, { failOn: 'error', maxBytes: 60_000, limitName: "the check run's 64 KB limit" })
    expect(checkRun).toContain("> **Note:** this summary was cut to stay under the check run's 64 KB limit")
    expect(checkRun).toMatch(/The graph shows \d+ of 20000 failing paths: this summary keeps the first \d+ rows of each list to stay under its size limit\./)
    expect(checkRun).not.toContain('Mermaid draws no graph')
  })

  it('names a SARIF file of more findings than code scanning takes as holding the most important', () => {
    const result = manyErrors(SARIF_MAX_RESULTS + 1, () => ({ namespace: 'app', secrets: [] }))
    expect(formatSummary(result, { failOn: 'error', sarifFile: 'p.sarif' })).toContain(`Results — SARIF (the ${SARIF_MAX_RESULTS} most important): \`p.sarif\``)
    expect(formatSummary(result, { failOn: 'error', sarifFile: 'p.sarif', reportFile: 'r.json' })).toContain(
      `Complete results — SARIF (the ${SARIF_MAX_RESULTS} most important): \`p.sarif\` · JSON report: \`r.json\``,
    )
  })
})

describe('failingPaths', () => {
  it('takes the paths the rules recorded, from errors only', () => {
    const f = (ruleId: string, severity: Finding['severity'], paths: Finding['paths']): Finding => ({
      ruleId,
      severity,
      message: ruleId,
      location: { file: 'a.yaml', range: range(1, 1, 2) },
      related: [],
      fingerprint: ruleId,
      ...(paths ? { paths } : {}),
    })
    const api = { kind: 'Deployment', namespace: 'app', name: 'api' }
    const build = { kind: 'Deployment', namespace: 'app', name: 'build' }
    expect(
      failingPaths([
        f('no-pull-secret', 'error', [{ namespace: 'app', serviceAccount: 'default', secrets: [], workload: api }]),
        f('pull-secret-not-found', 'error', [{ namespace: 'app', serviceAccount: 'builder', secrets: ['gone', 'hub'], workload: build }]),
        f('pull-secret-empty-name', 'warning', [{ namespace: 'app', serviceAccount: 'builder', secrets: [], workload: build }]),
        f('credentials-in-repo', 'error', undefined),
      ]),
    ).toEqual([
      { namespace: 'app', serviceAccount: 'default', secrets: [], workload: api, ruleId: 'no-pull-secret' },
      { namespace: 'app', serviceAccount: 'builder', secrets: ['gone', 'hub'], workload: build, ruleId: 'pull-secret-not-found' },
    ])
  })

  it('escapes Mermaid labels with entity codes', () => {
    expect(mermaidLabel('Deployment a"b]<c>\n|x')).toBe('Deployment a#34;b#93;#60;c#62; #124;x')
  })
})

describe('the graph of failing paths, within what GitHub draws', () => {
  it('keeps under Mermaid’s edge and text limits, says how many paths it shows, and stays the same for a small input', () => {
    const result = manyErrors(3_000, (i) => ({ namespace: `team-${i % 700}`, secrets: i % 3 ? [] : [`regcred-${i % 7}`] }))
    const md = formatSummary(result, { failOn: 'error' })
    const graph = md.slice(md.indexOf('```mermaid\n') + '```mermaid\n'.length, md.lastIndexOf('```'))
    const edges = graph.split('\n').filter((l) => l.includes('-->')).length
    expect(edges).toBeLessThanOrEqual(MERMAID_MAX_EDGES)
    expect(edges).toBeGreaterThan(MERMAID_MAX_EDGES - 5) // filled, not cut far too early
    expect(graph.length).toBeLessThanOrEqual(MERMAID_MAX_CHARS)
    const shown = /The graph shows (\d+) of 3000 failing paths: (?:this summary keeps the first \d+ rows of each list to stay under its size limit, and )?GitHub's Mermaid draws no graph of more than 500 edges/.exec(md)
    expect(shown).not.toBeNull()
    // The workloads drawn are those of the first paths, in the findings' order (by file).
    const workloads = [...graph.matchAll(/\["Deployment api-(\d+)"\]/g)].map((m) => Number(m[1]))
    const byFile = Array.from({ length: 3_000 }, (_, i) => i).sort((a, b) => (`app-${a}.yaml` < `app-${b}.yaml` ? -1 : 1))
    expect(workloads).toEqual(byFile.slice(0, Number(shown![1])))
    // A small input's graph is whole and says nothing about limits.
    expect(formatSummary(small(), { failOn: 'error' })).not.toContain('The graph shows')
  })

  it('keeps even the first path under the text limit: long labels are cut (a name of 9,000 non-ASCII characters)', () => {
    const result = manyErrors(1, () => ({ namespace: 'app', secrets: ['日'.repeat(9000)] }))
    const md = formatSummary(result, { failOn: 'error' })
    const graph = md.slice(md.indexOf('```mermaid\n') + '```mermaid\n'.length, md.lastIndexOf('```'))
    expect(graph.length).toBeLessThanOrEqual(MERMAID_MAX_CHARS)
    // 199 characters and an ellipsis, each an entity code.
    expect(graph).toContain(`Secret ${'#26085;'.repeat(192)}`)
    expect(graph).toContain('#8230;')
  })

  it('counts the paths a finding does not list (each lists at most 20)', () => {
    const result = manyErrors(3, () => ({ namespace: 'app', secrets: [] }))
    result.findings[0].pathsOmitted = 30
    const md = formatSummary(result, { failOn: 'error' })
    expect(md).toContain("The graph shows 3 of 33 failing paths: each finding lists at most 20 of its paths (30 more are counted in the JSON report's pathsOmitted). The findings name the workloads.")
  })
})
