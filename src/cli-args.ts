// The CLI's argument parsing: every option of the table as a --flag, plus the CLI-only flags,
// the help text generated from the same table, and the expansion of positional paths into globs.
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  DEFAULT_MANIFESTS,
  OPTION_TABLE,
  OptionsError,
  parseBoolean,
  parseEnum,
  pathKind,
  type CamelKey,
  type OptionSpec,
  type OptionValues,
} from './options.js'
import { nearest } from './nearest.js'
import { pathGlobs, toPosix } from './source/discover.js'

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const
export type Format = (typeof FORMATS)[number]

export type CliArgs =
  | {
      kind: 'run'
      /** Raw option values for resolveOptions (lists already split into items). */
      values: OptionValues
      /** Positional paths or globs, as given; expand with positionals. */
      paths: string[]
      format: Format
      /** undefined: colour when stdout is a TTY. */
      color: boolean | undefined
      quiet?: boolean
    }
  | { kind: 'help'; text: string }
  | { kind: 'version' }

const SPECS: readonly OptionSpec[] = OPTION_TABLE

/** Flags of the CLI only (not options of the engine). */
const CLI_FLAGS = [
  { flag: 'format', short: undefined, kind: 'enum', values: FORMATS, valueName: 'format', description: 'output format', default: 'text' },
  { flag: 'color', short: undefined, kind: 'boolean', description: 'colour the text output', default: 'when stdout is a TTY' },
  { flag: 'quiet', short: 'q', kind: 'boolean', description: 'print the findings only, without the totals line', default: false },
  { flag: 'help', short: 'h', kind: 'switch', description: 'show this help' },
  { flag: 'version', short: 'v', kind: 'switch', description: 'show the version' },
] as const

type FlagShape = 'boolean' | 'negatable' | 'string' | 'list' | 'switch'

/** Every long flag name the parser accepts, with how it takes values. */
function flagShapes(): Map<string, FlagShape> {
  const shapes = new Map<string, FlagShape>()
  for (const spec of SPECS) {
    if (spec.kind === 'boolean') {
      shapes.set(spec.kebab, 'boolean')
      shapes.set(`no-${spec.kebab}`, 'negatable')
    } else if (isList(spec)) shapes.set(spec.kebab, 'list')
    else shapes.set(spec.kebab, 'string')
  }
  shapes.set('format', 'string')
  shapes.set('color', 'boolean')
  shapes.set('no-color', 'negatable')
  shapes.set('quiet', 'boolean')
  shapes.set('no-quiet', 'negatable')
  shapes.set('help', 'switch')
  shapes.set('version', 'switch')
  return shapes
}

const SHORT: Record<string, string> = { h: 'help', v: 'version', q: 'quiet' }

function isList(spec: OptionSpec): boolean {
  return spec.kind === 'list' || spec.kind === 'registryPatterns' || spec.kind === 'secrets' || spec.kind === 'serviceAccounts'
}

/** Other tools' names for pullcheck's flags: eslint's -o/--output-file, kube-linter's --config-file. */
const OTHER_NAMES: Record<string, string> = {
  '-o': '--report-file (the JSON report) or --sarif-file',
  '--output': '--report-file (the JSON report) or --sarif-file',
  '--output-file': '--report-file (the JSON report) or --sarif-file',
  '--out': '--report-file (the JSON report) or --sarif-file',
  '--config-file': '--config',
  '--fail-level': '--fail-on',
  '--severity': '--fail-on',
}

function unknownFlag(name: string, shapes: Map<string, FlagShape>, arg = name): OptionsError {
  const candidates = [...shapes.keys()].map((f) => `--${f}`)
  // A flag cut short (`--sarif`) or lengthened (`--config-path`), when only one flag is meant.
  const related = name.startsWith('--') ? candidates.filter((c) => c.startsWith(`${name}-`) || name.startsWith(`${c}-`)) : []
  const guess = OTHER_NAMES[name] ?? (related.length === 1 ? related[0] : nearest(name, candidates))
  let hint = guess === undefined ? '' : `; did you mean ${guess}?`
  // A path that starts with a dash (`-dash.yaml`) is read as short options.
  if (!arg.startsWith('--') && arg.length > 2) hint += `; a path that starts with - goes after -- (pullcheck -- ${arg})`
  return new OptionsError(`unknown option ${name}${hint}`)
}

