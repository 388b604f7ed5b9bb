#!/usr/bin/env node
/**
 * The `bigcommerce-mock` command (`npm run mock`): see `run-cli.ts`. This entry only turns on
 * Node's on-disk compile cache (Node 22.1 and later) before anything else loads, so every start
 * after the first skips compiling the server's modules and its dependencies; then it runs the CLI.
 */
import module from 'node:module'

module.enableCompileCache?.()
await import('./run-cli.js')
