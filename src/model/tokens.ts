// Access tokens recognised by their prefix: a credential that holds one is a secret wherever it is
// written (a token pasted as the username is masked like a password).

export const DOCKER_HUB_TOKENS = ['dckr_pat_', 'dckr_oat_']
export const GITHUB_TOKENS = ['ghp_', 'github_pat_', 'gho_', 'ghu_', 'ghs_', 'ghr_']
/** GitLab personal, project and group (glpat-) and deploy (gldt-) tokens. */
const GITLAB_TOKENS = ['glpat-', 'gldt-']

const TOKENS = [...DOCKER_HUB_TOKENS, ...GITHUB_TOKENS, ...GITLAB_TOKENS]

/** Whether a value starts as an access token of Docker Hub, GitHub or GitLab does (and goes on after the prefix), white space around it aside. */
export function looksLikeToken(value: string): boolean {
  const v = value.trim()
  return TOKENS.some((p) => v.length > p.length && v.startsWith(p))
}

/** Keys whose values are credentials, in values shown as written: password, token, auth, secret, credentials, apiKey… */
export const CREDENTIAL_KEY = /pass|token|auth|secret|cred|key/i
