// `npm run mock`: build dist/ first when it is missing or older than the sources (a fresh
// clone, or an edit since the last build), then run the CLI in this same process.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

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
