// pull-secret-not-found: an effective pull secret does not exist in the pod's namespace.
import { push } from '../model/graph.js'
import type { SecretDef } from '../model/secrets.js'
import { get, isObj, type FieldPath, type Resource } from '../model/resources.js'
import { budgetedNearest } from '../nearest.js'
import { isPullSecretType } from '../resolve/secrets.js'
import type { Problem, Rule } from './types.js'
import type { PodFact, Resolution } from '../resolve/resolve.js'
import { createdAfter, earlyHook, effectiveRefs, goneFor, type DeletedHook, type EarlyHook, imagesAtRisk, imagesSubject, locationAt, podsLabel, refHolderLabel, refNamePath, secretRelated, stillPullsWithout, workloadRelated } from './util.js'

/** kustomize's name suffix: a dash and 10 characters of its hash encoding (hex with 0 1 3 a e written g h k m t). */
const KUSTOMIZE_HASH = /^(.+)-[2456789bcdfghkmt]{10}$/

/**
 * The names that kustomize's secretGenerator may have made the generated Secrets among `secrets`
 * of (`prod-regcred-7g2fk8h9m4` of regcred, prod-regcred, prod: the stem and each run of its
 * dash-separated parts, a namePrefix or nameSuffix taken off), each with the first such Secret.
 */
function generatedBases(secrets: readonly SecretDef[]): Map<string, SecretDef> {
  const out = new Map<string, SecretDef>()
  for (const d of secrets) {
    const m = KUSTOMIZE_HASH.exec(d.name)
    if (!m) continue
    const parts = m[1].split('-')
    // A name has a few parts; a long one is taken whole only.
    const n = parts.length <= 8 ? parts.length : 1
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j <= n; j++) {
        const base = n === 1 ? m[1] : parts.slice(i, j).join('-')
        if (base && !out.has(base)) out.set(base, d)
      }
    }
  }
  return out
}

/** Where a ClusterExternalSecret's namespace selectors are written. */
function selectorPath(ces: Resource): FieldPath {
  return isObj(get(ces.obj, ['spec', 'namespaceSelectors'])) || Array.isArray(get(ces.obj, ['spec', 'namespaceSelectors'])) ? ['spec', 'namespaceSelectors'] : ['spec', 'namespaceSelector']
}

export const pullSecretNotFound: Rule = {
  meta: {
    id: 'pull-secret-not-found',
    severity: 'error',
    description: 'An effective pull secret does not exist in the pod\'s namespace (a warning when the pod still pulls every image).',
    rationale:
      'The kubelet fetches each pull secret from the pod\'s own namespace; a missing one is skipped with a FailedToRetrieveImagePullSecret event and the pull goes on with what remains, or anonymously.',
    remediation: 'Create the Secret in the pod\'s namespace (or declare it in existing-secrets when it is created outside these manifests), or fix the name.',
    example: `spec:
  imagePullSecrets:
    - name: regcred   # no Secret regcred in this namespace`,
  },
  *check({ graph, resolution }) {
    // The pull secrets declared in each namespace (made when a reference is missing).
    let declared: Map<string, SecretDef[]> | undefined
    // Their names, one array per namespace: nearest() keeps what it computes of an array.
    const namesIn = new Map<string, string[]>()
    const suggest = budgetedNearest()
    // By namespace, the names kustomize's secretGenerator may have made each generated Secret of.
    const generatedIn = new Map<string, Map<string, SecretDef>>()
    const pullSecretsIn = (ns: string): SecretDef[] => {
      if (!declared) {
        declared = new Map()
        for (const d of graph.secretDefs) if (d.resource && isPullSecretType(d)) push(declared, d.namespace, d)
      }
      return declared.get(ns) ?? []
    }
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
      if (ref.status !== 'not-found') continue
      const ns = pods[0].pod.namespace
      // A pull secret of the namespace whose name is a likely typo of this one.
      const near = pullSecretsIn(ns)
      let names = namesIn.get(ns)
      if (!names) namesIn.set(ns, (names = near.map((d) => d.name)))
      // A kustomize secretGenerator's output (`regcred-7g2fk8h9m4`, with a namePrefix or not) first, then a near spelling.
      let bases = generatedIn.get(ns)
      if (!bases) generatedIn.set(ns, (bases = generatedBases(near)))
      const generated = bases.get(ref.name)
      const guess = generated ? generated.name : suggest(ref.name, names)
      const similar = guess === undefined ? undefined : near.find((d) => d.name === guess)
      const still = stillPullsWithout(pods)
      const warning = still !== undefined
      const consequence = still ? `the kubelet only records a FailedToRetrieveImagePullSecret event because ${still}` : `${imagesAtRisk(pods)} pulled without it`
      // A ClusterExternalSecret makes it only in the namespaces its selectors pick, and this one's labels do not match.
      const selected = graph.selectedSecretsNamed(ref.name)[0]
      const maker = selected?.resource ? `ClusterExternalSecret ${selected.resource.name}` : ''
      const bySelector = selected ? `; ${maker} makes it only in the namespaces its namespace selectors pick, and Namespace ${ns}'s labels match none` : ''
      const label = selected ? `label Namespace ${ns} to match, ` : ''
      yield {
        message: `${refHolderLabel(ref)} references pull secret "${ref.name}", which does not exist in namespace ${ns} (used by ${podsLabel(pods)})${bySelector}; ${consequence}; ${label}create Secret ${ns}/${ref.name} or fix the name${similar ? ` (did you mean "${similar.name}"?${generated ? ' kustomize adds a hash to the names of the Secrets its secretGenerator makes, and rewrites only the references it renders with them' : ''})` : ''}.`,
        fix: selected ? `Label Namespace ${ns} to match the namespace selectors of ${maker}, create Secret ${ref.name} in namespace ${ns}, or list it in existing-secrets.` : `Create Secret ${ref.name} in namespace ${ns}, or list it in existing-secrets.`,
        location: locationAt(ref.holder, refNamePath(ref)),
        resource: ref.holder,
        severity: warning ? 'warning' : 'error',
        related: [
          ...(selected?.resource ? [{ message: `${maker} picks its namespaces here`, location: locationAt(selected.resource, selectorPath(selected.resource)) }] : []),
          ...(similar ? secretRelated(similar, `${similar.label} has a similar name`) : []),
          ...(ref.owner === 'serviceAccount' ? pods.slice(0, 5).map((p) => workloadRelated(p)) : []),
        ],
        pods,
        key: `${ref.entryPath.join('.')}=${ref.name}`,
      }
    }
    yield* createdAfterHook(resolution)
    yield* deletedAfterHooks(resolution)
  },
}