/**
 * Checks the flags before parseArgs sees them, so that every usage error names the flag and no
 * value is echoed, and rewrites `--flag=true|false` of booleans into `--flag` / `--no-flag`.
 */
function normalizeArgv(argv: readonly string[], shapes: Map<string, FlagShape>): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      out.push(...argv.slice(i))
      break
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
      const inline = eq < 0 ? undefined : arg.slice(eq + 1)
      const shape = shapes.get(name)
      if (shape === undefined) throw unknownFlag(`--${name}`, shapes)
      if (shape === 'switch' || shape === 'negatable') {
        if (inline !== undefined) throw new OptionsError(`--${name}: takes no value`)
        out.push(arg)
      } else if (shape === 'boolean') {
        if (inline === undefined) out.push(arg)
        else {
          const r = parseBoolean(inline)
          if (!r.ok) throw new OptionsError(`--${name}: ${r.problem}`)
          out.push(r.value ? `--${name}` : `--no-${name}`)
        }
      } else if (inline !== undefined) {
        out.push(arg)
      } else {
        const next = argv[i + 1]
        if (next === undefined || (next.startsWith('-') && next !== '-')) {
          throw new OptionsError(`--${name}: a value is missing (write --${name}=<value> for a value that starts with -)`)
        }
        out.push(arg, next)
        i++
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=')
      if (eq > 1 && [...arg.slice(1, eq)].every((letter) => SHORT[letter] !== undefined)) {
        throw new OptionsError(`${arg.slice(0, eq)}: takes no value`)
      }
      for (const letter of arg.slice(1)) {
        if (SHORT[letter] === undefined) throw unknownFlag(arg.length === 2 ? arg : `-${letter}`, shapes, arg)
      }
      out.push(arg)
    } else {
      out.push(arg)
    }
  }
  return out
}

type ParseArgsOptions = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>

export function parseCliArgs(argv: string[]): CliArgs {
  const shapes = flagShapes()
  const args = normalizeArgv(argv, shapes)
  const options: ParseArgsOptions = {}
  for (const [flag, shape] of shapes) {
    options[flag] =
      shape === 'string' ? { type: 'string' } : shape === 'list' ? { type: 'string', multiple: true } : { type: 'boolean' }
  }
  for (const [letter, flag] of Object.entries(SHORT)) options[flag].short = letter

  let parsed: ReturnType<typeof parseArgs<{ options: ParseArgsOptions; tokens: true; allowPositionals: true; strict: true }>>
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true })
  } catch (e) {
    throw new OptionsError((e as Error).message)
  }

  const values: OptionValues = {}
  const record = values as Record<string, string | string[] | boolean>
  let format: Format = 'text'
  let color: boolean | undefined
  let quiet: boolean | undefined
  let help = false
  let version = false
  let formatProblem: string | undefined
  // Tokens keep the command-line order: the last of --x / --no-x wins, list values accumulate.
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue
    const name = token.name
    if (name === 'help') help = true
    else if (name === 'version') version = true
    else if (name === 'format') {
      const r = parseEnum(token.value ?? '', FORMATS)
      // Refused after --help and --version, which answer whatever the other values are.
      if (r.ok) format = r.value
      else formatProblem = `--format: ${r.problem}`
    } else if (name === 'color' || name === 'no-color') color = name === 'color'
    else if (name === 'quiet' || name === 'no-quiet') quiet = name === 'quiet'
    else {
      const negated = name.startsWith('no-') && shapes.get(name) === 'negatable'
      const spec = SPECS.find((s) => s.kebab === (negated ? name.slice(3) : name))
      if (spec === undefined) throw unknownFlag(token.rawName, shapes)
      const key = spec.camel as CamelKey
      if (spec.kind === 'boolean') record[key] = !negated
      else if (isList(spec)) {
        // Each flag's value as given: resolveOptions splits them, and refuses an empty one.
        const earlier = (record[key] as string[] | undefined) ?? []
        record[key] = [...earlier, token.value ?? '']
      } else record[key] = token.value ?? ''
    }
  }
  if (help) return { kind: 'help', text: helpText() }
  if (version) return { kind: 'version' }
  if (formatProblem !== undefined) throw new OptionsError(formatProblem)
  const valueAfterSwitch = booleanWordAfterFlag(parsed.tokens, shapes)
  if (valueAfterSwitch !== undefined) throw new OptionsError(valueAfterSwitch)
  const result: CliArgs = { kind: 'run', values, paths: parsed.positionals, format, color }
  if (quiet !== undefined) result.quiet = quiet
  return result
}

