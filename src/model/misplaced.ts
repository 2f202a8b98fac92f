// imagePullSecrets written where Kubernetes never reads them, the usual reasons a user who "did list
// the secret" still gets no-pull-secret: on the workload's own spec or on the template instead of
// the template's spec, inside a container, under a misspelt key, or, on a ServiceAccount, under
// `secrets` (the mountable secrets) instead of `imagePullSecrets`. The API server drops unknown
// fields (kubectl's strict field validation rejects them instead): either way the pod gets nothing.
import { describe, get, isObj, type FieldPath, type Resource } from './resources.js'
import { PULL_SECRET_KEYS, PULL_SECRET_LOOKALIKES } from './pull-secret-keys.js'
import type { PodSpecRef } from './workloads.js'

/** The built-in kinds, whose objects have no pull-secret field above their PodSpec (custom resources may). */
const BUILT_IN = new Set(['Pod', 'PodTemplate', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'])

export interface MisplacedPullSecrets {
  holder: Resource
  /** Path of the misplaced key from the holder's root. */
  path: FieldPath
  /** Why Kubernetes does not read it there, and where it belongs. */
  why: string
  /** For a related location: what is written there. */
  label: string
  /** The key and its object: `spec.imagePullSecrets of Deployment app/web`. */
  at: string
}

/** `spec.template.spec.containers[0].imagePullSecrets` */
export function pathText(path: FieldPath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('')
}

/** The pull-secret lists of a PodSpec's object that Kubernetes never reads. */
export function misplacedInPod(pod: PodSpecRef): MisplacedPullSecrets[] {
  // Run for every pod spec when a pull secret is unused: nothing is built until a key is found.
  const out: MisplacedPullSecrets[] = []
  const r = pod.resource
  const target = () => pathText([...pod.path, 'imagePullSecrets'])
  const add = (path: FieldPath, why: (shown: string) => string) => {
    const shown = pathText(path)
    out.push({ holder: r, path, why: why(shown), label: `${shown}, never read`, at: `${shown} of ${describe(r)}` })
  }
  for (const { holder, path } of aboveThePodSpec(pod)) {
    for (const key of PULL_SECRET_KEYS) {
      if (holder[key] === undefined) continue
      add([...path, key], (shown) => `${shown} is not part of the pod template, so it never reaches the pods (move it to ${target()})`)
    }
  }
  for (const key of PULL_SECRET_LOOKALIKES) {
    if (pod.spec[key] !== undefined) add([...pod.path, key], (shown) => `${shown} is not a field of a pod (write ${target()})`)
  }
  for (const use of pod.images) {
    if (use.slot === 'volumes') continue
    for (const key of PULL_SECRET_KEYS) {
      if (use.entry[key] === undefined) continue
      add([...use.entryPath, key], () => `the ${key} of container "${use.name}" is not a field of a container: pull secrets belong to the pod (move it to ${target()})`)
    }
  }
  return out
}

/**
 * A ServiceAccount name written above the PodSpec of a built-in workload (on the Deployment's own
 * spec, on the template), where Kubernetes never reads it, when the PodSpec names none: its pods
 * run as `default`. The first one, from the root down.
 */
export function misplacedServiceAccountName(pod: PodSpecRef): { path: FieldPath; name: string; shown: string; target: string } | undefined {
  if (pod.spec.serviceAccountName !== undefined || pod.spec.serviceAccount !== undefined) return undefined
  for (const { holder, path: above } of aboveThePodSpec(pod)) {
    for (const key of ['serviceAccountName', 'serviceAccount']) {
      const name = holder[key]
      if (typeof name !== 'string' || name === '') continue
      const path = [...above, key]
      return { path, name, shown: pathText(path), target: pathText([...pod.path, 'serviceAccountName']) }
    }
  }
  return undefined
}

/**
 * Every mapping from a built-in workload's root down to its PodSpec's parent (the workload's spec,
 * the template), with its path: where fields of the pod are written by mistake. None for custom
 * resources, which may have such fields for their operators.
 */
function* aboveThePodSpec(pod: PodSpecRef): Generator<{ holder: Record<string, unknown>; path: FieldPath }> {
  if (!BUILT_IN.has(pod.resource.kind)) return
  let holder: unknown = pod.resource.obj
  for (let depth = 0; depth < pod.path.length && isObj(holder); depth++) {
    yield { holder, path: pod.path.slice(0, depth) }
    holder = holder[pod.path[depth]]
  }
}

/**
 * The pull-secret lists of a ServiceAccount that Kubernetes never reads: a misspelt key, and the
 * docker-config secrets it names under `secrets` (`isPullSecret` says which names those are).
 */
export function misplacedInServiceAccount(sa: Resource, isPullSecret: (name: string) => boolean): MisplacedPullSecrets[] {
  const out: MisplacedPullSecrets[] = []
  const label = `ServiceAccount ${sa.namespace}/${sa.name}`
  for (const key of PULL_SECRET_LOOKALIKES) {
    if (sa.obj[key] === undefined) continue
    out.push({ holder: sa, path: [key], why: `${label}'s ${key} is not a field of a ServiceAccount (write imagePullSecrets)`, label: `${label}'s ${key}, never read`, at: `${key} of ${label}` })
  }
  const secrets = sa.obj.secrets
  if (Array.isArray(secrets)) {
    secrets.forEach((entry, i) => {
      const name = isObj(entry) && typeof entry.name === 'string' ? entry.name : undefined
      if (name === undefined || !isPullSecret(name)) return
      out.push({ holder: sa, path: ['secrets', i], why: `${label} lists ${name} under secrets, the secrets its pods may mount, which no pull reads (list it under imagePullSecrets)`, label: `${label}'s secrets entry ${name}, not a pull secret`, at: `secrets of ${label}` })
    })
  }
  return out
}

/** The Secret names a misplaced list gives (`{name: …}` entries, or bare strings). */
export function namesIn(m: MisplacedPullSecrets): string[] {
  const value = get(m.holder.obj, m.path)
  const items = Array.isArray(value) ? value : [value]
  const names: string[] = []
  for (const item of items) {
    const name = typeof item === 'string' ? item : isObj(item) && typeof item.name === 'string' ? item.name : undefined
    if (name) names.push(name)
  }
  return names
}
