// The YAML schema manifests are read with, as kubectl reads them: js-yaml's default schema, except
// that
// - a scalar that looks like a timestamp (`2024-01-01`) stays a string, tagged `!!timestamp` or
//   not. kubectl and the API server decode YAML into interface{} (sigs.k8s.io/yaml: goyaml.v2's
//   Unmarshal, then JSON), and goyaml.v2 keeps a timestamp there as its text "for backward
//   compatibility" (decode.go, scalar: `tag == yaml_TIMESTAMP_TAG` → `n.value`), so the API
//   server sees `name: 2024-01-01` as a name;
// - `!!binary` is the string of the decoded bytes (decode.go: `resolved = string(data)`), which
//   JSON then carries as text (bytes that are not UTF-8 become U+FFFD); base64 that
//   encoding/base64's StdEncoding refuses (line breaks aside) fails the document, as in goyaml
//   ("!!binary value contains invalid base64 data");
// - booleans are YAML 1.1's, as goyaml.v2 resolves them (resolve.go, resolveMapList): `y`, `yes`,
//   `on`, `n`, `no`, `off` in their three spellings are booleans too, so `name: no` is `false`,
//   which the API server refuses where a string goes.
import yaml from 'js-yaml'
import { decodeBase64Strict } from './base64.js'

/** js-yaml's built-in types (exported at run time; @types/js-yaml does not declare them). */
const types = (yaml as unknown as { types: Record<'merge' | 'timestamp' | 'binary' | 'omap' | 'pairs' | 'set', yaml.Type> }).types

/** goyaml.v2's plain scalars that are booleans, and their values. */
export const YAML11_BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
])

/** YAML 1.1's boolean type; it takes the place of js-yaml's (same tag and kind). */
const bool11 = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && YAML11_BOOLEANS.has(data),
  construct: (data: string) => YAML11_BOOLEANS.get(data),
  predicate: (object: unknown) => typeof object === 'boolean',
})

/** `!!timestamp`: js-yaml's test of the form, but the text itself as the value (goyaml.v2 into interface{}). */
const timestampText = new yaml.Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (data: string | null) => types.timestamp.resolve(data),
  construct: (data: string) => data,
})

/** `!!binary`: the decoded bytes as a string (goyaml.v2), when StdEncoding decodes the text. */
const binaryText = new yaml.Type('tag:yaml.org,2002:binary', {
  kind: 'scalar',
  resolve: (data: string | null) => decodeBase64Strict(data ?? '') !== undefined,
  construct: (data: string | null) => decodeBase64Strict(data ?? ''),
})

export const KUBE_SCHEMA = yaml.CORE_SCHEMA.extend({
  implicit: [bool11, types.merge],
  explicit: [timestampText, binaryText, types.omap, types.pairs, types.set],
})
