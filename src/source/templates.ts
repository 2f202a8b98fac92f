// Unrendered Helm/Go templates. Real rendered manifests carry `{{` legitimately inside strings
// (Argo `{{inputs.x}}`, Prometheus `{{ $labels.x }}`, Grafana dashboards, istio's sidecar
// template in a block scalar), so a marker counts only where a template engine would have acted:
// in a document that does not parse, in a mapping key, or in a one-line value that names Helm's
// objects (`.Values`, `.Release`, `include` …).
import type { ParsedFile, Span } from './yaml.js'

/** A Helm template action: what makes a one-line value an unrendered template. */
export const HELM_TEMPLATE = /\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\$\.Values|include\s|template\s+"|toYaml\b|tpl\s|required\s|default\s)/

const STRUCTURAL_TEMPLATE = /^[ \t]*(?:-[ \t]+)?(?:[^\s#'"][^:#\n]*:[ \t]+)?\{\{/m

/** Offset of the first Helm or structural template marker of a document's text, or -1. */
export function templateMarkerIn(chunk: string): number {
  const helm = HELM_TEMPLATE.exec(chunk)
  const structural = STRUCTURAL_TEMPLATE.exec(chunk)
  const offsets = [helm ? helm.index : -1, structural ? structural.index + structural[0].length - 2 : -1].filter((i) => i >= 0)
  return offsets.length ? Math.min(...offsets) : -1
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
      if (k.includes('{{') || k === '[object Object]') consider(entry ? entry.key.start : (pos?.span.start ?? 0))
      if (typeof item === 'string') checkString(item, entry?.value)
      else visit(item)
    }
  }
  const checkString = (s: string, span: Span | undefined) => {
    if (!span || s.includes('\n') || !HELM_TEMPLATE.test(s)) return
    const i = text.slice(span.start, span.end).indexOf('{{')
    consider(i >= 0 ? span.start + i : span.start)
  }
  for (const doc of file.documents) visit(doc.value)
  // What the fast path noted in the parts it left out of the documents (fastyaml.ts).
  for (const mark of file.templateMarks ?? []) consider(mark)
  return best === undefined ? undefined : { span: { start: best, end: best + 2 } }
}
