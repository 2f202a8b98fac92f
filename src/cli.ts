#!/usr/bin/env node
// CLI entry: arguments → Options → analyze → text | json | sarif | github → exit code (0, 1, 2).
import path from 'node:path'
import { actionOnlyWarnings, colorWanted, parseCliArgs, positionals, STDIN_PATH, type Positional } from './cli-args.js'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { CONFIG_FILE_NAMES, displayPath, notReadWarning, OptionsError, optionWarnings, resolveOptions, unmatchedWarning, unparsedWarning } from './options.js'
import { OutputFileError, writeOutputFile } from './output-file.js'
import { analyze } from './analyze.js'
import type { AnalyzeResult } from './findings/types.js'
import type { Options } from './options.js'
import { loadSource, MAX_FILE_BYTES, oversizedSource, unreadableSource, type SourceFile } from './source/files.js'
import { CONFIGURABLE_RULE_IDS, inactiveRuleWarnings } from './rules/registry.js'
import { escapeControls, formatText, reportWords, secretMasker } from './report/text.js'
import { formatJson, jsonPieces, outcome } from './report/json.js'
import { sarifString } from './report/sarif.js'
import { formatWorkflowCommands } from './report/annotations.js'
import { VERSION } from './version.js'

export async function main(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; cwd: string; stdin?: NodeJS.ReadableStream } = {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    // No stdin: process.stdin is made (~2 ms: its stream classes loaded) only when `-` is read.
  },
): Promise<number> {
  let args
  try {
    args = parseCliArgs(argv)
  } catch (err) {
    return usageError(err, io.stderr)
  }
  if (args.kind === 'help') {
    io.stdout.write(args.text.endsWith('\n') ? args.text : args.text + '\n')
    return 0
  }
  if (args.kind === 'version') {
    io.stdout.write(`pullcheck ${VERSION}\n`)
    return 0
  }
  let options
  let given: Positional[] = []
  try {
    const values = { ...args.values }
    const fromDir = values.config === undefined ? configBesideTarget(args.paths, String(values.workingDirectory ?? '.'), io.cwd) : undefined
    if (fromDir) values.config = fromDir
    options = await resolveOptions({ values, origin: 'cli', cwd: io.cwd, knownRuleIds: [...CONFIGURABLE_RULE_IDS] })
    if (args.paths.length) {
      given = await positionals(args.paths, options.workingDirectory)
      const globs = given.flatMap((p) => p.globs)
      // Only excludes (`pullcheck '!vendor'`): they narrow the configured manifests.
      options.manifests = given.every((p) => p.negated) ? [...options.manifests, ...globs] : globs
    }
  } catch (err) {
    return usageError(err, io.stderr)
  }
  for (const text of [...optionWarnings(options), ...inactiveRuleWarnings(options.rules)]) io.stderr.write(`pullcheck: warning: ${text}\n`)
  for (const text of actionOnlyWarnings(args.values, args.format)) io.stderr.write(`pullcheck: warning: ${text}\n`)
  // `-`: the manifests piped in (helm template . | pullcheck -), beside any files.
  const extra: SourceFile[] = []
  if (given.some((p) => p.kind === 'stdin')) {
    const input = await readInput(io.stdin ?? process.stdin, MAX_FILE_BYTES)
    // A command that failed before the pipe (helm template …) leaves it empty: say so.
    if (input.bytes && blank(input.bytes)) io.stderr.write('pullcheck: warning: standard input is empty: nothing was read from it\n')
    extra.push(input.bytes ? loadSource(STDIN_PATH, input.bytes) : oversizedSource(STDIN_PATH, input.size))
  }
  // A FIFO or device named as a file (`pullcheck <(helm template .)`): read to its end, as `-` is.
  for (const p of given.filter((g) => g.kind === 'stream')) {
    const absolute = path.resolve(options.workingDirectory, p.given)
    const name = displayPath(absolute, options.workingDirectory)
    let input: { bytes?: Buffer; size: number }
    try {
      input = await readInput(createReadStream(absolute), MAX_FILE_BYTES)
    } catch (err) {
      extra.push(unreadableSource(name, (err as NodeJS.ErrnoException).code ?? 'read error'))
      continue
    }
    if (input.bytes && blank(input.bytes)) io.stderr.write(`pullcheck: warning: ${name} is empty: nothing was read from it\n`)
    extra.push(input.bytes ? loadSource(name, input.bytes) : oversizedSource(name, input.size))
  }
  const result = await analyze(options, extra)
  // The paths named and not read are errors of their own (reportUnmatched), not said twice.
  const namedSkipped = namedNotRead(given, result)
  const explained = new Set([...namedSkipped.values()].flat().map((n) => n.file))
  const notRead = notReadWarning((result.notRead ?? []).filter((n) => !explained.has(n.file)), 20)
  if (notRead) io.stderr.write(`pullcheck: warning: ${escapeControls(notRead)}\n`)
  const unparsed = unparsedWarning(result.files, options.rules, 20)
  if (unparsed) io.stderr.write(`pullcheck: warning: ${escapeControls(unparsed)}\n`)
  if (!(await reportUnmatched(given, options, result, namedSkipped, io.stderr, io.cwd))) return 2
  // A reader that stops early (`pullcheck --format json | head`) closes the pipe: stop writing, and
  // still exit with the check's code (an unhandled EPIPE would crash with a stack trace).
  // Any other write error (a full disk) loses the report: exit 2, as for a report file.
  let closed = false
  let writeFailed = false
  const onError = (err: NodeJS.ErrnoException) => {
    closed = true
    if (err.code === 'EPIPE') return
    writeFailed = true
    io.stderr.write(`pullcheck: cannot write the output: ${err.message}\n`)
  }
  io.stdout.on('error', onError)
  const mask = secretMasker(result.secretValues, reportWords(result))
  let out: string
  switch (args.format) {
    case 'json':
      // Written in pieces, as the reader takes them: the report of a big repository is tens of megabytes.
      for (const piece of jsonPieces(result, { toolVersion: VERSION, failOn: options.failOn })) {
        if (closed) break
        if (io.stdout.write(piece) === false && !closed) await drained(io.stdout)
      }
      out = ''
      break
    case 'sarif':
      out = sarifString(result, { toolVersion: VERSION })
      break
    case 'github':
      out = formatWorkflowCommands(result.findings, mask, { log: true, sarifFile: shownPath(options.sarifFile, io.cwd), reportFile: shownPath(options.reportFile, io.cwd) })
      break
    default: {
      const color = args.color ?? colorWanted(Boolean((io.stdout as NodeJS.WriteStream).isTTY), process.env)
      out = formatText(result, { color, quiet: args.quiet ?? false })
    }
  }
  if (!out.endsWith('\n') && out !== '') out += '\n'
  // Every reporter masks the secret values itself (text and github before they escape).
  if (out !== '' && !closed) io.stdout.write(out)
  // As eslint's --output-file: the findings are printed, and a file that cannot be written makes
  // the run an error (exit 2). Each file is attempted, as the action does.
  const files: [string | undefined, string, () => string][] = [
    [options.sarifFile, '--sarif-file', () => sarifString(result, { toolVersion: VERSION })],
    [options.reportFile, '--report-file', () => formatJson(result, { toolVersion: VERSION, failOn: options.failOn })],
  ]
  let unwritten = false
  for (const [file, flag, text] of files) {
    if (!file) continue
    try {
      writeOutputFile(file, text(), flag, displayPath(file, io.cwd))
    } catch (err) {
      if (!(err instanceof OutputFileError)) throw err
      io.stderr.write(`pullcheck: ${err.message}\n`)
      unwritten = true
    }
  }
  if (unwritten) return 2
  // Write errors are reported by events: let them in before deciding.
  await new Promise((resolve) => setImmediate(resolve))
  if (writeFailed) return 2
  return outcome(result.findings, options.failOn) === 'fail' ? 1 : 0
}

