// The layers of server/: which folder (or top-level file) may import which, read from every
// import, export-from and dynamic import() of every server/**/*.ts file by TypeScript's own
// scanner. The README's code layout table states the same rules; a new folder or top-level file
// fails here until it is given its row.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import ts from 'typescript'

const SERVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'server')

/** Which packages an area may import: none at all, `node:` modules only, or any but those listed. */
type PackageRule = { kind: 'none' } | { kind: 'node' } | { kind: 'any'; except?: RegExp }

interface Layer {
  /** The areas (a folder `name/`, or a top-level file `name.ts`) it may import besides itself. */
  may: readonly string[]
  packages: PackageRule
}

const FLOOR = ['errors.ts', 'clock.ts', 'package-root.ts', 'encoding.ts']
const ADAPTERS = ['storefront/', 'control/', 'management/', 'frontend/', 'fixture-loader/', 'msw/']
/** The composition root's top-level files: they put the layers together and may import any of them. */
const COMPOSITION = [
  'banner.ts',
  'build-app.ts',
  'cli-flags.ts',
  'index.ts',
  'node-support.ts',
  'run-cli.ts',
  'start-mock-storefront.ts',
  'storefront-handle.ts',
]
const ALL_BUT_COMPOSITION = [...FLOOR, 'files/', 'domain/', 'http/', 'management-api/', ...ADAPTERS, 'options/']

/**
 * From the bottom up. Siblings on one floor never import each other: `domain/` and `http/`;
 * `storefront/`, `control/`, `management/`, `frontend/` and `fixture-loader/`. `management-api/`
 * sits between: the operations two adapters (`management/`, `msw/`) share.
 */
const LAYERS: Record<string, Layer> = {
  // The error catalogue: imported by every layer, so it imports nothing.
  'errors.ts': { may: [], packages: { kind: 'none' } },
  'clock.ts': { may: [], packages: { kind: 'none' } },
  // base64url in plain JavaScript, for the domain and the HTTP layer alike, in Node and browsers.
  'encoding.ts': { may: [], packages: { kind: 'none' } },
  'package-root.ts': { may: [], packages: { kind: 'node' } },
  // The CLI loads these before its compile cache is on: Node's own modules only.
  'files/': { may: [], packages: { kind: 'node' } },
  // The rules: no web framework, no file system (the fixture loader reads files, the store never).
  'domain/': {
    may: ['clock.ts', 'errors.ts', 'encoding.ts'],
    packages: { kind: 'any', except: /^(fastify|fastify-plugin|@fastify\/.*|node:fs(\/.*)?|node:http2?|node:https)$/ },
  },
  'http/': { may: ['errors.ts', 'files/', 'package-root.ts', 'encoding.ts'], packages: { kind: 'any' } },
  'fixture-loader/': { may: ['domain/', 'files/', 'errors.ts', 'package-root.ts'], packages: { kind: 'any' } },
  // The Management API's operations, framework-free: the server's plugin (management/) and the
  // MSW handlers (msw/) each adapt them, so neither Fastify nor Node's own modules.
  'management-api/': {
    may: ['domain/', 'http/', 'errors.ts'],
    packages: { kind: 'any', except: /^(fastify|fastify-plugin|@fastify\/.*|node:.*)$/ },
  },
  'storefront/': { may: ['domain/', 'http/', 'errors.ts', 'clock.ts', 'package-root.ts'], packages: { kind: 'any' } },
  'control/': { may: ['domain/', 'http/', 'errors.ts', 'clock.ts', 'package-root.ts'], packages: { kind: 'any' } },
  'management/': { may: ['domain/', 'http/', 'management-api/', 'errors.ts'], packages: { kind: 'any' } },
  'frontend/': { may: ['http/', 'errors.ts'], packages: { kind: 'any' } },
  // The MSW handlers: the store's rules without Fastify or Node's own modules (the browser bundle
  // takes them too); the fixture loader only from platform.ts, which the bundle swaps for its
  // .browser.ts sibling (test/msw/browser-bundle.test.ts scans the bundle).
  'msw/': {
    may: ['domain/', 'http/', 'management-api/', 'options/', 'fixture-loader/', 'errors.ts', 'clock.ts', 'encoding.ts'],
    packages: { kind: 'any', except: /^(fastify|fastify-plugin|@fastify\/.*|node:.*)$/ },
  },
  // Options are resolved against every floor's rules, but never reach the composition root.
  'options/': { may: [...FLOOR, 'files/', 'domain/', 'http/', 'management-api/', ...ADAPTERS], packages: { kind: 'any' } },
  ...Object.fromEntries(
    COMPOSITION.map((file) => [file, { may: ALL_BUT_COMPOSITION.concat(COMPOSITION), packages: { kind: 'any' } } satisfies Layer]),
  ),
  // The bin: its compile cache first (files/), then the CLI itself, loaded dynamically.
  'cli.ts': { may: ['files/', 'run-cli.ts'], packages: { kind: 'node' } },
}

