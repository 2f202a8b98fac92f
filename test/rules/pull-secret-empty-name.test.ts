// pull-secret-empty-name: an imagePullSecrets entry without a name.
import { defaultServiceAccount, GHCR_SECRET } from './manifests.js'
import { ruleTester, yaml } from './tester.js'

/** A Pod in namespace app whose imagePullSecrets entries are `entries` (one per line, from line 6). */
function pod(...entries: string[]): string {
  return (
    yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: app}
      spec:
        imagePullSecrets:
    ` +
    entries.map((e) => `    - ${e}\n`).join('') +
    yaml`
      containers:
        - {name: web, image: ghcr.io/acme/web:1.0}
    `.replace(/^/gm, '  ').replace(/ +$/, '')
  )
}

ruleTester('pull-secret-empty-name', {
  valid: [
    { name: 'fixture: names set, the list left out, an empty list', files: 'passes.yaml' },
    { name: 'a named entry', files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('name: ghcr-pull') } },
    {
      // kubectl's YAML decoder keeps a timestamp-like plain scalar as a string (goyaml.v2 into interface{}).
      name: 'a name that reads like a date is a name, as kubectl reads it',
      files: { 'secret.yaml': GHCR_SECRET.replace('name: ghcr-pull', 'name: 2024-01-01'), 'pod.yaml': pod('name: 2024-01-01') },
    },
    {
      name: "an empty entry in a ServiceAccount whose list no pod uses (every pod lists its own)",
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('imagePullSecrets: [{name: ""}]\n'),
        'pod.yaml': pod('name: ghcr-pull'),
      },
    },
    {
      name: 'suppressed by a comment on the line before',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets:
              # pullcheck-ignore pull-secret-empty-name: filled in by the deploy pipeline
              - name: ""
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      suppressed: [{ line: 7, column: 13 }],
    },
  ],
  invalid: [
    {
      name: 'fixture: name "", no name key, name with no value, an entry in the ServiceAccount',
      files: 'fires.yaml',
      errors: [
        {
          line: 35,
          column: 17,
          endLine: 35,
          endColumn: 19,
          severity: 'warning',
          message: /^Deployment shop\/api lists an entry with an empty name under imagePullSecrets .*it also keeps ServiceAccount app's pull secrets out of the pod; remove it or set the Secret's name\.$/,
        },
        { line: 48, column: 7, endColumn: 9, message: 'Pod shop/worker lists an entry with an empty name' },
        { line: 49, column: 12, endColumn: 12 },
        { line: 63, column: 11, endColumn: 13, message: /^ServiceAccount shop\/batch lists an entry with an empty name .*\(used by Job shop\/export\)/ },
      ],
    },
    {
      name: 'without a ServiceAccount list to block, the message does not claim one',
      files: { 'pod.yaml': pod('name: ""') },
      errors: [{ line: 6, column: 13, message: /which the kubelet skips; remove it/ }],
    },
    {
      name: 'name: null',
      files: { 'pod.yaml': pod('name: null') },
      errors: [{ line: 6, column: 13, endColumn: 17 }],
    },
    {
      name: 'an entry that is a bare string: the API server cannot decode it and rejects the Pod (an error)',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('ghcr-pull') },
      errors: [
        {
          line: 6,
          column: 7,
          endLine: 6,
          endColumn: 16,
          severity: 'error',
          message:
            'Pod app/web lists "ghcr-pull" under imagePullSecrets, which is not a {name: …} object (used by Pod app/web); the API server cannot decode it and rejects the Pod, so none of its images is pulled; write it as [{name: ghcr-pull}].',
        },
      ],
    },
    {
      name: 'a number entry beside a good one: the object is rejected all the same',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('name: ghcr-pull', '42') },
      errors: [{ line: 7, column: 7, endColumn: 9, severity: 'error', message: /lists 42 under imagePullSecrets, .*rejects the Pod.*; write each entry as \{name: <the Secret's name>\}\.$/ }],
    },
    {
      // kubectl reads YAML with goyaml.v2, whose booleans are YAML 1.1's: `no` is false.
      name: 'a name that YAML 1.1 reads as a boolean (no, yes, on, off, y, n) is not a string',
      files: { 'pod.yaml': pod('name: no') },
      errors: [{ line: 6, column: 13, endColumn: 15, severity: 'error', message: /lists an entry whose name is false, not a string, .*rejects the Pod.*; quote the name: \{name: "no"\}\.$/ }],
    },
    {
      name: 'the name to quote is the text as written, not the number YAML made of it (1.10 is not 1.1)',
      files: { 'pod.yaml': pod('name: 1.10') },
      errors: [{ line: 6, column: 13, endColumn: 17, severity: 'error', message: /lists an entry whose name is 1\.1, not a string, .*; quote the name: \{name: "1\.10"\}\.$/ }],
    },
    {
      name: 'a name in hexadecimal is quoted as written too',
      files: { 'pod.yaml': pod('name: 0x1F') },
      errors: [{ line: 6, column: 13, endColumn: 17, severity: 'error', message: /quote the name: \{name: "0x1F"\}\.$/ }],
    },
    {
      name: 'a name that YAML reads as a number: the API server cannot decode it into a string and rejects the Pod',
      files: { 'pod.yaml': pod('name: 42') },
      errors: [
        {
          line: 6,
          column: 13,
          endColumn: 15,
          severity: 'error',
          message:
            'Pod app/web lists an entry whose name is 42, not a string, under imagePullSecrets (used by Pod app/web); the API server cannot decode it and rejects the Pod, so none of its images is pulled; quote the name: {name: "42"}.',
        },
      ],
    },
    {
      name: 'a name that is a list: rejected, and the fix is not to quote it',
      files: { 'pod.yaml': pod('name: [a, b]') },
      errors: [{ line: 6, column: 13, severity: 'error', message: /whose name is \["a","b"\], not a string, .*; write each entry as \{name: <the Secret's name>\}\.$/ }],
    },
    {
      name: 'a long value is described, not quoted',
      files: { 'pod.yaml': pod(`[${'x'.repeat(200)}]`) },
      errors: [{ line: 6, column: 7, severity: 'error', message: /^Pod app\/web lists a list of 1 item under imagePullSecrets, which is not a \{name: …\} object/ }],
    },
    {
      // A Helm value rendered in the wrong place: the registry credentials, or the docker config.
      name: 'credentials written as imagePullSecrets are described, never quoted',
      files: {
        'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: default, namespace: app}
          imagePullSecrets: {username: bot, password: Hunter2PwSA1}
        `,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      errors: [
        {
          line: 4,
          column: 19,
          severity: 'error',
          message:
            'ServiceAccount app/default sets imagePullSecrets to a mapping with the keys username, password, which is not a list of {name: …} objects (used by Pod app/web); the API server cannot decode it and rejects the ServiceAccount, so none of its images is pulled; write each entry as {name: <the Secret\'s name>}.',
        },
      ],
    },
    {
      name: 'a password as an entry\'s name, a docker config as an entry: described, never quoted',
      files: { 'pod.yaml': pod('name: {password: Hunter2PwName}', '\'{"auths":{"ghcr.io":{"auth":"Ym90Okh1bnRlcjJQd0lQUzU="}}}\'') },
      errors: [
        { line: 6, column: 13, severity: 'error', message: /^Pod app\/web lists an entry whose name is a mapping with the key password, not a string, under imagePullSecrets \(/ },
        { line: 7, column: 7, severity: 'error', message: /^Pod app\/web lists a string of 57 characters under imagePullSecrets, which is not a \{name: …\} object \(.*; write each entry as \{name: <the Secret's name>\}\.$/ },
      ],
    },
    {
      name: 'a null entry decodes to an empty name: skipped by the kubelet (a warning)',
      files: { 'pod.yaml': pod('') },
      errors: [{ line: 6, column: 5, severity: 'warning', message: /an entry that is not a \{name: …\} object \(null\) under imagePullSecrets .*which the kubelet skips/ }],
    },
    {
      name: 'imagePullSecrets that is a string, not a list: the Pod is rejected',
      files: {
        'secret.yaml': GHCR_SECRET,
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            imagePullSecrets: ghcr-pull
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      errors: [
        {
          line: 5,
          column: 21,
          endLine: 5,
          endColumn: 30,
          severity: 'error',
          message:
            'Pod app/web sets imagePullSecrets to "ghcr-pull", which is not a list of {name: …} objects (used by Pod app/web); the API server cannot decode it and rejects the Pod, so none of its images is pulled; write it as imagePullSecrets: [{name: ghcr-pull}].',
        },
      ],
    },
    {
      name: 'imagePullSecrets that is one {name: …} mapping, not a list: the Deployment is rejected',
      files: {
        'secret.yaml': GHCR_SECRET,
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web, namespace: app}
          spec:
            template:
              spec:
                imagePullSecrets:
                  name: ghcr-pull
                containers:
                  - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      errors: [{ line: 8, column: 9, endLine: 8, endColumn: 24, severity: 'error', message: /^Deployment app\/web sets imagePullSecrets to \{"name":"ghcr-pull"\}, .*rejects the Deployment, .*write each entry as/ }],
    },
    {
      name: "a ServiceAccount's bare-string entry: the ServiceAccount is rejected",
      files: {
        'secret.yaml': GHCR_SECRET,
        'sa.yaml': defaultServiceAccount('imagePullSecrets: [ghcr-pull]\n'),
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - {name: web, image: ghcr.io/acme/web:1.0}
        `,
      },
      errors: [{ file: 'sa.yaml', line: 4, column: 20, endColumn: 29, severity: 'error', message: /^ServiceAccount app\/default lists "ghcr-pull" .*rejects the ServiceAccount/ }],
    },
    {
      name: 'an entry with only a namespace field',
      files: { 'pod.yaml': pod('namespace: platform') },
      errors: [{ line: 6, column: 7 }],
    },
    {
      name: 'several empty entries: one finding each',
      files: { 'secret.yaml': GHCR_SECRET, 'pod.yaml': pod('name: ""', 'name: ghcr-pull', "name: ''") },
      errors: [
        { line: 6, column: 13, file: 'pod.yaml' },
        { line: 8, column: 13, file: 'pod.yaml' },
      ],
    },
    {
      name: 'a JSON manifest',
      files: {
        'pod.json': yaml`
          {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "app"},
            "spec": {
              "imagePullSecrets": [{"name": ""}],
              "containers": [{"name": "web", "image": "ghcr.io/acme/web:1.0"}]
            }
          }
        `,
      },
      errors: [{ line: 6, column: 35, endColumn: 37 }],
    },
    {
      name: 'a ServiceAccount entry used by two pods is reported once',
      files: {
        'sa.yaml': defaultServiceAccount('imagePullSecrets:\n  - name: ""\n'),
        'pods.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: a, namespace: app}
          spec:
            containers: [{name: a, image: ghcr.io/acme/a:1}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: b, namespace: app}
          spec:
            containers: [{name: b, image: ghcr.io/acme/b:1}]
        `,
      },
      errors: [{ line: 5, column: 11, file: 'sa.yaml', message: 'used by Pod app/a and 1 more' }],
    },
  ],
})
