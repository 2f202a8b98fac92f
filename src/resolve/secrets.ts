// Whether the kubelet can use a secret (secrets.go MakeDockerKeyring): type, key, content.
import { decodeDockerCfg, decodeDockerConfigJson, type DockerConfigEntry } from '../model/dockerconfig.js'
import { normalizeKey, shownKey } from '../model/keyring.js'
import { DOCKERCFG, DOCKERCONFIGJSON, DOCKER_TYPES, KEY_FOR_TYPE, replicatesFrom, type SecretDef } from '../model/secrets.js'
import type { FieldPath } from '../model/resources.js'

export interface SecretCredential {
  /** The registry key as written. */
  rawKey: string
  /** Normalised as the keyring stores it; undefined when the kubelet skips the key. */
  key: string | undefined
  entry: DockerConfigEntry
}

export type SecretEvaluation =
  | {
      usable: true
      /** Known credentials (content `known`), or keys only (content `registries`). */
      credentials: SecretCredential[]
      /** Normalised keys the secret provides. */
      keys: string[]
      /**
       * The keys with a credential the kubelet can send: entries with neither a username nor a
       * password (a workstation's config keeps them in its credsStore; an identitytoken is never
       * read) give an empty one, which a private registry refuses.
       */
      pullKeys: string[]
      /**
       * Keys of pullKeys whose every credential the registry refuses, and why: a username or
       * password that ends with a line break (`echo user:pass | base64` without -n). The kubelet
       * sends it; the key says the registry is private, but covers nothing.
       */
      refusedKeys?: ReadonlyMap<string, string>
      /** Content unknown: assumed to cover every image. */
      unknownContent: boolean
    }
  | {
      usable: false
      problem: 'wrong-type' | 'malformed'
      /** Malformed in a way that makes the kubelet's keyring fail: no pull at all for the pod. */
      fatal: boolean
      detail: string
      /** Where the problem is written, from the resource root. */
      path?: FieldPath
      /** How to mend it, when regenerating the Secret is not the way (a field the API server cannot decode). */
      remedy?: string
      /** The API server refuses the Secret (ValidateSecret), so it never exists: nothing for the kubelet to ignore. */
      refused?: boolean
      /**
       * Entries the kubelet still puts in its keyring (all without credentials) and their keys: a
       * match among them uses up the `index.docker.io` fallback for the pod's other secrets.
       */
      credentials?: SecretCredential[]
      keys?: string[]
    }

const cache = new WeakMap<SecretDef, SecretEvaluation>()

export function evaluateSecret(def: SecretDef): SecretEvaluation {
  let ev = cache.get(def)
  if (!ev) {
    ev = evaluate(def)
    // A copy its tool refuses to fill keeps what it was declared with: why first, and the fix is the
    // copy's. (Not when the API server refuses the copy itself: then there is nothing to fill.)
    if (!ev.usable && def.notCopied && !ev.refused) {
      // (The advice a detail ends with, after `; `, is about mending the content, which the copy would replace.)
      const what = def.notCopiedFix ? ev.detail.split('; ')[0] : ev.detail
      ev = { ...ev, detail: `${def.notCopied}, so it keeps what it is declared with: ${what}`, ...(def.notCopiedFix ? { remedy: def.notCopiedFix } : {}) }
    }
    cache.set(def, ev)
  }
  return ev
}

function typeProblem(def: SecretDef): SecretEvaluation | undefined {
  const typePath = def.typePath ?? def.namePath ?? ['metadata', 'name']
  if (!DOCKER_TYPES.has(def.type)) {
    const holds = (def.dataKeys ?? []).find((k) => k === '.dockerconfigjson' || k === '.dockercfg')
    const hint = holds ? ` even though it holds a ${holds} key` : ''
    return { usable: false, problem: 'wrong-type', fatal: false, detail: `its type is ${def.type}${hint}, and the kubelet only uses secrets of type ${DOCKERCONFIGJSON} or ${DOCKERCFG}`, path: typePath }
  }
  const wanted = KEY_FOR_TYPE[def.type]
  const keys = def.dataKeys
  if (keys && !keys.includes(wanted)) {
    const other = def.type === DOCKERCONFIGJSON ? '.dockercfg' : '.dockerconfigjson'
    if (keys.includes(other)) {
      // ValidateSecret requires the type's key: a Secret whose keys are all known never exists.
      const refused = def.content === 'known' || def.keysExactAt !== undefined
      return { usable: false, problem: 'wrong-type', fatal: false, detail: `its type is ${def.type} but its data key is ${other}; the type needs the key ${wanted}`, path: typePath, ...(refused ? { refused } : {}) }
    }
    if (def.content === 'known') return { usable: false, problem: 'malformed', fatal: false, detail: missingKey(def, wanted), path: ['data'], refused: true }
    if (def.keysExactAt === undefined) return undefined
    // The Secret it makes holds only these keys: the API server rejects it, so it never exists.
    const holds = keys.length ? `only ${keys.join(', ')}` : 'no key'
    return {
      usable: false,
      problem: 'malformed',
      fatal: false,
      detail: `the Secret it makes would hold ${holds} and no ${wanted}, which its type ${def.type} requires, so the API server rejects it and it never exists`,
      path: def.keysExactAt,
      refused: true,
    }
  }
  return undefined
}

