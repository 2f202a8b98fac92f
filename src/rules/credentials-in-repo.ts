// credentials-in-repo: a pull secret with plaintext (base64) credentials is committed.
import { shownKey } from '../model/keyring.js'
import { locationAt } from '../model/resources.js'
import { KEY_FOR_TYPE } from '../model/secrets.js'
import { committedCredentials } from './secret-content.js'
import type { Rule } from './types.js'

/** A private ECR registry (normalised key: host, maybe a path). */
const ECR_KEY = /^[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?:\/|$)/

export const credentialsInRepo: Rule = {
  meta: {
    id: 'credentials-in-repo',
    severity: 'warning',
    description: 'A pull secret with plaintext credentials is committed to the repository.',
    rationale: 'base64 in a Secret\'s data is an encoding, not encryption: anyone who can read the repository can pull (and often push) with these credentials.',
    remediation: 'Commit a SealedSecret or an ExternalSecret instead, and rotate the exposed credentials.',
    example: `apiVersion: v1
kind: Secret
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6eyJnaGNyLmlvIjp7ImF1dGgiOiJkWE5sY2pwd1lYTnoifX19`,
  },
  *check({ graph }) {
    for (const { def, value, creds, unreadable, plain } of committedCredentials(graph)) {
      // A password, an `auth`, or a token (identitytoken, registrytoken: unused by the kubelet, a credential all the same).
      const withCredential = unreadable ? creds : creds.filter((c) => c.entry.password !== '' || c.entry.fromAuth || c.entry.tokens.length > 0)
      if (withCredential.length === 0) continue
      const regs = [...new Set(withCredential.map((c) => shownKey(c.rawKey)))].join(', ')
      // Under stringData the value is not even encoded.
      const how = `${value.path[0] === 'stringData' ? 'in plain text under stringData' : plain ? 'in plain text under data, not even base64' : 'base64 is not encryption'}${unreadable ? '; the config does not decode, but its text holds them' : ''}`
      // ECR has no lasting passwords: what `aws ecr get-login-password` prints expires after 12 hours.
      const ecr = withCredential.find((c) => c.key !== undefined && ECR_KEY.test(c.key))
      const expiry = ecr
        ? ` Besides, ${shownKey(ecr.rawKey)} is an ECR registry, whose passwords are tokens that expire 12 hours after they are made: pulls with this Secret fail from then on (let the nodes pull with their IAM role, or have an ExternalSecret refresh an ECRAuthorizationToken).`
        : ''
      yield {
        message: `${def.label} commits registry credentials for ${regs} in its ${KEY_FOR_TYPE[def.type] ?? 'data'} (${how}); replace it with a SealedSecret or ExternalSecret and rotate the credentials.${expiry}`,
        fix: 'Replace it with a SealedSecret or ExternalSecret and rotate the credentials.',
        location: locationAt(def.resource!, value.path),
        resource: def.resource!,
        key: value.path.join('.'),
      }
    }
  },
}
