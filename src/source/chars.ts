// Character codes and character classes shared by the two YAML readers (yaml.ts, fastyaml.ts).
import { YAML11_BOOLEANS } from './schema.js'

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

export function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90)
}

/** A character of a plain key that needs no thought: a letter, a digit, `_`, `-`, `.` or `/`. */
export function isKeyChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === DASH || c === DOT || c === 47
}

/** Words that start with a letter and are not strings as kubectl reads YAML (schema.ts: null, YAML 1.1 booleans). */
export const NOT_STRINGS: ReadonlySet<string> = new Set(['null', 'Null', 'NULL', ...YAML11_BOOLEANS.keys()])
