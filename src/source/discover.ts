// File discovery: the manifests globs, `!` excludes, node_modules/.git always out, sorted.
import fs from 'node:fs'
import path from 'node:path'
import type { GlobOptions } from 'glob'
import { DEFAULT_MANIFESTS } from '../options.js'
import { displayPath } from '../paths.js'

export interface DiscoveredFile {
  /** Relative to the working directory, POSIX separators. */
  path: string
  absolute: string
}

export interface SkippedFile {
  path: string
  reason: string
}

const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**']

export function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

/**
 * Expands the globs relative to `root`. A symlink inside `root` whose target lies outside it is
 * not read (it is returned in `skipped`, so nothing is dropped silently); files named outside
 * `root` (`../x/**\/*.yaml`) are read, with paths relative to `root` (`../x/a.yaml`).
 */
export async function discover(
  patterns: string[],
  root: string,
  excludeFiles: string[] = [],
): Promise<{ files: DiscoveredFile[]; skipped: SkippedFile[]; unmatched: string[]; excludedOnly: string[] }> {
  // Excludes alone (`!vendor`) narrow the default globs, as they do on the command line.
  if (patterns.length > 0 && patterns.every((p) => p.startsWith('!'))) patterns = [...DEFAULT_MANIFESTS, ...patterns]
  const expanded = expandDirectories(patterns, root)
  if (expanded.size === 0) return discoverGlobs(patterns, root, excludeFiles)
  // Reported by the patterns as given: a directory matches nothing when none of its globs does.
  const result = await discoverGlobs([...patterns.flatMap((p) => expanded.get(p) ?? [p])], root, excludeFiles)
  const unmatched = new Set(result.unmatched)
  const excludedOnly = new Set(result.excludedOnly)
  const given = (list: Set<string>, every: (globs: string[]) => boolean) =>
    patterns.filter((p) => (expanded.has(p) ? every(expanded.get(p)!) : list.has(p)))
  return {
    ...result,
    unmatched: given(unmatched, (globs) => globs.every((g) => unmatched.has(g))),
    excludedOnly: given(excludedOnly, (globs) => globs.every((g) => unmatched.has(g)) && globs.some((g) => excludedOnly.has(g))),
  }
}

/**
 * The patterns that name a directory or a file on disk (`rendered`, `k8s/`, `!vendor`), each with
 * the globs it stands for, as on the command line (pathGlobs): a directory's manifests, or,
 * excluded, everything below it; a file whose name holds glob characters, itself. Written as it
 * is, a directory pattern would match no file, and nothing would be checked.
 */
function expandDirectories(patterns: readonly string[], root: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const p of patterns) {
    const negated = p.startsWith('!')
    const body = negated ? p.slice(1) : p
    if (body === '') continue
    const absolute = path.resolve(root, body)
    let directory: boolean
    try {
      directory = fs.statSync(absolute).isDirectory()
    } catch {
      continue // a glob
    }
    const relative = toPosix(path.relative(path.resolve(root), absolute))
    const globs = pathGlobs(relative, directory ? 'directory' : 'file', negated)
    if (directory || globs[0] !== p) out.set(p, globs)
  }
  return out
}

/**
 * The globs a file or directory stands for (relative to the working directory, POSIX): the file
 * itself; a directory's manifests (`d/**\/*.yaml`, `*.yml`, `*.json`), or, excluded, everything
 * below it (`!d/**`). Its name is written as a glob that matches only itself (literal).
 */
export function pathGlobs(relative: string, kind: 'file' | 'directory', negated: boolean): string[] {
  if (kind === 'file') return [`${negated ? '!' : ''}${literal(relative)}`]
  const prefix = relative === '' ? '' : `${literal(relative)}/`
  return negated ? [`!${prefix}**`] : DEFAULT_MANIFESTS.map((g) => `${prefix}${g}`)
}

/**
 * A literal path as a glob that matches only itself: every character that glob or its brace
 * expansion reads is escaped with a backslash, and so is a leading `#` (a comment) or `!` (a
 * negation, which discover() would take for an exclude). glob's own `escape` with
 * windowsPathsNoEscape wraps them in brackets, which brace expansion does not respect (`x{a,b}.yaml`
 * matched `xa.yaml`) and which cannot hold a backslash; discover() never sets windowsPathsNoEscape,
 * and the path is in POSIX form, so a backslash is always an escape. Written out, the CLI does not
 * load glob at start-up.
 */
function literal(p: string): string {
  const e = p.replace(/[?*()[\]\\{}]/g, '\\$&')
  return e.startsWith('#') || e.startsWith('!') ? `\\${e}` : e
}

