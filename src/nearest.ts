// "Did you mean …?": the nearest of some names to a word that is probably a typo of one of them.

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]
}

/** The candidate nearest to `word` when it is a close typo (case, `-`/`_` and a few edits), else undefined. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '')
  const same = candidates.find((c) => squash(c) === squash(word))
  if (same !== undefined) return same
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 4))
  return bestDistance <= limit && bestDistance < word.length / 2 ? best : undefined
}
