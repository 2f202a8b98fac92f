// Unrendered Helm/Go templates. Real rendered manifests carry `{{` legitimately inside strings
// (Argo `{{inputs.x}}`, Prometheus `{{ $labels.x }}`, Grafana dashboards, istio's sidecar
// template in a block scalar), so a marker counts only where a template engine would have acted:
// in a document that does not parse, in a mapping key, or in a one-line value that names Helm's
// objects (`.Values`, `.Release`, `include` …).
import type { ParsedFile, Span } from './yaml.js'

/** A Helm or Go template action: what marks the text of a document that does not parse as a template. */
const HELM_TEMPLATE = /\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\$\.Values|include\s|template\s+"|toYaml\b|tpl\s|required\s|default\s)/

/**
 * Helm's own objects and functions: what makes a one-line value that parses an unrendered Helm
 * template. Not Go's `{{ template "name" . }}` nor sprig's `default`, which other engines read in
 * their own strings too (Alertmanager's `title: '{{ template "slack.default.title" . }}'`).
 */
const HELM_VALUE = /\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\$\.Values|include\s|toYaml\b|tpl\s|required\s)/

const STRUCTURAL_TEMPLATE = /^[ \t]*(?:-[ \t]+)?(?:[^\s#'"][^:#\n]*:[ \t]+)?\{\{/m

/** Offset of the first Helm or structural template marker of a document's text, or -1. */
export function templateMarkerIn(chunk: string): number {
  const helm = HELM_TEMPLATE.exec(chunk)
  const structural = STRUCTURAL_TEMPLATE.exec(chunk)
  const offsets = [helm ? helm.index : -1, structural ? structural.index + structural[0].length - 2 : -1].filter((i) => i >= 0)
  return offsets.length ? Math.min(...offsets) : -1
}

/** Whether a mapping key makes its file a template: it holds `{{`, or it was an object (`{{ x }}: y` read as a flow mapping). */
export function isTemplateKey(key: string): boolean {
  return key.includes('{{') || key === '[object Object]'
}

/**
 * Where a string value written at text[start, end) makes its file a template (the offset of its
 * `{{`, or its start), or -1: a one-line value that names Helm's objects.
 */
export function stringMarkerAt(value: string, text: string, start: number, end: number): number {
  if (!value.includes('{{') || value.includes('\n') || !HELM_VALUE.test(value)) return -1
  const i = text.slice(start, end).indexOf('{{')
  return i >= 0 ? start + i : start
}

export interface TemplateMarker {
  span: Span
}

/** The first template marker of the file that makes it an unrendered template, if any. */
export function findTemplateMarker(file: ParsedFile): TemplateMarker | undefined {
  const text = file.text
  if (!text.includes('{{')) return undefined
  let best: number | undefined
  const consider = (offset: number) => {
    if (offset >= 0 && (best === undefined || offset < best)) best = offset
  }
  for (const err of file.errors) {
    // A document that does not parse is a template when its markers are Helm's or stand where
    // YAML structure would (`key: {{ … }}` unquoted, a line opening with `{{`); a quoted
    // `"{{ $labels.x }}"` beside a real indentation error is still a syntax error.
    const at = templateMarkerIn(text.slice(err.span.start, err.span.end))
    if (at >= 0) consider(err.span.start + at)
  }
  const table = file.positions
  const seen = new Set<object>()
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return
    seen.add(v)
    const pos = table.get(v)
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (typeof item === 'string') checkString(item, pos?.items?.[i])
        else visit(item)
      })
      return
    }
    for (const [k, item] of Object.entries(v)) {
      const entry = pos?.entries?.get(k)
      if (isTemplateKey(k)) consider(entry ? entry.key.start : (pos?.span.start ?? 0))
      if (typeof item === 'string') checkString(item, entry?.value)
      else visit(item)
    }
  }
  const checkString = (s: string, span: Span | undefined) => {
    if (span) consider(stringMarkerAt(s, text, span.start, span.end))
  }
  for (const doc of file.documents) visit(doc.value)
  // What the fast path noted in the parts it left out of the documents (fastyaml.ts).
  for (const mark of file.templateMarks ?? []) consider(mark)
  return best === undefined ? undefined : { span: { start: best, end: best + 2 } }
}
