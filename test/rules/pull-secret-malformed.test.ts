// pull-secret-malformed: a docker-config secret whose content the kubelet cannot use (or that breaks its keyring).
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { defaultOptions } from '../../src/options.js'
import { formatText } from '../../src/report/text.js'
import { formatJson } from '../../src/report/json.js'
import { replicated } from './manifests.js'
import { ruleTester, yaml } from './tester.js'

/** A Pod in namespace app listing `regcred`; the name value is on line 6, column 13. */
const POD_REGCRED = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: app}
  spec:
    imagePullSecrets:
      - name: regcred
    containers:
      - name: web
        image: ghcr.io/acme/web:1.0
`

/** Secret app/regcred of type dockerconfigjson whose .dockerconfigjson is `json` (plain, in stringData). */
function dockerconfigjson(json: string): string {
  return yaml`
    apiVersion: v1
    kind: Secret
    metadata: {name: regcred, namespace: app}
    type: kubernetes.io/dockerconfigjson
    stringData:
  ` + `  .dockerconfigjson: '${json}'\n`
}

function invalid(name: string, json: string, message: string | RegExp) {
  return { name, files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': dockerconfigjson(json) }, errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', severity: 'error' as const, message }] }
}

function valid(name: string, json: string) {
  return { name, files: { 'pod.yaml': POD_REGCRED, 'secret.yaml': dockerconfigjson(json) } }
}

/** The pod, and a replica with the e30K placeholder and its source, changed by `change`. */
function withReplica(change: (files: Record<string, string>) => Record<string, string>): Record<string, string> {
  return change({ 'pod.yaml': POD_REGCRED, ...replicated('type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: e30K}\n') })
}

const FATAL = 'pulls none of the pod\'s images (ghcr.io/acme/web:1.0), not even anonymously'

/** ExternalSecret app/regcred of type dockerconfigjson whose target template is `template` (YAML lines, 6 spaces in). */
function externalSecret(template: string): string {
  return (
    yaml`
      apiVersion: external-secrets.io/v1
      kind: ExternalSecret
      metadata: {name: regcred, namespace: app}
      spec:
        secretStoreRef: {name: vault, kind: ClusterSecretStore}
        data: [{secretKey: cfg, remoteRef: {key: registry}}]
        target:
          template:
            type: kubernetes.io/dockerconfigjson
    ` + template
  )
}

/** SealedSecret app/regcred of type dockerconfigjson with these encryptedData keys and template lines. */
function sealedSecret(keys: string[], template = ''): string {
  return (
    yaml`
      apiVersion: bitnami.com/v1alpha1
      kind: SealedSecret
      metadata: {name: regcred, namespace: app}
      spec:
        template:
          type: kubernetes.io/dockerconfigjson
    ` +
    template +
    '  encryptedData:\n' +
    keys.map((k) => `    ${k}: AgBy3i4OJSWK+PiTySYZZA==\n`).join('')
  )
}


ruleTester('pull-secret-malformed', {
  valid: [
    { name: 'fixture: well-formed configs, unpadded auth, colons in the password, case-insensitive fields, legacy format', files: 'passes.yaml' },
    valid('padded auth', '{"auths": {"ghcr.io": {"auth": "Zm9vOmJhcg=="}}}'),
    valid('unpadded auth (RawStdEncoding)', '{"auths": {"ghcr.io": {"auth": "Zm9vOmJhcg"}}}'),
    valid('auth overrides username and password', '{"auths": {"ghcr.io": {"username": "foo", "password": "bar", "auth": "cGluZzpwb25n"}}}'),
    valid('one entry without credentials beside one with them', '{"auths": {"ghcr.io": {}, "quay.io": {"auth": "Zm9vOmJhcg=="}}}'),
    valid('HttpHeaders of strings are decoded and ignored', '{"auths": {"ghcr.io": {"auth": "Zm9vOmJhcg=="}}, "HttpHeaders": {"User-Agent": "docker"}}'),
    {
      name: 'stringData wins over data: a good stringData value replaces broken data',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          data:
            .dockerconfigjson: eyJnaGNyLmlvIjoge319
          stringData:
            .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "Zm9vOmJhcg=="}}}'
        `,
      },
    },
    {
      name: 'ExternalSecret: template data that holds .dockerconfigjson',
      files: { 'pod.yaml': POD_REGCRED, 'es.yaml': externalSecret('      data:\n        .dockerconfigjson: "{{ .cfg }}"\n') },
    },
    {
      name: 'ExternalSecret: template data without the key, merged with the provider data (mergePolicy Merge), which may hold it',
      files: { 'pod.yaml': POD_REGCRED, 'es.yaml': externalSecret('      mergePolicy: Merge\n      data:\n        note: x\n') },
    },
    {
      name: 'ExternalSecret: template data without the key, and templateFrom, which may add it',
      files: { 'pod.yaml': POD_REGCRED, 'es.yaml': externalSecret('      data:\n        note: x\n      templateFrom: [{configMap: {name: tpl, items: [{key: .dockerconfigjson}]}}]\n') },
    },
    {
      name: 'ExternalSecret: empty template data falls back to the provider data',
      files: { 'pod.yaml': POD_REGCRED, 'es.yaml': externalSecret('      data: {}\n') },
    },
    {
      name: 'SealedSecret: the key in spec.template.data (a template over the decrypted values)',
      files: { 'pod.yaml': POD_REGCRED, 'sealed.yaml': sealedSecret(['cfg'], '    data:\n      .dockerconfigjson: "{{ .cfg }}"\n') },
    },
    { name: 'SealedSecret: the key in encryptedData', files: { 'pod.yaml': POD_REGCRED, 'sealed.yaml': sealedSecret(['.dockerconfigjson']) } },
    {
      name: 'other keys that decode (base64 data, string stringData, null values) and string annotations leave the Secret as it is',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app, annotations: {owner: team, note: null}}
          type: kubernetes.io/dockerconfigjson
          data:
            .dockerconfigjson: eyJhdXRocyI6IHsiZ2hjci5pbyI6IHsiYXV0aCI6ICJZV050WlRwek0yTnlaWFE9In19fQ==
            ca.crt: |
              TGluZSBvbmUK
              TGluZSB0d28K
            empty: ""
            none:
          stringData:
            version: "2"
        `,
      },
    },
    {
      name: 'a malformed secret that only an unused ServiceAccount lists is not reported',
      files: {
        'secret.yaml': dockerconfigjson('{"ghcr.io": {"auth": "Zm9vOmJhcg=="}}'),
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: idle, namespace: app}
          imagePullSecrets: [{name: regcred}]
        `,
      },
    },
    {
      name: 'suppressed by a comment on the line before the name',
      files: {
        'secret.yaml': dockerconfigjson('{"ghcr.io": {"auth": "Zm9vOmJhcg=="}}'),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets:
              # pullcheck-ignore pull-secret-malformed: replaced by the registry operator at runtime
              - name: regcred
            containers:
              - name: web
                image: ghcr.io/acme/web:1.0
        `,
      },
      suppressed: [{ line: 7, column: 13, file: 'pod.yaml' }],
    },
  ],
  invalid: [
    {
      // The kubelet skips a secret it cannot read; another covers the image, so the pod still pulls.
      name: 'a warning when another secret still covers every image',
      files: {
        'pod.yaml': POD_REGCRED.replace(/( *)- name: regcred\n/, '$1- name: regcred\n$1- name: good\n'),
        'secret.yaml': dockerconfigjson('{"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}') + '---\n' + dockerconfigjson('{"auths": {"ghcr.io": {"auth": "YWNtZTpzM2NyZXQ="}}}').replace('name: regcred', 'name: good'),
      },
      errors: [
        {
          line: 6,
          column: 13,
          endColumn: 20,
          file: 'pod.yaml',
          severity: 'warning',
          message: /^Pod app\/web references pull secret "regcred" \(used by Pod app\/web\), but Secret app\/regcred is malformed: its \.dockerconfigjson has no "auths" object .*; the pod still pulls \(the other secrets still cover every image\); regenerate it with kubectl create secret docker-registry\.$/,
        },
      ],
    },
    {
      // An anonymous pull of an official Docker Hub image needs no credential.
      name: "a warning when none of the pod's images needs a pull secret",
      files: { 'pod.yaml': POD_REGCRED.replace('ghcr.io/acme/web:1.0', 'nginx:1.27'), 'secret.yaml': dockerconfigjson('{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}') },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', severity: 'warning', message: /without any credentials .*; the pod still pulls \(none of the pod's images needs a pull secret\); regenerate it/ }],
    },
    {
      name: 'fixture: no auths wrapper, bad auth, no colon, empty, missing key, bad base64, bad JSON, wrong field type, no entries',
      files: 'fires.yaml',
      errors: [
        {
          line: 57,
          column: 17,
          endLine: 57,
          endColumn: 25,
          severity: 'error',
          message: /^Deployment shop\/api references pull secret "no-auths" .*Secret shop\/no-auths is malformed: its \.dockerconfigjson has no "auths" object/,
        },
        { line: 58, column: 17, endColumn: 25, message: /illegal base64 data.*not even anonymously/ },
        { line: 59, column: 17, endColumn: 25, message: /must be formatted as base64\(username:password\).*not even anonymously/ },
        { line: 60, column: 17, endColumn: 29, message: 'value is empty' },
        { line: 121, column: 11, endColumn: 20, message: /^ServiceAccount shop\/worker .*has no \.dockerconfigjson key/ },
        { line: 122, column: 11, endColumn: 21, message: 'not valid base64' },
        { line: 123, column: 11, endColumn: 19, message: /its \.dockercfg is not a JSON object \(unexpected end of JSON input\), so the API server rejects the Secret and it never exists; the pod's other secrets are still used, but its image ghcr\.io\/acme\/worker:3\.2 is pulled without it;/ },
        { line: 124, column: 11, endColumn: 22, message: 'cannot unmarshal bool' },
        { line: 125, column: 11, endColumn: 22, message: 'holds no registry entries' },
      ],
    },
    {
      // The API server validates the copy as declared: type dockerconfigjson requires the key.
      name: 'a dockerconfigjson replica declared without its data key is rejected by the API server, so it is never filled',
      files: { 'pod.yaml': POD_REGCRED, ...replicated('type: kubernetes.io/dockerconfigjson\ndata: {}\n') },
      errors: [
        {
          line: 6,
          column: 13,
          endColumn: 20,
          file: 'pod.yaml',
          message:
            'it has no .dockerconfigjson key, which its type kubernetes.io/dockerconfigjson requires (the API server rejects it, so there is nothing to replicate into; give the copy a placeholder such as .dockerconfigjson: e30K, which the replicator overwrites); its image ghcr.io/acme/web:1.0 is pulled without it; regenerate it with kubectl create secret docker-registry.',
        },
      ],
    },
    {
      // kubernetes-replicator's IsReplicationPermitted: the source must allow the copy's namespace.
      name: 'a replica whose source does not allow its namespace keeps its placeholder, and the message says why',
      files: withReplica((f) => ({ ...f, 'source.yaml': f['source.yaml'].replace('app,team-.*', 'team-.*') })),
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message: /but Secret app\/regcred is never filled: kubernetes-replicator copies nothing into it: the replication-allowed-namespaces "team-\.\*" of its source Secret platform\/regcred do not include app \(unless the replicator runs with --allow-all\), so it keeps what it is declared with: its \.dockerconfigjson has no "auths" object .*; add app to the replication-allowed-namespaces of its source Secret platform\/regcred\.$/,
        },
      ],
    },
    {
      // ValidateSecret refuses the copy itself ("not json" is no JSON object): nothing is created for the replicator to fill.
      name: 'an allowed replica whose placeholder the API server refuses is never created: the fix is its placeholder',
      files: withReplica((f) => ({ ...f, 'copy.yaml': f['copy.yaml'].replace('e30K', 'bm90IGpzb24=') })),
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message: /but Secret app\/regcred is malformed: its \.dockerconfigjson is not a JSON object \(.*\), so the API server rejects the Secret and it never exists; its image ghcr\.io\/acme\/web:1\.0 is pulled without it; give the copy a placeholder the API server accepts, such as \.dockerconfigjson: e30K \(\{\}\), which the replication overwrites\.$/,
        },
      ],
    },
    {
      name: 'a replica whose source the API server cannot decode keeps its placeholder: the source never exists',
      files: withReplica((f) => ({ ...f, 'source.yaml': f['source.yaml'].replace('  annotations:\n', '  annotations:\n    rotated: 2024\n') })),
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message: /is never filled: kubernetes-replicator copies nothing into it: its source Secret platform\/regcred never exists \(the API server refuses it\), so it keeps what it is declared with: its \.dockerconfigjson has no "auths" object .*; mend its source Secret platform\/regcred, which the API server refuses\.$/,
        },
      ],
    },
    {
      name: 'replicate-from without a namespace: kubernetes-replicator refuses it',
      files: withReplica((f) => ({ ...f, 'copy.yaml': f['copy.yaml'].replace('replicate-from: platform/regcred', 'replicate-from: regcred') })),
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: /is never filled: kubernetes-replicator copies nothing into it: replicate-from must be <namespace>\/<name>, not "regcred", so it keeps .*; write its replicate-from as <namespace>\/<name>\.$/ }],
    },
    {
      // ESO's applyTemplate: template data replaces the provider's data (mergePolicy Replace, the default).
      name: 'ExternalSecret: template data without .dockerconfigjson makes a Secret the API server rejects',
      files: { 'pod.yaml': POD_REGCRED, 'es.yaml': externalSecret('      data:\n        config.json: "{{ .cfg }}"\n') },
      errors: [
        {
          line: 6,
          column: 13,
          endColumn: 20,
          file: 'pod.yaml',
          message:
            'but ExternalSecret app/regcred is malformed: the Secret it makes would hold only config.json and no .dockerconfigjson, which its type kubernetes.io/dockerconfigjson requires, so the API server rejects it and it never exists; its image ghcr.io/acme/web:1.0 is pulled without it; write the docker config under the key .dockerconfigjson of its target template\'s data.',
        },
      ],
    },
    {
      // The copy holds what its source holds: mended at the source, in the source's terms.
      name: 'a reflector copy of a SealedSecret without .dockerconfigjson: the remedy is to seal the source again',
      files: {
        'pod.yaml': POD_REGCRED,
        'sealed.yaml': sealedSecret(['config.json'])
          .replace('namespace: app}', 'namespace: platform}')
          .replace(
            '    type: kubernetes.io/dockerconfigjson\n',
            '    type: kubernetes.io/dockerconfigjson\n    metadata:\n      annotations: {reflector.v1.k8s.emberstack.com/reflection-allowed: "true", reflector.v1.k8s.emberstack.com/reflection-auto-enabled: "true"}\n',
          ),
      },
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message: '; seal its source SealedSecret platform/regcred again from a Secret made with kubectl create secret docker-registry.',
        },
      ],
    },
    {
      // sealed-secrets' Unseal: the decrypted encryptedData and spec.template.data, nothing else.
      name: 'SealedSecret: neither encryptedData nor template data holds .dockerconfigjson',
      files: { 'pod.yaml': POD_REGCRED, 'sealed.yaml': sealedSecret(['config.json'], '    data:\n      note: "{{ .x }}"\n') },
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message:
            'but SealedSecret app/regcred is malformed: the Secret it makes would hold only config.json, note and no .dockerconfigjson, which its type kubernetes.io/dockerconfigjson requires, so the API server rejects it and it never exists; its image ghcr.io/acme/web:1.0 is pulled without it; seal it again from a Secret made with kubectl create secret docker-registry.',
        },
      ],
    },
    {
      // Any field the API server cannot decode rejects the whole object, not only the docker key.
      name: 'a Secret the API server cannot decode because of another field: bad base64, a number in data, a number in stringData, an annotation that is not a string',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: a}, {name: b}, {name: c}, {name: d}, {name: e}, {name: f}]
            containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
        'secrets.yaml': ['a', 'b', 'c', 'd', 'e', 'f']
          .map(
            (name, i) =>
              `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: app${i === 3 ? ', annotations: {reflection-allowed: true}' : ''}}\ntype: kubernetes.io/dockerconfigjson\n` +
              'data:\n  .dockerconfigjson: eyJhdXRocyI6IHsiZ2hjci5pbyI6IHsiYXV0aCI6ICJZV050WlRwek0yTnlaWFE9In19fQ==\n' +
              // e: the other docker key, which this type does not read; f: bad data that stringData replaces (data is decoded first).
              ['  note: not base64!\n', '  rotated: 2024\n', 'stringData:\n  version: 2\n', '', '  .dockercfg: not base64!\n', '  other: not base64!\nstringData:\n  other: fine\n'][i],
          )
          .join('---\n'),
      },
      errors: [
        { line: 5, column: 29, file: 'pod.yaml', message: 'Secret app/a is malformed: its data value note is not valid base64, so the API server cannot decode the Secret and it never exists; the pod\'s other secrets are still used, but its image ghcr.io/acme/web:1.0 is pulled without it; correct that field so that the API server accepts the Secret.' },
        { line: 5, column: 40, file: 'pod.yaml', message: 'Secret app/b is malformed: its data value rotated is a number, not a base64 string, so the API server cannot decode the Secret and it never exists;' },
        { line: 5, column: 51, file: 'pod.yaml', message: 'Secret app/c is malformed: its stringData value version is a number, not a string, so the API server cannot decode the Secret (quote the value, or write it as a JSON string);' },
        { line: 5, column: 62, file: 'pod.yaml', message: 'Secret app/d is malformed: its annotation reflection-allowed is a boolean, not a string (quote it), so the API server cannot decode the Secret and it never exists;' },
        { line: 5, column: 73, file: 'pod.yaml', message: 'Secret app/e is malformed: its data value .dockercfg is not valid base64, so the API server cannot decode the Secret and it never exists;' },
        { line: 5, column: 84, file: 'pod.yaml', message: 'Secret app/f is malformed: its data value other is not valid base64, so the API server cannot decode the Secret and it never exists;' },
      ],
    },
    {
      // ValidateSecret (ValidateObjectMeta, ValidateLabels, ValidateAnnotations, IsConfigMapKey): refused, never created.
      name: 'a Secret the API server refuses: its name, a label key or value, a label that is not a string, an annotation key, a data or stringData key',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: [{name: RegCred}, {name: b}, {name: c}, {name: d}, {name: e}, {name: f}, {name: g}]
            containers: [{name: web, image: ghcr.io/acme/web:1.0}]
        `,
        'secrets.yaml': [
          ['RegCred', ''],
          ['b', '\n  labels: {"team a": x}'],
          ['c', '\n  labels: {team: "platform team"}'],
          ['d', '\n  labels:\n    version: 2'],
          ['e', '\n  annotations: {"-bad": x}'],
          ['f', '', '  "my key": eA==\n'],
          ['g', '', 'stringData:\n  ..x: z\n'],
        ]
          .map(
            ([name, meta, extra = '']) =>
              `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: app${meta}\ntype: kubernetes.io/dockerconfigjson\n` +
              'data:\n  .dockerconfigjson: eyJhdXRocyI6IHsiZ2hjci5pbyI6IHsiYXV0aCI6ICJZV050WlRwek0yTnlaWFE9In19fQ==\n' +
              extra,
          )
          .join('---\n'),
      },
      errors: [
        { line: 5, column: 29, file: 'pod.yaml', message: 'Secret app/RegCred is malformed: its name "RegCred" is not a valid Secret name (a DNS-1123 subdomain: lowercase letters, digits, - and ., starting and ending with a letter or digit, at most 253 characters), so the API server refuses the Secret and it never exists; the pod\'s other secrets are still used, but its image ghcr.io/acme/web:1.0 is pulled without it; correct that field so that the API server accepts the Secret.' },
        { line: 5, column: 46, file: 'pod.yaml', message: 'Secret app/b is malformed: its label key "team a" is not a qualified name (an optional DNS subdomain prefix and /, then at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit), so the API server refuses the Secret and it never exists;' },
        { line: 5, column: 57, file: 'pod.yaml', message: 'Secret app/c is malformed: its label team has the value "platform team", which is not a label value (at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit), so the API server refuses the Secret and it never exists;' },
        { line: 5, column: 68, file: 'pod.yaml', message: 'Secret app/d is malformed: its label version is a number, not a string (quote it), so the API server cannot decode the Secret and it never exists;' },
        { line: 5, column: 79, file: 'pod.yaml', message: 'Secret app/e is malformed: its annotation key "-bad" is not a qualified name' },
        { line: 5, column: 90, file: 'pod.yaml', message: 'Secret app/f is malformed: its data key "my key" is not a valid key (letters, digits, -, _ and . only, at most 253 characters, not . or .. and not starting with ..), so the API server refuses the Secret and it never exists;' },
        { line: 5, column: 101, file: 'pod.yaml', message: 'Secret app/g is malformed: its stringData key "..x" is not a valid key' },
      ],
    },
    invalid(
      'entries with only an identitytoken (az acr login --expose-token): the kubelet never reads it, so they are empty (SEMANTICS §3)',
      '{"auths": {"acme.azurecr.io": {"identitytoken": "eyJhbGciOi"}}}',
      'its .dockerconfigjson lists acme.azurecr.io without any credentials (an identitytoken or registrytoken is read by the docker CLI, never by the kubelet; put a username and password, such as the token with its user name, in the entry), so the kubelet pulls with empty ones, which a private registry refuses',
    ),
    invalid('"auths": null is no auths object', '{"auths": null}', 'no "auths" object'),
    invalid('an entry that is null is an entry without credentials', '{"auths": {"ghcr.io": null}}', 'its .dockerconfigjson lists ghcr.io without any credentials, so the kubelet pulls with empty ones'),
    invalid(
      "a Docker Desktop config: entries without credentials, kept by its credsStore",
      '{"auths": {"ghcr.io": {}, "https://index.docker.io/v1/": {}}, "credsStore": "desktop", "currentContext": "desktop-linux"}',
      'lists ghcr.io, https://index.docker.io/v1/ without any credentials (a workstation\'s Docker config: its credsStore "desktop" keeps them on that machine, out of the kubelet\'s reach)',
    ),
    invalid(
      'credHelpers and no auths',
      '{"credHelpers": {"123456789012.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"}}',
      'no "auths" object, only credHelpers (a workstation\'s Docker config: the docker CLI runs those, the kubelet never does)',
    ),
    invalid('"auths" as a list fails the decoder', '{"auths": [{"ghcr.io": {}}]}', FATAL),
    {
      // Never pulled, so never hit: the images named are those pulled.
      name: 'the images that fail with it are those the pod pulls, not an imagePullPolicy Never one',
      files: {
        'pod.yaml': POD_REGCRED + '    - {name: cached, image: ghcr.io/acme/cached:1.0, imagePullPolicy: Never}\n',
        'secret.yaml': dockerconfigjson('{"auths": [{"ghcr.io": {}}]}'),
      },
      errors: [{ line: 6, column: 13, endColumn: 20, file: 'pod.yaml', severity: 'error' as const, message: FATAL }],
    },
    // ValidateSecret decodes the value into a map: the Secret is never created, the pod carries on.
    invalid('a top-level list: the API server rejects the Secret', '[{"auths": {}}]', 'its .dockerconfigjson is not a JSON object (json: cannot unmarshal array into Go value of type credentialprovider.DockerConfigJSON), so the API server rejects the Secret and it never exists'),
    // The pod has no other secret: nothing is said of others.
    invalid('a trailing comma: the API server rejects the Secret', '{"auths": {"ghcr.io": {"auth": "dTpw"}},}', /^Pod app\/web .*its \.dockerconfigjson is not a JSON object \(invalid JSON at offset 40\), so the API server rejects the Secret and it never exists; its image ghcr\.io\/acme\/web:1\.0 is pulled without it; regenerate it with kubectl create secret docker-registry\.$/),
    {
      name: 'a config written as a YAML mapping under stringData: the API server cannot decode the Secret',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson:
              auths: {ghcr.io: {username: acme, password: hunter2g}}
        `,
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'its stringData value .dockerconfigjson is a mapping, not a string, so the API server cannot decode the Secret (quote the value, or write it as a JSON string)' }],
    },
    invalid('HttpHeaders of the wrong type fail the whole secret', '{"auths": {"ghcr.io": {"auth": "Zm9vOmJhcg=="}}, "HttpHeaders": "x"}', FATAL),
    invalid('a username that is a number fails the decoder', '{"auths": {"ghcr.io": {"username": 42, "password": "x"}}}', 'cannot unmarshal number'),
    invalid('an auth with a trailing space is not base64', '{"auths": {"ghcr.io": {"auth": "Zm9vOmJhcg== "}}}', FATAL),
    invalid('one broken entry among good ones breaks the secret', '{"auths": {"quay.io": {"auth": "Zm9vOmJhcg=="}, "ghcr.io": {"auth": "pants"}}}', FATAL),
    {
      name: 'a broken keyring names every image of the pod (public ones too: none is pulled); a secret that only yields nothing names the images at risk',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets:
              - name: regcred
            initContainers:
              - {name: init, image: busybox:1.36}
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
              - {name: side, image: ghcr.io/acme/side:2.0}
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: api, namespace: app}
          spec:
            imagePullSecrets:
              - name: empty
            containers:
              - {name: api, image: ghcr.io/acme/api:1.0}
              - {name: db, image: postgres:16}
              - {name: cache, image: ghcr.io/acme/cache:1.0}
              - {name: proxy, image: ghcr.io/acme/proxy:1.0}
        `,
        'secret.yaml': dockerconfigjson('{"auths": {"ghcr.io": {"auth": "pants"}}}') + yaml`
          ---
          apiVersion: v1
          kind: Secret
          metadata: {name: empty, namespace: app}
          type: kubernetes.io/dockerconfigjson
          stringData:
            .dockerconfigjson: '{"auths": {}}'
        `,
      },
      errors: [
        {
          line: 6,
          column: 13,
          file: 'pod.yaml',
          message: "the kubelet then pulls none of the pod's images (busybox:1.36, ghcr.io/acme/web:1.0 and 1 more), not even anonymously;",
        },
        {
          line: 18,
          column: 13,
          file: 'pod.yaml',
          message: 'its images ghcr.io/acme/api:1.0, ghcr.io/acme/cache:1.0 and 1 more are pulled without it;',
        },
      ],
    },
    {
      // kubectl decodes !!binary into the string of its bytes (goyaml.v2): under data, that is JSON, not base64; under stringData, the config itself.
      name: 'a !!binary docker config: under data the API server gets the decoded JSON, not base64; under stringData it is the config',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          data: {.dockerconfigjson: !!binary eyJhdXRocyI6eyJnaGNyLmlvIjp7ImF1dGgiOiJabTl2T21KaGNnPT0ifX19}
          ---
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: other}
          type: kubernetes.io/dockerconfigjson
          stringData: {.dockerconfigjson: !!binary eyJhdXRocyI6eyJnaGNyLmlvIjp7ImF1dGgiOiJabTl2T21KaGNnPT0ifX19}
        `,
        'other.yaml': POD_REGCRED.replace('namespace: app', 'namespace: other'),
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'Pod app/web references pull secret "regcred" (used by Pod app/web), but Secret app/regcred is malformed: its .dockerconfigjson value is not valid base64 (the API server rejects the Secret);' }],
    },
    {
      name: 'a null data value is empty',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          data:
            .dockerconfigjson:
        `,
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'empty' }],
    },
    {
      name: 'stringData wins over data: an empty stringData value hides good data',
      files: {
        'pod.yaml': POD_REGCRED,
        'secret.yaml': yaml`
          apiVersion: v1
          kind: Secret
          metadata: {name: regcred, namespace: app}
          type: kubernetes.io/dockerconfigjson
          data:
            .dockerconfigjson: eyJhdXRocyI6IHsiZ2hjci5pbyI6IHsiYXV0aCI6ICJZV050WlRwek0yTnlaWFE9In19fQ==
          stringData:
            .dockerconfigjson: ""
        `,
      },
      errors: [{ line: 6, column: 13, file: 'pod.yaml', message: 'empty' }],
    },
  ],
})

