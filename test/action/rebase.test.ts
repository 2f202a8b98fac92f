// The action's paths: relative to the workspace, normalised, whatever the working directory.
import { describe, expect, it } from 'vitest'
import type { AnalyzeResult, Finding } from '../../src/findings/types.js'
import { rebaseResult, workspacePrefix } from '../../src/main.js'

function result(files: string[]): AnalyzeResult {
  const finding = (file: string): Finding => ({
    ruleId: 'no-pull-secret',
    severity: 'error',
    message: 'm',
    location: { file, range: { start: { line: 3, column: 5 }, end: { line: 3, column: 9 } } },
    related: [{ message: 'r', location: { file, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } } }],
    fingerprint: file,
  })
  return {
    findings: files.map(finding),
    images: [{ image: 'a', repository: 'docker.io/library/a', classification: 'public', reason: 'r', uses: files.map((file) => ({ file, line: 1, workload: { kind: 'Pod', name: 'p' }, container: 'c' })) }],
    files: files.map((file) => ({ file, status: 'parsed', documents: 1, resources: 1, nonKubernetes: 0 })),
    assumptions: [],
  } as unknown as AnalyzeResult
}

describe('rebaseResult', () => {
  it('prefixes the working directory and resolves ../ (files the globs reach outside it)', () => {
    const out = rebaseResult(result(['x.yaml', '../extra/y.yaml', './z.yaml', '/abs/outside.yaml', '/ws/other/w.yaml']), workspacePrefix('/ws', '/ws/deploy/rendered'), '/ws')
    // An absolute pattern inside the workspace (`${{ github.workspace }}/other/*.yaml`) gives a relative path.
    const expected = ['deploy/rendered/x.yaml', 'deploy/extra/y.yaml', 'deploy/rendered/z.yaml', '/abs/outside.yaml', 'other/w.yaml']
    expect(out.findings.map((f) => f.location.file)).toEqual(expected)
    expect(out.findings.map((f) => f.related[0].location.file)).toEqual(expected)
    expect(out.images[0].uses.map((u) => u.file)).toEqual(expected)
    expect(out.files.map((f) => f.file)).toEqual(expected)
  })

  it('rebases the file paths that messages and assumptions name, and only those', () => {
    const r = result(['x.yaml', 'sub/y.yaml'])
    r.findings[0].message = 'x.yaml: bad indentation of a mapping entry; fix the file so it parses (kubectl would reject it too).'
    r.findings[1].message = 'sub/y.yaml still contains Helm/Go template markers ({{ … }}); image: x.yaml:1 is not a path here, nor is y.yaml: a path'
    // An object whose namespace/name spells a file's path (Pod sub/y.yaml) is no path.
    r.findings[1].related[0].message = 'Pod sub/y.yaml (namespace sub) lists it, as Pod x.yaml does'
    r.assumptions = ['Secret app/s is declared 2 times with different content (x.yaml:3, sub/y.yaml:7); sub/y.yaml:7 is used, as kubectl apply -f leaves it.']
    const out = rebaseResult(r, workspacePrefix('/ws', '/ws/deploy'), '/ws')
    expect(out.findings.map((f) => f.message)).toEqual([
      'deploy/x.yaml: bad indentation of a mapping entry; fix the file so it parses (kubectl would reject it too).',
      'deploy/sub/y.yaml still contains Helm/Go template markers ({{ … }}); image: deploy/x.yaml:1 is not a path here, nor is y.yaml: a path',
    ])
    expect(out.findings[1].related[0].message).toBe('Pod sub/y.yaml (namespace sub) lists it, as Pod x.yaml does')
    expect(out.assumptions).toEqual(['Secret app/s is declared 2 times with different content (deploy/x.yaml:3, deploy/sub/y.yaml:7); deploy/sub/y.yaml:7 is used, as kubectl apply -f leaves it.'])
    // The fingerprints are those the analysis made (stable across working directories' rebasing).
    expect(out.findings.map((f) => f.fingerprint)).toEqual(['x.yaml', 'sub/y.yaml'])
  })

  it('leaves the result alone when the working directory is the workspace', () => {
    const r = result(['../x.yaml'])
    expect(rebaseResult(r, workspacePrefix('/ws', '/ws'))).toBe(r)
  })
})
