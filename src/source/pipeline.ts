// Reading and parsing the manifest files: on the main thread, and on worker threads too when the
// input is large enough to pay for them.
//
// Files are taken from one queue, largest first: the main thread parses one file at a time, and
// each worker takes batches of files. A worker reads and parses its files (loadSource, as the main
// thread does) and posts back the parsed documents (structured clone) with the position table in
// transferable form (PositionTable.exportPositions); the main thread rebuilds the table on the
// cloned values. The result does not depend on who parsed which file: same SourceFiles, in the
// order of `files`.
//
// The worker runs this very module again (in the ncc bundle, the bundle itself), imported by a
// two-line bootstrap that marks the thread with a global: its top-level code below starts serving
// parse requests, then throws so that the modules that import it (analyze, the CLI) never run in
// the worker; the bootstrap swallows that one error. (A top-level await that never settles would do
// the same, but it makes webpack wrap every module of the bundle as async: slower start-up.)
import fs from 'node:fs'
import os from 'node:os'
import { capYoungGeneration } from '../memory.js'
import { loadSource, MAX_FILE_BYTES, oversizedSource, unreadableSource, type SourceFile } from './files.js'
import { PositionTable, type ParseOptions, type TransferredPositions } from './yaml.js'

export interface FileToLoad {
  /** As reported (relative, POSIX separators). */
  path: string
  /** Where to read it. */
  absolute: string
}

export interface LoadOptions extends ParseOptions {
  /**
   * Worker threads beside the main thread. 0: main thread only. Default: the PULLCHECK_WORKERS
   * environment variable, else automatic (one per core beyond the first, at most 3, for inputs of
   * at least PARALLEL_MIN_FILES files and PARALLEL_MIN_BYTES bytes).
   */
  workers?: number
}

/** Below this many files, or bytes, the main thread alone is faster than with workers. */
export const PARALLEL_MIN_FILES = 1000
export const PARALLEL_MIN_BYTES = 24 * 1024 * 1024
const MAX_AUTO_WORKERS = 3
/** Upper bound of files per request; requests shrink as the queue empties (guided scheduling). */
const BATCH_FILES = 32
/** The main thread lets worker results in at least this often (ms). */
const YIELD_EVERY_MS = 5

const WORKER_MARK = 'pullcheck-parse-worker'
const WORKER_READY = 'PULLCHECK_PARSE_WORKER_READY'
/**
 * The worker's entry: mark the thread as a parse worker, then import the module named in
 * workerData; the error that stops its evaluation is expected. (The mark is a global, so that the
 * main thread never loads node:worker_threads unless it starts workers.)
 */
const BOOTSTRAP = `globalThis['${WORKER_MARK}'] = true; import(require('node:worker_threads').workerData.url).catch((e) => { if (!e || e.code !== '${WORKER_READY}') throw e })`

const workerThreads = () => process.getBuiltinModule('node:worker_threads')

interface Request {
  items: { index: number; path: string; absolute: string }[]
  options: ParseOptions
}

/** A SourceFile as a worker posts it. */
interface WireSource {
  index: number
  path: string
  text: string
  readError?: string
  problems: SourceFile['problems']
  parsed?: {
    documents: NonNullable<SourceFile['parsed']>['documents']
    errors: NonNullable<SourceFile['parsed']>['errors']
    skipped: number
    positions: TransferredPositions
  }
}

/** Reads and parses `files`; the result is in the order of `files`. */
export async function loadFiles(files: readonly FileToLoad[], options: LoadOptions = {}): Promise<SourceFile[]> {
  const parse: ParseOptions = {}
  if (options.skipKinds !== undefined) parse.skipKinds = options.skipKinds
  if (options.prune !== undefined) parse.prune = options.prune
  if (options.fast !== undefined) parse.fast = options.fast
  const out: (SourceFile | undefined)[] = new Array(files.length)
  const plan = planWorkers(files, options.workers)
  let byWorkers = 0
  if (plan.workers === 0) {
    await loadOnMainThread(files, parse, out)
  } else {
    byWorkers = await loadInParallel(files, parse, out, plan.workers, plan.sizes ?? sizesOf(files))
  }
  // PULLCHECK_DEBUG=pipeline: who parsed what (tests use it to see the workers at work).
  if (/\bpipeline\b/.test(process.env.PULLCHECK_DEBUG ?? '')) {
    process.stderr.write(`pullcheck: pipeline: ${files.length} files, ${plan.workers} worker thread(s), ${byWorkers} files parsed by workers\n`)
  }
  return out as SourceFile[]
}

