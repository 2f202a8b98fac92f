// The YAML schema manifests are read with, as kubectl reads them: js-yaml's default schema, except
// that
// - a plain scalar that looks like a timestamp (`2024-01-01`) stays a string. kubectl's YAML
//   decoder (goyaml.v2 via sigs.k8s.io/yaml) decodes into interface{} and keeps such a value as a
//   string "for backward compatibility", so the API server sees `name: 2024-01-01` as a name. An
//   explicit `!!timestamp` tag still makes a date;
// - booleans are YAML 1.1's, as goyaml.v2 resolves them (resolve.go, resolveMapList): `y`, `yes`,
//   `on`, `n`, `no`, `off` in their three spellings are booleans too, so `name: no` is `false`,
//   which the API server refuses where a string goes.
import yaml from 'js-yaml'

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

export const KUBE_SCHEMA = yaml.CORE_SCHEMA.extend({
  implicit: [bool11, types.merge],
  explicit: [types.timestamp, types.binary, types.omap, types.pairs, types.set],
})
