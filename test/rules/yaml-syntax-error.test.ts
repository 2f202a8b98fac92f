// yaml-syntax-error: a file or document that cannot be parsed, reported where the parser stopped.
import { describe, expect, it } from 'vitest'
import { analyzeSources } from '../../src/analyze.js'
import { defaultOptions } from '../../src/options.js'
import { ruleTester, runCase, yaml } from './tester.js'

/** Rendered output with a real indentation error (line 13) and a Prometheus {{ }} string. */
const BROKEN_PROMETHEUS_RULE = yaml`
  apiVersion: monitoring.coreos.com/v1
  kind: PrometheusRule
  metadata:
    name: node
    namespace: monitoring
  spec:
    groups:
      - name: node
        rules:
          - alert: NodeDown
            annotations:
              summary: "{{ $labels.instance }} is down"
             description: bad indentation
`

const SERVICE_ACCOUNT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: app}\n'

/** A Pod whose spec nests `depth` flow sequences on line 4 (a kind pullcheck reads). */
function nested(depth: number): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: deep, namespace: app}\nspec: {x: ${'['.repeat(depth)}${']'.repeat(depth)}}\n`
}

/** Ten aliases of ten aliases of … : 10^8 nodes once expanded, from a few hundred bytes. */
function aliasBomb(): string {
  let s = 'apiVersion: v1\nkind: Pod\nmetadata: {name: bomb, namespace: app}\nspec:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
  for (let i = 1; i < 8; i++) s += `  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`
  return s
}

ruleTester('yaml-syntax-error', {
  valid: [
    {
      // Every `helm create` chart: unrendered-template says it (YAML reads the marker as a mapping).
      name: 'a ServiceAccount name that is an unrendered template marker',
      files: { 'a.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\nspec:\n  template:\n    spec:\n      serviceAccountName: {{ include "x.serviceAccountName" . }}\n      containers: [{name: c, image: ghcr.io/a/b:1}]\n' },
    },
    {
      // goyaml.v2 (kubectl's YAML decoder) and Go's JSON decoder keep a key's last value: kubectl applies the file.
      name: 'a key written twice (a Helm template that sets a field twice), in YAML and in JSON',
      files: {
        'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      image: nginx:1.27\n',
        'pod.json': '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j", "namespace": "app"}, "spec": {"containers": [{"name": "c", "image": "x", "image": "nginx:1.27"}]}}\n',
      },
    },
    { name: 'fixture: anchors, merge keys, flow collections, block scalars holding ---, empty documents, ...', files: 'passes.yaml' },
    { name: 'fixture JSON', files: 'passes.json' },
    {
      name: 'JSON objects one after another, as kubectl reads them (and YAML after the first one)',
      files: {
        'sa.json': '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a", "namespace": "app"}}{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "b", "namespace": "app"}}\n',
        'mixed.yaml': '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "c", "namespace": "app"}}\n' + SERVICE_ACCOUNT,
      },
    },
    { name: 'CRLF line ends', files: { 'sa.yaml': SERVICE_ACCOUNT.replace(/\n/g, '\r\n') } },
    { name: 'a byte-order mark', files: { 'sa.yaml': '\ufeff' + SERVICE_ACCOUNT } },
    { name: 'a separator followed by a comment or white space', files: { 'sa.yaml': '--- # first\n' + SERVICE_ACCOUNT + '---   \t\n' + SERVICE_ACCOUNT.replace('name: ', 'name: x') } },
    // kubectl reads a file that opens with { with Go's JSON decoder, which takes DEL and C1 characters in strings.
    { name: 'DEL in a string of a JSON file', files: { 'cm.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a\u007fb", "namespace": "app"}}\n' } },
    { name: 'nesting up to the depth limit', files: { 'deep.yaml': nested(90) } },
    { name: 'a %YAML directive before the first ---', files: { 'sa.yaml': '%YAML 1.2\n---\n' + SERVICE_ACCOUNT } },
    { name: 'a file of comments only', files: { 'empty.yaml': '# rendered nothing for this environment\n' } },
    {
      name: 'suppressed by a comment on the line before the error',
      files: {
        'vendor.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: x
          # pullcheck-ignore yaml-syntax-error: vendored upstream file, fixed in the next release
             namespace: y
        `,
      },
      suppressed: [{ line: 6, column: 4 }],
    },
  ],
  invalid: [
    {
      name: 'fixture: bad indentation, a tab, text after a flow mapping, an unclosed quote; the good documents around them',
      files: 'fires.yaml',
      errors: [
        { line: 20, column: 17, endLine: 20, endColumn: 18, severity: 'error', message: /^fires\.yaml: bad indentation of a mapping entry; fix the file so it parses/ },
        { line: 26, column: 1, message: 'a tab where YAML takes only spaces (in the indentation, or after "- "): kubectl refuses it ("found character that cannot start any token")' },
        { line: 33, column: 22, message: 'bad indentation of a mapping entry' },
        { line: 43, column: 1, message: 'unexpected end of the stream within a double quoted scalar' },
      ],
    },
    {
      // At the end of the last line, not after the final line break, on a line GitHub does not show.
      name: 'fixture JSON: a truncated object',
      files: 'fires-truncated.json',
      errors: [{ line: 4, column: 51, endLine: 4, endColumn: 51, message: 'unexpected end of the stream within a flow collection' }],
    },
    {
      // Columns count UTF-16 units (SARIF utf16CodeUnits): the emoji after the closed quote is two.
      name: 'an error at an emoji: the range covers the whole character, not half of it',
      files: { 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    k: "a" \u{1F600}x\n' },
      errors: [{ line: 6, column: 12, endLine: 6, endColumn: 14 }],
    },
    {
      name: 'an unclosed quote at the end of a CRLF file: at the end of its last line',
      files: { 'pod.yaml': 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: "x\r\n' },
      errors: [{ line: 4, column: 11, endLine: 4, endColumn: 11, message: 'unexpected end of the stream within a double quoted scalar' }],
    },
    {
      name: 'CRLF line ends keep the line and column right',
      files: { 'pod.yaml': 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: x\r\n   namespace: y\r\n' },
      errors: [{ line: 5, column: 13 }],
    },
    {
      // goyaml's reader refuses them anywhere (comments and quoted strings too), js-yaml only in some scalars (a positions audit).
      name: 'a control character in a comment, a quoted string or a block scalar of an object pullcheck reads: at the character',
      files: {
        'a.yaml':
          'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: app}  # a\u0007b\n---\n' +
          'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: b, namespace: app, labels: {x: "a\u007fb"}}\n---\n' +
          'apiVersion: v1\nkind: Secret\nmetadata: {name: c, namespace: app}\nstringData:\n  x: |\n    text\u0090\n---\n' +
          'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  containers:\n    - name: c\n      image: ghcr.io/a/b:1\u000c\n',
      },
      errors: [
        { line: 3, column: 41, message: 'a.yaml: a control character (U+0007) where YAML allows none: kubectl refuses the document ("control characters are not allowed"); remove it, or write it as an escape in a double-quoted string' },
        { line: 7, column: 51, message: 'a control character (U+007F)' },
        { line: 14, column: 9, message: 'a control character (U+0090)' },
        { line: 22, column: 27, message: 'a control character (U+000C)' },
      ],
    },
    {
      // apimachinery's YAMLReader: a line that starts with --- is a separator, and only a comment may follow it.
      name: 'a --- line with more than a comment after it: kubectl stops reading the file there (a positions audit)',
      files: {
        'a.yaml': SERVICE_ACCOUNT + '---foo\n' + SERVICE_ACCOUNT,
        // A comment line kubectl takes for a separator: the documents around it are read.
        'c.yaml': SERVICE_ACCOUNT + '---# next\n' + SERVICE_ACCOUNT.replace('name: web', 'name: other'),
        'b.yaml': '--- !!map\n' + SERVICE_ACCOUNT,
      },
      errors: [
        { file: 'a.yaml', line: 4, column: 1, message: 'a.yaml: invalid document separator: kubectl takes a line that starts with --- for one, and allows only a comment after it ("invalid Yaml document separator: foo"); it reads nothing of the file from here; write --- alone on its line (a comment may follow it), and the content on the next line.' },
        { file: 'b.yaml', line: 1, column: 1, message: '("invalid Yaml document separator: !!map")' },
      ],
    },
    {
      // kubectl splits at --- lines only and reads the first document of each piece (a positions audit).
      name: 'a document after ... and before the next ---: kubectl never applies it; the documents around it are read',
      files: {
        'a.yaml': SERVICE_ACCOUNT + '...\n# the next one\n' + SERVICE_ACCOUNT.replace('name: web', 'name: lost') + '...\n%YAML 1.2\n---\n' + SERVICE_ACCOUNT.replace('name: web', 'name: kept') + '...\n\n',
      },
      errors: [
        {
          line: 6,
          column: 1,
          message:
            'a.yaml: kubectl never applies this document: after a "..." line, another document starts only at a "---" line (kubectl splits the file at --- lines, reads the first document of each piece and drops the rest without a word); write a --- line before it.',
        },
      ],
    },
    {
      name: 'an alias to an anchor of another document',
      files: { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: app, labels: &l {x: y}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: app, labels: *l}\n' },
      errors: [{ line: 7, column: 47, message: 'unidentified alias (a value that starts with * names an anchor: quote it if it is a plain value)' }],
    },
    {
      // sigs.k8s.io/yaml (goyaml.v2) reads `no` as false, and ObjectMeta's string fields refuse it.
      name: 'an object whose name or namespace YAML reads as a number or a boolean: kubectl cannot decode it; the others are read',
      files: {
        'a.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: no}\n---\n' +
          'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: 42\n---\n' +
          'apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n',
      },
      errors: [
        { line: 3, column: 38, endColumn: 40, message: 'a.yaml: metadata.namespace is the boolean false (YAML reads no as one), not a string, so kubectl cannot decode the Secret and it never exists; quote it: namespace: "no".' },
        { line: 11, column: 13, endColumn: 15, message: 'a.yaml: metadata.name is the number 42, not a string, so kubectl cannot decode the Pod and it never exists; quote it: name: "42".' },
      ],
    },
    {
      // PodSpec.serviceAccountName is a string: the API server cannot decode YAML's yes or a number (a semantics audit).
      name: 'a ServiceAccount name that YAML reads as a boolean or a number: the API server cannot decode the workload',
      files: {
        'a.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\nspec:\n  template:\n    spec:\n      serviceAccountName: yes\n      containers: [{name: c, image: ghcr.io/a/b:1}]\n---\n' +
          'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  serviceAccount: 123\n  containers: [{name: c, image: ghcr.io/a/b:1}]\n',
      },
      errors: [
        { line: 7, column: 27, endColumn: 30, message: 'a.yaml: spec.template.spec.serviceAccountName is the boolean true (YAML reads yes as one), not a string, so the API server cannot decode the Deployment and it never exists; quote it: serviceAccountName: "yes".' },
        { line: 14, column: 19, endColumn: 22, message: 'a.yaml: spec.serviceAccount is the number 123, not a string, so the API server cannot decode the Pod and it never exists; quote it: serviceAccount: "123".' },
      ],
    },
    {
      // Decoding into []Container fails: the object never exists, and its images were never read as images (a scenario audit).
      name: 'a container list written as a mapping, or holding a string, in a built-in workload: kubectl cannot decode it; a custom resource is left alone',
      files: {
        'a.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\nspec:\n  template:\n    spec:\n      containers:\n        name: web\n        image: ghcr.io/acme/web:1\n---\n' +
          'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: job, namespace: app}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers: [nginx]\n          containers: [{name: c, image: busybox}]\n---\n' +
          'apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: custom, namespace: app}\nspec:\n  template:\n    spec:\n      containers: {name: x}\n',
      },
      errors: [
        { line: 8, column: 9, message: 'a.yaml: spec.template.spec.containers is a mapping, not a list, so kubectl cannot decode the Deployment and it never exists; write the containers as a list of mappings (- name: … image: …).' },
        { line: 19, column: 28, message: 'a.yaml: spec.jobTemplate.spec.template.spec.initContainers[0] is a string, not a mapping, so kubectl cannot decode the CronJob and it never exists; write the container as a mapping (name: …, image: …).' },
      ],
    },
    {
      // An unquoted password that starts with * or ! is an alias or a tag to YAML: never quoted back.
      name: 'an alias or tag name is not quoted in the message (an unquoted password can become one)',
      files: {
        'a.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  password: *Zq8secretPw\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\nstringData:\n  password: !Zq8secretTag\n',
      },
      errors: [
        { line: 5, column: 25, message: 'a.yaml: unidentified alias (a value that starts with * names an anchor: quote it if it is a plain value); fix the file so it parses (kubectl would reject it too).' },
        { line: 11, column: 26, message: 'a.yaml: unknown tag (a value that starts with ! is a tag: quote it if it is a plain value); fix the file so it parses (kubectl would reject it too).' },
      ],
    },
    {
      // goyaml.v2: "!!binary value contains invalid base64 data"; a timestamp tag on text that is none cannot be decoded.
      name: 'a !!binary value that is not base64, a !!timestamp value that is no timestamp: their documents fail, the others are read',
      files: {
        'a.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: app}\nspec:\n  containers: [{name: c, image: !!binary aGVsbG8}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: app}\nspec:\n  containers: [{name: c, image: !!timestamp tomorrow}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: app}\nspec:\n  containers: [{name: c, image: !!binary aGVsbG8=}]\n',
        // goyaml's timestamp forms: one-digit months and days are read; a zone after a space is not (its "notable exception").
        'b.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: d, namespace: app}\nspec:\n  containers: [{name: c, image: !!timestamp 2024-1-2}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: e, namespace: app}\nspec:\n  containers: [{name: c, image: !!timestamp "2001-12-14 21:59:43.10 -5"}]\n',
      },
      errors: [
        { file: 'a.yaml', line: 5, column: 49, message: 'a.yaml: !!binary value contains invalid base64 data; fix the file so it parses (kubectl would reject it too).' },
        { file: 'a.yaml', line: 11, column: 53, message: 'a.yaml: a !!timestamp value that is not a timestamp (drop the tag); fix the file so it parses (kubectl would reject it too).' },
        { file: 'b.yaml', line: 11, column: 72, message: 'b.yaml: a !!timestamp value that is not a timestamp (drop the tag)' },
      ],
    },
    {
      name: 'a binary file',
      files: { 'image.yaml': 'apiVersion: v1\u0000\u0001\u0002' },
      errors: [{ line: 1, column: 1, message: 'binary file' }],
    },
    {
      name: 'bytes that are not UTF-8 (a Latin-1 comment, a cut character): their documents, at the byte; the others are read',
      files: {
        'latin1.yaml': Buffer.concat([
          Buffer.from('# Configuraci'),
          Buffer.from([0xf3]),
          Buffer.from('n\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n---\n# \u20ac \ufffd are UTF-8\nkind: Pod\nmetadata: {name: c'),
          Buffer.from([0xc3]),
          Buffer.from('}\n'),
        ]),
        // kubectl reads a JSON stream with Go's JSON decoder, which takes such bytes as U+FFFD.
        'latin1.json': Buffer.concat([Buffer.from('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j'), Buffer.from([0xe9]), Buffer.from('"}}\n')]),
      },
      errors: [
        { file: 'latin1.yaml', line: 1, column: 14, message: 'invalid UTF-8: byte 0xF3 is not part of a UTF-8 character (save the file as UTF-8)' },
        { file: 'latin1.yaml', line: 12, column: 19, message: 'byte 0xC3' },
      ],
    },
    {
      name: 'a recursive alias (inside the value its anchor names) is refused at the alias, as goyaml does, in any kind; the next document is read',
      files: {
        'cycle.yaml':
          'apiVersion: v1\nkind: List\nitems: &x\n  - {apiVersion: v1, kind: List, items: *x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec: &s\n  containers:\n    - {name: c, image: nginx, env: [*s]}\n',
        // A kind whose documents are read from their top-level lines only.
        'skipped-kind.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: cm\n  labels: {a: *m}\ndata: {}\n',
      },
      errors: [
        { file: 'cycle.yaml', line: 4, column: 41, message: 'an alias is inside the value its anchor names' },
        { file: 'cycle.yaml', line: 11, column: 37, message: 'an alias is inside' },
        { file: 'skipped-kind.yaml', line: 5, column: 15, message: 'an alias is inside' },
      ],
    },
    {
      // apimachinery's YAMLOrJSONDecoder: JSON values one after another, until one does not parse.
      name: 'a stream of JSON objects that breaks off after two: at the value that does not parse',
      files: {
        'pods.json':
          '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a", "namespace": "app"}}\n' +
          '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "b", "namespace": "app"}}\n' +
          '  {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "c", "namespace": "app"},}\n',
      },
      errors: [{ line: 3, column: 3, message: /^pods\.json: invalid JSON after 2 JSON objects: this JSON value does not parse\. A file whose first character is "\{" is read by kubectl as a stream of JSON values/ }],
    },
    {
      name: 'an alias bomb is refused, not expanded',
      files: { 'bomb.yaml': aliasBomb() },
      errors: [{ line: 1, column: 1, message: 'excessive aliasing' }],
    },
    {
      name: 'nesting deeper than the limit',
      files: { 'deep.yaml': nested(120) },
      errors: [{ line: 4, column: 109, message: 'maxDepth' }],
    },
    {
      name: 'a real error in rendered output is not mistaken for a template because a string holds {{ }}',
      files: { 'rules.yaml': BROKEN_PROMETHEUS_RULE },
      errors: [{ line: 13, column: 12, message: 'bad indentation' }],
    },
    {
      name: 'a comment without a reason does not suppress',
      files: { 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n# pullcheck-ignore yaml-syntax-error\n   namespace: y\n' },
      errors: [{ line: 6, column: 4, message: 'gives no reason' }],
    },
  ],
})

describe('yaml-syntax-error: the rest of the file is still checked', () => {
  it('reports the private image of a good document after a broken one', () => {
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: broken
         namespace: app
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: app}
      spec:
        containers: [{name: web, image: ghcr.io/acme/web:1.0}]
    `
    const { all } = runCase('yaml-syntax-error', { files: { 'mixed.yaml': text }, options: { privateRegistries: ['ghcr.io'] } })
    const summary = all.map((f) => `${f.ruleId}@${f.location.range.start.line}:${f.location.range.start.column}`).sort()
    expect(summary).toEqual(['no-pull-secret@11:35', 'yaml-syntax-error@5:13'])
  })
})

describe('a key written twice', () => {
  it('keeps its last value and that value’s position, in YAML (the slow parser) and in JSON', () => {
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: app}\nspec:\n  containers:\n    - name: c\n      image: ghcr.io/acme/b:1\n      image: ghcr.io/acme/c:1\n`
    const json = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j", "namespace": "app"}, "spec": {"containers": [{"name": "c", "image": "x", "image": "ghcr.io/acme/c:1"}]}}\n'
    const result = analyzeSources(
      [
        { path: 'pod.yaml', text: pod('p') },
        { path: 'pod.json', text: json },
      ],
      { ...defaultOptions('/virtual'), privateRegistries: ['ghcr.io/acme'] },
    )
    const found = result.findings.filter((f) => f.ruleId === 'no-pull-secret').map((f) => [f.location.file, f.image, f.location.range.start.line, f.location.range.start.column])
    expect(found).toEqual([
      ['pod.yaml', 'ghcr.io/acme/c:1', 8, 14],
      ['pod.json', 'ghcr.io/acme/c:1', 1, json.indexOf('"ghcr.io/acme/c:1"') + 1],
    ])
  })
})
