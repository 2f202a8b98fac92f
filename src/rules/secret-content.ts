// Decoded content of the docker-config Secrets committed in the manifests (shared by the content rules).
import type { Graph } from '../model/graph.js'
import { decodeBase64Strict } from '../source/base64.js'
import { KEY_FOR_TYPE, type SecretDef, type SecretValue } from '../model/secrets.js'
import { decodeDockerCfg, decodeDockerConfigJson } from '../model/dockerconfig.js'
import { normalizeKey } from '../model/keyring.js'
import type { SecretCredential } from '../resolve/secrets.js'

export interface CommittedSecret {
  def: SecretDef
  value: SecretValue
  creds: SecretCredential[]
  /** The config does not decode: which registries have a credential was read from its text (the values only for the masker). */
  unreadable?: true
  /** Written in the clear where base64 was due (under data), or as a YAML mapping. */
  plain?: boolean
}

const cache = new WeakMap<Graph, CommittedSecret[]>()

/** The registry entries a docker-config value decodes to (or, when it does not decode, those its text shows); undefined when none. */
function credentialsIn(key: string, value: SecretValue): { creds: SecretCredential[]; unreadable?: true } | undefined {
  if (value.value === undefined || value.value.trim() === '') return undefined
  const decoded = key === '.dockerconfigjson' ? decodeDockerConfigJson(value.value) : decodeDockerCfg(value.value)
  if (!decoded.ok) {
    const creds = readableEntries(value.value)
    return creds ? { creds, unreadable: true } : undefined
  }
  const creds = decoded.entries.map(([rawKey, entry]) => ({ rawKey, key: normalizeKey(rawKey), entry }))
  return creds.length ? { creds } : undefined
}

/**
 * The entries of a docker config that does not decode whose credentials can still be read:
 * JSON the kubelet's decoder refuses for one entry (an auth that is not base64, a field of another
 * type), whose other entries' passwords are deployed all the same; or text that is not even JSON
 * (cut short, a stray comma): `"host": {… "auth"|"password": "…"`. Placeholders (`YOUR_GITHUB_PAT`,
 * `REDACTED`, `<token>`) aside. An auth that is not base64 is no credential.
 */
function readableEntries(text: string): SecretCredential[] | undefined {
  const creds: SecretCredential[] = []
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (parsed !== undefined) {
    const auths = parsed !== null && typeof parsed === 'object' && 'auths' in parsed ? (parsed as { auths: unknown }).auths : parsed
    if (auths === null || typeof auths !== 'object' || Array.isArray(auths)) return undefined
    for (const [rawKey, v] of Object.entries(auths)) {
      const password = v !== null && typeof v === 'object' ? (v as Record<string, unknown>).password : undefined
      if (typeof password !== 'string' || password === '' || isPlaceholder(password)) continue
      creds.push({ rawKey, key: normalizeKey(rawKey), entry: { username: '', password, email: '', fromAuth: false, fields: ['password'], tokens: [] } })
    }
    return creds.length ? creds : undefined
  }
  for (const m of text.matchAll(/"([^"\\{}]+)"\s*:\s*\{[^{}]*?"(auth|password)"\s*:\s*"([^"\\]+)"/g)) {
    const fromAuth = m[2] === 'auth'
    if (isPlaceholder(m[3]) || (fromAuth && isPlaceholder(Buffer.from(m[3], 'base64').toString('latin1')))) continue
    // The value itself, for the masker (never shown): a password, or an auth as written.
    creds.push({ rawKey: m[1], key: normalizeKey(m[1]), entry: { username: '', password: fromAuth ? '' : m[3], email: '', fromAuth, fields: [m[2]], tokens: fromAuth ? [m[3]] : [] } })
  }
  return creds.length ? creds : undefined
}

/** `<token>`, `${TOKEN}`, `{{ .token }}`, `xxxx`, `YOUR_GITHUB_PAT`, `CHANGEME`, `replace-me`, `REDACTED`: values to fill in, not credentials. */
const PLACEHOLDER = /^(?:<[^>]*>|\$\{[^}]*\}|\{\{.*\}\}|x{3,}|\*{3,}|(?:your|replace|change|insert|todo|placeholder)(?:[_-]\w*|me)?)$|redacted/i

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim())
}

/**
 * Every v1 Secret in the manifests whose docker-config key decodes to registry entries, whatever its
 * type (an Opaque secret holding .dockerconfigjson still commits credentials).
 */
export function committedCredentials(graph: Graph): CommittedSecret[] {
  let out = cache.get(graph)
  if (out) return out
  out = []
  for (const def of graph.secretDefs) {
    if (def.origin !== 'Secret' || !def.resource || def.source) continue
    const key = KEY_FOR_TYPE[def.type] && def.data?.has(KEY_FOR_TYPE[def.type]) ? KEY_FOR_TYPE[def.type] : def.data?.has('.dockerconfigjson') ? '.dockerconfigjson' : def.data?.has('.dockercfg') ? '.dockercfg' : undefined
    if (!key) continue
    let value = def.data!.get(key)!
    // Written as a YAML mapping rather than a string, or under data as plain text rather than base64:
    // the API server cannot decode the Secret, but the text is the config, committed in the clear.
    const raw = (def.resource.obj[value.path[0]] as Record<string, unknown> | undefined)?.[key]
    let plain = false
    if (value.value === undefined && raw !== null && typeof raw === 'object') {
      value = { ...value, value: JSON.stringify(raw) }
      plain = true
    } else if (value.value === undefined && typeof raw === 'string' && raw.trim() !== '') {
      value = { ...value, value: raw }
      plain = true
    }
    const found = credentialsIn(key, value)
    if (found) out.push({ def, value, ...found, ...(plain ? { plain } : {}) })
    // stringData wins over data for the API server, but what data holds is committed all the same.
    const written = (def.resource.obj.data as Record<string, unknown> | undefined)?.[key]
    if (value.path[0] === 'stringData' && typeof written === 'string') {
      const overridden: SecretValue = { value: decodeBase64Strict(written), path: ['data', key] }
      const more = credentialsIn(key, overridden)
      if (more) out.push({ def, value: overridden, ...more })
    }
  }
  cache.set(graph, out)
  return out
}
