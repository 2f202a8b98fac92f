// registry-not-covered: the pod has usable pull secrets, but no key of theirs matches the image's registry.
import { explainMiss, keyCovers, nearestKey, shownKey, shownNormalizedKey } from '../model/keyring.js'
import type { ImageReference } from '../model/reference.js'
import { EXPLICIT_LIST_REASON } from '../resolve/resolve.js'
import type { Rule } from './types.js'
import { cachedNote, containerLabel, pullsVerb, imageLocation, registryOf, secretRelated } from './util.js'

export const registryNotCovered: Rule = {
  meta: {
    id: 'registry-not-covered',
    severity: 'error',
    description: 'The pod\'s usable pull secrets have no registry key that covers the image.',
    rationale:
      'The kubelet looks the normalised repository up in a keyring built from the pod\'s secrets: same port, same number of host labels, `*` only inside one label, the key\'s path a prefix of the image path, and `index.docker.io` only as the Docker Hub fallback. No match means an anonymous pull.',
    remediation: 'Add an auths entry for the image\'s registry (exactly as the kubelet matches it) to one of the pod\'s pull secrets, or add a secret for that registry.',
    example: `# Secret has auths for "https://index.docker.io/v1" (no trailing slash): stored as index.docker.io/v1, never matches Docker Hub
containers:
  - name: app
    image: acme/app:1.0`,
  },
  *check({ resolution }) {
    for (const pod of resolution.pods) {
      for (const img of pod.images) {
        if (img.status !== 'not-covered' || !img.ref) continue
        const r = pod.pod.resource
        const keys = img.availableKeys.map((k) => k.key).filter((k): k is string => k !== undefined)
        const secrets = [...new Set(img.availableKeys.map((k) => k.secret))]
        const invalid = img.availableKeys.filter((k) => k.key === undefined).map((k) => `"${shownKey(k.rawKey)}"`)
        let nearest: string
        const hub = keys.length ? hubHost(img.image, img.ref, keys) : undefined
        const emptyCover = img.availableKeys.find((k) => k.empty && k.key !== undefined && keyCovers(k.key, img.ref!.name))
        // A key that matches with credentials the registry refuses (a line break ends the password).
        const refusedCover = emptyCover ? undefined : img.availableKeys.find((k) => k.refused !== undefined && k.key !== undefined && keyCovers(k.key, img.ref!.name))
        if (refusedCover) {
          nearest = `its key ${shownNormalizedKey(refusedCover.rawKey, refusedCover.key)}${writtenAs(refusedCover.rawKey, refusedCover.key!)} in ${refusedCover.secret.name} matches, but ${refusedCover.refused}`
        } else if (emptyCover) {
          const written = writtenAs(emptyCover.rawKey, emptyCover.key!)
          const why = emptyCover.tokenOnly
            ? 'holds only an identitytoken or registrytoken, which the kubelet never reads'
            : "holds no credentials (as in a workstation's Docker config, whose credsStore keeps them)"
          nearest = `its key ${shownNormalizedKey(emptyCover.rawKey, emptyCover.key)}${written} in ${emptyCover.secret.name} matches, but its entry ${why}, so the kubelet pulls with an empty one, which a private registry refuses`
        } else if (hub !== undefined) {
          // `myhost/app`: the key names the host meant, but the reference names Docker Hub.
          const key = hub
          const entry = img.availableKeys.find((k) => k.key === key)!
          const hostPort = key.split('/')[0]
          // The key matches an image written with its host and port as it names them; a key of a
          // lone label without a port matches no image that is not Docker Hub's (no dot, no port).
          // With a path in the key (myhost:5000/team), the image's path must start with it too.
          const keyPath = key.slice(hostPort.length)
          const fix = hostPort.includes(':')
            ? keyPath === '' || keyPath === '/'
              ? `write the image as ${hostPort}/${img.image.slice(img.image.indexOf('/') + 1)}`
              : `write the image with the key's host, port and path (${hostPort}${keyPath.replace(/\/$/, '')}/…)`
            : `name the registry's real host (with a dot or a port) in both the image and the key, as the kubelet matches the same host labels and port`
          nearest =
            `${img.image} is a Docker Hub image (${img.ref.name}): a first part without a dot or a port, other than localhost, names a Docker Hub account, not a registry, ` +
            `so the key ${shownNormalizedKey(entry.rawKey, key)} in ${entry.secret.name} never matches it; ${fix}`
        } else if (keys.length) {
          const near = nearestKey(keys, img.ref.name) ?? keys[0]
          const nearEntry = img.availableKeys.find((k) => k.key === near)!
          const shown = shownNormalizedKey(nearEntry.rawKey, near)
          nearest =
            shown === near
              ? `the nearest, ${near}${writtenAs(nearEntry.rawKey, near)} in ${nearEntry.secret.name}, misses because ${explainMiss(near, img.ref.name)}`
              : `the nearest, ${shown} in ${nearEntry.secret.name}, misses because url.Parse reads part of its password as the registry's address (a /, ? or # in the password ends the host there)`
        } else {
          nearest = `its only keys (${invalid.join(', ')}) are not valid registry keys, so the kubelet skips them`
        }
        // Checked only because the pod lists pull secrets: a public image is then listed as public.
        // (Not when a key matches it: credentials for it were meant to be there.)
        const publicPattern = img.reason === EXPLICIT_LIST_REASON && !emptyCover && !refusedCover && hub === undefined ? repositoryPattern(img.ref) : undefined
        const orPublic = publicPattern ? `, or, if the image is public (it is checked only because its pod lists pull secrets), add ${publicPattern} to public-registries` : ''
        yield {
          ...(img.cachedBy ? { severity: 'warning' as const } : {}),
          message: (refusedCover
            ? `${containerLabel(img)} in namespace ${pod.pod.namespace} ${pullsVerb(img)} ${img.image} (registry ${registryOf(img)}), but no credential of its pull secrets (${secrets.map((s) => s.name).join(', ')}) is one the registry accepts: ${nearest}${publicToo(img.classification)}; encode the credentials again without it (kubectl create secret docker-registry, or printf '%s' user:password | base64).`
            : emptyCover
            ? `${containerLabel(img)} in namespace ${pod.pod.namespace} ${pullsVerb(img)} ${img.image} (registry ${registryOf(img)}), but no credential of its pull secrets (${secrets.map((s) => s.name).join(', ')}) covers it: ${nearest}; put the registry's username and password (or auth) in that entry${orPublic}.`
            : `${containerLabel(img)} in namespace ${pod.pod.namespace} ${pullsVerb(img)} ${img.image} (registry ${registryOf(img)}), but no key of its pull secrets (${secrets.map((s) => s.name).join(', ')}) covers it: ${nearest}${hub === undefined ? `; add an auths entry for ${registryOf(img)}${orPublic}` : ''}.`) + cachedNote(img),
          fix: hub !== undefined
            ? "Write the image with its registry's host name (with a dot or a port), and the pull secret's key as the image names it."
            : refusedCover
            ? `Encode ${refusedCover.secret.name}'s credentials for ${shownNormalizedKey(refusedCover.rawKey, refusedCover.key)} again without the line break.`
            : publicPattern
            ? `Add an auths entry for ${registryOf(img)} to a pull secret of the pod, or add ${publicPattern} to public-registries if the image is public.`
            : `Add an auths entry for ${registryOf(img)} to a pull secret of the pod.`,
          location: imageLocation(r, img.use),
          resource: r,
          related: secrets.flatMap((s) => secretRelated(s, `${s.label} has keys ${keysOf(s, img.availableKeys)}`)),
          container: img.use.name,
          image: img.image,
          pods: [pod],
          key: `${img.use.slot}/${img.use.name}`,
        }
      }
    }
  },
}