type ArgToken = { kind: string; index: number; name?: string; value?: string; inlineValue?: boolean; rawName?: string }

/**
 * `--registry-probe false`: a true/false word right after a flag that takes no separate value is
 * read as a path by the argument parser (and then not found). Say how to write it instead.
 */
function booleanWordAfterFlag(tokens: readonly ArgToken[], shapes: Map<string, FlagShape>): string | undefined {
  for (let i = 1; i < tokens.length; i++) {
    const word = tokens[i]
    const flag = tokens[i - 1]
    if (word.kind !== 'positional' || flag.kind !== 'option' || word.index !== flag.index + 1 || flag.value !== undefined) continue
    const said = parseBoolean(word.value ?? '')
    if (!said.ok || flag.name === undefined) continue
    const shape = shapes.get(flag.name)
    if (shape !== 'boolean' && shape !== 'negatable') continue
    const negated = shape === 'negatable'
    const base = negated ? flag.name.slice(3) : flag.name
    // `--no-annotations true` asks for no annotations: --annotations=false.
    const meant = negated ? String(!said.value) : word.value
    return `${flag.rawName ?? `--${flag.name}`} takes no separate value ("${word.value}" would be read as a path): write --${base}=${meant}, or --${base} / --no-${base}`
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Help

function showDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(',')
  return String(value)
}

function flagUsage(spec: OptionSpec): string {
  if (spec.kind === 'boolean') return `--[no-]${spec.kebab}`
  const placeholder = spec.kind === 'enum' ? (spec.values ?? []).join('|') : (spec.valueName ?? 'value')
  return `--${spec.kebab} <${placeholder}>`
}

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n')
}

