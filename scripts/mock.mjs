// `npm run mock`: build dist/ first when it is missing or older than the sources (a fresh
// clone, or an edit since the last build), then run the CLI in this same process.
//
// package.json runs this with `exec`, so npm's own process is this one's parent and the
// SIGINT and SIGTERM it passes on reach the mock (a shell left in between, as dash leaves,
// dies of SIGTERM and ignores SIGINT, and the mock kept running without a word). npm killed
// outright passes nothing on: then this process finds itself with another parent and stops
// as on SIGTERM.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { clearInterval, setInterval } from 'node:timers'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** How often the parent is checked; the mock stops at most this long after npm is killed. */
const PARENT_CHECK_MS = 250

const parentWatch = process.env.npm_lifecycle_event === 'mock' ? watchParent(process.ppid) : undefined

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'dist', 'bin', 'cli.js')

function builtAt() {
  try {
    return statSync(cli).mtimeMs
  } catch {
    return -1
  }
}

function newestSource() {
  let newest = statSync(join(root, 'tsconfig.json')).mtimeMs
  for (const entry of readdirSync(join(root, 'server'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs)
  }
  return newest
}

if (builtAt() < newestSource()) {
  process.stderr.write('bigcommerce-mock: building dist/ (npm run build) ...\n')
  const npm = process.env.npm_execpath
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] })
    : spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' })
  if (result.status !== 0) {
    process.stderr.write('bigcommerce-mock: the build failed (see above)\n')
    process.exit(1)
  }
}

await import(pathToFileURL(cli).href)
// The CLI has its signal handlers now. The first SIGINT or SIGTERM ends the watch: a SIGTERM sent
// after it would count as a second signal and cut the clean shutdown short.
parentWatch?.endOnSignal()

/**
 * SIGTERM to this process once its parent is no longer `parent` (it died and the process was
 * handed to init or a subreaper). The timer does not keep the process alive on its own (after
 * --help, say).
 */
function watchParent(parent) {
  let watching = true
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    end()
    process.kill(process.pid, 'SIGTERM')
  }, PARENT_CHECK_MS).unref()
  const end = () => {
    watching = false
    clearInterval(timer)
    process.off('SIGINT', end).off('SIGTERM', end)
  }
  return {
    endOnSignal() {
      if (watching) process.once('SIGINT', end).once('SIGTERM', end)
    },
  }
}
