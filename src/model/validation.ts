// What makes the API server refuse an object, so that it never exists in the cluster: fields it
// cannot decode, and its name checks (k8s.io/apimachinery/pkg/util/validation, ValidateObjectMeta).
import { isObj, type FieldPath } from './resources.js'

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
/** qualifiedNameFmt and labelValueFmt: alphanumerics at both ends, `-`, `_` and `.` inside. */
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/

/** IsDNS1123Label: namespaces. */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s)
}

/** IsDNS1123Subdomain: the names of Secrets, ServiceAccounts and most objects. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s)
}

/** IsQualifiedName: label keys, and annotation keys (lowercased first). An optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isQualifiedName(s: string): boolean {
  const slash = s.indexOf('/')
  if (slash !== s.lastIndexOf('/')) return false
  const name = slash < 0 ? s : s.slice(slash + 1)
  if (slash >= 0 && (slash === 0 || !isDns1123Subdomain(s.slice(0, slash)))) return false
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name)
}

/** IsValidLabelValue: empty, or a name part of at most 63 characters. */
export function isLabelValue(s: string): boolean {
  return s === '' || (s.length <= 63 && QUALIFIED_NAME_PART.test(s))
}

/** IsConfigMapKey: the keys of a Secret's data and stringData. */
export function isConfigMapKey(s: string): boolean {
  return s.length <= 253 && CONFIG_MAP_KEY.test(s) && s !== '.' && s !== '..' && !s.startsWith('..')
}

/** A field of an object the API server refuses: what is wrong, and where. */
export interface Refusal {
  /** "its label version is a number, not a string (quote it)" */
  what: string
  path: FieldPath
  /** The object cannot even be decoded (a type mismatch), as opposed to failing validation. */
  decode: boolean
}

/** What a value that should be a string is, in a message: `a number`, `a mapping`, `a sequence`. */
export function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'a sequence' : typeof v === 'object' && v !== null ? 'a mapping' : `a ${typeof v}`
}

/** What a value that should have been another is, in a message: `a list`, `a mapping`, `a number`. */
export function valueKind(v: unknown): string {
  if (Array.isArray(v)) return 'a list'
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`
}

function entriesOf(v: unknown): [string, unknown][] {
  return isObj(v) ? Object.entries(v) : []
}

/** Labels and annotations are map[string]string: a value of another type cannot be decoded (null decodes to ""). */
export function nonStringLabels(obj: Record<string, unknown>): Refusal | undefined {
  const metadata = obj.metadata as Record<string, unknown> | undefined
  for (const field of ['labels', 'annotations'] as const) {
    for (const [k, v] of entriesOf(metadata?.[field])) {
      if (typeof v !== 'string' && v !== null) return { what: `its ${field === 'labels' ? 'label' : 'annotation'} ${k} is ${kindOf(v)}, not a string (quote it)`, path: ['metadata', field, k], decode: true }
    }
  }
  return undefined
}

const NOT_QUALIFIED = 'is not a qualified name (an optional DNS subdomain prefix and /, then at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit)'
/** Annotations may hold at most this many bytes, keys and values together (TotalAnnotationSizeLimitB). */
const ANNOTATIONS_MAX_BYTES = 256 * 1024

/**
 * The first problem ValidateObjectMeta finds, of those pullcheck reads, for an object whose name
 * must be a DNS subdomain (Secrets, ServiceAccounts): the name, label keys and values
 * (ValidateLabels), annotation keys and their total size (ValidateAnnotations). The API server
 * lists every problem; one is enough to say that the object never exists.
 */
export function invalidMetadata(obj: Record<string, unknown>, kind: string): Refusal | undefined {
  const metadata = obj.metadata as Record<string, unknown> | undefined
  const name = metadata?.name
  const generateName = metadata?.generateName
  if ((name === undefined || name === null || name === '') && !(typeof generateName === 'string' && generateName !== '')) {
    // ValidateObjectMeta: "name or generateName is required".
    return { what: 'it has no name (the API server requires metadata.name, or a generateName)', path: name === '' ? ['metadata', 'name'] : ['metadata'], decode: false }
  }
  if (typeof name === 'string' && name !== '' && !isDns1123Subdomain(name) && !placeholder(name)) {
    return { what: `its name ${JSON.stringify(name)} is not a valid ${kind} name (a DNS-1123 subdomain: lowercase letters, digits, - and ., starting and ending with a letter or digit, at most 253 characters)`, path: ['metadata', 'name'], decode: false }
  }
  for (const [k, v] of entriesOf(metadata?.labels)) {
    if (!isQualifiedName(k) && !placeholder(k)) return { what: `its label key ${JSON.stringify(k)} ${NOT_QUALIFIED}`, path: ['metadata', 'labels', k], decode: false }
    if (typeof v === 'string' && !isLabelValue(v) && !placeholder(v)) {
      return { what: `its label ${k} has the value ${JSON.stringify(v)}, which is not a label value (at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit)`, path: ['metadata', 'labels', k], decode: false }
    }
  }
  let bytes = 0
  for (const [k, v] of entriesOf(metadata?.annotations)) {
    if (!isQualifiedName(k.toLowerCase()) && !placeholder(k)) return { what: `its annotation key ${JSON.stringify(k)} ${NOT_QUALIFIED}`, path: ['metadata', 'annotations', k], decode: false }
    bytes += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0)
  }
  if (bytes > ANNOTATIONS_MAX_BYTES) return { what: `its annotations hold ${bytes} bytes, more than the 262144 (256 KiB) the API server allows`, path: ['metadata', 'annotations'], decode: false }
  return undefined
}

/**
 * A value still holding a template's placeholder (`{{ .Release.Name }}-sa`, `${VERSION}`): the
 * file is not rendered (unrendered-template says so), and the value it will hold is unknown.
 */
function placeholder(s: string): boolean {
  return s.includes('{{') || s.includes('${')
}

/** The sentence's end for a refusal of `label` (`Secret`, `ServiceAccount`): decoded or validated. */
export function refusalDetail(r: Refusal, label: string): string {
  return `${r.what}, so the API server ${r.decode ? `cannot decode the ${label}` : `refuses the ${label}`} and it never exists`
}