/**
 * `pullcheck some/dir` with no config in the working directory: use `some/dir/.pullcheck.yml`, as a
 * user who keeps the config beside the manifests expects.
 */
function configBesideTarget(paths: string[], workingDirectory: string, cwd: string): string | undefined {
  const wd = path.resolve(cwd, workingDirectory)
  if (paths.length !== 1 || CONFIG_FILE_NAMES.some((n) => existsSync(path.join(wd, n)))) return undefined
  const dir = path.resolve(wd, paths[0])
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(dir, name)
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

/**
 * The files and directories named on the command line whose files were all reached but none read
 * (links out of the working directory, a directory without permission): nothing of them was
 * checked. Each with the paths not read below it.
 */
function namedNotRead(given: readonly Positional[], result: AnalyzeResult): Map<Positional, { file: string; reason: string }[]> {
  const out = new Map<Positional, { file: string; reason: string }[]>()
  const notRead = result.notRead ?? []
  if (notRead.length === 0) return out
  const skippedPaths = new Set(notRead.map((n) => n.file))
  for (const p of given) {
    if (p.negated || p.relative === undefined || (p.kind !== 'file' && p.kind !== 'directory')) continue
    const prefix = `${p.relative}/`
    const below = (file: string) => p.relative === '' || file === p.relative || file.startsWith(prefix)
    const skipped = notRead.filter((n) => below(n.file))
    if (skipped.length > 0 && !result.files.some((f) => below(f.file) && !skippedPaths.has(f.file))) out.set(p, skipped)
  }
  return out
}

/**
 * Nothing is skipped silently: a path or glob named on the command line that matches no file is a
 * usage error (as in eslint: a typo must not pass the check); a directory without manifests, or
 * no manifests at all, is said on stderr. False when the run must stop with exit code 2.
 */
async function reportUnmatched(
  given: Positional[],
  options: Options,
  result: AnalyzeResult,
  namedSkipped: Map<Positional, { file: string; reason: string }[]>,
  stderr: NodeJS.WritableStream,
  cwd: string,
): Promise<boolean> {
  const none = new Set(result.unmatched ?? [])
  const excludedOnly = result.excludedOnly ?? []
  const read = result.files.length - (result.notRead?.length ?? 0)
  let ok = true
  for (const p of given) {
    if (p.kind === 'stdin' || p.kind === 'stream' || p.negated) continue
    const skipped = namedSkipped.get(p)
    if (skipped) {
      ok = false
      const why = skipped.slice(0, 3).map((n) => (n.file === p.relative ? n.reason : `${n.file}: ${n.reason}`))
      const more = skipped.length > 3 ? `; and ${skipped.length - 3} more` : ''
      stderr.write(`pullcheck: ${p.given} was not read (${escapeControls(why.join('; '))}${more})\n`)
      continue
    }
    if (!p.globs.every((g) => none.has(g))) continue
    if (p.kind === 'directory') {
      // Manifests there, every one left out, are not "no manifest files".
      if (p.relative !== undefined && /(^|\/)(node_modules|\.git)(\/|$)/.test(p.relative)) {
        ok = false
        stderr.write(`pullcheck: ${p.given} is left out (files under node_modules and .git are never read)\n`)
      } else if (p.globs.some((g) => excludedOnly.includes(g))) {
        ok = false
        stderr.write(`pullcheck: every manifest file in ${p.given} is left out by an exclude (!)\n`)
      } else {
        stderr.write(`pullcheck: warning: no manifest files (*.yaml, *.yml, *.json) in ${p.given}\n`)
      }
      continue
    }
    ok = false
    if (p.kind === 'file' && /(^|[\\/])(node_modules|\.git)[\\/]/.test(p.given)) stderr.write(`pullcheck: ${p.given} is left out (files under node_modules and .git are never read)\n`)
    else if (p.kind === 'file') stderr.write(`pullcheck: ${p.given} is left out by an exclude (!)\n`)
    else if ((await import('glob')).hasMagic(p.given)) {
      // Files that match, all left out by an exclude, are not "no files" (as eslint says it).
      const matched = p.globs.every((g) => excludedOnly.includes(g))
      stderr.write(matched ? `pullcheck: every file the pattern "${p.given}" matches is left out by an exclude (!)\n` : `pullcheck: no files match the pattern "${p.given}"\n`)
    }
    else stderr.write(`pullcheck: ${p.given}: ${whyMissing(p.given, options.workingDirectory, cwd)}\n`)
  }
  // No arguments, or excludes only (`pullcheck '!vendor'`): the manifests globs minus those.
  if (ok && given.every((p) => p.negated)) {
    if (read === 0) stderr.write(`pullcheck: warning: no manifest files match ${options.manifests.join(', ')}; nothing was checked\n`)
    // A configured pattern that matches nothing beside others that do.
    const some = unmatchedWarning([...none], excludedOnly, read)
    if (some) stderr.write(`pullcheck: warning: ${escapeControls(some)}\n`)
  }
  return ok
}

/** An output file as the user named it: relative to the current directory when below it. */
function shownPath(file: string | undefined, cwd: string): string | undefined {
  return file === undefined ? undefined : displayPath(file, cwd)
}

/**
 * Why a path named on the command line was not found: usually it does not exist. Paths are taken
 * from the working directory: when that is not the current one, the path looked at is named.
 */
function whyMissing(given: string, workingDirectory: string, cwd: string): string {
  const file = path.resolve(workingDirectory, given)
  const where = path.resolve(workingDirectory) === path.resolve(cwd) ? '' : ` (looked for as ${file}: paths are relative to --working-directory)`
  try {
    statSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM') return `permission denied (a directory on its path cannot be read)${where}`
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return `cannot be read (${code ?? 'error'})${where}`
  }
  return `no such file or directory${where}`
}

/** Nothing but spaces, tabs and line breaks (stops at the first other byte). */
function blank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false
  return true
}

/**
 * The whole stream, or only its size when it is over `limit` bytes (what is over is read and
 * dropped, so that the writer is not blocked, and never held).
 */
async function readInput(stream: NodeJS.ReadableStream, limit: number): Promise<{ bytes?: Buffer; size: number }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    size += bytes.length
    if (size <= limit) chunks.push(bytes)
    else chunks.length = 0
  }
  return size <= limit ? { bytes: Buffer.concat(chunks), size } : { size }
}

/** Resolves when the stream wants more, or can take no more (closed, failed). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('error', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('error', done)
    stream.on('close', done)
  })
}

function usageError(err: unknown, stderr: NodeJS.WritableStream): number {
  if (err instanceof OptionsError) {
    stderr.write(`pullcheck: ${err.message}\nRun pullcheck --help for the options.\n`)
    return 2
  }
  throw err
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`pullcheck: internal error: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 2
  },
)