describe('pull-secret-malformed: the credentials of configs that do not decode are still masked', () => {
  const values = (json: string) => analyzeSources([{ path: 'secret.yaml', text: dockerconfigjson(json) }], defaultOptions('/virtual')).secretValues
  it.each([
    ['an auth written plain, not base64', '{"auths": {"ghcr.io": {"auth": "acme:hunter2a"}}}', ['hunter2a', 'acme:hunter2a']],
    ['no auths wrapper', '{"ghcr.io": {"username": "acme", "password": "hunter2b"}}', ['hunter2b']],
    ['invalid JSON', '{"auths": {"ghcr.io": {"password": "hunter2c"}}', ['hunter2c']],
    ['an auth without a colon', `{"auths": {"ghcr.io": {"auth": "${Buffer.from('hunter2d').toString('base64')}"}}}`, ['hunter2d']],
    ['an escaped password, and a token', '{"auths": {"ghcr.io": {"password": "hun\\u0074er2e", "identitytoken": "tok-12345"}}', ['hunter2e', 'tok-12345']],
    // The kubelet's URL parsing drops a userinfo, but the key still spells it out.
    ['a key with a user and password (valid config)', '{"auths": {"https://bot:hunter2f@quay.io": {"username": "bot", "password": "other-pw"}}}', ['hunter2f', 'other-pw']],
    ['a key with a token as its user, percent-encoded (invalid JSON)', '{"auths": {"ghp_tok%2Bx@ghcr.io": {}', ['ghp_tok%2Bx', 'ghp_tok+x']],
    // Go's url.Parse splits the authority at its last @.
    ['a password holding an @, in a valid config', '{"auths": {"https://bot:hun@ter2h@quay.io/v1/": {"username": "bot", "password": "x"}}}', ['hun@ter2h']],
    ['a password holding an @, in invalid JSON', '{"auths": {"bot:hun@ter2i@quay.io": {}', ['hun@ter2i']],
    ['a password holding a /, in a valid config', '{"auths": {"https://bot:hun/ter2j@quay.io": {"username": "bot", "password": "x"}}}', ['hun/ter2j']],
    ['a password holding a /, in invalid JSON', '{"auths": {"bot:hun/ter2k@quay.io": {}', ['hun/ter2k']],
    // A token pasted as the username is a secret; a plain username is not.
    ['a token as the username, in a valid config', '{"auths": {"ghcr.io": {"username": "ghp_Tok3nAsUser01", "password": "x-oauth-basic"}}}', ['ghp_Tok3nAsUser01']],
    ['a token as the username, in invalid JSON', '{"auths": {"ghcr.io": {"username": "glpat-Tok3nAsUser02", "password": "x"}}', ['glpat-Tok3nAsUser02']],
    ['a token as the user of an auth written plain', '{"auths": {"ghcr.io": {"auth": "dckr_pat_Tok3nAsUser03:x"}}}', ['dckr_pat_Tok3nAsUser03']],
    ['a token as the username, with spaces around it', '{"auths": {"ghcr.io": {"username": " ghp_Tok3nSpaced04 ", "password": "hunter22"}}}', [' ghp_Tok3nSpaced04 ', 'ghp_Tok3nSpaced04']],
  ])('%s', (_name, json, secrets) => {
    expect(values(json)).toEqual(expect.arrayContaining(secrets))
  })

  it('keeps a plain username out of the masked values', () => {
    expect(values('{"auths": {"ghcr.io": {"username": "acme-bot", "password": "hunter2z"}}}')).not.toContain('acme-bot')
  })

  it('never shows a token written as the username, in any format', () => {
    const text = dockerconfigjson('{"auths": {"ghcr.io": {"username": "ghp_R3alT0kenR3alT0ken0000000000000000", "password": "x-oauth-basic"}}}')
    const result = analyzeSources([{ path: 'secret.yaml', text }], defaultOptions('/virtual'))
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['credentials-in-repo', 'password-not-token', 'unused-pull-secret'])
    const out = formatText(result, { color: false, quiet: false }) + formatJson(result, { toolVersion: 'x' })
    expect(out).not.toContain('R3alT0ken')
  })

  it('masks the password of a key with a userinfo where its key is quoted (registry-not-covered, credentials-in-repo)', () => {
    const text = dockerconfigjson('{"auths": {"https://bot:UrlPassw0rd42@quay.io": {"username": "bot", "password": "FieldPassw0rd77"}}}') +
      '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: c, image: ghcr.io/acme/x:1}]\n'
    const options = { ...defaultOptions('/virtual'), privateRegistries: ['ghcr.io'] }
    const result = analyzeSources([{ path: 'secret.yaml', text }], options)
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['credentials-in-repo', 'registry-not-covered'])
    const out = formatText(result, { color: false, quiet: false }) + formatJson(result, { toolVersion: 'x' })
    expect(out).toContain('https://bot:***@quay.io')
    expect(out).not.toContain('UrlPassw0rd42')
  })

  it('never shows the secret of a key\'s userinfo, however short (the masker leaves values under 4 characters alone)', () => {
    const pod = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: c, image: ghcr.io/acme/x:1}]\n'
    const options = { ...defaultOptions('/virtual'), privateRegistries: ['ghcr.io'] }
    const shown = (json: string) => {
      const result = analyzeSources([{ path: 'secret.yaml', text: dockerconfigjson(json) + pod }], options)
      return { rules: result.findings.map((f) => f.ruleId).sort(), out: formatText(result, { color: false, quiet: false }) + formatJson(result, { toolVersion: 'x' }) }
    }
    // credentials-in-repo and registry-not-covered ("written …") name the key.
    const a = shown('{"auths": {"https://bot:xyz@quay.io": {"username": "bot", "password": "pw-long-enough"}}}')
    expect(a.rules).toEqual(['credentials-in-repo', 'registry-not-covered'])
    expect(a.out).toContain('https://bot:***@quay.io')
    expect(a.out).not.toMatch(/xyz/)
    // Passwords with a ?, a # or a /, which url.Parse ends the host at (the key's host is then bot:98765):
    // neither the raw key nor its normalised form nor the miss's explanation shows them.
    const c = shown('{"auths": {"https://bot:98765?q@ghcr.io": {"username": "bot", "password": "pw-long-enough"}, "https://bot:Xy7/Pw9q@registry:5000": {"auth": "Ym90OmFiYw=="}, "https://bot:p@ss/w0rd@quay.io": {"auth": "Ym90OmFiYw=="}}}')
    expect(c.rules).toEqual(['credentials-in-repo', 'registry-not-covered'])
    expect(c.out).toContain('https://bot:***@ghcr.io')
    expect(c.out).not.toMatch(/98765|Xy7|Pw9q|w0rd/)
    // A lone token as the user, in a config of empty entries only (pull-secret-malformed names the key).
    const b = shown('{"auths": {"ab@ghcr.io": {}}}')
    expect(b.rules).toEqual(['pull-secret-malformed'])
    expect(b.out).toContain('***@ghcr.io')
    expect(b.out).not.toMatch(/\bab@/)
  })

  it('masks a password that a key\'s path spells percent-encoded, which messages show decoded (url.Parse)', () => {
    const pod = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: c, image: quay.io/acme/x:1}]\n'
    const auth = Buffer.from('bot:CanaryPw%41Zq81').toString('base64')
    const result = analyzeSources([{ path: 'secret.yaml', text: dockerconfigjson(`{"auths": {"ghcr.io/CanaryPw%41Zq81": {"auth": "${auth}"}}}`) + pod }], { ...defaultOptions('/virtual'), privateRegistries: ['quay.io'] })
    const out = formatText(result, { color: false, quiet: false }) + formatJson(result, { toolVersion: 'x' })
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['credentials-in-repo', 'password-not-token', 'registry-not-covered'])
    expect(out).toContain('has keys ghcr.io/***')
    expect(out).not.toMatch(/CanaryPw/)
    // An escape that is not UTF-8 is shown as url.Parse leaves it (U+FFFD); a password shown
    // decoded from a key that spells it only encoded (Kp7%41%2Fmq is Kp7A/mq).
    for (const [key, password, leaked] of [
      ['quay.io/Wv%C3Tt9', 'Wv%C3Tt9', /Wv/],
      ['quay.io/Kp7%41%2Fmq', 'Kp7A/mq', /Kp7/],
    ] as const) {
      const auth = Buffer.from(`bot:${password}`).toString('base64')
      const r = analyzeSources([{ path: 'secret.yaml', text: dockerconfigjson(`{"auths": {"${key}": {"auth": "${auth}"}}}`) + pod.replace('quay.io/acme/x:1', 'ghcr.io/acme/x:1') }], { ...defaultOptions('/virtual'), privateRegistries: ['ghcr.io'] })
      const text = formatText(r, { color: false, quiet: false }) + formatJson(r, { toolVersion: 'x' })
      expect(text, key).toContain('quay.io/***')
      expect(text, key).not.toMatch(leaked)
    }
  })

  it('reads a field of megabytes (a regular expression over it ran out of stack: an internal error)', () => {
    const long = 'A'.repeat(9_000_000)
    expect(values(`{"auths": {"ghcr.io": {"auth": "${long}"}}}`)).toContain(long)
  })
})