/**
 * How many workers: as asked (the option, else PULLCHECK_WORKERS), else automatic. Automatic
 * means none below PARALLEL_MIN_FILES files or PARALLEL_MIN_BYTES bytes: a worker takes ~60 ms
 * to start, and the main thread must still deserialize what it parsed, so only large inputs gain.
 */
function planWorkers(files: readonly FileToLoad[], requested: number | undefined): { workers: number; sizes?: number[] } {
  const env = process.env.PULLCHECK_WORKERS
  let n = requested
  if (n === undefined && env !== undefined && /^\d+$/.test(env.trim())) n = Number(env.trim())
  const cap = (k: number) => (k > 0 && workerScript() ? Math.max(0, Math.min(k, files.length - 1, 16)) : 0)
  if (n !== undefined) return { workers: cap(n) }
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length
  if (cores < 2 || files.length < PARALLEL_MIN_FILES || !workerScript()) return { workers: 0 }
  const sizes = sizesOf(files)
  if (sizes.reduce((a, b) => a + b, 0) < PARALLEL_MIN_BYTES) return { workers: 0 }
  return { workers: cap(Math.min(MAX_AUTO_WORKERS, cores - 1)), sizes }
}

function sizesOf(files: readonly FileToLoad[]): number[] {
  return files.map((f) => {
    try {
      return fs.statSync(f.absolute).size
    } catch {
      return 0
    }
  })
}

function workerScript(): URL | undefined {
  const url = new URL(import.meta.url)
  return url.protocol === 'file:' && url.pathname.endsWith('.js') ? url : undefined
}

function loadRead(file: FileToLoad, read: Read, options: ParseOptions): SourceFile {
  if (Buffer.isBuffer(read)) return loadSource(file.path, read, options)
  return 'oversized' in read ? oversizedSource(file.path, read.oversized) : unreadableSource(file.path, read.error)
}

/**
 * Main thread only. Reads are synchronous: the files are small and usually in the page cache, where
 * readFileSync costs a fraction of fs.promises.readFile (open, fstat, read, close: four trips to
 * the thread pool), and the thread has nothing else to do meanwhile.
 */
async function loadOnMainThread(files: readonly FileToLoad[], options: ParseOptions, out: (SourceFile | undefined)[]): Promise<void> {
  for (let i = 0; i < files.length; i++) {
    out[i] = loadRead(files[i], readSync(files[i]), options)
    if ((i & 63) === 63) capYoungGeneration()
  }
}

type Read = Buffer | { error: string } | { oversized: number }

/**
 * The file's bytes. Looked at first: a FIFO would block the run forever and a device would be
 * read without end, and a file over the size limit is not read at all (a gigabyte would be held
 * only to be refused).
 */
function readSync(file: FileToLoad): Read {
  try {
    const stat = fs.statSync(file.absolute)
    if (!stat.isFile()) return { error: 'not a regular file: a FIFO, a device or a socket' }
    if (stat.size > MAX_FILE_BYTES) return { oversized: stat.size }
    return fs.readFileSync(file.absolute)
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? 'read error' }
  }
}

interface WorkerState {
  worker: import('node:worker_threads').Worker
  /** Requests posted and not answered yet. */
  pending: Request[]
  dead: boolean
}

