// Discovery: globs with excludes, node_modules/.git always out, sorted, symlinks kept inside the root.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discover, walkOrder } from '../../src/source/discover.js'

let root: string
let outside: string

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-discover-'))
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pullcheck-outside-'))
  const write = (p: string, text = 'kind: ConfigMap\napiVersion: v1\n') => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true })
    fs.writeFileSync(path.join(root, p), text)
  }
  write('b/deploy.yaml')
  write('a/secret.yml')
  write('a/list.json', '{}')
  write('.hidden/x.yaml')
  write('node_modules/pkg/y.yaml')
  write('.git/z.yaml')
  write('vendor/skip.yaml')
  write('notes.txt')
  fs.writeFileSync(path.join(outside, 'secret.yaml'), 'kind: Secret\n')
  fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'escape.yaml'))
  fs.symlinkSync(path.join(root, 'b/deploy.yaml'), path.join(root, 'inside-link.yaml'))
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
  fs.rmSync(outside, { recursive: true, force: true })
})

describe('discover', () => {
  it('expands the default globs, sorted, without node_modules and .git', async () => {
    const { files } = await discover(['**/*.yaml', '**/*.yml', '**/*.json'], root)
    expect(files.map((f) => f.path)).toEqual(['.hidden/x.yaml', 'a/list.json', 'a/secret.yml', 'b/deploy.yaml', 'inside-link.yaml', 'vendor/skip.yaml'])
  })

  it('orders files as kubectl apply -R walks them: component by component, a directory where its name sorts', () => {
    const paths = ['sa.yaml', 'sa/old.yaml', 'sa-b.yaml', 'a/b/c.yaml', 'a.yaml', 'a/b.yaml', '../x/y.yaml']
    // filepath.Walk: "sa" < "sa-b.yaml" < "sa.yaml" as names, so sa/old.yaml comes first.
    expect(walkOrder(paths.map((p) => ({ path: p }))).map((f) => f.path)).toEqual(['../x/y.yaml', 'a/b/c.yaml', 'a/b.yaml', 'a.yaml', 'sa/old.yaml', 'sa-b.yaml', 'sa.yaml'])
  })

  it('applies !excludes', async () => {
    const { files } = await discover(['**/*.yaml', '!vendor/**', '!.hidden/**'], root)
    expect(files.map((f) => f.path)).toEqual(['b/deploy.yaml', 'inside-link.yaml'])
  })

  it('does not follow a symlink out of the working directory, and says so', async () => {
    const { files, skipped } = await discover(['*.yaml'], root)
    expect(files.map((f) => f.path)).toEqual(['inside-link.yaml'])
    expect(skipped).toEqual([{ path: 'escape.yaml', reason: expect.stringMatching(/outside the working directory/) }])
  })

  it('reads files named outside the working directory (a `../` path is not a symbolic link)', async () => {
    const sub = path.join(root, 'b')
    const { files, skipped } = await discover(['../a/**/*.yml', '../escape.yaml', '*.yaml'], sub)
    expect(files.map((f) => f.path)).toEqual(['../a/secret.yml', '../escape.yaml', 'deploy.yaml'])
    expect(skipped).toEqual([])
  })

  it('gives a file named by an absolute pattern inside the working directory its relative path, once', async () => {
    const { files } = await discover([`${root}/b/*.yaml`, 'b/*.yaml', `${root}/a/**/*.yml`], root)
    expect(files.map((f) => f.path)).toEqual(['a/secret.yml', 'b/deploy.yaml'])
    // Outside it, the path stays as named.
    const sub = path.join(root, 'b')
    expect((await discover([`${root}/a/*.yml`], sub)).files.map((f) => f.path)).toEqual([`${root}/a/secret.yml`])
  })

  it('names the include patterns that match no file, on the walk and on the glob paths', async () => {
    // The default form: walked.
    expect((await discover(['**/*.yaml', '**/*.yml', 'nowhere/**/*.json', 'a/**/*.json'], root)).unmatched).toEqual(['nowhere/**/*.json'])
    // With an exclude, or another form: globbed, one pattern at a time.
    const globbed = await discover(['**/*.yaml', 'vendor/*.yaml', 'a/*.{yml,json}', 'missing.yaml', '!vendor/**'], root)
    expect(globbed.unmatched).toEqual(['vendor/*.yaml', 'missing.yaml'])
    // vendor/*.yaml matches files, all excluded: not a typo; missing.yaml matches nothing at all.
    expect(globbed.excludedOnly).toEqual(['vendor/*.yaml'])
    expect(globbed.files.map((f) => f.path)).toEqual(['.hidden/x.yaml', 'a/list.json', 'a/secret.yml', 'b/deploy.yaml', 'inside-link.yaml'])
  })

  it('expands a pattern that names a directory as a directory argument: its manifests, or excluded, everything below it', async () => {
    const { files, unmatched } = await discover(['a', 'b/'], root)
    expect(files.map((f) => f.path)).toEqual(['a/list.json', 'a/secret.yml', 'b/deploy.yaml'])
    // Reported as written: `a` matched (though a/**/*.yaml did not).
    expect(unmatched).toEqual([])
    expect((await discover(['**/*.yaml', '!vendor', '!.hidden/'], root)).files.map((f) => f.path)).toEqual(['b/deploy.yaml', 'inside-link.yaml'])
    // The working directory itself, and a directory named by an absolute path.
    expect((await discover(['.', '!vendor'], root)).files.map((f) => f.path)).toEqual(['.hidden/x.yaml', 'a/list.json', 'a/secret.yml', 'b/deploy.yaml', 'inside-link.yaml'])
    expect((await discover([path.join(root, 'b')], root)).files.map((f) => f.path)).toEqual(['b/deploy.yaml'])
    // A directory without manifests matches nothing; one whose manifests are all excluded matched them.
    fs.mkdirSync(path.join(root, 'empty'), { recursive: true })
    const none = await discover(['empty', 'vendor', 'b', '!vendor/skip.yaml'], root)
    expect([none.unmatched, none.excludedOnly]).toEqual([['empty', 'vendor'], ['vendor']])
    // A directory or file whose name holds glob characters, named as it is (as on the command line).
    fs.mkdirSync(path.join(root, 'old (x)'), { recursive: true })
    fs.writeFileSync(path.join(root, 'old (x)/a[1].yaml'), 'kind: ConfigMap\n')
    expect((await discover(['old (x)'], root)).files.map((f) => f.path)).toEqual(['old (x)/a[1].yaml'])
    expect((await discover(['old (x)/a[1].yaml'], root)).files.map((f) => f.path)).toEqual(['old (x)/a[1].yaml'])
    fs.rmSync(path.join(root, 'old (x)'), { recursive: true })
    // A file keeps its own path; a pattern with glob characters is a glob.
    expect((await discover(['b/deploy.yaml', 'a/*.yml'], root)).files.map((f) => f.path)).toEqual(['a/secret.yml', 'b/deploy.yaml'])
  })

  it('reads excludes alone as the default globs minus those', async () => {
    const { files } = await discover(['!vendor/**', '!.hidden'], root)
    expect(files.map((f) => f.path)).toEqual(['a/list.json', 'a/secret.yml', 'b/deploy.yaml', 'inside-link.yaml'])
  })
})
