// pull-secret-empty-name: an imagePullSecrets entry without a name (skipped, and it blocks the ServiceAccount's list).
import { apiRejects, namesNoSecret } from '../resolve/resolve.js'
import { spanAt, type FieldPath, type Resource } from '../model/resources.js'
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
        const json = JSON.stringify(ref.entry) ?? String(ref.entry)
        const shown = json.length > 80 ? `${json.slice(0, 79)}…` : json
        const name = ref.status === 'name-not-string' ? (ref.entry as { name: unknown }).name : undefined
        const what =
          ref.status === 'not-list'
            ? `sets imagePullSecrets to ${shown}, which is not a list of {name: …} objects`
            : ref.status === 'name-not-string'
              ? `lists an entry whose name is ${JSON.stringify(name)}, not a string, under imagePullSecrets`
              : `lists ${shown} under imagePullSecrets, which is not a {name: …} object`
        const write =
          typeof name === 'number' || typeof name === 'boolean'
            ? `quote the name: {name: "${writtenAs(ref.holder, refNamePath(ref)) ?? String(name)}"}`
            : typeof ref.entry === 'string' && ref.entry !== ''
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
      const what = ref.status === 'not-object' ? `an entry that is not a {name: …} object (${JSON.stringify(ref.entry)})` : 'an entry with an empty name'
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
