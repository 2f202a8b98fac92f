// "Did you mean …?": the nearest of some names to a word that is probably a typo of one of them.

/** The edit distance of `a` and `b`, or `max + 1` as soon as it is known to exceed `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    let least = row[0]
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
      if (row[j] < least) least = row[j]
    }
    if (least > max) return max + 1
  }
  return row[b.length]
}

const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '')

/** The candidates lower-cased, by their squashed form, and their total length: made once per list (rules ask with the same list many times). */
const prepared = new WeakMap<readonly string[], { lower: string[]; bySquash: Map<string, string>; length: number }>()

function prepare(candidates: readonly string[]): { lower: string[]; bySquash: Map<string, string>; length: number } {
  let p = prepared.get(candidates)
  if (!p) {
    const bySquash = new Map<string, string>()
    let length = 0
    for (const c of candidates) {
      if (!bySquash.has(squash(c))) bySquash.set(squash(c), c)
      length += c.length
    }
    p = { lower: candidates.map((c) => c.toLowerCase()), bySquash, length }
    prepared.set(candidates, p)
  }
  return p
}

/**
 * The candidate nearest to `word` when it is a close typo (case, `-`/`_` and a few edits), else
 * undefined. Pass the same array for the same candidates: what is computed of them is kept.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const { lower, bySquash } = prepare(candidates)
  const same = bySquash.get(squash(word))
  if (same !== undefined) return same
  const limit = Math.min(Math.max(2, Math.floor(word.length / 4)), Math.ceil(word.length / 2) - 1)
  if (limit < 0) return undefined
  const w = word.toLowerCase()
  let best: string | undefined
  let bestDistance = limit + 1
  for (let i = 0; i < candidates.length; i++) {
    const d = editDistance(w, lower[i], bestDistance - 1)
    if (d < bestDistance) {
      best = candidates[i]
      bestDistance = d
    }
  }
  return best
}

/**
 * `nearest` with a budget shared by all its calls, for the rules that ask once per finding. The
 * budget counts the cells of the edit-distance tables a call may fill (the word's length times the
 * candidates' lengths), not comparisons: long names cost their length squared each, so that
 * thousands of missing names against thousands of candidates, or a few hundred long ones, would
 * cost minutes. Past the budget, no more suggestions; the findings stand without their hint. The
 * same question (a word and a candidate list) is answered once, whatever it costs.
 */
export function budgetedNearest(budget = 50_000_000): (word: string, candidates: readonly string[]) => string | undefined {
  let left = budget
  const answers = new WeakMap<readonly string[], Map<string, string | undefined>>()
  return (word, candidates) => {
    let known = answers.get(candidates)
    if (known?.has(word)) return known.get(word)
    const cost = (word.length + 1) * (prepare(candidates).length + candidates.length)
    if (left < cost) return undefined
    left -= cost
    const answer = nearest(word, candidates)
    if (!known) answers.set(candidates, (known = new Map()))
    known.set(word, answer)
    return answer
  }
}
