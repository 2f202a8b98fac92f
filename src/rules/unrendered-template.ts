// unrendered-template: Helm/Go template markers in a file that should be rendered output.
import { spanLocation } from '../source/files.js'
import type { Rule } from './types.js'

export const unrenderedTemplate: Rule = {
  meta: {
    id: 'unrendered-template',
    severity: 'warning',
    description: 'A file still contains Helm/Go template markers ({{ … }}): render it first.',
    rationale: 'pullcheck checks what reaches the cluster: the rendered manifests. A template is not that, and usually does not even parse as YAML.',
    remediation: 'Run helm template or kustomize build and point pullcheck at the output, or exclude the templates with a !glob.',
    example: `image: {{ .Values.image.repository }}:{{ .Values.image.tag }}`,
  },
  *check({ graph }) {
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
    }
  },
}
