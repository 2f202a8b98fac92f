// The only orchestration: discover → read → parse → graph → resolve → rules → findings.
// Pure apart from reading the manifest files; no @actions/*, no terminal.
import { discover } from './source/discover.js'
import { loadSource, unreadableSource, type SourceFile } from './source/files.js'
import { loadFiles } from './source/pipeline.js'
import { extractResources, locationAt, ref as resourceRef, type Resource } from './model/resources.js'
import { imageSpan } from './model/workloads.js'
import { addConfiguredObjects, Graph } from './model/graph.js'
import { appliedSecrets, resolve, type ImageFact, type PodFact, type Resolution } from './resolve/resolve.js'
import { RULE_IDS, RULES } from './rules/registry.js'
import type { Problem, Rule } from './rules/types.js'
import { fingerprint } from './findings/fingerprint.js'
import { findSuppression } from './findings/suppress.js'
import { committedCredentials } from './rules/secret-content.js'
import type { SecretDef } from './model/secrets.js'
import { decodeBase64Strict } from './source/base64.js'
import { isPullSecretType } from './resolve/secrets.js'
import { keyUserinfo as keyUserinfoOf, percentDecoded, userIsSecret } from './model/keyring.js'
import { CREDENTIAL_KEY, looksLikeToken } from './model/tokens.js'
import type { AnalyzeResult, FileReport, Finding, ImageClass, ImageReport, PullPath, RuleMeta, Severity } from './findings/types.js'
import type { Options } from './options.js'

export interface SourceInput {
  /** Relative to the working directory, POSIX separators. */
  path: string
  text: string | Buffer
}

/**
 * Reads the files the options select and analyses them, with `extra` sources already loaded
 * (the CLI's standard input) beside them.
 */
export async function analyze(options: Options, extra: readonly SourceFile[] = []): Promise<AnalyzeResult> {
  // pullcheck's own files: its configuration, and the reports an earlier run left (a JSON report
  // quotes the manifests, template markers included).
  const exclude = [options.config, options.sarifFile, options.reportFile].filter((f): f is string => f !== undefined)
  const { files, skipped, unmatched, excludedOnly } = await discover(options.manifests, options.workingDirectory, exclude)
  // Read and parse (across worker threads when the input is large): the same SourceFiles, in order.
  const sources = await loadFiles(files)
  sources.push(...extra)
  const result = analyzeLoaded(sources, options)
  for (const s of skipped) result.files.push({ file: s.path, status: 'skipped', documents: 0, resources: 0, nonKubernetes: 0, reason: s.reason })
  result.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  result.unmatched = unmatched
  result.excludedOnly = excludedOnly
  result.notRead = skipped.map((s) => ({ file: s.path, reason: s.reason }))
  return result
}

/** The pure core over in-memory sources. */
export function analyzeSources(inputs: (SourceInput | { path: string; error: string })[], options: Options): AnalyzeResult {
  return analyzeLoaded(
    inputs.map((input) => ('error' in input ? unreadableSource(input.path, input.error) : loadSource(input.path, input.text))),
    options,
  )
}

