// password-not-token: a Docker Hub or GHCR credential that is an account password, not an access token.
import { keyCovers, shownKey } from '../model/keyring.js'
import { locationAt } from '../model/resources.js'
import { committedCredentials } from './secret-content.js'
import type { Rule } from './types.js'

import { DOCKER_HUB_TOKENS, GITHUB_TOKENS, looksLikeToken } from '../model/tokens.js'

/** Which token family a registry key needs, if it is Docker Hub or GHCR. */
function family(key: string | undefined, rawKey: string): { registry: string; prefixes: string[] } | undefined {
  if (key === undefined) return undefined
  const host = key.split('/')[0]
  if (host === 'ghcr.io' || keyCovers(key, 'ghcr.io/x/y')) return { registry: 'GitHub Container Registry', prefixes: GITHUB_TOKENS }
  if (keyCovers(key, 'docker.io/library/x') || host === 'index.docker.io' || host === 'registry-1.docker.io' || /(^|\/\/)(index\.|registry-1\.)?docker\.io(?=$|[/:])/.test(rawKey)) {
    return { registry: 'Docker Hub', prefixes: DOCKER_HUB_TOKENS }
  }
  return undefined
}

export const passwordNotToken: Rule = {
  meta: {
    id: 'password-not-token',
    severity: 'warning',
    description: 'A Docker Hub or GHCR credential is not an access token (dckr_pat_, dckr_oat_, ghp_, github_pat_, gho_, …).',
    rationale:
      'An account password grants everything the account can do and breaks when the password changes or 2FA is enabled; GHCR does not accept passwords at all. Access tokens can be scoped to read-only pulls and revoked alone.',
    remediation: 'Create a read-only access token (Docker Hub personal/organisation access token, GitHub token with read:packages) and use it as the password.',
    example: `# .dockerconfigjson decoded:
{"auths": {"https://index.docker.io/v1/": {"username": "acme", "password": "hunter2"}}}`,
  },
  *check({ graph }) {
    for (const { def, value, creds, unreadable } of committedCredentials(graph)) {
      if (unreadable) continue
      for (const c of creds) {
        const fam = family(c.key, c.rawKey)
        if (!fam || c.entry.password === '') continue
        if (fam.prefixes.some((p) => c.entry.password.startsWith(p))) continue
        // A token written as the username is a secret too: never quoted (analyze.ts masks it).
        const swapped = looksLikeToken(c.entry.username)
        yield {
          message: swapped
            ? `${def.label} holds a ${fam.registry} credential for ${shownKey(c.rawKey)} whose access token is written as the username, and whose password is not a token (${fam.prefixes.join(', ')}…); write the token as the password.`
            : `${def.label} holds a ${fam.registry} credential for ${shownKey(c.rawKey)} (user ${JSON.stringify(c.entry.username)}) whose password is not an access token (${fam.prefixes.join(', ')}…); replace it with a read-only access token.`,
          fix: swapped ? `Write the ${fam.registry} access token as the password.` : `Use a read-only ${fam.registry} access token as the password.`,
          location: locationAt(def.resource!, value.path),
          resource: def.resource!,
          key: `${value.path.join('.')}:${c.rawKey}`,
        }
      }
    }
  },
}