/** The area a path under server/ belongs to: its top folder (`http/`), or the top-level file itself. */
function areaOf(path: string): string {
  const parts = relative(SERVER, path).split(sep)
  return parts.length === 1 ? (parts[0] ?? '').replace(/\.js$/, '.ts') : `${parts[0]}/`
}

function serverFiles(dir = SERVER): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return serverFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Every module a source text names: static imports (type-only too), export-from, import(), require. */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName)
}

/** What `file` (a path under server/) imports that its layer does not allow, one line each. */
function violations(file: string, text: string): string[] {
  const area = areaOf(file)
  const layer = LAYERS[area]
  const name = relative(SERVER, file)
  if (!layer) return [`${name}: ${area} has no row in the LAYERS table; give it one (and one in the README's code layout table)`]
  const found: string[] = []
  for (const specifier of importsOf(text)) {
    if (specifier.startsWith('.')) {
      const target = resolve(dirname(file), specifier)
      // A browser bundle's module builds a document the package ships in, as text (scripts/build.mjs).
      if (
        name.endsWith('.browser.ts') &&
        /^(openapi|fixtures)\/[^/]+\.yaml$/.test(relative(join(SERVER, '..'), target).split(sep).join('/'))
      )
        continue
      if (!target.startsWith(SERVER + sep)) {
        found.push(`${name}: imports ${specifier}, outside server/`)
        continue
      }
      const targetArea = areaOf(target)
      if (targetArea !== area && !layer.may.includes(targetArea))
        found.push(
          `${name}: imports ${specifier} (${targetArea}), which ${area} may not (it may import ${layer.may.join(', ') || 'nothing of server/'})`,
        )
      continue
    }
    const rule = layer.packages
    const isNode = specifier.startsWith('node:')
    if (rule.kind === 'none' || (rule.kind === 'node' && !isNode) || (rule.kind === 'any' && rule.except?.test(specifier))) {
      found.push(
        `${name}: imports ${specifier}, which ${area} may not (${rule.kind === 'none' ? 'it imports nothing' : rule.kind === 'node' ? "only Node's own node: modules" : `not ${rule.except?.source}`})`,
      )
    }
  }
  return found
}

t.test('every server/ file imports only what its layer allows', async (t) => {
  const files = serverFiles()
  t.ok(files.length > 50, `read ${files.length} files`)
  const found = files.flatMap((file) => violations(file, readFileSync(file, 'utf8')))
  t.same(found, [], found.join('\n'))
})

t.test('every area found has a row, and every row an area', async (t) => {
  const areas = new Set(serverFiles().map(areaOf))
  t.same([...areas].filter((area) => !(area in LAYERS)).sort(), [], 'areas without a row')
  t.same(
    Object.keys(LAYERS)
      .filter((area) => !areas.has(area))
      .sort(),
    [],
    'rows without an area',
  )
})

t.test('the check refuses what the layers forbid', async (t) => {
  const at = (path: string) => join(SERVER, path)
  t.match(
    violations(at('control/health.ts'), "import { CookiePolicy } from '../storefront/session-cookies.js'"),
    [/control\/health\.ts: imports \.\.\/storefront\/session-cookies\.js \(storefront\/\), which control\/ may not/],
    'a sibling adapter',
  )
  t.match(
    violations(at('http/logger.ts'), "import type { Store } from '../domain/store.js'"),
    [/which http\/ may not/],
    'a type-only import counts',
  )
  t.match(
    violations(at('domain/store.ts'), "import type { FastifyRequest } from 'fastify'"),
    [/domain\/store\.ts: imports fastify, which domain\/ may not/],
    'the web framework in the domain',
  )
  t.match(violations(at('domain/store.ts'), "import { readFileSync } from 'node:fs'"), [/imports node:fs/], 'the file system in the domain')
  t.match(
    violations(at('errors.ts'), "export { x } from './http/limits.js'"),
    [/errors\.ts: imports \.\/http\/limits\.js \(http\/\), which errors\.ts may not/],
    'an export-from',
  )
  t.match(
    violations(at('files/cache-directory.ts'), "const yaml = await import('yaml')"),
    [/imports yaml/],
    'a dynamic import of a package where only node: is allowed',
  )
  t.match(
    violations(at('options/resolve.ts'), "import { buildApp } from '../build-app.js'"),
    [/which options\/ may not/],
    'back up to the composition root',
  )
  t.match(violations(at('newfolder/x.ts'), ''), [/newfolder\/ has no row/], 'an unknown area')
  t.same(
    violations(
      at('storefront/home-route.ts'),
      "import type { Store } from '../domain/store.js'\nimport { ERRORS } from '../errors.js'\nimport { bareHost } from '../http/bare-host.js'",
    ),
    [],
    'allowed imports pass',
  )
})
