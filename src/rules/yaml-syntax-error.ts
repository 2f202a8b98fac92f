// yaml-syntax-error: a file (or one document of it) that cannot be read or parsed.
import { spanLocation } from '../source/files.js'
import type { Span } from '../source/yaml.js'
import type { Rule } from './types.js'
import { asSentence } from './util.js'

export const yamlSyntaxError: Rule = {
  meta: {
    id: 'yaml-syntax-error',
    severity: 'error',
    description: 'A file or object cannot be read or decoded (YAML syntax, bytes that are not UTF-8, a binary file, a name that YAML reads as a boolean), at the reported position; the rest is still checked.',
    rationale: 'kubectl and GitOps controllers refuse the file; nothing in the broken document is applied, and pullcheck cannot check it.',
    remediation: 'Fix the YAML at the reported position.',
    example: `containers:
  - name: app
     image: nginx   # bad indentation`,
  },
  *check({ graph }) {
    for (const file of graph.files) {
      for (const p of file.problems) {
        if (p.kind !== 'syntax') continue
        const location = spanLocation(file, onLastLine(file.text, p.span))
        yield {
          message: `${file.path}: ${p.message}; ${p.fix ?? 'fix the file so it parses (kubectl would reject it too)'}.`,
          fix: p.fix ? asSentence(p.fix) : 'Fix the YAML at this position.',
          location,
          key: `syntax:${p.message}`,
        }
      }
    }
  },
}

/**
 * An error at the end of the stream (an unclosed quote or bracket) sits after the file's final line
 * break, on a line that editors and GitHub do not show: it is placed at the end of the last line.
 */
function onLastLine(text: string, span: Span): Span {
  if (span.start < text.length || !text.endsWith('\n')) return span
  const end = text.length - (text.endsWith('\r\n') ? 2 : 1)
  return { start: end, end }
}