/** The core over files already read and parsed (loadSource, loadFiles), in report order. */
export function analyzeLoaded(loaded: readonly SourceFile[], options: Options): AnalyzeResult {
  const sources: SourceFile[] = []
  const fileReports: FileReport[] = []
  const stats = { files: 0, documents: 0, resources: 0, nonKubernetes: 0, workloads: 0, podSpecs: 0, images: 0, serviceAccounts: 0, secrets: 0, secretProducers: 0, namespaces: 0 }
  const graph = new Graph(sources, options.defaultNamespace)
  for (const file of loaded) {
    stats.files++
    sources.push(file)
    if (file.readError !== undefined) {
      fileReports.push({ file: file.path, status: 'error', documents: 0, resources: 0, nonKubernetes: 0, reason: `cannot read the file (${file.readError})` })
      continue
    }
    const { resources, counts } = extractResources(file, options.defaultNamespace)
    for (const r of resources) graph.addResource(r)
    stats.documents += counts.documents
    stats.resources += counts.resources
    stats.nonKubernetes += counts.nonKubernetes
    const failed = file.problems.some((p) => p.kind === 'syntax') || (counts.documents === 0 && file.problems.length > 0)
    const report: FileReport = {
      file: file.path,
      status: failed ? 'error' : resources.length === 0 ? 'skipped' : 'parsed',
      documents: counts.documents,
      resources: counts.resources,
      nonKubernetes: counts.nonKubernetes,
    }
    if (file.parsed?.skipped) report.skippedKinds = file.parsed.skipped
    if (failed) report.reason = file.problems.map((p) => p.message).join('; ')
    else if (resources.length === 0) report.reason = file.problems.length ? file.problems[0].message : 'no Kubernetes objects (apiVersion and kind)'
    fileReports.push(report)
  }
  addConfiguredObjects(graph, options)
  graph.linkReplicationSources()
  const resolution = resolve(graph, options)

  const findings: Finding[] = []
  // Rule, file and position, then the messages found there (a short key to hash, not the message).
  const seen = new Map<string, string[]>()
  const rulesMeta: RuleMeta[] = []
  const fileByPath = new Map(sources.map((s) => [s.path, s]))
  for (const rule of RULES) {
    const setting = options.rules[rule.meta.id]
    if (setting === 'off') continue
    // The severity the configuration gives the rule is its default here (SARIF's defaultConfiguration).
    rulesMeta.push({ ...metaOf(rule), severity: (setting as Severity | undefined) ?? rule.meta.severity })
    for (const problem of rule.check({ graph, resolution, options })) {
      const finding = toFinding(rule, problem, setting, fileByPath)
      const at = `${finding.ruleId}|${finding.location.file}|${finding.location.range.start.line}:${finding.location.range.start.column}`
      const messages = seen.get(at)
      if (messages?.includes(finding.message)) continue
      if (messages) messages.push(finding.message)
      else seen.set(at, [finding.message])
      findings.push(finding)
    }
  }

  const counts = { error: 0, warning: 0, notice: 0, suppressed: 0 }
  for (const f of findings) {
    if (f.suppressed) counts.suppressed++
    else counts[f.severity]++
  }
  const images = imageReports(resolution)
  stats.workloads = graph.podSpecs.length // one PodSpec per resource at most (podSpecOf)
  stats.podSpecs = graph.podSpecs.length
  // Distinct images (one may be listed twice: checked in some pods, unclassified in others).
  let distinctImages = images.length
  for (let i = 1; i < images.length; i++) if (images[i].image === images[i - 1].image) distinctImages--
  stats.images = distinctImages
  stats.serviceAccounts = graph.resources.filter((r) => r.kind === 'ServiceAccount').length
  stats.secrets = graph.resources.filter((r) => r.kind === 'Secret').length
  stats.secretProducers = graph.secretDefs.filter((d) => d.origin !== 'Secret' && d.origin !== 'existing-secrets').length
  stats.namespaces = graph.namespaces.size

  return {
    findings,
    images,
    files: fileReports,
    stats,
    assumptions: [...assumptions(resolution), ...unsetNamespaceNote(graph), ...duplicateNotes(graph)],
    secretValues: secretValues(graph, resolution),
    rules: rulesMeta,
    counts,
    checkedImages: images.filter((i) => i.classification === 'private' || i.classification === 'inferred-private').length,
    unclassifiedImages: images.filter((i) => i.classification === 'unclassified').length,
  }
}

function metaOf(rule: Rule): RuleMeta {
  const { id, severity, description, rationale, remediation } = rule.meta
  return { id, severity, description, rationale, remediation }
}

const LEVELS: readonly Severity[] = ['notice', 'warning', 'error']

/**
 * A finding's severity: its own (a rule may soften or harden one, pull-secret-not-found's warning
 * when the other secrets cover every image), moved by the configured setting as far as the setting
 * moves the rule's default, within notice…error. Setting a rule to its default changes nothing.
 */
export function findingSeverity(ruleDefault: Severity, own: Severity | undefined, setting: string | undefined): Severity {
  if (!setting || setting === 'off') return own ?? ruleDefault
  if (own === undefined) return setting as Severity
  const shift = LEVELS.indexOf(setting as Severity) - LEVELS.indexOf(ruleDefault)
  return LEVELS[Math.max(0, Math.min(LEVELS.length - 1, LEVELS.indexOf(own) + shift))]
}

