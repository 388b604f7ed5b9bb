// A project that uses the package as a consumer does (the packed tarball, an install from git,
// Jest): its commands run as from a user's shell, on the Node running the suite.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { delimiter, dirname } from 'node:path'
import { CliProcess, cleanEnv, ROOT } from './cli.js'

/**
 * The environment of a consumer's commands: npm and npx start on this Node (through `env node`),
 * without npm's variables from a surrounding `npm test`, tap's loaders in NODE_OPTIONS, or the
 * update, funding and audit notices.
 */
export const consumerEnv: NodeJS.ProcessEnv = cleanEnv({
  PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
})
for (const key of Object.keys(consumerEnv)) if (key.startsWith('npm_') && !key.startsWith('npm_config_')) delete consumerEnv[key]
delete consumerEnv.npm_config_prefix
delete consumerEnv.NODE_OPTIONS

/** Run `command` in `cwd` to its end (killed after `timeout` ms), output as text. */
export function runIn(command: string, args: string[], cwd: string, timeout = 60_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: consumerEnv, encoding: 'utf8', timeout })
}

/** What `npm pack --json` says of the tarball it made. */
export interface PackInfo {
  filename: string
  files: { path: string; size: number }[]
  entryCount: number
  size: number
  unpackedSize: number
}

/**
 * `npm pack` of this project into `destination`. dist/ is built already (`npm test` builds
 * first); --ignore-scripts keeps prepack from removing it under the test files running beside.
 */
export function packTarball(destination: string): PackInfo {
  const pack = runIn('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], ROOT)
  if (pack.status !== 0) throw new Error(`npm pack failed\n${pack.stderr}`)
  return (JSON.parse(pack.stdout) as [PackInfo])[0]
}

/**
 * `npx --no-install bigcommerce-mock ARGS` in `cwd`, in a process group of its own; `teardown`
 * gets what kills the whole group (npx, its shell and the bin's node process) unless it exited.
 */
export function startNpxMock(cwd: string, args: string[], teardown: (fn: () => Promise<void>) => void): CliProcess {
  const child = spawn('npx', ['--no-install', 'bigcommerce-mock', ...args], {
    cwd,
    env: consumerEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const cli = new CliProcess(child)
  teardown(async () => {
    if (cli.exit) return
    process.kill(-child.pid!, 'SIGKILL')
    await cli.exited
  })
  return cli
}