async function discoverGlobs(
  patterns: string[],
  root: string,
  excludeFiles: string[],
): Promise<{ files: DiscoveredFile[]; skipped: SkippedFile[]; unmatched: string[]; excludedOnly: string[] }> {
  const include = patterns.filter((p) => !p.startsWith('!'))
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))
  const realRoot = fs.realpathSync(root)
  // Each found path, and its real path when it is known without asking the file system.
  let found: { rel: string; real?: string }[]
  // The include patterns that match no file (after the excludes), for the front ends to report,
  // and those of them that match files, all excluded (not a typo).
  const unmatched: string[] = []
  const excludedOnly: string[] = []
  const unreadable: SkippedFile[] = []
  const walked = exclude.length === 0 ? walkDefaultGlobs(include, root, unreadable) : undefined
  if (walked) {
    found = walked
    for (const p of include) {
      const [, base, ext] = DEFAULT_FORM.exec(p)!
      if (!walked.some((f) => f.rel.startsWith(base) && f.rel.endsWith(`.${ext}`))) unmatched.push(p)
    }
  } else {
    // One pattern at a time, to know which match nothing; the file system is read once (one cache).
    // glob is loaded only here: the walk above serves the default patterns without it.
    const { Glob } = await import('glob')
    const options: GlobOptions = { cwd: root, dot: true, nodir: true, follow: false, ignore: [...ALWAYS_IGNORED, ...exclude], posix: true }
    found = []
    for (const p of include) {
      const g = new Glob(p, options)
      options.scurry = g.scurry
      const paths = (await g.walk()) as string[]
      if (paths.length === 0) {
        unmatched.push(p)
        if (exclude.length > 0 && (await new Glob(p, { ...options, ignore: ALWAYS_IGNORED, scurry: g.scurry }).walk()).length > 0) excludedOnly.push(p)
      }
      for (const rel of paths) found.push({ rel })
    }
    if (options.scurry) unreadable.push(...(await linkedOutside(options.scurry, root, realRoot, include, exclude)))
  }
  const excluded = new Set(excludeFiles.map((f) => path.resolve(f)))
  const files: DiscoveredFile[] = []
  // Directories the walk could not read, also when it then left the patterns to glob (which skips them).
  const skipped: SkippedFile[] = [...unreadable]
  const seen = new Set<string>()
  for (const f of found) {
    // A pattern written as an absolute path inside the directory (`${{ github.workspace }}/…`)
    // names the same files as a relative one: one identity, relative, as annotations need it.
    const rel = toPosix(path.normalize(path.isAbsolute(f.rel) ? displayPath(f.rel, root) : f.rel))
    if (seen.has(rel)) continue
    seen.add(rel)
    const absolute = path.resolve(root, rel)
    if (excluded.has(absolute)) continue
    let real = f.real
    if (real === undefined) {
      try {
        real = fs.realpathSync(absolute)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        const reason = code === 'ENOENT' || code === 'ELOOP' ? 'broken symbolic link' : `its path cannot be resolved (${code ?? 'error'}: a directory on it without permission?)`
        skipped.push({ path: rel, reason })
        continue
      }
    }
    // Only a path inside the root can escape it through a symbolic link; a path named outside it
    // (`pullcheck ../other`, a `../` glob) was asked for as it is.
    if (real !== realRoot && !real.startsWith(realRoot + path.sep) && !namedOutside(root, absolute)) {
      skipped.push({ path: rel, reason: 'symbolic link to a file outside the working directory (not followed)' })
      continue
    }
    files.push({ path: rel, absolute })
  }
  walkOrder(files)
  walkOrder(skipped)
  return { files, skipped, unmatched, excludedOnly }
}

/**
 * Symbolic links to directories outside the working directory that a pattern's `**` would have
 * descended into: glob does not follow them (follow: false), so their files would vanish without a
 * word. A link that a pattern names (`link/*.yaml`) is followed by glob, and then its files are
 * skipped one by one as links out of the directory: not listed again here.
 */
async function linkedOutside(
  scurry: NonNullable<GlobOptions['scurry']>,
  root: string,
  realRoot: string,
  include: string[],
  exclude: string[],
): Promise<SkippedFile[]> {
  // Only `**` leaves symbolic links alone: glob follows one that a plain segment names.
  const deep = include.filter((p) => p.includes('**'))
  if (deep.length === 0) return []
  const { Minimatch } = await import('minimatch')
  const includes = deep.map((p) => new Minimatch(p, { dot: true }))
  const excludes = exclude.map((p) => new Minimatch(p, { dot: true }))
  const reached = (rel: string) => includes.some((m) => m.match(rel, true))
  // Only the directories a `**` pattern can reach (glob has read most of them already).
  const links = scurry
    .walkSync(path.resolve(root), { follow: false, walkFilter: (e) => e.name !== 'node_modules' && e.name !== '.git' && reached(e.relativePosix()) })
    .filter((e) => e.isSymbolicLink())
  const out: SkippedFile[] = []
  for (const link of links) {
    const rel = link.relativePosix()
    let real: string
    try {
      real = fs.realpathSync(link.fullpath())
      if (!fs.statSync(real).isDirectory()) continue
    } catch {
      continue // a broken link: no files below it to lose
    }
    if (real === realRoot || real.startsWith(realRoot + path.sep)) continue // its files are read where they are
    // Said even when glob entered it by a plain segment (`deploy/**` reaches `deploy/out/*.yaml`
    // through it, not `deploy/out/sub/…`): whatever it read there is skipped file by file too.
    if (!reached(rel) || excludes.some((m) => m.match(rel) || m.match(`${rel}/x.yaml`))) continue
    out.push({ path: rel, reason: 'symbolic link to a directory outside the working directory (not followed)' })
  }
  return out
}

