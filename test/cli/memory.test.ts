import { expect, it } from 'vitest'
import { collectGarbage } from '../../src/memory.js'

it('collectGarbage runs a full collection: an object no longer referenced is gone', async () => {
  let big: number[] | undefined = new Array(1_000_000).fill(1)
  const ref = new WeakRef(big)
  big = undefined
  // A WeakRef keeps its target alive until the current job ends.
  await new Promise((resolve) => setTimeout(resolve, 0))
  expect(collectGarbage()).toBe(true)
  expect(ref.deref()).toBeUndefined()
})
