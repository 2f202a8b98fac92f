// The shapes every stage shares: positions, findings, rule metadata and the analysis result.

export type Severity = 'error' | 'warning' | 'notice'
export type FailOn = Severity | 'never'

/** 1-based line and column; `end` is exclusive. */
export interface Position {
  line: number
  column: number
}
export interface Range {
  start: Position
  end: Position
}
export interface Location {
  /** Relative to the working directory, POSIX separators. */
  file: string
  range: Range
}

export interface ResourceRef {
  kind: string
  namespace?: string
  name: string
}

export interface RelatedLocation {
  message: string
  location: Location
}

/** The path a failing pull takes: Namespace → ServiceAccount → Secrets → workload. */
export interface PullPath {
  namespace: string
  serviceAccount: string
  /** The pod's effective pull-secret names (empty when it has none), the first 20. */
  secrets: string[]
  workload: ResourceRef
  /** How many more secret names the pod lists. */
  secretsOmitted?: number
  /** Who lists `secrets`: the pod itself (its ServiceAccount's list is then not used), or its ServiceAccount. */
  secretsFrom?: 'pod' | 'serviceAccount'
}

export interface Finding {
  ruleId: string
  severity: Severity
  message: string
  location: Location
  resource?: ResourceRef
  /** Container and image, for image rules (used by the summary and the JSON report). */
  container?: string
  image?: string
  /** One short sentence: how to fix it. */
  fix?: string
  related: RelatedLocation[]
  /** Stable when lines move: built from rule, file, resource, and the blamed path, not from line numbers. */
  fingerprint: string
  suppressed?: { reason: string; by: 'annotation' | 'comment' }
  /** For findings about pods: the pull paths involved (for the summary's graph), the first 20. */
  paths?: PullPath[]
  /** How many more pods the finding concerns. */
  pathsOmitted?: number
}

export interface RuleMeta {
  id: string
  severity: Severity
  /** One line, for tables. */
  description: string
  /** Why it matters (kubelet / API server behaviour). */
  rationale: string
  /** How to fix, for SARIF help and the summary. */
  remediation: string
}

/** How an image was classified (SPEC §4). */
export type ImageClass =
  | 'invalid'
  | 'node-credentials'
  | 'public'
  | 'private'
  | 'inferred-private'
  | 'unclassified'

export interface ImageReport {
  image: string
  /** Normalised repository (`docker.io/library/nginx`), absent when invalid. */
  repository?: string
  classification: ImageClass
  /** Why it got that class (the pattern or secret that decided it). */
  reason: string
  /** Where it is used. */
  uses: { file: string; line: number; workload: ResourceRef; container: string }[]
  /** True when it was judged covered only because a secret of unknown content is assumed to cover it. */
  assumedCovered?: boolean
}

export interface FileReport {
  file: string
  status: 'parsed' | 'skipped' | 'error'
  documents: number
  resources: number
  /** Documents without apiVersion and kind. */
  nonKubernetes: number
  /** Documents skipped because their kind cannot matter (e.g. ConfigMap, CRD) */
  skippedKinds?: number
  /** Why the file was skipped or failed. */
  reason?: string
}

export interface GraphStats {
  files: number
  documents: number
  resources: number
  nonKubernetes: number
  workloads: number
  podSpecs: number
  images: number
  serviceAccounts: number
  secrets: number
  secretProducers: number
  namespaces: number
}

export interface AnalyzeResult {
  findings: Finding[]
  images: ImageReport[]
  files: FileReport[]
  stats: GraphStats
  /** Human sentences: what the result rests on (unknown-content secrets, …). */
  assumptions: string[]
  /** Values (passwords, tokens) that must be masked by the front ends before printing. */
  secretValues: string[]
  /** Rule metadata of every rule that could fire (for SARIF). */
  rules: RuleMeta[]
  counts: { error: number; warning: number; notice: number; suppressed: number }
  checkedImages: number
  unclassifiedImages: number
  /** The `manifests` patterns that matched no file (set by analyze, which discovers the files). */
  unmatched?: string[]
  /** Those of `unmatched` whose files are all left out by an exclude (`!glob`). */
  excludedOnly?: string[]
  /**
   * Files and directories the patterns reach but that were not read (a symbolic link out of the
   * working directory, a broken link, a directory without permission), for the front ends to warn
   * about; also in `files` with status skipped.
   */
  notRead?: { file: string; reason: string }[]
}
