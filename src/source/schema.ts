// The YAML schema manifests are read with, as kubectl reads them: js-yaml's default schema, except
// that a plain scalar that looks like a timestamp (`2024-01-01`) stays a string. kubectl's YAML
// decoder (goyaml.v2 via sigs.k8s.io/yaml) decodes into interface{} and keeps such a value as a
// string "for backward compatibility", so the API server sees `name: 2024-01-01` as a name. An
// explicit `!!timestamp` tag still makes a date.
import yaml from 'js-yaml'

/** js-yaml's built-in types (exported at run time; @types/js-yaml does not declare them). */
const types = (yaml as unknown as { types: Record<'merge' | 'timestamp' | 'binary' | 'omap' | 'pairs' | 'set', yaml.Type> }).types

export const KUBE_SCHEMA = yaml.CORE_SCHEMA.extend({
  implicit: [types.merge],
  explicit: [types.timestamp, types.binary, types.omap, types.pairs, types.set],
})
