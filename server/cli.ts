#!/usr/bin/env node
/**
 * The `bigcommerce-mock` command (`npm run mock`): see `run-cli.ts`. This entry only turns on
 * Node's on-disk compile cache (Node 22.1 and later) before anything else loads, so every start
 * after the first skips compiling the server's modules and its dependencies; then it runs the CLI.
 * The cache holds code that runs, so it is kept only where no other user can write (never Node's
 * default, `$TMPDIR/node-compile-cache`): see `files/cache-directory.ts`. Without such a place
 * the CLI starts without it (`NODE_DEBUG=bigcommerce-mock` says why). Each build keeps its own
 * folder there, and only the last few builds' are kept.
 */
import module from 'node:module'
import { debuglog } from 'node:util'
import { compileCacheDirectory } from './files/cache-directory.js'

/** This build, `<version>-<bundle hash>`: `scripts/build.mjs` writes it in place of this placeholder. */
const BUILD = '__BIN_BUILD__'

// NODE_COMPILE_CACHE: Node has turned the cache on there itself; NODE_DISABLE_COMPILE_CACHE: off.
// (Node reads an empty NODE_COMPILE_CACHE as unset, but NODE_DISABLE_COMPILE_CACHE as set whatever its value.)
if (!process.env.NODE_COMPILE_CACHE && process.env.NODE_DISABLE_COMPILE_CACHE === undefined && module.enableCompileCache) {
  const cache = compileCacheDirectory(BUILD)
  if ('dir' in cache) {
    // Node makes its folder in it now, with the umask: keep that private too, whatever the umask.
    const umask = process.umask(0o077)
    module.enableCompileCache(cache.dir)
    process.umask(umask)
  } else {
    debuglog('bigcommerce-mock')('compile cache off: %s', cache.problem)
  }
}
await import('./run-cli.js')
