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
 * The entries of a docker config that is not even JSON (cut short, a stray comma) whose
 * credentials can still be read in its text: `"host": {… "auth"|"password": "…"`, placeholders
 * (`YOUR_GITHUB_PAT`, `REDACTED`, `<token>`) aside. The API server rejects such a Secret, but what
 * it holds is committed all the same. JSON that the decoder refuses for its content (an auth that
 * is not base64) holds nothing readable.
 */
function readableEntries(text: string): SecretCredential[] | undefined {
  try {
    JSON.parse(text)
    return undefined
  } catch {
    // Not JSON: read its text.
  }
  const creds: SecretCredential[] = []
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
    // Written as a YAML mapping rather than a string: the API server cannot decode the Secret, but the mapping is the config.
    const raw = (def.resource.obj[value.path[0]] as Record<string, unknown> | undefined)?.[key]
    if (value.value === undefined && raw !== null && typeof raw === 'object') value = { ...value, value: JSON.stringify(raw) }
    const found = credentialsIn(key, value)
    if (found) out.push({ def, value, ...found })
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
