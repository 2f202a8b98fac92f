// password-not-token: a Docker Hub or GHCR credential that is an account password, not an access token.
import { ruleTester, yaml, type Case } from './tester.js'

/** Secret app/regcred whose .dockerconfigjson is `json` (stringData, line 6, column 22). */
function secret(json: string, type = 'kubernetes.io/dockerconfigjson'): string {
  return yaml`
    apiVersion: v1
    kind: Secret
    metadata: {name: regcred, namespace: app}
  ` + `type: ${type}\nstringData:\n  .dockerconfigjson: '${json}'\n`
}

function entry(key: string, password: string): string {
  return `{"auths": {"${key}": {"username": "acme", "password": "${password}"}}}`
}

function fires(name: string, key: string, password: string, family: string): Case {
  return {
    name,
    files: { 'secret.yaml': secret(entry(key, password)) },
    errors: [{ line: 6, column: 22, severity: 'warning', message: new RegExp(`^(?!.*${password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}).*holds a ${family} credential for ${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(user "acme"\\)`) }],
  }
}

function silent(name: string, key: string, password: string): Case {
  return { name, files: { 'secret.yaml': secret(entry(key, password)) } }
}

ruleTester('password-not-token', {
  valid: [
    { name: 'fixture: dckr_pat_, dckr_oat_, ghp_, github_pat_ tokens; a password for quay.io', files: 'passes.yaml' },
    silent('a GitHub Actions installation token (ghs_)', 'ghcr.io', 'ghs_EXAMPLE000000000000000000000000000'),
    silent('an OAuth token (gho_)', 'ghcr.io', 'gho_EXAMPLE000000000000000000000000000'),
    silent('a password for another registry', 'registry.gitlab.com', 'hunter2'),
    silent('a mirror whose host only starts with "docker.io." is not Docker Hub', 'docker.io.mirror.example.com', 'hunter2'),
    {
      name: 'an entry with an identity token and no password',
      files: { 'secret.yaml': secret('{"auths": {"ghcr.io": {"identitytoken": "eyJhbGciOi"}}}') },
    },
    {
      name: 'a SealedSecret: content unknown',
      files: {
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: {name: regcred, namespace: app}
          spec:
            encryptedData: {.dockerconfigjson: AgBy3i4OJSWK+PiTySYZZA==}
            template: {type: kubernetes.io/dockerconfigjson}
        `,
      },
    },
    {
      name: 'suppressed by a comment on the line before the value',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            # pullcheck-ignore password-not-token: a bot account without 2FA, rotated monthly
            .dockerconfigjson: '{"auths": {"docker.io": {"username": "acme", "password": "hunter2"}}}'
        `,
      },
      suppressed: [{ line: 7, column: 22 }],
    },
  ],
  invalid: [
    {
      name: 'fixture: Docker Hub auth, GHCR username/password, two entries, legacy .dockercfg',
      files: 'fires.yaml',
      errors: [
        {
          line: 12,
          column: 22,
          endLine: 12,
          endColumn: 130,
          severity: 'warning',
          message: /^Secret shop\/dockerhub-pull holds a Docker Hub credential for https:\/\/index\.docker\.io\/v1\/ \(user "acme"\) whose password is not an access token \(dckr_pat_, dckr_oat_…\); replace it with a read-only access token\.$/,
        },
        { line: 22, column: 22, endColumn: 103, message: /^(?!.*s3cret-Passw0rd).*GitHub Container Registry credential for ghcr\.io/ },
        { line: 32, column: 22, endColumn: 140, message: 'Docker Hub credential for docker.io' },
        { line: 32, column: 22, endColumn: 140, message: 'GitHub Container Registry credential for ghcr.io/acme' },
        { line: 42, column: 15, endColumn: 85, message: 'Docker Hub credential for index.docker.io' },
      ],
    },
    fires('index.docker.io/v1 without the slash is still meant for Docker Hub', 'https://index.docker.io/v1', 'hunter2', 'Docker Hub'),
    fires('registry-1.docker.io is Docker Hub', 'registry-1.docker.io', 'hunter2', 'Docker Hub'),
    fires('a Docker Hub key with a path', 'docker.io/acme', 'hunter2', 'Docker Hub'),
    fires('https://ghcr.io', 'https://ghcr.io', 'hunter2', 'GitHub Container Registry'),
    fires('a token prefix of the other registry does not count', 'ghcr.io', 'dckr_pat_EXAMPLE000000000000000', 'GitHub Container Registry'),
    {
      // The token is a secret wherever it is written: never quoted as the user.
      name: 'an access token written as the username: the message says so without quoting it',
      files: { 'secret.yaml': secret('{"auths": {"ghcr.io": {"username": "ghp_R3alT0kenR3alT0ken0000000000000000", "password": "x-oauth-basic"}}}') },
      errors: [
        {
          line: 6,
          column: 22,
          message:
            'Secret app/regcred holds a GitHub Container Registry credential for ghcr.io whose access token is written as the username, and whose password is not a token (ghp_, github_pat_, gho_, ghu_, ghs_, ghr_…); write the token as the password.',
          fix: 'Write the GitHub Container Registry access token as the password.',
        },
      ],
    },
    {
      name: 'an Opaque secret holding .dockerconfigjson still commits the password',
      files: { 'secret.yaml': secret(entry('docker.io', 'hunter2'), 'Opaque') },
      errors: [{ line: 6, column: 22 }],
    },
  ],
})
