// Generated documentation: the README's rules and options tables come from the rule registry
// and the option table, so they cannot drift (test/docs.test.ts compares them).
import { OPTION_TABLE } from './options.js'
import { RULES } from './rules/registry.js'

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function rulesTable(): string {
  const rows = RULES.map((r) => `| [\`${r.meta.id}\`](docs/rules.md#${r.meta.id}) | ${r.meta.severity} | ${cell(r.meta.description)} |`)
  return ['| rule | default | fires when |', '|---|---|---|', ...rows].join('\n')
}

function defaultText(d: unknown): string {
  if (d === undefined) return '—'
  if (Array.isArray(d)) return d.length ? d.map((x) => `\`${x}\``).join(', ') : '—'
  return `\`${String(d)}\``
}

export function optionsTable(): string {
  const rows = OPTION_TABLE.map((o) => {
    const spec = o as { kebab: string; camel: string; description: string; default: unknown; actionDefault?: string; inConfigFile?: boolean }
    const configKey = spec.inConfigFile === false ? '—' : `\`${spec.camel}\``
    const def = spec.actionDefault ? `${defaultText(spec.default)} (action: \`${spec.actionDefault}\`)` : defaultText(spec.default)
    return `| \`${spec.kebab}\` / \`--${spec.kebab}\` | ${configKey} | ${cell(spec.description)} | ${def} |`
  })
  return ['| input / flag | config key | meaning | default |', '|---|---|---|---|', ...rows].join('\n')
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const i = doc.indexOf(start)
  const j = doc.indexOf(end)
  if (i === -1 || j === -1 || j < i) throw new Error(`section ${name} not found`)
  return doc.slice(0, i + start.length) + '\n' + body + '\n' + doc.slice(j)
}
