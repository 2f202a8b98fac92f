// Stable fingerprints: what is blamed (rule, file, object, logical field), never line numbers.
// node:crypto is loaded on the first fingerprint, not at start-up (2.5–4 ms of it).
let hash: typeof import('node:crypto').hash | undefined

/** The first 32 hex digits of the SHA-256 of the parts joined by NUL (one-shot: no Hash object per finding). */
export function fingerprint(parts: (string | undefined)[]): string {
  hash ??= process.getBuiltinModule('node:crypto').hash
  return hash('sha256', parts.map((p) => p ?? '').join('\u0000'), 'hex').slice(0, 32)
}
