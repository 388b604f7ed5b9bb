// Build step after tsc: copy every file under a server/**/assets/ folder to the same place in
// dist/server/, so the built server (and the published package) reads its page assets from
// next to its own modules and never from the TypeScript sources.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'server')
const target = join(root, 'dist', 'server')

let copied = 0
for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue
  const file = join(entry.parentPath ?? entry.path, entry.name)
  const rel = relative(source, file)
  if (!rel.split(sep).slice(0, -1).includes('assets')) continue
  mkdirSync(dirname(join(target, rel)), { recursive: true })
  copyFileSync(file, join(target, rel))
  copied++
}
if (copied === 0) {
  process.stderr.write('copy-assets: no files under server/**/assets/ (expected the page scripts)\n')
  process.exit(1)
}
