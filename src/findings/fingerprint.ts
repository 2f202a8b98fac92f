// Stable fingerprints: what is blamed (rule, file, object, logical field), never line numbers.
import { hash } from 'node:crypto'

/** The first 32 hex digits of the SHA-256 of the parts joined by NUL (one-shot: no Hash object per finding). */
export function fingerprint(parts: (string | undefined)[]): string {
  return hash('sha256', parts.map((p) => p ?? '').join('\u0000'), 'hex').slice(0, 32)
}