function toFinding(rule: Rule, p: Problem, setting: string | undefined, files: Map<string, SourceFile>): Finding {
  const severity = findingSeverity(rule.meta.severity, p.severity, setting)
  const res: Resource | undefined = p.workload ?? p.resource
  const sup = findSuppression(rule.meta.id, files.get(p.location.file), p.location.range.start.line, p.resource, RULE_IDS)
  let message = p.message
  if (sup?.misspelt !== undefined) {
    message += ` (a pullcheck ignore ${sup.by} names "${sup.misspelt}", which is no rule: did you mean ${rule.meta.id}?)`
  } else if (sup?.hint !== undefined) {
    message += ` (${sup.hint})`
  } else if (sup && !sup.reason) {
    message += ` (a pullcheck ignore ${sup.by} names this rule but gives no reason, so it does not apply: write "${rule.meta.id}: <reason>")`
  }
  // Fields in the order the JSON report writes them (report/json.ts), so that it need not copy.
  const finding = { ruleId: rule.meta.id, severity, message, location: p.location } as Finding
  if (res) finding.resource = resourceRef(res)
  if (p.container !== undefined) finding.container = p.container
  if (p.image !== undefined) finding.image = p.image
  if (p.fix) finding.fix = p.fix
  finding.related = p.related ?? []
  finding.fingerprint = fingerprint([rule.meta.id, p.location.file, res?.kind, res?.namespace, res?.name, p.key, p.image])
  if (sup?.reason) finding.suppressed = { reason: sup.reason, by: sup.by }
  if (p.pods?.length) {
    finding.paths = p.pods.slice(0, MAX_PATHS).map(pullPath)
    if (p.pods.length > MAX_PATHS) finding.pathsOmitted = p.pods.length - MAX_PATHS
  }
  return finding
}

/**
 * A finding names at most this many of its pull paths, and each path this many secrets: a
 * ServiceAccount of many missing secrets used by many pods would otherwise repeat every path in
 * every finding (findings × pods × secrets; gigabytes). The message names the workloads.
 */
const MAX_PATHS = 20
const MAX_PATH_SECRETS = 20
const pullPaths = new WeakMap<PodFact, PullPath>()

/** A pod's pull path, made once however many findings name it (shared, read-only). */
function pullPath(pod: PodFact): PullPath {
  let path = pullPaths.get(pod)
  if (!path) {
    const names = pod.effective.map((r) => r.name).filter((n) => n !== '')
    path = { namespace: pod.pod.namespace, serviceAccount: pod.saName, secrets: names.slice(0, MAX_PATH_SECRETS), workload: resourceRef(pod.pod.resource) }
    if (names.length > MAX_PATH_SECRETS) path.secretsOmitted = names.length - MAX_PATH_SECRETS
    if (pod.listSource !== 'none') path.secretsFrom = pod.listSource
    pullPaths.set(pod, path)
  }
  return path
}

const CLASS_RANK: Record<ImageClass, number> = { invalid: 6, private: 5, 'inferred-private': 4, 'node-credentials': 3, public: 2, unclassified: 1 }

function imageReports(resolution: Resolution): ImageReport[] {
  const byImage = new Map<string, ImageReport>()
  // One reference object per workload, shared by its uses (read-only from here on).
  const refs = new Map<Resource, ReturnType<typeof resourceRef>>()
  for (const pod of resolution.pods) {
    for (const img of pod.images) {
      const key = imageKey(img)
      let rep = byImage.get(key)
      if (!rep) {
        // Fields in the order the JSON report writes them; undefined ones are not written.
        rep = { image: shownImage(img), repository: img.ref?.name, classification: img.classification, reason: img.reason, assumedCovered: undefined, uses: [] }
        byImage.set(key, rep)
      } else if (CLASS_RANK[img.classification] > CLASS_RANK[rep.classification]) {
        rep.classification = img.classification
        rep.reason = img.reason
      }
      if (img.assumed && img.status === 'ok') rep.assumedCovered = true
      const r = pod.pod.resource
      const line = r.file.positions.lineCol(imageSpan(r, img.use).start).line
      let workload = refs.get(r)
      if (!workload) refs.set(r, (workload = resourceRef(r)))
      // The same use again (an object or container repeated through YAML aliases: `- *pod`) is listed once.
      const last = rep.uses[rep.uses.length - 1]
      if (last && last.line === line && last.container === img.use.name && last.file === r.file.path && sameRef(last.workload, workload)) continue
      rep.uses.push({ file: r.file.path, line, workload, container: img.use.name })
    }
  }
  return [...byImage.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : CLASS_RANK[b.classification] - CLASS_RANK[a.classification]))
}

