// invalid-image-reference: the kubelet cannot parse the image (distribution/reference ParseNormalizedNamed).
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { caseOptions, ruleTester, yaml, type Case } from './tester.js'

const HEX64 = '4c1e7c1a7d9f0b2e8a6c3d5f7b9e1a3c5d7f9b1e3a5c7d9f1b3e5a7c9d1f3b5e'

/** A Pod pulling `image` (written as a double-quoted YAML string on line 7, column 14). */
function pod(image: string, extra = ''): string {
  return yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: app}
    spec:
      containers:
        - name: web
          image: ${JSON.stringify(image)}
  ` + extra
}

function bad(name: string, image: string, reason?: string): Case {
  return {
    name: `${name}: ${JSON.stringify(image)}`,
    files: { 'pod.yaml': pod(image) },
    errors: [{ line: 7, column: 14, endColumn: 14 + JSON.stringify(image).length, severity: 'error', message: reason ?? 'is not a valid image reference' }],
  }
}

function good(name: string, image: string): Case {
  return { name: `${name}: ${JSON.stringify(image)}`, files: { 'pod.yaml': pod(image) } }
}


/** The legacy form (apiVersion v1, as OpenShift 3 and kompose write it), in a List: container db set by its trigger. */
const LEGACY_DC = JSON.stringify({
  kind: 'List',
  apiVersion: 'v1',
  items: [
    {
      apiVersion: 'v1',
      kind: 'DeploymentConfig',
      metadata: { name: 'old', namespace: 'app' },
      spec: { triggers: [{ type: 'ImageChange', imageChangeParams: { automatic: true, containerNames: ['db'] } }], template: { spec: { containers: [{ name: 'db', image: ' ' }] } } },
    },
  ],
})

/** An OpenShift DeploymentConfig whose ImageChange trigger (automatic or not) names container db; web is not named. */
function deploymentConfig(automatic: boolean): string {
  return yaml`
    apiVersion: apps.openshift.io/v1
    kind: DeploymentConfig
    metadata: {name: shop, namespace: app}
    spec:
      triggers:
        - type: ConfigChange
        - type: ImageChange
          imageChangeParams:
            automatic: ${automatic}
            containerNames: [db]
            from: {kind: ImageStreamTag, name: "mysql:5.7"}
      template:
        spec:
          containers:
            - name: db
              image: " "
            - name: web
              image: " "
  `
}

ruleTester('invalid-image-reference', {
  valid: [
    { name: 'fixture: capitals in the host and tag, tag and digest, ports, separators, IPv6', files: 'passes.yaml' },
    good('a bare name', 'nginx'),
    good('an uppercase first component is a registry host', 'Foo/bar:1'),
    good('a Docker Hub user image', 'myuser/app:tag'),
    good('localhost with a port', 'localhost:5000/x'),
    good('an IPv4 registry', '192.168.0.1:80/team/app:1'),
    good('a sha512 digest', `ghcr.io/acme/app@sha512:${HEX64}${HEX64}`),
    good('a 128-character tag', `ghcr.io/acme/app:${'a'.repeat(128)}`),
    good('a deep path', 'docker.io/library/foo/bar/baz:1'),
    good('a path component with repeated dashes', 'ghcr.io/acme/a--b:1'),
    {
      name: 'suppressed by a comment on the line before',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                # pullcheck-ignore invalid-image-reference: replaced by the image-updater before apply
                image: REPLACE_ME
        `,
      },
      suppressed: [{ line: 8, column: 14 }],
    },
  ],
  invalid: [
    {
      // The controller writes the ImageStreamTag's image into the containers an automatic trigger names.
      name: 'an OpenShift DeploymentConfig: not the containers an automatic ImageChange trigger sets, the others',
      files: { 'dc.yaml': deploymentConfig(true), 'legacy.json': LEGACY_DC },
      errors: [{ file: 'dc.yaml', line: 18, column: 18, endColumn: 21, message: 'container "web" of DeploymentConfig app/shop' }],
    },
    {
      name: 'an OpenShift DeploymentConfig whose ImageChange trigger is not automatic: the template image is pulled as written',
      files: { 'dc.yaml': deploymentConfig(false) },
      errors: [
        { line: 16, column: 18, endColumn: 21, message: 'container "db" of DeploymentConfig app/shop' },
        { line: 18, column: 18, endColumn: 21, message: 'container "web" of DeploymentConfig app/shop' },
      ],
    },
    {
      // What `oc new-app` writes: OpenShift's trigger controller sets the named container's image; a paused trigger does not.
      name: 'an image.openshift.io/triggers annotation: not the containers a trigger sets, the others and those of paused triggers',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: shop
            namespace: app
            annotations:
              image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"db:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"db\\")].image"},{"from":{"kind":"ImageStreamTag","name":"init:1"},"fieldPath":"spec.template.spec.initContainers[?(@.name==\\"setup\\")].image","paused":true}]'
          spec:
            template:
              spec:
                initContainers:
                  - {name: setup, image: " "}
                containers:
                  - {name: db, image: " "}
                  - {name: web, image: " "}
        `,
      },
      errors: [
        { line: 12, column: 32, message: 'init container "setup" of Deployment app/shop' },
        { line: 15, column: 30, message: 'container "web" of Deployment app/shop' },
      ],
    },
    {
      // The second container's image comes through the merge key: its finding points at the alias.
      name: 'an image brought in by a merge key (<<: *base): at the alias, on one line',
      files: {
        'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  containers:\n  - &base\n    name: a\n    image: "ghcr.io/Acme/a:1"\n  - <<: *base\n    name: b\n',
      },
      errors: [
        { line: 8, column: 12, endLine: 8, endColumn: 30, message: 'container "a" of Pod app/p' },
        { line: 9, column: 9, endLine: 9, endColumn: 14, message: 'container "b" of Pod app/p' },
      ],
    },
    {
      name: 'fixture: uppercase path, URL, short digest, tag with a dot, empty, missing, image volume with //',
      files: 'fires.yaml',
      errors: [
        {
          line: 18,
          column: 18,
          endLine: 18,
          endColumn: 40,
          severity: 'error',
          message: /^init container "migrate" of Deployment shop\/api in namespace shop: image "ghcr\.io\/Acme\/Migrate:7" is not a valid image reference \(.*must be lowercase\); the kubelet fails it with InvalidImageName/,
        },
        { line: 22, column: 18, endColumn: 48, message: 'image "https://ghcr.io/acme/api:2.0.1"' },
        { line: 25, column: 18, endColumn: 61 },
        { line: 28, column: 18, endColumn: 43 },
        { line: 31, column: 18, endColumn: 20, message: 'container "placeholder"' },
        { line: 44, column: 11, endLine: 45, endColumn: 29, message: 'container "seed" of Job shop/seed' },
        { line: 60, column: 20, endColumn: 42, message: 'image volume "model" of Pod shop/inference' },
      ],
    },
    bad('a leading dash', '-docker'),
    bad('three slashes', 'docker///docker'),
    bad('a trailing slash', 'docker/'),
    bad('two dots in the host', 'dock..er/docker'),
    bad('an uppercase path', 'docker/Docker', 'must be lowercase'),
    bad('an uppercase bare name', 'ROOT'),
    bad('an IPv6 host without a path', '[fc00::1]'),
    bad('an IPv6 host with a zone', '[fe80::1%eth0]:5000/debian'),
    bad('an IPv6 host without brackets', 'fc00::1:5000/debian'),
    bad('a bare 64-hex identifier', HEX64),
    bad('only a tag', ':justtag'),
    bad('only a digest', `@sha256:${HEX64}`),
    bad('an unknown digest algorithm', `ghcr.io/acme/app@md5:${HEX64}`),
    bad('an uppercase digest', `ghcr.io/acme/app@sha256:${HEX64.toUpperCase()}`),
    bad('a sha512 digest of sha256 length', `ghcr.io/acme/app@sha512:${HEX64}`),
    bad('a 129-character tag', `ghcr.io/acme/app:${'a'.repeat(129)}`),
    bad('a trailing space', 'nginx:1.27 '),
    bad('only white space', ' '),
    {
      name: 'imagePullPolicy Never does not save it: the name is parsed before the policy is looked at',
      files: { 'pod.yaml': pod('ghcr.io/Acme/app:1', '      imagePullPolicy: Never\n') },
      errors: [{ line: 7, column: 14 }],
    },
    {
      name: 'an image that is a number',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                image: 42
        `,
      },
      errors: [{ line: 7, column: 14, endColumn: 16, message: 'the image is a number, not a string; the API server cannot decode the object (an image is a string), so write the image as one.' }],
    },
    {
      // kubectl decodes into interface{} (goyaml.v2): !!binary is the string of its bytes, !!timestamp its text.
      name: 'an image tagged !!binary is its decoded text, one tagged !!timestamp its text; base64 kubectl refuses fails only its document (yaml-syntax-error)',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                image: !!binary Z2hjci5pby9BY21lL3dlYjox
              - name: side
                image: !!timestamp 2001-12-14
              - name: other
                image: 2001-12-14
        `,
        'binary.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: app}\nspec:\n  containers: [{name: c, image: !!binary Z2hjci5pby9BY21lL3dlYjox}]\n---\nkind: Pod\nmetadata: !!binary AA=\n',
      },
      errors: [
        // ghcr.io/Acme/web:1, decoded: upper case in the repository. (2001-12-14 is a valid reference: docker.io/library/2001-12-14.)
        { file: 'binary.yaml', line: 5, column: 42, message: 'container "c" of Pod app/b in namespace app: image "ghcr.io/Acme/web:1" is not a valid image reference' },
        { file: 'pod.yaml', line: 7, column: 23, message: 'container "web" of Pod app/web in namespace app: image "ghcr.io/Acme/web:1" is not a valid image reference' },
      ],
    },
    {
      name: 'an empty or missing image is rejected by the API server (Required value), not by the kubelet',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: web, namespace: app}
          spec:
            containers:
              - name: web
                image: ""
              - name: side
                command: [sleep, infinity]
        `,
      },
      errors: [
        { line: 7, column: 14, message: /API server/ },
        { line: 8, column: 7, message: /API server/ },
      ],
    },
    {
      name: 'init, ephemeral containers and a PodTemplate in a List',
      files: {
        'list.yaml': yaml`
          apiVersion: v1
          kind: List
          items:
            - apiVersion: v1
              kind: PodTemplate
              metadata: {name: tpl, namespace: app}
              template:
                spec:
                  initContainers:
                    - {name: init, image: "Init:1"}
                  containers:
                    - {name: app, image: "ghcr.io/acme/app:1"}
                  ephemeralContainers:
                    - {name: debug, image: "debug:-1"}
        `,
      },
      errors: [
        { line: 10, column: 33, message: 'init container "init" of PodTemplate app/tpl' },
        { line: 14, column: 34, message: 'ephemeral container "debug"' },
      ],
    },
  ],
})

describe('the image report of an image that is not a string', () => {
  it('keeps a list or an object apart from the string image of the same text, which stays classified', () => {
    const container = (name: string, image: string) => `\n          - name: ${name}\n            image: ${image}`
    const text = yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: app}
      spec:
        containers:` + container('good', 'ghcr.io/acme/app:1') + container('list', '[ghcr.io/acme/app:1]') + container('object', '{ref: ghcr.io/acme/app:1}') + '\n'
    const result = analyzeSources([{ path: 'pod.yaml', text }], caseOptions({ privateRegistries: ['ghcr.io/acme'] }))
    expect(result.images.map((i) => [i.image, i.classification, i.uses.map((u) => `${u.container}@${u.line}`)])).toEqual([
      ['["ghcr.io/acme/app:1"]', 'invalid', ['list@9']],
      ['ghcr.io/acme/app:1', 'private', ['good@7']],
      ['{"ref":"ghcr.io/acme/app:1"}', 'invalid', ['object@11']],
    ])
    expect(result.checkedImages).toBe(1)
  })
})
