// pull-secret-empty-name: an imagePullSecrets entry without a name (skipped, and it blocks the ServiceAccount's list).
import { apiRejects, namesNoSecret } from '../resolve/resolve.js'
import { spanAt, type FieldPath, type Resource } from '../model/resources.js'
import { CREDENTIAL_KEY } from '../model/tokens.js'
import type { Rule } from './types.js'
import { effectiveRefs, locationAt, podsLabel, refHolderLabel, refNamePath } from './util.js'

export const pullSecretEmptyName: Rule = {
  meta: {
    id: 'pull-secret-empty-name',
    severity: 'warning',
    description: 'An imagePullSecrets entry has an empty (or no) name, or is not a {name: …} object.',
    rationale:
      'The kubelet skips entries with an empty name, but the admission plugin still counts the pod\'s list as non-empty, so the ServiceAccount\'s pull secrets are not copied in. An entry that is not a {name: …} object (a bare string such as `- regcred`), or an imagePullSecrets that is not a list, cannot be decoded at all: the API server rejects the object, and that is reported as an error.',
    remediation: 'Remove the entry or give it the Secret\'s name (often an unset Helm value).',
    example: `spec:
  imagePullSecrets:
    - name: ""   # from an unset {{ .Values.imagePullSecret }}`,
  },
  *check({ resolution }) {
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
      if (!namesNoSecret(ref)) continue
      const pod = pods[0]
      const location = locationAt(ref.holder, refNamePath(ref))
      const key = ref.entryPath.join('.')
      if (apiRejects(ref)) {
        // Not an empty name but a value the API server cannot decode: the object is never created.
        const shown = shownValue(ref.entry)
        const name = ref.status === 'name-not-string' ? (ref.entry as { name: unknown }).name : undefined
        const what =
          ref.status === 'not-list'
            ? `sets imagePullSecrets to ${shown}, which is not a list of {name: …} objects`
            : ref.status === 'name-not-string'
              ? `lists an entry whose name is ${shownValue(name)}, not a string, under imagePullSecrets`
              : `lists ${shown} under imagePullSecrets, which is not a {name: …} object`
        const write =
          typeof name === 'number' || typeof name === 'boolean'
            ? `quote the name: {name: "${writtenAs(ref.holder, refNamePath(ref)) ?? String(name)}"}`
            : typeof ref.entry === 'string' && isNameLike(ref.entry)
              ? `write it as ${ref.status === 'not-list' ? 'imagePullSecrets: ' : ''}[{name: ${ref.entry}}]`
              : "write each entry as {name: <the Secret's name>}"
        yield {
          message: `${refHolderLabel(ref)} ${what} (used by ${podsLabel(pods)}); the API server cannot decode it and rejects the ${ref.holder.kind}, so none of its images is pulled; ${write}.`,
          fix: "Write each imagePullSecrets entry as {name: <the Secret's name>}.",
          severity: 'error',
          location,
          resource: ref.holder,
          pods,
          key,
        }
        continue
      }
      const blocks = ref.owner === 'pod' && pod.saRefs.length > 0 ? `; it also keeps ServiceAccount ${pod.saName}'s pull secrets out of the pod` : ''
      const what = ref.status === 'not-object' ? `an entry that is not a {name: …} object (${shownValue(ref.entry)})` : 'an entry with an empty name'
      yield {
        message: `${refHolderLabel(ref)} lists ${what} under imagePullSecrets (used by ${podsLabel(pods)}), which the kubelet skips${blocks}; remove it or set the Secret's name.`,
        fix: 'Remove the entry or set the Secret name.',
        location,
        resource: ref.holder,
        pods,
        key,
      }
    }
  },
}

/**
 * The plain scalar as written at `path` (`1.10`, `1e3`, `0x1F`, `yes`), which is what quoting
 * keeps; undefined when the text is not a lone plain scalar.
 */
function writtenAs(r: Resource, path: FieldPath): string | undefined {
  const { start, end } = spanAt(r, path)
  const text = r.file.text.slice(start, end)
  return /^[^\s"'{}[\],#&*!|>%@`]+$/.test(text) ? text : undefined
}

/** A Secret's name, or something that could be one (`regcred`, `team.pull-secret`): safe to show. */
function isNameLike(text: string): boolean {
  return text.length <= 253 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(text)
}

/**
 * What an imagePullSecrets value is, without its content: a value that is not a list of names is
 * often a Helm value rendered in the wrong place (the registry credentials, or the docker config
 * itself). It is quoted as JSON only when short and made of what could be names (`["a","b"]`,
 * `{"name":"ghcr-pull"}`), no key named like a credential; else described (`a string of 112
 * characters`, `a mapping with the keys username, password`).
 */
export function shownValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  const json = JSON.stringify(value)
  if (json.length <= 80 && namesOnly(value)) return json
  if (typeof value === 'string') return `a string of ${[...value].length} characters`
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length} ${value.length === 1 ? 'item' : 'items'}`
  const keys = Object.keys(value as object)
  const named = keys.filter((k) => k.length <= 40 && /^[A-Za-z0-9_.-]+$/.test(k)).slice(0, 5)
  const others = keys.length - named.length
  if (named.length === 0) return `a mapping of ${keys.length} ${keys.length === 1 ? 'key' : 'keys'}`
  return `a mapping with the ${named.length === 1 ? 'key' : 'keys'} ${named.join(', ')}${others > 0 ? ` and ${others} more` : ''}`
}

/** Only names, numbers, booleans and nulls, under keys not named like credentials. */
function namesOnly(value: unknown): boolean {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return true
  if (typeof value === 'string') return value === '' || isNameLike(value)
  if (Array.isArray(value)) return value.every(namesOnly)
  return Object.entries(value as object).every(([k, v]) => !CREDENTIAL_KEY.test(k) && isNameLike(k) && namesOnly(v))
}