/** The CLI help, generated from OPTION_TABLE. */
export function helpText(): string {
  const optionRows: [string, string][] = SPECS.map((spec) => {
    const shown = showDefault(spec.default)
    const description = spec.actionOnly ? `GitHub Action only: ${spec.description}` : spec.description
    return [flagUsage(spec), shown === undefined || spec.actionOnly ? description : `${description} (default: ${shown})`]
  })
  const cliRows: [string, string][] = CLI_FLAGS.map((f) => {
    const usage =
      f.kind === 'enum'
        ? `--${f.flag} <${f.values.join('|')}>`
        : f.kind === 'boolean' && f.short === undefined
          ? `--[no-]${f.flag}`
          : `${f.short ? `-${f.short}, ` : ''}--${f.flag}`
    const shown = 'default' in f ? showDefault(f.default) : undefined
    return [usage, shown === undefined ? f.description : `${f.description} (default: ${shown})`]
  })
  return [
    'pullcheck: finds the images of rendered Kubernetes manifests that the kubelet could not pull for lack of a pull secret.',
    '',
    'Usage: pullcheck [paths|globs…] [options]',
    '',
    'Arguments:',
    table([
      [
        'paths|globs',
        `files, directories (every ${DEFAULT_MANIFESTS.map((g) => g.replace('**/', '')).join(', ')} below) or globs,`,
      ],
      ['', 'relative to the working directory; a leading ! excludes. Given, they replace --manifests'],
      ['', '(excludes alone narrow it).'],
      ['-', `standard input, reported as ${STDIN_PATH}: helm template . | pullcheck -`],
      ['', 'A FIFO named as a file is read the same way: pullcheck <(helm template .)'],
    ]),
    '',
    'Options:',
    table(optionRows),
    '',
    'Output:',
    table(cliRows),
    '',
    'List options take comma- or newline-separated values and may be repeated.',
    'The config file .pullcheck.yml (or .pullcheck.yaml) in the working directory takes the same options as',
    'camelCase (or kebab-case) keys, plus rules: {<rule-id>: off|notice|warning|error}. Flags override it.',
    '',
    'Exit codes:',
    table([
      ['0', 'no finding at or above --fail-on'],
      ['1', 'findings at or above --fail-on'],
      ['2', 'usage or configuration error, a named path not read, an output or report file that cannot be written, or an internal error'],
    ]),
    '',
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------
// Positionals

/** The name standard input (`-`) is reported under. */
export const STDIN_PATH = '<stdin>'

/** One positional argument and the manifest globs it stands for. */
export interface Positional {
  given: string
  /**
   * What the path names on disk: `glob` when nothing is there (the argument is then a pattern); `-`
   * is `stdin`; a FIFO or a character device (`<(helm template .)`, `/dev/stdin`) is a `stream`,
   * read as standard input is, as kubectl apply -f reads it.
   */
  kind: 'file' | 'directory' | 'glob' | 'stdin' | 'stream'
  negated: boolean
  globs: string[]
  /** A file's or directory's path relative to the working directory (POSIX separators; '' for itself). */
  relative?: string
}

/**
 * Positional arguments, each with the manifest globs it stands for, relative to the working
 * directory (POSIX separators): a directory `d` becomes `d/**\/*.yaml`, `d/**\/*.yml`,
 * `d/**\/*.json`; an existing file itself; anything else is a glob as given. A leading `!`
 * excludes (a directory: everything below it); `-` is standard input.
 */
export async function positionals(paths: string[], workingDirectory: string): Promise<Positional[]> {
  const out: Positional[] = []
  for (const given of paths) {
    const negated = given.startsWith('!')
    const body = negated ? given.slice(1) : given
    if (body === '') continue
    if (given === '-') {
      out.push({ given, kind: 'stdin', negated: false, globs: [] })
      continue
    }
    const absolute = path.resolve(workingDirectory, body)
    const kind = await pathKind(absolute)
    if (kind === undefined) {
      out.push({ given, kind: 'glob', negated, globs: [negated ? `!${toPosix(body)}` : toPosix(body)] })
      continue
    }
    if (kind === 'file' && !negated && isStream(absolute)) {
      out.push({ given, kind: 'stream', negated, globs: [] })
      continue
    }
    const relative = toPosix(path.relative(workingDirectory, absolute))
    out.push({ given, kind, negated, globs: pathGlobs(relative, kind, negated), relative })
  }
  return out
}

/** A FIFO, a character device or a socket: named on the command line, it is read as a stream. */
function isStream(file: string): boolean {
  try {
    const s = fs.statSync(file)
    return s.isFIFO() || s.isCharacterDevice() || s.isSocket()
  } catch {
    return false
  }
}

/**
 * The options of the GitHub Action given on the command line, where they would do nothing: said,
 * not ignored. A flag that asks for what the CLI does anyway (`--no-only-changed`) passes.
 */
export function actionOnlyWarnings(values: OptionValues, format: string): string[] {
  const out: string[] = []
  for (const spec of OPTION_TABLE as readonly OptionSpec[]) {
    const value = (values as Record<string, unknown>)[spec.camel]
    if (!spec.actionOnly || value === undefined) continue
    const matches = spec.kebab === 'annotations' ? value === (format === 'github') : spec.kind === 'boolean' && value === false
    if (matches) continue
    out.push(`--${value === false ? 'no-' : ''}${spec.kebab} is an option of the GitHub Action; ${spec.actionOnly}`)
  }
  return out
}

/**
 * Colour by the terminal, as Node and supports-color decide: FORCE_COLOR (0 or false: never;
 * anything else: always) over NO_COLOR (set and not empty: never) over TERM=dumb (never) over
 * whether stdout is a TTY.
 */
export function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  if (env.NO_COLOR) return false
  // A terminal that says it cannot show colour (Node's getColorDepth, supports-color).
  if (env.TERM === 'dumb') return false
  return isTTY
}