/** Returns how many files the workers parsed. */
async function loadInParallel(files: readonly FileToLoad[], options: ParseOptions, out: (SourceFile | undefined)[], count: number, size: number[]): Promise<number> {
  const retry: number[] = [] // files of a worker that died, for the main thread
  let byWorkers = 0
  let remaining = files.length
  let wake: (() => void) | undefined
  const settle = (index: number, file: SourceFile) => {
    if (out[index]) return false
    out[index] = file
    remaining--
    if (remaining === 0 && wake) wake()
    return true
  }
  const script = workerScript()!
  const states: WorkerState[] = []
  const { Worker } = workerThreads()
  const workers = Array.from({ length: count }, () => new Worker(BOOTSTRAP, { eval: true, workerData: { url: script.href }, stdout: false, stderr: false }))

  // The largest files first (sizes are heavy tailed: install bundles of megabytes beside files of
  // a few hundred bytes), so that all the threads end together on small files.
  const queue = files.map((_, i) => i).sort((a, b) => size[b] - size[a] || a - b)
  let next = 0 // queue[next…] are not taken yet
  let bytesLeft = size.reduce((a, b) => a + b, 0)

  // Guided scheduling: a request takes a share of the bytes left, so that requests are large
  // while the queue is long and small at its end, where a large one would keep the others waiting.
  const takeBatch = (): Request | undefined => {
    if (next >= queue.length) return undefined
    const share = bytesLeft / (3 * (count + 1))
    const items: Request['items'] = []
    let bytes = 0
    while (next < queue.length && items.length < BATCH_FILES && (items.length === 0 || bytes + size[queue[next]] <= share)) {
      const i = queue[next++]
      bytes += size[i]
      items.push({ index: i, path: files[i].path, absolute: files[i].absolute })
    }
    bytesLeft -= bytes
    return { items, options }
  }
  // A worker holds two requests, so that it never waits for the main thread to answer.
  const feed = (s: WorkerState) => {
    while (!s.dead && s.pending.length < 2) {
      const req = takeBatch()
      if (!req) return
      s.pending.push(req)
      s.worker.postMessage(req)
    }
  }
  const fail = (s: WorkerState) => {
    if (s.dead) return
    s.dead = true
    for (const req of s.pending) for (const it of req.items) if (!out[it.index]) retry.push(it.index)
    s.pending = []
    void s.worker.terminate()
    if (wake) wake()
  }

  for (const worker of workers) {
    const s: WorkerState = { worker, pending: [], dead: false }
    states.push(s)
    worker.on('message', (msg: { results: WireSource[] }) => {
      s.pending.shift()
      for (const wire of msg.results) if (!out[wire.index] && settle(wire.index, fromWire(wire))) byWorkers++
      feed(s)
    })
    // A result the main thread cannot deserialise (a value nested thousands deep through aliases
    // overflows its stack) arrives as a messageerror, in place of the oldest request's answer: its
    // files go to the main thread, which reports what it finds there.
    worker.on('messageerror', () => {
      const req = s.pending.shift()
      if (req) for (const it of req.items) if (!out[it.index]) retry.push(it.index)
      if (wake) wake()
      feed(s)
    })
    worker.on('error', () => fail(s))
    worker.on('exit', () => fail(s))
    feed(s)
  }

  // The main thread takes one file at a time from the front of the queue.
  let lastYield = performance.now()
  while (remaining > 0) {
    let index = retry.shift()
    if (index === undefined && next < queue.length) {
      index = queue[next++]
      bytesLeft -= size[index]
    }
    if (index === undefined) {
      // Everything is taken: wait for the workers (or for a failed worker's files).
      await new Promise<void>((r) => {
        wake = r
      })
      wake = undefined
      continue
    }
    if (!out[index]) settle(index, loadRead(files[index], readSync(files[index]), options))
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      capYoungGeneration()
      // Let the workers' results in, and give them more work.
      await new Promise<void>((r) => setImmediate(r))
      lastYield = performance.now()
    }
  }
  for (const s of states) {
    s.dead = true
    s.worker.removeAllListeners('exit')
    void s.worker.terminate()
  }
  return byWorkers
}

function fromWire(wire: WireSource): SourceFile {
  if (!wire.parsed) {
    const file: SourceFile = { path: wire.path, text: wire.text, positions: new PositionTable(wire.text), problems: wire.problems }
    if (wire.readError !== undefined) file.readError = wire.readError
    return file
  }
  const { documents, errors, skipped } = wire.parsed
  const positions = PositionTable.importPositions(wire.text, documents, wire.parsed.positions)
  return { path: wire.path, text: wire.text, positions, parsed: { text: wire.text, documents, errors, positions, skipped }, problems: wire.problems }
}

function toWire(index: number, file: SourceFile): { wire: WireSource; transfer: ArrayBuffer[] } {
  const wire: WireSource = { index, path: file.path, text: file.text, problems: file.problems }
  if (file.readError !== undefined) wire.readError = file.readError
  const transfer: ArrayBuffer[] = []
  if (file.parsed) {
    const positions = file.positions.exportPositions(file.parsed.documents)
    wire.parsed = { documents: file.parsed.documents, errors: file.parsed.errors, skipped: file.parsed.skipped, positions }
    transfer.push(positions.data.buffer as ArrayBuffer, positions.order.buffer as ArrayBuffer)
  }
  return { wire, transfer }
}

/** The worker's side: read, parse, post back. */
function serveParseRequests(): void {
  const port = workerThreads().parentPort!
  port.on('message', (req: Request) => {
    const results: WireSource[] = []
    const transfer: ArrayBuffer[] = []
    for (const it of req.items) {
      const { wire, transfer: t } = toWire(it.index, loadRead(it, readSync(it), req.options))
      results.push(wire)
      transfer.push(...t)
    }
    port.postMessage({ results }, transfer)
  })
}

if ((globalThis as Record<string, unknown>)[WORKER_MARK] === true) {
  serveParseRequests()
  // Stop here: the modules that import this one (the analysis, the CLI) must not run in a worker.
  throw Object.assign(new Error('pullcheck parse worker ready'), { code: WORKER_READY })
}
