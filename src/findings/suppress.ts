// Suppressions in the manifests: the `pullcheck.dev/ignore` annotation on the object, or a
// `# pullcheck-ignore <rule>: <reason>` comment on the line before. A reason is required.
import type { SourceFile } from '../source/files.js'
import { annotations, type Resource } from '../model/resources.js'

export const IGNORE_ANNOTATION = 'pullcheck.dev/ignore'
const COMMENT = /#\s*pullcheck-ignore\s+([^:]+?)\s*(?::\s*(.*?))?\s*$/

export interface SuppressionMatch {
  reason?: string
  by: 'annotation' | 'comment'
}

/** Parses `rule-a,rule-b: reason` into rule ids and the reason. */
export function parseIgnore(text: string): { rules: string[]; reason?: string } {
  const colon = text.indexOf(':')
  const head = colon === -1 ? text : text.slice(0, colon)
  const reason = colon === -1 ? undefined : text.slice(colon + 1).trim() || undefined
  const rules = head.split(',').map((s) => s.trim()).filter(Boolean)
  return reason === undefined ? { rules } : { rules, reason }
}

function lineText(file: SourceFile, line: number): string | undefined {
  if (line < 1) return undefined
  const start = file.positions.offsetOfLine(line)
  if (start === undefined) return undefined
  const end = file.text.indexOf('\n', start)
  return file.text.slice(start, end === -1 ? file.text.length : end).replace(/\r$/, '')
}

/** The suppression that applies to a finding of `ruleId` at `line` of `file` on `resource`, if any. */
export function findSuppression(ruleId: string, file: SourceFile | undefined, line: number, resource: Resource | undefined): SuppressionMatch | undefined {
  if (resource) {
    const ann = annotations(resource)[IGNORE_ANNOTATION]
    if (ann !== undefined) {
      // Several entries may be separated by `;` or new lines.
      for (const part of ann.split(/[;\n]/)) {
        const p = parseIgnore(part)
        if (p.rules.includes(ruleId) || p.rules.includes('*')) return { by: 'annotation', ...(p.reason ? { reason: p.reason } : {}) }
      }
    }
  }
  if (file) {
    const prev = lineText(file, line - 1)
    const m = prev !== undefined ? COMMENT.exec(prev) : null
    if (m) {
      const p = parseIgnore(m[1] + (m[2] !== undefined ? ':' + m[2] : ''))
      if (p.rules.includes(ruleId)) return { by: 'comment', ...(p.reason ? { reason: p.reason } : {}) }
    }
  }
  return undefined
}
