// Tabs that kubectl's YAML parser refuses. goyaml (gopkg.in/yaml.v2 and v3, as libyaml) eats a tab
// between tokens only in a flow collection or where a simple key cannot start: never at the start
// of a line, nor after `-`, `?` or `:` in block context (scannerc.go yaml_parser_scan_to_next_token:
// "found character that cannot start any token"); and a tab inside the indentation of a plain
// scalar's continuation line or of a block scalar is refused too ("found a tab character that
// violates indentation"). js-yaml takes all of these, so a file kubectl rejects would be checked as
// if it applied. Only documents that hold a tab are read here; anything unsure passes (a file that
// kubectl accepts must never be refused).

/**
 * The first tab in text[start, end) that goyaml refuses, and goyaml's words for it, or undefined. A line-based
 * scan of the tokens that matter: flow depth, whether a simple key may start, quoted scalars (over
 * lines), block scalars (by their indentation) and plain scalars that may go on over lines.
 */
export function refusedTab(text: string, start: number, end: number): RefusedTab | undefined {
  let flow = 0
  /** goyaml's simple_key_allowed: where it is true in block context, a tab is not eaten. */
  let simpleKey = true
  /** Inside a quoted scalar that goes on over lines: its quote character. */
  let quote = 0
  /** Inside a block scalar: its parent's indentation, its indentation (-1 until its first content line). */
  let block: { parent: number; indent: number } | undefined
  /** After a line that ended in a plain scalar (block context): the column its lines must pass to go on with it. */
  let plain: number | undefined
  for (let ls = start; ls < end; ) {
    let le = text.indexOf('\n', ls)
    if (le < 0 || le > end) le = end
    const next = le + 1
    let p = ls
    while (p < le && text.charCodeAt(p) === 32) p++
    const indent = p - ls
    const blank = restIsBlank(text, p, le)

    if (quote !== 0) {
      // Any white space goes in a quoted scalar (goyaml's scan_flow_scalar).
      const close = closingQuote(text, ls, le, quote)
      if (close < 0) {
        ls = next
        continue
      }
      quote = 0
      simpleKey = false
      p = close + 1
    } else if (block !== undefined) {
      // scan_block_scalar_breaks: a tab in the indentation, before the indentation is known or under it, is refused.
      if (text.charCodeAt(p) === 9 && (block.indent < 0 || indent < block.indent)) return { offset: p, found: 'a tab character where an indentation space is expected' }
      if (blank) {
        ls = next
        continue
      }
      if (block.indent < 0) block.indent = Math.max(indent, block.parent + 1)
      if (indent >= block.indent) {
        ls = next
        continue
      }
      block = undefined
      if (flow === 0) simpleKey = true
    } else if (plain !== undefined && flow === 0) {
      // A plain scalar goes on over lines indented past its collection; a tab under that is refused.
      if (text.charCodeAt(p) === 9 && indent <= plain) return { offset: p, found: 'a tab character that violates indentation' }
      let q = p
      while (q < le && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++
      if (q >= le || text.charCodeAt(q) === 13) {
        ls = next
        continue
      }
      if (text.charCodeAt(q) === 35 /* # */) {
        // A comment ends the plain scalar; the tabs before it, past its column, were its white space.
        plain = undefined
        simpleKey = true
        ls = next
        continue
      }
      if (q - ls > plain) {
        ls = next
        continue
      }
      plain = undefined
      simpleKey = true
    } else if (flow === 0) {
      simpleKey = true
    }
    plain = undefined

    // The rest of the line, token by token.
    /** The column of the innermost block collection met on this line (a key's or a `-`'s), or -1. */
    let collection = -1
    /** The column of the last scalar met (a key when a `:` follows), or of the anchor or tag before it. */
    let scalar = -1
    /** A simple key came before (a scalar, or a flow collection): the `:` after it allows no other. */
    let hadKey = false
    /** The column of the first anchor or tag of the node to come (goyaml saves the simple key there). */
    let properties = -1
    let endsInPlain = false
    while (p < le) {
      const c = text.charCodeAt(p)
      if (c === 32 || c === 13) {
        p++
        continue
      }
      if (c === 9) {
        if (flow > 0 || !simpleKey) {
          p++
          continue
        }
        return { offset: p, found: 'character that cannot start any token' }
      }
      const column = p - ls
      const after = p + 1 < le ? text.charCodeAt(p + 1) : 10
      const blankAfter = after === 32 || after === 9 || after === 10 || after === 13
      if (c === 35 /* # */) break
      if (column === 0 && (text.startsWith('---', p) || text.startsWith('...', p)) && (p + 3 >= le || isSpace(text.charCodeAt(p + 3)))) {
        simpleKey = false
        p += 3
        continue
      }
      if (column === 0 && c === 37 /* % a directive */) break
      if (c === 45 /* - */ && blankAfter && flow === 0) {
        collection = column
        simpleKey = true
        hadKey = false
        p++
        continue
      }
      if (c === 63 /* ? */ && (blankAfter || flow > 0)) {
        simpleKey = flow === 0
        hadKey = false
        p++
        continue
      }
      if (c === 58 /* : */ && (blankAfter || (flow > 0 && isFlowIndicator(after)))) {
        if (flow === 0 && scalar >= 0) collection = scalar
        // yaml_parser_fetch_value: after a simple key, no other may start (a tab there is eaten);
        // only the value of a complex key (`? k` then `:`) allows one, in block context.
        simpleKey = flow === 0 && !hadKey
        hadKey = false
        p++
        continue
      }
      if (c === 91 || c === 123 /* [ { */) {
        flow++
        simpleKey = true
        p++
        continue
      }
      if (c === 93 || c === 125 /* ] } */) {
        if (flow > 0) flow--
        simpleKey = false
        hadKey = flow === 0
        p++
        continue
      }
      if (c === 44 /* , */ && flow > 0) {
        simpleKey = true
        p++
        continue
      }
      if (c === 38 || c === 42 || c === 33 /* & * ! */) {
        if (c !== 42 && properties < 0) properties = column
        if (c === 42) hadKey = true
        while (p < le && !isSpace(text.charCodeAt(p)) && text.charCodeAt(p) !== 13 && !(flow > 0 && isFlowIndicator(text.charCodeAt(p)))) p++
        simpleKey = false
        continue
      }
      if ((c === 124 || c === 62) /* | > */ && flow === 0) {
        // A block scalar: its header to the end of the line, its content on the lines after.
        let increment = 0
        for (let q = p + 1; q < le; q++) {
          const d = text.charCodeAt(q)
          if (d >= 49 && d <= 57) increment = d - 48
          else if (d !== 43 && d !== 45) break
        }
        // Its parent is the collection it is a value of; without one on this line, the lowest (never too strict).
        const parent = collection
        block = { parent, indent: increment > 0 ? parent + increment : -1 }
        break
      }
      if (c === 34 || c === 39 /* " ' */) {
        scalar = properties >= 0 ? properties : column
        properties = -1
        hadKey = true
        const close = closingQuote(text, p + 1, le, c)
        if (close < 0) {
          quote = c
          break
        }
        simpleKey = false
        p = close + 1
        continue
      }
      // A plain scalar: to `: `, ` #`, the end of the line (or, in a flow collection, an indicator).
      scalar = properties >= 0 ? properties : column
      properties = -1
      hadKey = true
      simpleKey = false
      let q = p
      let stopped = false
      for (; q < le; q++) {
        const d = text.charCodeAt(q)
        const e = q + 1 < le ? text.charCodeAt(q + 1) : 10
        if (d === 58 && (isSpace(e) || e === 10 || e === 13 || (flow > 0 && isFlowIndicator(e)))) break
        if (d === 35 && isSpace(text.charCodeAt(q - 1))) break
        if (flow > 0 && isFlowIndicator(d)) break
      }
      stopped = q < le
      endsInPlain = !stopped && flow === 0
      p = q
    }
    // A plain scalar that ends the line may go on over the next ones (past its collection's column;
    // past any column when the line names no collection: never too strict).
    if (endsInPlain) plain = collection
    ls = next
  }
  return undefined
}

/** Where goyaml stops, and its words ("found …"). */
export interface RefusedTab {
  offset: number
  found: string
}

/** The closing quote of a quoted scalar in text[from, to): `\` escapes in double quotes, `''` in single; -1 when the line does not close it. */
function closingQuote(text: string, from: number, to: number, quote: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    if (quote === 34 && c === 92) {
      i++
      continue
    }
    if (c !== quote) continue
    if (quote === 39 && text.charCodeAt(i + 1) === 39 && i + 1 < to) {
      i++
      continue
    }
    return i
  }
  return -1
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125
}

function restIsBlank(text: string, i: number, end: number): boolean {
  for (; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 13) return false
  }
  return true
}
