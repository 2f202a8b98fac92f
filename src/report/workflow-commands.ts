// GitHub workflow-command lines (`::error file=…,line=…::message`), as the runner parses them.
import type { Finding } from '../findings/types.js'
import { sortFindings, severityRank } from './text.js'

/** Escaping of workflow-command data and properties (actions/toolkit command.ts). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

const COMMAND: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', notice: 'notice' }

/** Annotation properties of a finding: file, lines, columns (columns only on one line), title. */
export function annotationProperties(f: Finding, pathPrefix = ''): Record<string, string | number> {
  const { start, end } = f.location.range
  const props: Record<string, string | number> = { file: pathPrefix + f.location.file, line: start.line, endLine: Math.max(start.line, end.line) }
  // GitHub ignores columns on multi-line annotations.
  if (end.line === start.line) {
    props.col = start.column
    props.endColumn = Math.max(start.column, end.column)
  }
  props.title = f.ruleId
  return props
}

export function workflowCommand(f: Finding, pathPrefix = ''): string {
  const props = Object.entries(annotationProperties(f, pathPrefix))
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',')
  return `::${COMMAND[f.severity]} ${props}::${escapeData(f.message)}`
}

/** Most important first: errors, then warnings, then notices; within a level by file and line. */
export function annotationOrder(findings: readonly Finding[]): Finding[] {
  return sortFindings(findings.filter((f) => !f.suppressed)).sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
}

export function formatWorkflowCommands(findings: readonly Finding[], mask: (s: string) => string = (s) => s): string {
  return annotationOrder(findings)
    .map((f) => mask(workflowCommand(f)))
    .join('\n')
}