describe('pull-secret-malformed: operators\' objects', () => {
  it('points at the keys that are written and gives the operator\'s remedy as the fix', () => {
    const options = defaultOptions('/repo')
    const es = analyzeSources([{ path: 'pod.yaml', text: POD_REGCRED }, { path: 'es.yaml', text: externalSecret('      data:\n        config.json: "{{ .cfg }}"\n') }], options)
    const [f] = es.findings.filter((x) => x.ruleId === 'pull-secret-malformed')
    // The template's data mapping: its one entry, line 11, columns 9 to 34.
    expect(f.related).toEqual([{ message: 'ExternalSecret app/regcred content', location: { file: 'es.yaml', range: { start: { line: 11, column: 9 }, end: { line: 11, column: 34 } } } }])
    expect(f.fix).toBe("Write the docker config under the key .dockerconfigjson of its target template's data.")
    const sealed = analyzeSources([{ path: 'pod.yaml', text: POD_REGCRED }, { path: 'sealed.yaml', text: sealedSecret(['config.json']) }], options)
    const [g] = sealed.findings.filter((x) => x.ruleId === 'pull-secret-malformed')
    expect(g.related?.[0].location.range.start).toEqual({ line: 8, column: 5 })
    expect(g.fix).toBe('Seal it again from a Secret made with kubectl create secret docker-registry.')
  })
})
