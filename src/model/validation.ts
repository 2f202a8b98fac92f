// The API server's name checks (k8s.io/apimachinery/pkg/util/validation): an object that fails
// them is rejected when applied, so it never exists in the cluster.

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