/** The secret's type requires the data key `wanted`, which it lacks. */
function missingKey(def: SecretDef, wanted: string): string {
  // A replica that a replicator would fill must still pass validation when it is created.
  const replica = def.resource !== undefined && replicatesFrom(def.resource) !== undefined
  const hint = replica ? ` (the API server rejects it, so there is nothing to replicate into; give the copy a placeholder such as ${wanted}: e30K, which the replicator overwrites)` : ''
  return `it has no ${wanted} key, which its type ${def.type} requires${hint}`
}

/** For a copy that kubernetes-replicator or reflector would fill (replicate-from, reflects): the placeholder to give it so that it is created at all. */
function placeholderRemedy(def: SecretDef, wanted: string): { remedy?: string } {
  if (def.resource === undefined || replicatesFrom(def.resource) === undefined) return {}
  return { remedy: `give the copy a placeholder the API server accepts, such as ${wanted}: e30K ({}), which the replication overwrites` }
}

function evaluate(def: SecretDef): SecretEvaluation {
  // An object the API server cannot decode, or refuses, never exists: the pod pulls with its other secrets.
  if (def.rejected) {
    return { usable: false, problem: 'malformed', fatal: false, detail: def.rejected.detail, path: def.rejected.path, remedy: 'correct that field so that the API server accepts the Secret', refused: true }
  }
  const typeIssue = typeProblem(def)
  if (typeIssue) return typeIssue
  if (def.content === 'unknown') return { usable: true, credentials: [], keys: [], pullKeys: [], unknownContent: true }
  if (def.content === 'registries') {
    // Configured as holding credentials for these registries: not empty ones.
    const creds = (def.registries ?? []).map((rawKey) => ({ rawKey, key: normalizeKey(rawKey), entry: { username: '', password: '', email: '', fromAuth: false, fields: [], tokens: [] } }))
    const keys = uniqueKeys(creds)
    return { usable: true, credentials: creds, keys, pullKeys: keys, unknownContent: false }
  }
  const wanted = KEY_FOR_TYPE[def.type]
  const value = def.data?.get(wanted)
  if (!value) {
    return { usable: false, problem: 'malformed', fatal: false, detail: missingKey(def, wanted), path: ['data'], refused: true }
  }
  if (value.value === undefined) {
    return { usable: false, problem: 'malformed', fatal: false, detail: value.rejected ?? `its ${wanted} value is not valid base64 (the API server rejects the Secret)`, path: value.path, refused: true, ...placeholderRemedy(def, wanted) }
  }
  if (value.value.trim() === '') {
    return { usable: false, problem: 'malformed', fatal: false, detail: `its ${wanted} value is empty, which is not JSON, so the API server rejects the Secret`, path: value.path, refused: true, ...placeholderRemedy(def, wanted) }
  }
  const decoded = def.type === DOCKERCONFIGJSON ? decodeDockerConfigJson(value.value) : decodeDockerCfg(value.value)
  if (!decoded.ok) {
    // ValidateSecret decodes the value into a map: what fails there is never created (the pod
    // pulls with its other secrets); what fails only in the kubelet's decoder fails the keyring.
    const detail = decoded.apiRejects
      ? `its ${wanted} is not a JSON object (${decoded.error}), so the API server rejects the Secret and it never exists`
      : `its ${wanted} cannot be decoded: ${decoded.error}`
    return { usable: false, problem: 'malformed', fatal: !decoded.apiRejects, detail, path: value.path, ...(decoded.apiRejects ? { refused: true, ...placeholderRemedy(def, wanted) } : {}) }
  }
  const stores = decoded.credentialStores?.join(' and ')
  if (decoded.noAuthsWrapper) {
    return {
      usable: false,
      problem: 'malformed',
      fatal: false,
      detail: stores
        ? `its .dockerconfigjson has no "auths" object, only ${stores} (a workstation's Docker config: the docker CLI runs those, the kubelet never does), so the kubelet reads no credentials from it; put the registry's credentials under {"auths": {…}}`
        : `its .dockerconfigjson has no "auths" object (a legacy .dockercfg map?), so the kubelet reads no credentials from it; wrap the entries in {"auths": {…}}`,
      path: value.path,
    }
  }
  const creds = decoded.entries.map(([rawKey, entry]) => ({ rawKey, key: normalizeKey(rawKey), entry }))
  if (def.type === DOCKERCFG && creds.length === 1 && creds[0].rawKey.toLowerCase() === 'auths') {
    return {
      usable: false,
      problem: 'malformed',
      fatal: false,
      detail: 'its .dockercfg holds a .dockerconfigjson document ({"auths": …}), which the legacy format reads as one registry named "auths"; use type kubernetes.io/dockerconfigjson with key .dockerconfigjson',
      path: value.path,
    }
  }
  if (creds.length === 0) {
    return { usable: false, problem: 'malformed', fatal: false, detail: `its ${wanted} holds no registry entries`, path: value.path }
  }
  if (creds.every((c) => isEmptyCredential(c.entry))) {
    // The kubelet pulls with the empty credential it finds and never falls back to an anonymous
    // pull, so a private registry refuses it.
    const names = creds.map((c) => shownKey(c.rawKey)).join(', ')
    const tokensOnly = creds.some((c) => c.entry.tokens.length > 0)
    const why = stores
      ? ` (a workstation's Docker config: its ${stores} keeps them on that machine, out of the kubelet's reach)`
      : tokensOnly
        ? ' (an identitytoken or registrytoken is read by the docker CLI, never by the kubelet; put a username and password, such as the token with its user name, in the entry)'
        : ''
    return {
      usable: false,
      problem: 'malformed',
      fatal: false,
      detail: `its ${wanted} lists ${names} without any credentials${why}, so the kubelet pulls with empty ones, which a private registry refuses`,
      path: value.path,
      credentials: creds,
      keys: uniqueKeys(creds),
    }
  }
  const sending = creds.filter((c) => !isEmptyCredential(c.entry))
  const pullKeys = uniqueKeys(sending)
  const ev: SecretEvaluation = { usable: true, credentials: creds, keys: uniqueKeys(creds), pullKeys, unknownContent: false }
  const refused = refusedKeysOf(sending)
  if (refused) ev.refusedKeys = refused
  return ev
}

