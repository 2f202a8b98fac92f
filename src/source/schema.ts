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
const types = (yaml as unknown as { types: Record<'merge' | 'omap' | 'pairs' | 'set', yaml.Type> }).types

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

/** `!!timestamp`: the text itself as the value (goyaml.v2 into interface{}), when goyaml reads it as a timestamp. */
const timestampText = new yaml.Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && isGoTimestamp(data),
  construct: (data: string) => data,
})

// goyaml.v2's parseTimestamp (resolve.go): four digits and a dash first, then one of
// allowedTimestampFormats as Go's time.Parse reads them: "2006-1-2T15:4:5.999999999Z07:00" (T or
// t), "2006-1-2 15:4:5.999999999" and "2006-1-2" (one or two digits for the month, day, hour,
// minute and second; an optional fraction; Z or ±hh:mm), with the fields in range.
const GO_TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/

/** Whether goyaml.v2 reads `text` as a timestamp. */
export function isGoTimestamp(text: string): boolean {
  const m = GO_TIMESTAMP.exec(text)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false
  if (m[6] === undefined) return true
  // With a T the zone is required; with a space there is none.
  if ((m[4] !== undefined) !== (m[9] !== undefined)) return false
  return Number(m[6]) < 24 && Number(m[7]) < 60 && Number(m[8]) < 60
}

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
