// The report files (sarif-file, report-file): their directories are made, and a file that cannot
// be written is a message naming the file and the cause (OutputFileError), not an internal error.
import fs from 'node:fs'
import path from 'node:path'

export class OutputFileError extends Error {}

/**
 * Writes `content` to `file`, making its missing directories one level at a time: Node's
 * `mkdir(…, {recursive: true})` never returns where the kernel refuses with ENOENT (under /proc).
 * `label` names the setting in the message (`--sarif-file`, `input sarif-file`); `shown` is the
 * file as the user should read it.
 */
export function writeOutputFile(file: string, content: string, label: string, shown = file): void {
  try {
    makeDirectories(path.dirname(file))
    fs.writeFileSync(file, content)
  } catch (err) {
    throw new OutputFileError(`${label}: cannot write ${shown}: ${cause(err)}`)
  }
}

function makeDirectories(dir: string): void {
  try {
    fs.mkdirSync(dir)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') {
      if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR', path: dir })
      return
    }
    const parent = path.dirname(dir)
    if (code !== 'ENOENT' || parent === dir) throw err
    makeDirectories(parent)
    fs.mkdirSync(dir)
  }
}

function cause(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  const where = e.path ? ` (${e.path})` : ''
  switch (e.code) {
    case 'ENOTDIR':
      return `a part of its path is not a directory${where}`
    case 'EISDIR':
      return 'it is a directory'
    case 'EACCES':
    case 'EPERM':
      return `permission denied${where}`
    case 'EROFS':
      return `read-only file system${where}`
    case 'ENOENT':
      return `no such directory, and it cannot be made${where}`
    case 'ENOSPC':
      return 'no space left on the device'
    default:
      return e.message ?? String(err)
  }
}
