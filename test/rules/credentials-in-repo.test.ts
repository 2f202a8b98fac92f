// credentials-in-repo: a pull secret committed with its credentials.
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { defaultOptions } from '../../src/options.js'
import { ruleTester, yaml } from './tester.js'

function secret(lines: string, type = 'kubernetes.io/dockerconfigjson'): string {
  return (
    yaml`
      apiVersion: v1
      kind: Secret
      metadata: {name: regcred, namespace: app}
    ` +
    `type: ${type}\n` +
    lines
  )
}

ruleTester('credentials-in-repo', {
  valid: [
    { name: 'fixture: SealedSecret, ExternalSecret, a placeholder, a replicated copy', files: 'passes.yaml' },
    {
      name: 'entries without a password or auth (an email only)',
      files: { 'secret.yaml': secret(`stringData:\n  .dockerconfigjson: '{"auths": {"ghcr.io": {"email": "ops@example.com"}}}'\n`) },
    },
    {
      name: 'an empty identity token is no credential',
      files: { 'secret.yaml': secret(`stringData:\n  .dockerconfigjson: '{"auths": {"quay.io": {"identitytoken": ""}}}'\n`) },
    },
    {
      name: 'a docker config that does not decode commits nothing readable',
      files: { 'secret.yaml': secret(`stringData:\n  .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "pants"}}}'\n`) },
    },
    {
      name: 'an Opaque secret without a docker config key',
      files: { 'secret.yaml': secret(`stringData:\n  password: s3cret\n`, 'Opaque') },
    },
    {
      name: 'suppressed by the annotation on the Secret',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: regcred
            namespace: app
            annotations:
              pullcheck.dev/ignore: "credentials-in-repo: a read-only token for a public mirror"
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
        `,
      },
      suppressed: [{ line: 10, column: 22 }],
    },
  ],
  invalid: [
    {
      // The API server takes stringData's value, but data's stays in the repository (found by a scenario audit).
      name: 'credentials under data that stringData overrides (with a config that does not decode) are still committed',
      files: {
        'secret.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata: {name: gl, namespace: g}\ntype: kubernetes.io/dockerconfigjson\ndata:\n' +
          '  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5naXRsYWIuY29tIjp7InVzZXJuYW1lIjoiZGVwbG95IiwicGFzc3dvcmQiOiJnbGR0LUFiQ2RFZkdoSWpLbE1uT3BRclN0In19fQ==\n' +
          'stringData:\n  .dockerconfigjson: \'{"auths": {"registry.gitlab.com": {"auth": "not base64!"}}}\'\n',
      },
      errors: [{ line: 6, column: 22, message: /^Secret g\/gl commits registry credentials for registry\.gitlab\.com in its \.dockerconfigjson \(base64 is not encryption\)/ }],
    },
    {
      // The API server rejects each of these Secrets (a mapping where a string goes, JSON cut short, an auth that is not base64), but what they hold is committed.
      name: 'configs that do not decode: written as a YAML mapping, cut short (placeholders aside)',
      files: {
        'mapping.yaml': secret(`stringData:\n  .dockerconfigjson: {"auths": {"ghcr.io": {"username": "bot", "password": "ghp_MappedSecretValue1"}}}\n`),
        'cut.yaml': secret(`stringData:\n  .dockerconfigjson: '{"auths":{"quay.io":{"username":"bot","password":"CutShortSecret2"}}'\n`).replace('name: regcred', 'name: cut'),
        // JSON the kubelet's decoder refuses for one entry: the other entry's password is deployed all the same.
        'mixed.yaml': secret(`stringData:\n  .dockerconfigjson: '{"auths": {"a.example.com": {"auth": "not base64!"}, "b.example.com": {"username": "u", "password": "MixedSecret3"}}}'\n`).replace('name: regcred', 'name: mixed'),
        // Plain JSON under data, where base64 is due.
        'plain.yaml': secret(`data:\n  .dockerconfigjson: '{"auths": {"c.example.com": {"username": "u", "password": "PlainSecret4"}}}'\n`).replace('name: regcred', 'name: plain'),
        // Cut short too, but placeholders only (a password to fill in, an auth of "REDACTED").
        'placeholder.yaml': secret(`stringData:\n  .dockerconfigjson: '{"auths":{"ghcr.io":{"password":"YOUR_GITHUB_PAT"},"x.io":{"auth":"UkVEQUNURUQ"}'\n`).replace('name: regcred', 'name: placeholder'),
      },
      errors: [
        { file: 'cut.yaml', line: 6, column: 22, message: 'Secret app/cut commits registry credentials for quay.io in its .dockerconfigjson (in plain text under stringData; the config does not decode, but its text holds them);' },
        { file: 'mapping.yaml', line: 6, column: 22, message: 'Secret app/regcred commits registry credentials for ghcr.io in its .dockerconfigjson (in plain text under stringData);' },
        { file: 'mixed.yaml', line: 6, column: 22, message: 'Secret app/mixed commits registry credentials for b.example.com in its .dockerconfigjson (in plain text under stringData; the config does not decode, but its text holds them);' },
        { file: 'plain.yaml', line: 6, column: 22, message: 'Secret app/plain commits registry credentials for c.example.com in its .dockerconfigjson (in plain text under data, not even base64);' },
      ],
    },
    {
      name: 'an ECR token: committed, and expired 12 hours after it was made',
      files: {
        'secret.yaml': secret(`stringData:\n  .dockerconfigjson: '{"auths": {"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com": {"username": "AWS", "password": "eyJwYXlsb2FkIjoiZXhhbXBsZSJ9"}}}'\n`),
      },
      errors: [
        {
          line: 6,
          column: 22,
          severity: 'warning',
          message:
            'Besides, https://123456789012.dkr.ecr.eu-west-1.amazonaws.com is an ECR registry, whose passwords are tokens that expire 12 hours after they are made: pulls with this Secret fail from then on',
        },
      ],
    },
    {
      name: 'fixture: data, stringData, legacy .dockercfg, Opaque holding .dockerconfigjson',
      files: 'fires.yaml',
      errors: [
        {
          line: 12,
          column: 22,
          endLine: 12,
          endColumn: 238,
          severity: 'warning',
          message: /^Secret shop\/gitlab-pull commits registry credentials for registry\.gitlab\.com in its \.dockerconfigjson \(base64 is not encryption\); replace it with a SealedSecret or ExternalSecret and rotate the credentials\.$/,
        },
        {
          line: 22,
          column: 22,
          endColumn: 106,
          message: /^(?!.*EXAMPLE0ROBOT0TOKEN)Secret shop\/quay-pull commits registry credentials for quay\.io in its \.dockerconfigjson \(in plain text under stringData\); /,
        },
        { line: 32, column: 15, endColumn: 171, message: 'credentials for https://index.docker.io/v1/ in its .dockercfg' },
        { line: 42, column: 22, endColumn: 128, message: 'Secret ci/ci-registry' },
      ],
    },
    {
      name: 'an identity or registry token (the kubelet does not read it, but it is a credential)',
      files: {
        'secret.yaml': secret(`stringData:\n  .dockerconfigjson: '{"auths": {"quay.io": {"identitytoken": "eyJ0b2tlbiI6InMzY3JldCJ9"}, "r.io": {"RegistryToken": "t0k3n-value"}}}'\n`),
      },
      errors: [{ line: 6, column: 22, endColumn: 135, message: /^(?!.*(eyJ0b2tlbiI6InMzY3JldCJ9|t0k3n-value)).*credentials for quay\.io, r\.io in its \.dockerconfigjson/ }],
    },
    {
      name: 'stringData wins over data: the finding is on the stringData value that holds the credentials',
      files: {
        'secret.yaml': secret(
          `data:\n  .dockerconfigjson: eyJhdXRocyI6IHt9fQ==\nstringData:\n  .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'\n`,
        ),
      },
      errors: [{ line: 8, column: 22, message: 'ghcr.io' }],
    },
    {
      name: 'every registry with credentials is named',
      files: {
        'secret.yaml': secret(
          `stringData:\n  .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}, "quay.io": {"username": "u", "password": "p"}, "docker.io": {}}}'\n`,
        ),
      },
      errors: [{ line: 6, column: 22, message: 'credentials for ghcr.io, quay.io in' }],
    },
    {
      name: 'a JSON manifest',
      files: {
        'secret.json': yaml`
          {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "regcred", "namespace": "app"},
            "type": "kubernetes.io/dockerconfigjson",
            "data": {".dockerconfigjson": "eyJhdXRocyI6IHsiZ2hjci5pbyI6IHsiYXV0aCI6ICJZV050WlRwek0yTnlaWFE9In19fQ=="}
          }
        `,
      },
      errors: [{ line: 6, column: 33, endColumn: 107 }],
    },
    {
      name: 'an annotation without a reason does not suppress',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata:
            name: regcred
            namespace: app
            annotations: {pullcheck.dev/ignore: credentials-in-repo}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
        `,
      },
      errors: [{ line: 9, column: 22, message: 'gives no reason' }],
    },
  ],
})

describe('credentials-in-repo: configs that do not decode', () => {
  it('registers the passwords and auths their text holds for masking, and leaves password-not-token silent about them', () => {
    const cut = '{"auths":{"ghcr.io":{"username":"bot","password":"CutShortSecret2"},"quay.io":{"auth":"Y3V0OlNob3J0QXV0aDQ="}}'
    const result = analyzeSources(
      [
        { path: 'mapping.yaml', text: secret(`stringData:\n  .dockerconfigjson: {"auths": {"ghcr.io": {"username": "bot", "password": "MappedSecretValue1"}}}\n`) },
        { path: 'cut.yaml', text: secret(`stringData:\n  .dockerconfigjson: '${cut}'\n`).replace('name: regcred', 'name: cut') },
      ],
      defaultOptions('.'),
    )
    expect(result.secretValues).toEqual(expect.arrayContaining(['MappedSecretValue1', 'CutShortSecret2', 'Y3V0OlNob3J0QXV0aDQ=']))
    // The mapping decodes: ghcr.io's password is no token. The text that does not decode is not judged.
    expect(result.findings.filter((f) => f.ruleId === 'password-not-token').map((f) => f.location.file)).toEqual(['mapping.yaml'])
  })
})
