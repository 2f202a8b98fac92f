// Paths as reports show them.
import path from 'node:path'

/** `file` relative to `dir` with forward slashes when it lies below it, else as it is. */
export function displayPath(file: string, dir: string): string {
  const rel = path.relative(dir, file)
  const below = rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)
  return below ? rel.split(path.sep).join('/') : file
}
