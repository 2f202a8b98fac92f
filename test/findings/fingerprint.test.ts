// Fingerprints are public (JSON report, SARIF partialFingerprints): their value must not change
// between versions, whatever computes them.
import { describe, expect, it } from 'vitest'
import { fingerprint } from '../../src/findings/fingerprint.js'

describe('fingerprint', () => {
  it('is the first 32 hex digits of the SHA-256 of the parts joined by NUL, undefined as empty', () => {
    // Pinned: computed once with createHash('sha256'), the way the first release did.
    expect(fingerprint(['no-pull-secret', 'a.yaml', 'Deployment', undefined, 'web', '', 'nginx'])).toBe('1d23beeebdc8ee53ba33da406fdc4774')
  })

  it('tells apart parts that only a separator distinguishes', () => {
    expect(fingerprint(['ab', 'c'])).not.toBe(fingerprint(['a', 'bc']))
    expect(fingerprint(['é', '\u{1F600}'])).toMatch(/^[0-9a-f]{32}$/)
  })
})