function sameRef(a: ReturnType<typeof resourceRef>, b: ReturnType<typeof resourceRef>): boolean {
  return a === b || (a.kind === b.kind && a.namespace === b.namespace && a.name === b.name)
}

/**
 * The image report an image use belongs to: its reference when it is a string, else its value as
 * JSON under a key no string image can have. A list `[ghcr.io/acme/app:1]` is not the image
 * `ghcr.io/acme/app:1` (String() would merge them, and the valid uses would be reported invalid),
 * nor is an object `[object Object]`.
 */
function imageKey(img: ImageFact): string {
  const value = img.use.image
  const key = typeof value === 'string' || value === undefined || value === null ? shownImage(img) : `\0${shownImage(img)}`
  // Its unchecked uses apart: an image checked in one pod (that lists pull secrets) and not in
  // another is also listed as unclassified there, with those uses, not hidden behind the first.
  return img.classification === 'unclassified' ? `${key}\0unclassified` : key
}

/**
 * The image as the report shows it: the string, or the value written as JSON (`["a:1"]`, `5`), the
 * values of keys named like credentials as `***` (a Helm values object rendered whole, with its
 * registry password).
 */
function shownImage(img: ImageFact): string {
  const value = img.use.image
  if (typeof value === 'string') return img.image || value
  if (value === undefined || value === null) return ''
  return JSON.stringify(value, (key, v: unknown) => (CREDENTIAL_KEY.test(key) && v !== null && typeof v !== 'object' ? '***' : v)) ?? ''
}

function assumptions(resolution: Resolution): string[] {
  const bySecret = new Map<string, Set<string>>()
  for (const pod of resolution.pods) {
    for (const img of pod.images) {
      if (!img.assumed || img.status !== 'ok') continue
      const labels = img.coveredBy.length ? img.coveredBy.map((d) => d.label) : [`ServiceAccount ${pod.pod.namespace}/${pod.saName} (existing-service-accounts)`]
      for (const label of labels) {
        const set = bySecret.get(label) ?? new Set<string>()
        set.add(img.image)
        bySecret.set(label, set)
      }
    }
  }
  return [...bySecret.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([label, imgs]) => `${label} has content pullcheck cannot read; it is assumed to cover ${[...imgs].sort().join(', ')}.`)
}

/**
 * Objects that take part in pulls (pods' holders, ServiceAccounts, Secrets and their producers)
 * but name no namespace: checked in the default namespace, where `kubectl apply -n`, `helm
 * install -n` or a GitOps tool's target namespace may not put them. Said once, with the first.
 */
function unsetNamespaceNote(graph: Graph): string[] {
  const involved = new Set<Resource>()
  for (const p of graph.podSpecs) if (p.resource.namespaceUnset) involved.add(p.resource)
  for (const d of graph.secretDefs) if (d.resource?.namespaceUnset) involved.add(d.resource)
  for (const r of graph.resources) if (r.namespaceUnset && r.kind === 'ServiceAccount') involved.add(r)
  if (involved.size === 0) return []
  const first = [...involved].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.docIndex - b.docIndex))[0]
  const at = `${first.file.path}:${locationAt(first, ['metadata', 'name']).range.start.line}`
  const one = involved.size === 1
  const what = one ? `${first.kind} ${first.name} (${at}) names` : `${involved.size} objects name (the first: ${first.kind} ${first.name}, ${at})`
  return [
    `${what} no namespace and ${one ? 'is' : 'are'} checked in namespace ${graph.defaultNamespace}, the default-namespace, where kubectl apply without -n puts ${one ? 'it' : 'them'}; ` +
      `if ${one ? 'it is' : 'they are'} installed elsewhere (kubectl apply -n, helm install -n, an Argo CD or Flux target namespace), set default-namespace to that namespace or write metadata.namespace.`,
  ]
}

/**
 * ServiceAccounts declared more than once with different imagePullSecrets: the results rest on
 * the last declaration, which `kubectl apply -f` leaves (Helm and kustomize refuse duplicates).
 */