/** The keys whose every credential ends a username or password with a line break, and why the registry refuses them. */
function refusedKeysOf(sending: SecretCredential[]): Map<string, string> | undefined {
  const broken = new Map<string, string>()
  const good = new Set<string>()
  for (const c of sending) {
    if (c.key === undefined) continue
    const why = lineBreakAtEnd(c.entry)
    if (why === undefined) good.add(c.key)
    else if (!broken.has(c.key)) broken.set(c.key, why)
  }
  for (const key of good) broken.delete(key)
  return broken.size ? broken : undefined
}

function lineBreakAtEnd(entry: DockerConfigEntry): string | undefined {
  const field = /[\r\n]$/.test(entry.password) ? 'password' : /[\r\n]$/.test(entry.username) ? 'username' : undefined
  if (!field) return undefined
  const made = entry.fromAuth ? ' (its auth is base64 of "user:password" and a line break, as echo user:password | base64 makes it)' : ''
  return `its ${field} ends with a line break${made}, which the registry takes as part of the ${field} and refuses`
}

/**
 * An entry with neither a username nor a password: the kubelet sends an empty credential. An
 * identitytoken or registrytoken does not count: the kubelet never reads them (SEMANTICS §3).
 */
function isEmptyCredential(entry: DockerConfigEntry): boolean {
  return entry.username === '' && entry.password === ''
}

function uniqueKeys(creds: SecretCredential[]): string[] {
  return [...new Set(creds.map((c) => c.key).filter((k): k is string => k !== undefined))]
}

/** Is this a docker-config secret at all (for unused-pull-secret and inference)? */
export function isPullSecretType(def: SecretDef): boolean {
  return DOCKER_TYPES.has(def.type)
}
