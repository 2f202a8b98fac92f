// Decoded content of the docker-config Secrets committed in the manifests (shared by the content rules).
import type { Graph } from '../model/graph.js'
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
    if (value.value === undefined || value.value.trim() === '') continue
    const decoded = key === '.dockerconfigjson' ? decodeDockerConfigJson(value.value) : decodeDockerCfg(value.value)
    if (!decoded.ok) continue
    const creds = decoded.entries.map(([rawKey, entry]) => ({ rawKey, key: normalizeKey(rawKey), entry }))
    if (creds.length) out.push({ def, value, creds })
  }
  cache.set(graph, out)
  return out
}
