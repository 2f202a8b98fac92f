// File discovery: the manifests globs, `!` excludes, node_modules/.git always out, sorted.
import fs from 'node:fs'
import path from 'node:path'
import { glob } from 'glob'

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
 * Expands the globs relative to `root`. A symlink whose target lies outside `root` is not read
 * (it is returned in `skipped`, so nothing is dropped silently).
 */
export async function discover(patterns: string[], root: string, excludeFiles: string[] = []): Promise<{ files: DiscoveredFile[]; skipped: SkippedFile[] }> {
  const include = patterns.filter((p) => !p.startsWith('!'))
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))
  const found = await glob(include, {
    cwd: root,
    dot: true,
    nodir: true,
    follow: false,
    ignore: [...ALWAYS_IGNORED, ...exclude],
    posix: true,
  })
  const realRoot = fs.realpathSync(root)
  const excluded = new Set(excludeFiles.map((f) => path.resolve(f)))
  const files: DiscoveredFile[] = []
  const skipped: SkippedFile[] = []
  for (const rel of new Set(found.map((f) => toPosix(path.normalize(f))))) {
    const absolute = path.resolve(root, rel)
    if (excluded.has(absolute)) continue
    let real: string
    try {
      real = fs.realpathSync(absolute)
    } catch {
      skipped.push({ path: rel, reason: 'broken symbolic link' })
      continue
    }
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
      skipped.push({ path: rel, reason: 'symbolic link to a file outside the working directory (not followed)' })
      continue
    }
    files.push({ path: rel, absolute })
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  files.sort(byPath)
  skipped.sort(byPath)
  return { files, skipped }
}
