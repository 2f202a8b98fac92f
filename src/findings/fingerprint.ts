// Stable fingerprints: what is blamed (rule, file, object, logical field), never line numbers.
import { createHash } from 'node:crypto'

export function fingerprint(parts: (string | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 32)
}