function duplicateNotes(graph: Graph): string[] {
  const notes: string[] = []
  /** Where each declaration names the object: `file:line`. */
  const declaredAt = (list: readonly { resource: Resource }[]) =>
    list.map((d) => `${d.resource.file.path}:${locationAt(d.resource, ['metadata', 'name']).range.start.line}`)
  const APPLY = 'as kubectl apply -R -f leaves it'
  const REFUSED = 'though Helm and kustomize refuse duplicate objects'
  for (const list of graph.duplicateServiceAccounts()) {
    const lists = new Set(list.map((sa) => JSON.stringify(sa.imagePullSecrets ?? null)))
    if (lists.size === 1) continue
    const at = declaredAt(list)
    const last = list[list.length - 1]
    notes.push(
      `ServiceAccount ${last.namespace}/${last.name} is declared ${list.length} times with different imagePullSecrets (${at.join(', ')}); ` +
        `the last one read (${at[at.length - 1]}) is used, ${APPLY}, ${REFUSED}.`,
    )
  }
  for (const list of graph.duplicateSecrets()) {
    // What the kubelet reads of them: the type and the docker-config keys (compared, never shown:
    // the content is secret). Other data is not even kept when parsing prunes it.
    const pullContent = (d: SecretDef) => [d.type, ...['.dockerconfigjson', '.dockercfg'].map((k) => d.data?.get(k)?.value ?? null)]
    if (!list.some((d) => isPullSecretType(d) || pullContent(d).slice(1).some((v) => v !== null))) continue
    const contents = new Set(list.map((d) => JSON.stringify(pullContent(d))))
    if (contents.size === 1) continue
    const at = declaredAt(list)
    const used = appliedSecrets(list)[0]
    const usedAt = at[list.findIndex((d) => d === used)]
    // Why a later declaration did not replace the one used, when one did not.
    const later = list.slice(list.findIndex((d) => d === used) + 1)
    const typeNote =
      later.length === 0
        ? ''
        : later.some((d) => !d.rejected && d.type !== used.type)
          ? ' (applying another type fails: a Secret\'s type cannot change)'
          : used.resource?.obj.immutable === true && later.some((d) => !d.rejected)
            ? ' (once one is immutable, applying other data fails)'
            : ' (the API server refuses the later ones)'
    notes.push(
      `Secret ${used.namespace}/${used.name} is declared ${list.length} times with different content (${at.join(', ')}); ` +
        `${usedAt} is used, ${APPLY}${typeNote}, ${REFUSED}.`,
    )
  }
  return notes
}

/** The userinfo of an image written as a URL with credentials: `[scheme://]user:pass@host/…`. */
const IMAGE_USERINFO = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/@\s]+)@[^/@\s]*\//

