// Character codes and character classes shared by the two YAML readers (yaml.ts, fastyaml.ts).

export const NL = 10
export const CR = 13
export const SPACE = 32
export const TAB = 9
export const HASH = 35
export const DASH = 45
export const DOT = 46
export const COLON = 58
export const DQUOTE = 34
export const SQUOTE = 39

/** Space, tab or a line break. */
export function isWsOrEol(c: number): boolean {
  return c === SPACE || c === NL || c === CR || c === TAB
}

/** Words that start with a letter and are not strings in js-yaml's default schema. */
export const NOT_STRINGS: ReadonlySet<string> = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'])
