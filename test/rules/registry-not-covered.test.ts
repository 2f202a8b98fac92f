// registry-not-covered: usable pull secrets, but no key that the kubelet's keyring matches to the image.
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { defaultOptions, type Options } from '../../src/options.js'
import { ruleTester, yaml, type Case } from './tester.js'

/** Secret app/regcred whose auths hold `keys` (in that order). */
function regcred(...keys: string[]): string {
  const auths = keys.map((k) => `"${k}": {"auth": "YWNtZTpzM2NyZXQ="}`).join(', ')
  return yaml`
    apiVersion: v1
    kind: Secret
    metadata: {name: regcred, namespace: app}
    type: kubernetes.io/dockerconfigjson
    stringData:
  ` + `  .dockerconfigjson: '{"auths": {${auths}}}'\n`
}

/** A Pod in namespace app listing regcred and pulling `image`; the image value is on line 9, column 14. */
function pod(image: string, extra = ''): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: app}
    spec:
      imagePullSecrets:
        - name: regcred
      containers:
        - name: web
          image: ${image}
  ` + extra
}

function covered(name: string, keys: string[], image: string, options?: Partial<Options>): Case {
  return { name, files: { 'secret.yaml': regcred(...keys), 'pod.yaml': pod(image) }, ...(options ? { options } : {}) }
}

function missed(name: string, keys: string[], image: string, why: string | RegExp, options?: Partial<Options>): Case {
  return {
    name,
    files: { 'secret.yaml': regcred(...keys), 'pod.yaml': pod(image) },
    ...(options ? { options } : {}),
    errors: [{ line: 9, column: 14, endColumn: 14 + image.length, file: 'pod.yaml', severity: 'error', message: why }],
  }
}

const DOCKER_IO = { privateRegistries: ['docker.io'] }

ruleTester('registry-not-covered', {
  valid: [
    {
      // auth-only-registry's (a warning): the nodes' identity may pull it. The same files as its test.
      name: 'an ECR image in a pod that lists only a Docker Hub secret is not this rule\'s',
      files: {
        'pod.yaml': pod('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.3').replace('- name: regcred', '- name: hub'),
        'secret.yaml': regcred('https://index.docker.io/v1/').replace('name: regcred', 'name: hub'),
      },
    },
    { name: 'fixture: keys written as the kubelet matches them, ExternalSecret template naming the registry', files: 'passes.yaml' },
    covered('index.docker.io (https://index.docker.io/v1/) covers acme/app through the Docker Hub fallback', ['https://index.docker.io/v1/'], 'acme/app:1.0'),
    covered('index.docker.io covers nginx through the fallback', ['index.docker.io'], 'nginx:1.27', DOCKER_IO),
    covered('https://index.docker.io/v2/ is index.docker.io too', ['https://index.docker.io/v2/'], 'acme/app:1.0'),
    covered('docker.io covers nginx directly', ['docker.io'], 'nginx:1.27', DOCKER_IO),
    covered('docker.io/library covers nginx (the kubelet looks up docker.io/library/nginx)', ['docker.io/library'], 'nginx', DOCKER_IO),
    covered('docker.io covers index.docker.io/acme/app (normalised to docker.io)', ['docker.io'], 'index.docker.io/acme/app:1.0'),
    covered('a key with a port covers the image with the same port', ['registry.example.com:5000'], 'registry.example.com:5000/team/app:1'),
    covered('a path prefix is a plain string prefix: registry.example.com/team covers team-b', ['registry.example.com/team'], 'registry.example.com/team-b/app:1'),
    covered('*.example.com covers registry.example.com', ['*.example.com'], 'registry.example.com/app:1'),
    covered('*.*.example.com covers a.b.example.com', ['*.*.example.com'], 'a.b.example.com/app:1'),
    covered('https://quay.io/v1/ is stored as quay.io', ['https://quay.io/v1/'], 'quay.io/acme/app:1'),
    covered('an IP address with a port', ['10.0.0.5:5000'], '10.0.0.5:5000/team/app:1'),
    covered('localhost with a port', ['localhost:5000'], 'localhost:5000/app:dev'),
    covered('an image by digest is looked up by its name', ['ghcr.io/acme'], 'ghcr.io/acme/app@sha256:4c1e7c1a7d9f0b2e8a6c3d5f7b9e1a3c5d7f9b1e3a5c7d9f1b3e5a7c9d1f3b5e'),
    covered('one of several keys covering is enough', ['quay.io', 'ghcr.io'], 'ghcr.io/acme/app:1'),
    {
      name: 'one of several secrets covering is enough (the other one has the wrong type)',
      files: {
        'secret.yaml': regcred('ghcr.io'),
        'other.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: other, namespace: app}
          type: Opaque
          stringData: {.dockerconfigjson: '{"auths": {"quay.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'}
        `,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: other}, {name: regcred}]
            containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
      },
    },
    {
      name: 'a secret of unknown content (SealedSecret) is assumed to cover every image',
      files: {
        'sealed.yaml': yaml`
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: {name: regcred, namespace: app}
          spec:
            encryptedData: {.dockerconfigjson: AgBy3i4OJSWK+PiTySYZZA==}
            template: {type: kubernetes.io/dockerconfigjson}
        `,
        'pod.yaml': pod('quay.io/acme/app:1'),
      },
    },
    {
      name: 'an ExternalSecret whose template computes the registry host: registries unknown, assumed to cover',
      files: {
        'es.yaml': yaml`
          apiVersion: external-secrets.io/v1beta1
          kind: ExternalSecret
          metadata: {name: regcred, namespace: app}
          spec:
            target:
              template:
                type: kubernetes.io/dockerconfigjson
                data:
                  .dockerconfigjson: '{"auths": {"{{ .registry }}": {"auth": "{{ .auth }}"}}}'
            dataFrom: [{extract: {key: registry/any}}]
        `,
        'pod.yaml': pod('ghcr.io/acme/app:1'),
      },
    },
    {
      name: 'an existing-secrets entry whose registries cover the image',
      files: { 'pod.yaml': pod('quay.io/acmecorp/app:1') },
      options: { existingSecrets: [{ namespace: 'app', name: 'regcred', registries: ['quay.io/acme'] }] },
    },
    {
      name: 'node-credentials images are pulled with the node identity, whatever the secrets say',
      files: { 'secret.yaml': regcred('ghcr.io'), 'pod.yaml': pod('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1') },
      options: { nodeCredentials: ['*.dkr.ecr.*.amazonaws.com'] },
    },
    {
      // The kubelet tries every matching credential: one without the line break is enough.
      name: 'a key whose credentials end with a line break, beside another key for the registry that is fine',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQK"}, "https://ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}'
        `,
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
    },
    {
      name: 'a public image whose matching credentials include one the registry accepts, or an empty one',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"docker.io": {"auth": "YWNtZTpzM2NyZXQK"}, "docker.io/library": {"auth": "YWNtZTpzM2NyZXQ="}, "quay.io": {"auth": "YWNtZTpzM2NyZXQK"}, "quay.io/prometheus": {}}}'
        `,
        'pod.yaml': pod('redis:7.2'),
        'quay.yaml': pod('quay.io/prometheus/node-exporter:v1').replace('name: web, namespace', 'name: quay, namespace'),
      },
      options: { publicRegistries: ['quay.io/prometheus/'] },
    },
    {
      name: 'public-registries images are not checked',
      files: { 'secret.yaml': regcred('ghcr.io'), 'pod.yaml': pod('quay.io/acme/app:1') },
      options: { publicRegistries: ['quay.io'] },
    },
    {
      name: 'imagePullPolicy Never images are not pulled',
      files: { 'secret.yaml': regcred('ghcr.io'), 'pod.yaml': pod('quay.io/acme/app:1', '      imagePullPolicy: Never\n') },
    },
    {
      name: "when the ServiceAccount's list would cover it, the finding is sa-pull-secrets-shadowed",
      files: {
        'secret.yaml': regcred('ghcr.io'),
        'quay.yaml': regcred('quay.io').replace('name: regcred', 'name: quay-pull'),
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: default, namespace: app}
          imagePullSecrets: [{name: quay-pull}]
        `,
        'pod.yaml': pod('quay.io/acme/app:1'),
      },
    },
    {
      name: 'suppressed by a comment on the line before the image',
      files: {
        'secret.yaml': regcred('ghcr.io'),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: regcred}]
            containers:
              - name: web
                # pullcheck-ignore registry-not-covered: quay.io/acme is mirrored on the nodes
                image: quay.io/acme/app:1
        `,
      },
      suppressed: [{ line: 9, column: 14, file: 'pod.yaml' }],
    },
  ],
  invalid: [
    {
      // 1.35+: the cached image is used only with matching credentials (SEMANTICS §6).
      name: 'imagePullPolicy Never with a secret that does not cover an image another pod pulls with a pull secret: a warning',
      files: {
        'secret.yaml': regcred('quay.io') + '---\n' + regcred('ghcr.io').replace('name: regcred', 'name: ghcr'),
        'pod.yaml': pod('ghcr.io/acme/web:1.0', '      imagePullPolicy: Never\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: puller, namespace: app}\nspec:\n  imagePullSecrets: [{name: ghcr}]\n  containers: [{name: web, image: ghcr.io/acme/web:1.0}]\n'),
      },
      errors: [
        {
          line: 9,
          column: 14,
          file: 'pod.yaml',
          severity: 'warning',
          message: /^container "web" of Pod app\/web in namespace app uses \(imagePullPolicy Never, from the node's cache\) ghcr\.io\/acme\/web:1\.0 .*no key of its pull secrets \(regcred\) covers it.* This pod never pulls it, but Pod app\/puller pulls it with a pull secret/,
        },
      ],
    },
    missed(
      'a key of a lone host label: the image and the key must both name the real host',
      ['MYHOST'],
      'myhost/app:1',
      /covers it: myhost\/app:1 is a Docker Hub image \(docker\.io\/myhost\/app\).* so the key MYHOST in regcred never matches it; name the registry's real host \(with a dot or a port\) in both the image and the key, as the kubelet matches the same host labels and port\.$/,
    ),
    missed(
      'a key with a host, a port and a path for a Docker Hub image: the fix keeps the path (a review)',
      ['myhost:5000/team'],
      'myhost/app:1',
      /so the key myhost:5000\/team in regcred never matches it; write the image with the key's host, port and path \(myhost:5000\/team\/…\)\.$/,
    ),
    missed(
      'a registry host without a dot or a port (myhost/app) names Docker Hub: the key for that host is said, and the fix',
      ['Foo', 'myhost:5000', 'myhost'],
      'myhost/app:1',
      'container "web" of Pod app/web in namespace app pulls myhost/app:1 (registry docker.io), but no key of its pull secrets (regcred) covers it: myhost/app:1 is a Docker Hub image (docker.io/myhost/app): a first part without a dot or a port, other than localhost, names a Docker Hub account, not a registry, so the key myhost:5000 in regcred never matches it; write the image as myhost:5000/app:1.',
    ),
    {
      // SPEC §4.5: private only because its pod lists pull secrets; the message offers public-registries.
      name: 'an image checked only because its pod lists pull secrets: the fix may be to list it as public',
      files: { 'secret.yaml': regcred('ghcr.io'), 'pod.yaml': pod('quay.io/prometheus/statsd-exporter:v0.26.0') },
      errors: [
        {
          line: 9,
          column: 14,
          file: 'pod.yaml',
          message: /; add an auths entry for quay\.io, or, if the image is public \(it is checked only because its pod lists pull secrets\), add quay\.io\/prometheus\/ to public-registries\.$/,
          fix: 'Add an auths entry for quay.io to a pull secret of the pod, or add quay.io/prometheus/ to public-registries if the image is public.',
        },
      ],
    },
    {
      // The suggested pattern, applied: its trailing slash keeps quay.io/prometheus-x out (the path is a plain prefix).
      name: 'the suggested quay.io/prometheus/ in public-registries: that owner is not checked, quay.io/prometheus-x still is',
      files: {
        'secret.yaml': regcred('ghcr.io'),
        'pod.yaml': pod('quay.io/prometheus/statsd-exporter:v0.26.0'),
        'other.yaml': pod('quay.io/prometheus-x/exporter:1').replace('name: web', 'name: other'),
      },
      options: { publicRegistries: ['quay.io/prometheus/'] },
      errors: [{ line: 9, column: 14, file: 'other.yaml', message: 'pulls quay.io/prometheus-x/exporter:1 (registry quay.io)' }],
    },
    {
      name: 'a single-segment repository is suggested without a slash (quay.io/app/ would not cover quay.io/app)',
      files: { 'secret.yaml': regcred('ghcr.io'), 'pod.yaml': pod('quay.io/app:1') },
      errors: [{ line: 9, column: 14, file: 'pod.yaml', message: /add quay\.io\/app to public-registries\.$/ }],
    },
    {
      // `echo acme:s3cret | base64` (no -n): the kubelet sends "s3cret\n" as the password, which the registry refuses.
      name: 'an auth encoded with its line break (echo without -n), and a password that ends with one: matched, refused',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQK"}, "quay.io": {"username": "acme", "password": "s3cret\\r\\n"}}}'
        `,
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
        'quay.yaml': pod('quay.io/acme/web:1.0').replace('name: web, namespace', 'name: quay, namespace'),
      },
      errors: [
        {
          line: 9,
          column: 14,
          file: 'pod.yaml',
          message:
            'container "web" of Pod app/web in namespace app pulls ghcr.io/acme/web:1.0 (registry ghcr.io), but no credential of its pull secrets (regcred) is one the registry accepts: its key ghcr.io in regcred matches, but its password ends with a line break (its auth is base64 of "user:password" and a line break, as echo user:password | base64 makes it), which the registry takes as part of the password and refuses; encode the credentials again without it (kubectl create secret docker-registry, or printf \'%s\' user:password | base64).',
          fix: "Encode regcred's credentials for ghcr.io again without the line break.",
        },
        { line: 9, column: 14, file: 'quay.yaml', message: 'its key quay.io in regcred matches, but its password ends with a line break, which the registry takes as part of the password and refuses;' },
      ],
    },
    {
      // SEMANTICS §2.4: the kubelet pulls with the matching credentials and never falls back to an anonymous pull.
      name: 'a public image whose only matching credentials end with a line break (a Docker Hub secret for the rate limit)',
      files: {
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {"https://index.docker.io/v1/": {"auth": "YWNtZTpzM2NyZXQK"}, "quay.io": {"auth": "YWNtZTpzM2NyZXQK"}, "registry.k8s.io": {"auth": "YWNtZTpzM2NyZXQK"}}}'
        `,
        'pod.yaml': pod('redis:7.2'),
        // A registry that serves public images only.
        'k8s.yaml': pod('registry.k8s.io/pause:3.9').replace('name: web, namespace', 'name: pause, namespace'),
        // A public-registries pattern: never checked (SPEC §5), though its key matches.
        'quay.yaml': pod('quay.io/prometheus/node-exporter:v1').replace('name: web, namespace', 'name: quay, namespace'),
        // Matched by no key of the secret: pulled anonymously.
        'ghcr.yaml': pod('ghcr.io/acme/web:1').replace('name: web, namespace', 'name: ghcr, namespace'),
      },
      options: { publicRegistries: ['quay.io/prometheus/', 'ghcr.io'] },
      errors: [
        {
          line: 9,
          column: 14,
          file: 'pod.yaml',
          message:
            'container "web" of Pod app/web in namespace app pulls redis:7.2 (registry docker.io), but no credential of its pull secrets (regcred) is one the registry accepts: its key index.docker.io (written "https://index.docker.io/v1/") in regcred matches, but its password ends with a line break (its auth is base64 of "user:password" and a line break, as echo user:password | base64 makes it), which the registry takes as part of the password and refuses (the image is public, but the kubelet pulls it with the credentials that match it, and not anonymously when they fail); encode the credentials again without it (kubectl create secret docker-registry, or printf \'%s\' user:password | base64).',
          fix: "Encode regcred's credentials for index.docker.io again without the line break.",
        },
        { line: 9, column: 14, file: 'k8s.yaml', message: 'its key registry.k8s.io in regcred matches, but its password ends with a line break' },
      ],
    },
    {
      // A config of thousands of keys would otherwise be written out in every finding.
      name: 'the related location names ten keys of a secret and counts the others',
      files: { 'secret.yaml': regcred(...Array.from({ length: 12 }, (_, i) => `r${i}.example.com`)), 'pod.yaml': pod('ghcr.io/acme/web:1.0') },
      errors: [
        {
          line: 9,
          column: 14,
          file: 'pod.yaml',
          message: 'no key of its pull secrets (regcred) covers it',
          related: [
            {
              message: 'Secret app/regcred has keys r0.example.com, r1.example.com, r2.example.com, r3.example.com, r4.example.com, r5.example.com, r6.example.com, r7.example.com, r8.example.com, r9.example.com and 2 more',
              file: 'secret.yaml',
              line: 3,
              column: 18,
            },
          ],
        },
      ],
    },
    {
      name: 'an image private by a pattern: no public-registries hint',
      files: { 'secret.yaml': regcred('ghcr.io'), 'pod.yaml': pod('quay.io/prometheus/statsd-exporter:v0.26.0') },
      options: { privateRegistries: ['quay.io'] },
      errors: [{ line: 9, column: 14, file: 'pod.yaml', message: /; add an auths entry for quay\.io\.$/, fix: 'Add an auths entry for quay.io to a pull secret of the pod.' }],
    },
    {
      name: "a key whose entry holds no credentials (a workstation's config) beside one that has them: the kubelet pulls with an empty credential",
      files: {
        'secret.yaml': regcred('quay.io').replace('"auths": {', '"auths": {"ghcr.io": {}, ').replace("}}'", '}, "credsStore": "osxkeychain"}\''),
        'pod.yaml': pod('ghcr.io/acme/web:1.0', '    - {name: side, image: quay.io/acme/side:1.0}\n'),
      },
      errors: [
        {
          line: 9,
          column: 14,
          endColumn: 34,
          file: 'pod.yaml',
          message:
            'container "web" of Pod app/web in namespace app pulls ghcr.io/acme/web:1.0 (registry ghcr.io), but no credential of its pull secrets (regcred) covers it: its key ghcr.io in regcred matches, but its entry holds no credentials (as in a workstation\'s Docker config, whose credsStore keeps them), so the kubelet pulls with an empty one, which a private registry refuses; put the registry\'s username and password (or auth) in that entry.',
        },
      ],
    },
    {
      name: 'an entry with only an identitytoken beside a good one: the kubelet never reads the token (SEMANTICS §3)',
      files: {
        'secret.yaml': regcred('quay.io').replace('"auths": {', '"auths": {"ghcr.io": {"identitytoken": "eyJhbGciOi"}, '),
        'pod.yaml': pod('ghcr.io/acme/web:1.0'),
      },
      errors: [
        {
          line: 9,
          column: 14,
          endColumn: 34,
          file: 'pod.yaml',
          message: /its key ghcr\.io in regcred matches, but its entry holds only an identitytoken or registrytoken, which the kubelet never reads, so the kubelet pulls with an empty one/,
        },
      ],
    },
    {
      // SEMANTICS §4: the index.docker.io fallback is skipped once any key matched; the empty
      // docker.io entry matched, so its empty credential is all the kubelet sends.
      name: 'an empty docker.io entry uses up the index.docker.io fallback, in the same secret or in another one of the pod',
      files: {
        'secret.yaml': regcred('https://index.docker.io/v1/').replace('"auths": {', '"auths": {"docker.io": {}, '),
        'pod.yaml': pod('acme/private:1'),
      },
      errors: [
        {
          line: 9,
          column: 14,
          endColumn: 28,
          file: 'pod.yaml',
          message:
            'container "web" of Pod app/web in namespace app pulls acme/private:1 (registry docker.io), but no credential of its pull secrets (regcred) covers it: its key docker.io in regcred matches, but its entry holds no credentials (as in a workstation\'s Docker config, whose credsStore keeps them), so the kubelet pulls with an empty one, which a private registry refuses; put the registry\'s username and password (or auth) in that entry.',
        },
      ],
    },
    {
      name: 'an empty docker.io entry in a second secret of the pod also uses up the fallback',
      files: {
        'secret.yaml': regcred('https://index.docker.io/v1/') + '---\n' + regcred('quay.io').replace('name: regcred', 'name: hub-empty').replace('"auths": {', '"auths": {"docker.io": {}, '),
        'pod.yaml': pod('acme/private:1').replace(/( *)- name: regcred\n/, '$1- name: regcred\n$1- name: hub-empty\n'),
      },
      errors: [{ line: 10, column: 14, endColumn: 28, file: 'pod.yaml', message: /pulls acme\/private:1 .*its key docker\.io in hub-empty matches, but its entry holds no credentials/ }],
    },
    {
      // The keyring holds the entries of every secret, empty ones included: a secret of empty
      // entries only (itself pull-secret-malformed) still uses up the fallback.
      name: 'a second secret whose only entry is an empty docker.io also uses up the fallback',
      files: {
        'secret.yaml': regcred('https://index.docker.io/v1/') + '---\n' + regcred('quay.io').replace('name: regcred', 'name: hub-empty').replace(/"auths": \{.*\}\}/, '"auths": {"docker.io": {}}}'),
        'pod.yaml': pod('acme/private:1').replace(/( *)- name: regcred\n/, '$1- name: hub-empty\n$1- name: regcred\n'),
      },
      errors: [{ line: 10, column: 14, endColumn: 28, file: 'pod.yaml', message: /pulls acme\/private:1 .*but no credential of its pull secrets \(regcred, hub-empty\) covers it: its key docker\.io in hub-empty matches, but its entry holds no credentials/ }],
    },
    {
      name: 'fixture: no trailing slash, port either way, label count, path prefix, ExternalSecret template',
      files: 'fires.yaml',
      errors: [
        { line: 38, column: 18, endLine: 38, endColumn: 37, severity: 'error', message: /^container "storefront" of Deployment shop\/storefront in namespace shop pulls acme\/storefront:4\.2 \(registry docker\.io\).*registry-keys.*add an auths entry for docker\.io\.$/ },
        { line: 41, column: 18, endColumn: 52, message: 'the key has port 5000 but the image has none' },
        { line: 44, column: 18, endColumn: 54, message: 'the key has no port but the image has port 8443' },
        { line: 47, column: 18, endColumn: 50, message: /\*\.example\.net .*the key has 3 host labels but the image's registry has 4/ },
        { line: 50, column: 18, endColumn: 42, message: "the key's path /acme is not a prefix of the image path /partner/widget" },
        { line: 82, column: 18, endColumn: 40, message: /Job shop\/migrate .*\(gitlab-pull\).*registry\.gitlab\.com/ },
      ],
    },
    missed('https://index.docker.io/v1 without the trailing slash never matches Docker Hub', ['https://index.docker.io/v1'], 'acme/app:1.0', 'without the trailing slash'),
    missed(
      'https://index.docker.io/v2 without the trailing slash, likewise',
      ['https://index.docker.io/v2'],
      'acme/app:1.0',
      'the key https://index.docker.io/v2 (without the trailing slash) is stored as index.docker.io/v2 and never matches Docker Hub images; write https://index.docker.io/v2/ or docker.io',
    ),
    missed(
      'an index.docker.io key with a path never matches: the fallback takes only the exact key',
      ['https://index.docker.io/v1/acme'],
      'acme/app:1.0',
      "the nearest, index.docker.io/acme (written \"https://index.docker.io/v1/acme\") in regcred, misses because the kubelet's Docker Hub fallback takes only the exact key index.docker.io, and this key has the path /acme; write docker.io/acme",
    ),
    missed(
      'the nearest key of a Docker Hub image is the index.docker.io/v1 written without its slash, even beside keys of other registries',
      ['quay.io/acme', 'https://index.docker.io/v1'],
      'acme/app:1.0',
      /nearest, index\.docker\.io\/v1 \(written "https:\/\/index\.docker\.io\/v1"\).*without the trailing slash/,
    ),
    missed('registry-1.docker.io never matches Docker Hub images', ['registry-1.docker.io'], 'docker.io/acme/app:1.0', 'registry-1.docker.io never matches Docker Hub'),
    missed(
      'the nearest key shares the host and differs in the port, rather than a key of another host',
      ['registry-1.docker.io', 'registry.example.com:5000'],
      'registry.example.com/team/app:1',
      /nearest, registry\.example\.com:5000 .*the key has port 5000 but the image has none/,
    ),
    missed('docker.io/acme does not cover nginx (docker.io/library/nginx)', ['docker.io/acme'], 'nginx:1.27', 'is not a prefix', DOCKER_IO),
    missed('*.example.com does not match example.com', ['*.example.com'], 'example.com/app:1', "the key has 3 host labels but the image's registry has 2"),
    missed('host labels match case-sensitively', ['GHCR.IO'], 'ghcr.io/acme/app:1', "host label 'GHCR' differs from 'ghcr' only in letter case, which the kubelet's keyring does not ignore (write the key's host and the image's registry alike)"),
    // Another label differs too: not a matter of case.
    missed('a key whose host differs in case and in another label', ['GHCR.example'], 'ghcr.io/acme/app:1', "host label 'GHCR' does not match 'ghcr'"),
    // The key that differs only in case is the nearest, whatever the order of the keys.
    missed('an image registry in capitals: the key in lower case is the nearest', ['https://index.docker.io/v1/', 'registry.acme.io'], 'Registry.Acme.IO/app:1', /the nearest, registry\.acme\.io in regcred, misses because host label 'registry' differs from 'Registry' only in letter case/),
    missed('localhost without a port does not cover localhost:5000', ['localhost'], 'localhost:5000/app:dev', 'the key has no port but the image has port 5000'),
    missed(
      'a key the kubelet cannot parse (a glob in the port) is skipped, so nothing covers the image',
      ['registry.example.com:*'],
      'registry.example.com:5000/app:1',
      'registry registry.example.com:5000',
    ),
    missed('an explicit pull-secret list makes an otherwise unclassified image checked', ['ghcr.io'], 'registry.example.org/tools/debug:1.0', 'registry registry.example.org'),
    {
      name: 'an existing-secrets entry whose registries miss the image',
      files: { 'pod.yaml': pod('quay.io/acme/app:1') },
      options: { existingSecrets: [{ namespace: 'app', name: 'regcred', registries: ['ghcr.io'] }] },
      errors: [{ line: 9, column: 14, message: 'nearest, ghcr.io in regcred' }],
    },
    {
      name: "the pod's secrets come from its ServiceAccount",
      files: {
        'secret.yaml': regcred('ghcr.io'),
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: default, namespace: app}
          imagePullSecrets: [{name: regcred}]
        `,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                image: quay.io/acme/web:1.0
        `,
      },
      options: { privateRegistries: ['quay.io/acme'] },
      errors: [{ line: 7, column: 14, file: 'pod.yaml', message: 'no key of its pull secrets (regcred) covers it' }],
    },
    {
      name: 'an image volume',
      files: {
        'secret.yaml': regcred('ghcr.io'),
        'pod.yaml': pod(
          'ghcr.io/acme/app:1',
          yaml`
            volumes:
              - name: model
                image: {reference: quay.io/acme/model:4}
          `.replace(/^/gm, '  ').replace(/ +$/, ''),
        ),
      },
      errors: [{ line: 12, column: 26, endColumn: 46, file: 'pod.yaml', message: 'image volume "model" of Pod app/web' }],
    },
    {
      name: 'init and ephemeral containers',
      files: {
        'secret.yaml': regcred('ghcr.io'),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: regcred}]
            initContainers:
              - {name: init, image: quay.io/acme/init:1}
            containers:
              - {name: web, image: ghcr.io/acme/web:1}
            ephemeralContainers:
              - {name: debug, image: quay.io/acme/debug:1}
        `,
      },
      errors: [
        { line: 7, column: 27, file: 'pod.yaml', message: 'init container "init"' },
        { line: 11, column: 28, file: 'pod.yaml', message: 'ephemeral container "debug"' },
      ],
    },
  ],
})

describe('registry-not-covered, related locations', () => {
  it('names the keys of a Secret listed twice once', () => {
    const result = analyzeSources(
      [
        { path: 'secret.yaml', text: regcred('quay.io', 'docker.io') },
        { path: 'pod.yaml', text: pod('ghcr.io/acme/app:1').replace('- name: regcred', '- name: regcred\n    - name: regcred') },
      ],
      { ...defaultOptions('/virtual'), privateRegistries: ['ghcr.io'] },
    )
    const findings = result.findings.filter((f) => f.ruleId === 'registry-not-covered')
    expect(findings.map((f) => [f.location.range.start.line, f.related.map((r) => [r.location.range.start.line, r.message])])).toEqual([
      [10, [[3, 'Secret app/regcred has keys quay.io, docker.io']]],
    ])
  })
})

describe('registry-not-covered: a Secret declared twice', () => {
  const run = (...secrets: string[]) =>
    analyzeSources(
      [...secrets.map((text, i) => ({ path: `${'ab'[i]}-secret.yaml`, text })), { path: 'pod.yaml', text: pod('ghcr.io/acme/web:1.0') }],
      defaultOptions('.'),
    )
  const at = (r: ReturnType<typeof run>) => r.findings.filter((f) => f.ruleId === 'registry-not-covered').map((f) => `${f.location.file}:${f.location.range.start.line}`)

  it('is taken from its last declaration, as kubectl apply -R -f leaves it, and the assumptions say so', () => {
    const lost = run(regcred('ghcr.io'), regcred('quay.io'))
    expect(at(lost)).toEqual(['pod.yaml:9'])
    expect(lost.assumptions).toEqual([
      'Secret app/regcred is declared 2 times with different content (a-secret.yaml:3, b-secret.yaml:3); b-secret.yaml:3 is used, as kubectl apply -R -f leaves it, though Helm and kustomize refuse duplicate objects.',
    ])
    expect(at(run(regcred('quay.io'), regcred('ghcr.io')))).toEqual([])
  })

  it('keeps the first when the last has another type (a Secret\'s type cannot change, so that apply fails)', () => {
    const opaque = regcred('quay.io').replace('type: kubernetes.io/dockerconfigjson', 'type: Opaque')
    const r = run(regcred('ghcr.io'), opaque)
    expect(at(r)).toEqual([])
    expect(r.findings.filter((f) => f.ruleId === 'pull-secret-wrong-type')).toEqual([])
    expect(r.assumptions).toEqual([
      "Secret app/regcred is declared 2 times with different content (a-secret.yaml:3, b-secret.yaml:3); a-secret.yaml:3 is used, as kubectl apply -R -f leaves it (applying another type fails: a Secret's type cannot change), though Helm and kustomize refuse duplicate objects.",
    ])
  })

  it('keeps an immutable declaration when a later one changes its data (ValidateSecretUpdate: field is immutable)', () => {
    const immutable = (host: string) => regcred(host).replace('type: kubernetes.io/dockerconfigjson', 'type: kubernetes.io/dockerconfigjson\nimmutable: true')
    // quay.io is immutable: the ghcr.io data applied after it is refused, so ghcr.io is not covered.
    const refused = run(immutable('quay.io'), regcred('ghcr.io'))
    expect(at(refused)).toEqual(['pod.yaml:9'])
    expect(refused.assumptions).toEqual([
      'Secret app/regcred is declared 2 times with different content (a-secret.yaml:3, b-secret.yaml:3); a-secret.yaml:3 is used, as kubectl apply -R -f leaves it (once one is immutable, applying other data fails), though Helm and kustomize refuse duplicate objects.',
    ])
    // Made immutable by the second declaration: that one applies, and nothing failed to say.
    const second = run(regcred('quay.io'), immutable('ghcr.io'))
    expect(at(second)).toEqual([])
    expect(second.assumptions).toEqual([
      'Secret app/regcred is declared 2 times with different content (a-secret.yaml:3, b-secret.yaml:3); b-secret.yaml:3 is used, as kubectl apply -R -f leaves it, though Helm and kustomize refuse duplicate objects.',
    ])
    // An immutable declaration the API server refuses (its label) is never created: it locks nothing.
    const refusedFirst = immutable('quay.io').replace('namespace: app', 'namespace: app, labels: {team: platform team}')
    const r = run(refusedFirst, regcred('ghcr.io'))
    expect(refusedFirst).toContain('labels: {team: platform team}')
    expect(at(r)).toEqual([])
    expect(r.findings.filter((f) => f.ruleId === 'pull-secret-malformed')).toEqual([])
  })

  it('says nothing when the declarations agree', () => {
    expect(run(regcred('ghcr.io'), regcred('ghcr.io')).assumptions).toEqual([])
  })
})

describe('the image report of an image checked in one pod and not in another', () => {
  it('lists its unchecked uses apart, as unclassified, and counts the image once in the stats', () => {
    const pods = yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p1, namespace: app}
      spec:
        containers: [{name: c, image: quay.io/a/b:1}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p2, namespace: app}
      spec:
        imagePullSecrets: [{name: regcred}]
        containers: [{name: c, image: quay.io/a/b:1}]
    `
    const result = analyzeSources([{ path: 'secret.yaml', text: regcred('ghcr.io') }, { path: 'pods.yaml', text: pods }], defaultOptions('.'))
    expect(result.images.map((i) => [i.image, i.classification, i.uses.map((u) => `${u.workload.name}@${u.line}`)])).toEqual([
      ['quay.io/a/b:1', 'inferred-private', ['p2@12']],
      ['quay.io/a/b:1', 'unclassified', ['p1@5']],
    ])
    expect([result.checkedImages, result.unclassifiedImages, result.stats.images]).toEqual([1, 1, 1])
  })
})
