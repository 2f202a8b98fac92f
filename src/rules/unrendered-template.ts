// unrendered-template: a file that should be rendered output but is still a source to render: Helm/Go
// template markers, or a kustomize kustomization.
import path from 'node:path'
import { spanLocation, type SourceFile } from '../source/files.js'
import { locationAt, type Resource } from '../model/resources.js'
import type { Location } from '../findings/types.js'
import type { Rule } from './types.js'

export const unrenderedTemplate: Rule = {
  meta: {
    id: 'unrendered-template',
    severity: 'warning',
    description: 'A file still contains Helm/Go template markers ({{ … }}), or is a kustomize kustomization: render it first.',
    rationale:
      'pullcheck checks what reaches the cluster: the rendered manifests. A template is not that, and usually does not even parse as YAML. The files a kustomization lists are read as written, without the namespace, image names and tags, name prefixes and generated Secrets that kustomize build gives them.',
    remediation: 'Run helm template or kustomize build and point pullcheck at the output, or exclude the sources with a !glob.',
    example: `image: {{ .Values.image.repository }}:{{ .Values.image.tag }}`,
  },
  *check({ graph }) {
    const kustomizations = new Map<SourceFile, Resource>()
    for (const r of graph.resources) if (isKustomization(r) && !kustomizations.has(r.file)) kustomizations.set(r.file, r)
    for (const file of graph.files) {
      for (const p of file.problems) {
        if (p.kind !== 'template') continue
        yield {
          message: `${file.path} still contains Helm/Go template markers ({{ … }}), so it is a template rather than rendered manifests; render it with helm template or kustomize build and check the output, or exclude it with a !glob.`,
          fix: 'Render the template and check the output, or exclude it.',
          location: spanLocation(file, p.span),
          key: 'template',
        }
      }
      const at = kustomizationAt(file, kustomizations.get(file))
      if (at) {
        const dir = path.posix.dirname(file.path)
        yield {
          message: `${file.path} is a kustomize kustomization: the manifests it builds are read as written, without the namespace, images, name prefixes and suffixes, patches and generated Secrets that kustomize build gives them, so their pull secrets and images may not be those that reach the cluster; run kustomize build ${dir} and check its output, or exclude the kustomize sources with a !glob.`,
          fix: `Run kustomize build ${dir} and check the output, or exclude the kustomize sources.`,
          location: at,
          key: 'kustomization',
        }
      }
    }
  },
}

/** kustomize's own kinds (kustomize.config.k8s.io), not Flux's Kustomization (kustomize.toolkit.fluxcd.io), which is a cluster object. */
function isKustomization(r: Resource): boolean {
  return (r.kind === 'Kustomization' || r.kind === 'Component') && r.apiVersion.startsWith('kustomize.config.k8s.io/')
}

const KUSTOMIZATION_FILE = /(^|\/)kustomization\.ya?ml$/

/**
 * Where a file is a kustomization: at its kind when it declares one; else, for a file named
 * kustomization.yaml (kustomize does not need apiVersion and kind) whose documents are no
 * Kubernetes objects, at its first document.
 */
function kustomizationAt(file: SourceFile, declared: Resource | undefined): Location | undefined {
  if (declared) return locationAt(declared, ['kind'])
  if (!KUSTOMIZATION_FILE.test(file.path)) return undefined
  const docs = file.parsed?.documents ?? []
  const first = docs.find((d) => d.value !== null && typeof d.value === 'object' && !Array.isArray(d.value))
  if (!first || docs.some((d) => isKubernetesObject(d.value))) return undefined
  const start = first.span.start
  const lineEnd = file.text.indexOf('\n', start)
  return spanLocation(file, { start, end: lineEnd === -1 || lineEnd > first.span.end ? first.span.end : lineEnd })
}

function isKubernetesObject(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const o = v as Record<string, unknown>
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string'
}