/** Whether `absolute` lies outside `root` by its path alone (symbolic links not resolved). */
function namedOutside(root: string, absolute: string): boolean {
  const rel = path.relative(path.resolve(root), absolute)
  return rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)
}

/** `<plain directory/>**\/*.<ext>`: the default globs, and what a directory argument expands to. */
const DEFAULT_FORM = /^((?:[^*?[\]{}()!+@\\/]+\/)*)\*\*\/\*\.(yaml|yml|json)$/

/**
 * The files the default form of globs matches, found by walking the directories (glob, with its
 * matching machinery, costs several times more on large trees), or undefined when a pattern has
 * another form or the tree holds a symbolic link (glob's rules for those are left to glob). Same
 * results as glob with the options above: dot files and directories included, node_modules and
 * .git left out, any other entry whose name ends with the extension returned. Without symbolic
 * links a file's real path is its directory's real path and its name: no realpath per file.
 */
function walkDefaultGlobs(include: string[], root: string, unreadable: SkippedFile[]): { rel: string; real?: string }[] | undefined {
  const byBase = new Map<string, Set<string>>()
  for (const p of include) {
    const m = DEFAULT_FORM.exec(p)
    if (!m) return undefined
    const base = m[1]
    if (base.split('/').some((seg) => seg === '.' || seg === '..')) return undefined
    const exts = byBase.get(base) ?? new Set<string>()
    exts.add(m[2])
    byBase.set(base, exts)
  }
  const out: { rel: string; real?: string }[] = []
  for (const [base, exts] of byBase) {
    // glob's ignore patterns drop everything below node_modules and .git, wherever they are.
    if (base.split('/').some((seg) => seg === 'node_modules' || seg === '.git')) continue
    const absBase = path.resolve(root, base === '' ? '.' : base)
    let realBase: string
    try {
      realBase = fs.realpathSync(absBase)
    } catch {
      continue
    }
    if (path.resolve(root) !== fs.realpathSync(root) || realBase !== absBase) return undefined
    if (!walkDirectory(absBase, base, exts, out, unreadable)) return undefined
  }
  return out
}

/**
 * False when the walk met a symbolic link. A directory that cannot be listed (no permission) is
 * recorded in `unreadable`: its manifests would otherwise vanish without a word.
 */
function walkDirectory(abs: string, rel: string, exts: Set<string>, out: { rel: string; real?: string }[], unreadable: SkippedFile[]): boolean {
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(abs, { withFileTypes: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable.push({ path: rel === '' ? '.' : rel.slice(0, -1), reason: `directory cannot be read (${code ?? 'error'}); its files were not checked` })
    return true
  }
  for (const e of entries) {
    const name = e.name
    if (e.isSymbolicLink()) return false
    if (e.isDirectory()) {
      if (name !== 'node_modules' && name !== '.git' && !walkDirectory(path.join(abs, name), `${rel}${name}/`, exts, out, unreadable)) return false
      continue
    }
    const dot = name.lastIndexOf('.')
    if (dot !== -1 && exts.has(name.slice(dot + 1))) out.push({ rel: rel + name, real: path.join(abs, name) })
  }
  return true
}

/**
 * The order `kubectl apply -R -f` reads files in (Go's filepath.Walk: each directory's entries by
 * name, a directory's files where its name sorts): path component by component, so `sa/old.yaml`
 * comes before `sa.yaml` (a plain string order puts `.` before `/`). Where an object is declared
 * twice, the last one read is the one kubectl leaves. Sorts the list in place and returns it.
 */
export function walkOrder<T extends { path: string }>(list: T[]): T[] {
  const parts = new Map(list.map((item) => [item, item.path.split('/')]))
  return list.sort((x, y) => {
    const a = parts.get(x)!
    const b = parts.get(y)!
    const n = Math.min(a.length, b.length)
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1
    return a.length - b.length
  })
}