/**
 * Pull secrets that are hooks deleted once their hooks succeed (helm.sh/hook-delete-policy:
 * hook-succeeded, or Argo CD's HookSucceeded), used by pods that are no hooks of that event: the
 * release's Deployments and the like. Their images that only such secrets cover are pulled
 * without them. One finding per reference.
 */
function* deletedAfterHooks(resolution: Resolution): Generator<Problem> {
  for (const [ref, pods] of effectiveRefs(resolution.pods)) {
    const def = ref.chosen
    if (ref.status !== 'ok' || !def?.resource || def.origin === 'existing-secrets') continue
    let deleted: DeletedHook | undefined
    const podsWithout: PodFact[] = []
    const images = new Set<string>()
    for (const pod of pods) {
      const r = pod.pod.resource
      const del = goneFor(r, def.resource)
      if (!del) continue
      const h = earlyHook(r)
      if (h && createdAfter(r, h, def.resource)) continue // said by createdAfterHook
      const gone = (d: SecretDef) => d.resource !== undefined && d.origin !== 'existing-secrets' && goneFor(r, d.resource) !== undefined
      const lost = pod.images.filter((i) => i.coveredBy.includes(def) && i.coveredBy.every(gone))
      if (lost.length === 0) continue
      deleted ??= del
      podsWithout.push(pod)
      for (const i of lost) images.add(i.image)
    }
    if (!deleted) continue
    const fix = `drop ${deleted.policy} from ${def.label}'s ${deleted.annotation} (or make it no hook: no ${deleted.hookAnnotation})`
    yield {
      message:
        `${refHolderLabel(ref)} references pull secret "${ref.name}" (used by ${podsLabel(podsWithout)}), but ${def.label} is ${deleted.by === 'Helm' ? 'a Helm' : 'an Argo CD'} hook that ${deleted.by} deletes ${deleted.when} (${deleted.annotation}: ${deleted.value}), ` +
        (deleted.by === 'Helm'
          ? `and those pods are no hooks of its events: ${imagesSubject([...images])} pulled without it; ${fix}.`
          : `and those pods are no hooks: after the sync (a pod rescheduled or scaled up) ${imagesSubject([...images])} pulled without it; ${fix}.`),
      fix: `${fix[0].toUpperCase()}${fix.slice(1)}.`,
      location: locationAt(ref.holder, refNamePath(ref)),
      resource: ref.holder,
      related: secretRelated(def, `${def.label} is deleted ${deleted.when}`),
      pods: podsWithout,
      key: `${ref.entryPath.join('.')}=${ref.name}/deleted`,
    }
  }
}

/**
 * Pull secrets of hooks that run before their chart's objects exist (Helm pre-install hooks, Argo
 * CD PreSync ones) that are among those objects: on the first install the hooks' images that only
 * they cover are pulled without them, and the install waits on the hook until it times out. One
 * finding per reference, as for the other references.
 */
function* createdAfterHook(resolution: Resolution): Generator<Problem> {
  for (const [ref, pods] of effectiveRefs(resolution.pods)) {
    const def = ref.chosen
    if (ref.status !== 'ok' || !def?.resource || def.origin === 'existing-secrets') continue
    let hook: EarlyHook | undefined
    const hookPods: PodFact[] = []
    const images = new Set<string>()
    for (const pod of pods) {
      const h = earlyHook(pod.pod.resource)
      if (!h || !createdAfter(pod.pod.resource, h, def.resource)) continue
      // The images that no secret existing by then covers.
      const missing = (d: SecretDef) => d.resource !== undefined && d.origin !== 'existing-secrets' && createdAfter(pod.pod.resource, h, d.resource)
      const lost = pod.images.filter((i) => i.coveredBy.includes(def) && i.coveredBy.every(missing))
      if (lost.length === 0) continue
      hook ??= h
      hookPods.push(pod)
      for (const i of lost) images.add(i.image)
    }
    if (!hook) continue
    const shown = imagesSubject([...images])
    yield {
      message: `${refHolderLabel(ref)} references pull secret "${ref.name}" (used by ${podsLabel(hookPods)}, ${hook.what}), but ${def.label} is not one (or one of a higher weight), so ${hook.by} creates it only after the hook has run: on the first install ${shown} pulled without it, and the install waits on the hook until it fails; make ${def.label} ${hook.fix}.`,
      fix: `Make ${def.label} ${hook.fix}.`,
      location: locationAt(ref.holder, refNamePath(ref)),
      resource: ref.holder,
      related: secretRelated(def, `${def.label} is created after the hook`),
      pods: hookPods,
      key: `${ref.entryPath.join('.')}=${ref.name}/hook`,
    }
  }
}
