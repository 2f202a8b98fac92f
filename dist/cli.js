#!/usr/bin/env node
// pullcheck's CLI: turns Node's compile cache on, then loads the bundle (cli-main.js).
// NODE_DISABLE_COMPILE_CACHE=1 turns the cache off.
import module from 'node:module'

try {
  module.enableCompileCache?.()
} catch {
  // a cache that cannot be used is no reason to stop
}
await import('./cli-main.js')