/** Every credential value found in the manifests, to be masked by the front ends. */
function secretValues(graph: Graph, resolution: Resolution): string[] {
  const out = new Set<string>()
  const add = (v: string | undefined) => {
    if (!v || v.length < 4) return
    out.add(v)
    // A value written with a line break (`echo … | base64`) is also shown without it.
    const trimmed = v.trim()
    if (trimmed !== v && trimmed.length >= 4) out.add(trimmed)
    // Keys are shown as url.Parse leaves them, percent-decoded: a secret written into a key's path
    // (`ghcr.io/pa%41ss`) would be shown decoded (`ghcr.io/paAss`).
    if (/%[0-9a-fA-F]{2}/.test(v)) {
      const decoded = percentDecoded(v)
      if (decoded.length >= 4) out.add(decoded)
    }
  }
  // Keys written with escapes, whose decoded form may spell a secret the written one hides (`Kp7%41mq`).
  const escapedKeys: string[] = []
  for (const { creds } of committedCredentials(graph)) {
    for (const c of creds) {
      if (c.rawKey.includes('%')) escapedKeys.push(c.rawKey)
      for (const v of userinfoSecrets(c.rawKey)) add(v)
      add(c.entry.password)
      // A token pasted as the username is as secret as a password.
      if (looksLikeToken(c.entry.username)) {
        add(c.entry.username)
        add(c.entry.username.trim())
      }
      for (const token of c.entry.tokens) add(token)
      if (c.entry.password || c.entry.username) {
        const auth = Buffer.from(`${c.entry.username}:${c.entry.password}`).toString('base64')
        add(auth)
        add(auth.replace(/=+$/, ''))
      }
    }
  }
  for (const def of graph.secretDefs) {
    if (def.origin !== 'Secret' || !def.resource) continue
    for (const key of ['.dockerconfigjson', '.dockercfg']) {
      const raw = def.data?.get(key)
      if (!raw) continue
      const written = (def.resource.obj as Record<string, Record<string, unknown>>)[raw.path[0] as string]?.[key]
      if (typeof written === 'string') add(written.trim())
      if (raw.value !== undefined) for (const v of credentialFields(raw.value)) add(v)
      // A config written as a YAML mapping under stringData (rejected, but its passwords are there).
      else if (typeof written === 'object' && written !== null) for (const v of credentialFields(JSON.stringify(written))) add(v)
    }
  }
  // Credentials written into an image reference (`https://bot:pass@ghcr.io/acme/app:1`, which no
  // runtime pulls: invalid-image-reference quotes it), or under a credential's key in an image
  // written as a mapping (a Helm values object rendered whole; the report shows `***` there).
  for (const pod of resolution.pods) {
    for (const { use } of pod.images) {
      const image = use.image
      if (typeof image === 'string') {
        const userinfo = image.includes('@') ? IMAGE_USERINFO.exec(image)?.[1] : undefined
        if (userinfo !== undefined) for (const v of userinfoSecrets(`${userinfo}@x`)) add(v)
      } else if (typeof image === 'object' && image !== null) {
        JSON.stringify(image, (key, v: unknown) => {
          if (typeof v === 'string' && CREDENTIAL_KEY.test(key)) add(v)
          return v
        })
      }
    }
  }
  for (const key of escapedKeys) {
    const path = key.replace(/^https?:\/\//i, '').replace(/^[^/]*/, '').slice(1)
    const decoded = percentDecoded(path)
    // The key's path, as written and as shown, when the shown one spells a secret: masked whole.
    if (decoded !== path && [...out].some((s) => decoded.includes(s) && !path.includes(s))) {
      add(path)
      add(decoded)
    }
  }
  return [...out].sort((a, b) => b.length - a.length)
}

/** A JSON string that holds an `@` (a registry key with a userinfo, `"https://user:pass@host"`, may be one); keyUserinfo decides. */
const KEY_WITH_USERINFO = /"([^"\s]*@[^"\s]*)"/g

/**
 * The secret of a registry key's userinfo (keyring.ts keyUserinfo), which the kubelet's URL
 * parsing ignores but the key still spells out, as written and percent-decoded; and its user,
 * when that is a credential too (userIsSecret: a token, or the password is empty).
 */
function userinfoSecrets(key: string): string[] {
  const u = keyUserinfoOf(key)
  if (u === undefined) return []
  const out: string[] = []
  for (const part of userIsSecret(u) ? [u.secret, u.user!] : [u.secret]) {
    const decoded = percentDecoded(part)
    out.push(part)
    if (decoded !== part) out.push(decoded)
  }
  return out
}

/**
 * The credential fields of a docker config found by their text, so that configs that do not
 * decode (invalid JSON, no auths wrapper, an `auth` that is not base64(user:pass)) still have
 * their passwords masked: each password and token, and the password part of an `auth`, whether
 * base64 or written plain; a username, or the user part of an `auth`, that is an access token.
 */
function credentialFields(text: string): string[] {
  const out: string[] = []
  // Registry keys that carry a user and password (`https://bot:pass@quay.io`).
  for (const m of text.matchAll(KEY_WITH_USERINFO)) out.push(...userinfoSecrets(m[1]))
  // The key by a regular expression, the string by a scan: a regular expression over a string of
  // megabytes (`(?:[^"\\]|\\.)*`) runs out of stack.
  const field = /"(password|auth|identitytoken|registrytoken|username)"\s*:\s*"/gi
  for (const m of text.matchAll(field)) {
    const start = m.index + m[0].length
    let end = start
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1
    if (end >= text.length) continue
    let value = text.slice(start, end)
    try {
      value = JSON.parse(`"${value}"`) as string
    } catch {
      // Kept as written.
    }
    const name = m[1].toLowerCase()
    // A username only when it is a token pasted there.
    if (name === 'username') {
      if (looksLikeToken(value)) out.push(value, value.trim())
      continue
    }
    out.push(value)
    if (name !== 'auth') continue
    const decoded = decodeBase64Strict(value)
    if (decoded !== undefined) out.push(decoded)
    for (const pair of decoded !== undefined ? [decoded, value] : [value]) {
      const colon = pair.indexOf(':')
      if (colon < 0) continue
      out.push(pair.slice(colon + 1))
      if (looksLikeToken(pair.slice(0, colon))) out.push(pair.slice(0, colon), pair.slice(0, colon).trim())
    }
  }
  return out
}