/**
 * The key whose host an image names as its first part, when that part made the image a Docker Hub
 * one instead (`myhost/app:1` is docker.io/myhost/app: no dot, no port, not localhost): the
 * registry was meant. Undefined otherwise.
 */
function hubHost(written: string, ref: ImageReference, keys: readonly string[]): string | undefined {
  const slash = written.indexOf('/')
  if (ref.domain !== 'docker.io' || slash <= 0) return undefined
  const first = written.slice(0, slash)
  if (first === 'docker.io' || first === 'index.docker.io' || first === 'registry-1.docker.io') return undefined
  const lower = first.toLowerCase()
  return keys.find((k) => {
    const host = k.split('/')[0].split(':')[0].toLowerCase()
    return host === lower
  })
}

/** Why a public image fails too: its pull is not anonymous. */
function publicToo(classification: string): string {
  return classification === 'public' ? ' (the image is public, but the kubelet pulls it with the credentials that match it, and not anonymously when they fail)' : ''
}

/** The pattern of an image's repository owner: `docker.io/bitnami/`, `quay.io/prometheus/` (`host/app` for a one-part path). */
function repositoryPattern(ref: ImageReference): string {
  const parts = ref.path.split('/')
  // A pattern's path is a plain prefix: `quay.io/prometheus` would also cover `quay.io/prometheus-x`,
  // so an owner with repositories below it ends with its slash.
  const owner = parts.length > 1 ? `${parts[0]}/` : parts[0]
  return ref.domain ? `${ref.domain}/${owner}` : owner
}

/** ` (written "…")` when the raw key differs from its normalised form, its userinfo secret hidden. */
function writtenAs(rawKey: string, key: string): string {
  return rawKey !== key ? ` (written "${shownKey(rawKey)}")` : ''
}

/** How many of a secret's keys a related location names; the rest are counted. */
const MAX_KEYS_SHOWN = 10
const keysShown = new WeakMap<object, string>()

/** A secret's keys as a related location names them (made once per secret: every image it does not cover names them). */
function keysOf(secret: object, available: readonly { secret: object; key: string | undefined; rawKey: string }[]): string {
  let shown = keysShown.get(secret)
  if (shown === undefined) {
    const keys = available.filter((k) => k.secret === secret)
    const names = keys.slice(0, MAX_KEYS_SHOWN).map((k) => (k.key === undefined ? `"${shownKey(k.rawKey)}" (invalid)` : shownNormalizedKey(k.rawKey, k.key)))
    shown = `${names.join(', ')}${keys.length > MAX_KEYS_SHOWN ? ` and ${keys.length - MAX_KEYS_SHOWN} more` : ''}`
    keysShown.set(secret, shown)
  }
  return shown
}
