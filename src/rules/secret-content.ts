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
}

const cache = new WeakMap<Graph, CommittedSecret[]>()

/** The registry entries a docker-config value decodes to; undefined when none. */
function credentialsIn(key: string, value: SecretValue): SecretCredential[] | undefined {
  if (value.value === undefined || value.value.trim() === '') return undefined
  const decoded = key === '.dockerconfigjson' ? decodeDockerConfigJson(value.value) : decodeDockerCfg(value.value)
  if (!decoded.ok) return undefined
  const creds = decoded.entries.map(([rawKey, entry]) => ({ rawKey, key: normalizeKey(rawKey), entry }))
  return creds.length ? creds : undefined
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
    const value = def.data!.get(key)!
    const found = credentialsIn(key, value)
    if (found) out.push({ def, value, creds: found })
    // stringData wins over data for the API server, but what data holds is committed all the same.
    const written = (def.resource.obj.data as Record<string, unknown> | undefined)?.[key]
    if (value.path[0] === 'stringData' && typeof written === 'string') {
      const overridden: SecretValue = { value: decodeBase64Strict(written), path: ['data', key] }
      const creds = credentialsIn(key, overridden)
      if (creds) out.push({ def, value: overridden, creds })
    }
  }
  cache.set(graph, out)
  return out
}
