// The young generation's size. Node 22 and later (V8 12+) size it from the machine's memory: on a
// 24 GB machine the new space grows to ~134 MB under the 100k bench input, all of it resident,
// where Node 20 stops at ~34 MB (two semi-spaces of 16 MB). Everything pullcheck builds lives
// until the report, so a larger young generation mostly holds copies of what survives.
// `--max-semi-space-size` set at run time does not act; `--semi-space-growth-factor`, which V8
// reads each time it grows the new space, does. Once the new space reaches Node 20's size, it is
// told to grow no further.

const CAP_BYTES = 32 * 1024 * 1024
/** Below this heap, the new space cannot have grown past the cap: node:v8 (~2.5 ms) is not loaded. */
const HEAP_BEFORE_LOOKING = 48 * 1024 * 1024
let capped = false

/** Stops the young generation's growth once it is as large as Node 20's; cheap to call often. */
export function capYoungGeneration(): void {
  if (capped || process.memoryUsage().heapTotal < HEAP_BEFORE_LOOKING) return
  const v8 = process.getBuiltinModule('node:v8')
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
  if (space === undefined || space.space_size < CAP_BYTES) return
  v8.setFlagsFromString('--semi-space-growth-factor=1')
  capped = true
}
