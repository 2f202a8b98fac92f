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

/** Most important first: errors, then warnings, then notices; within a level by file and line. */
export function annotationOrder(findings: readonly Finding[]): Finding[] {
  return sortFindings(findings.filter((f) => !f.suppressed)).sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
}
