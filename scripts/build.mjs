// The package's build, after tsc has type-checked the sources (`npm run build`; also run by
// `prepare` on an install from git and by `prepack`). esbuild bundles the server into the three
// folders the package ships:
//   dist/api/     the API: index.js (ESM) and index.cjs (CommonJS, for Jest and every runner that
//                 only `require`s), index.d.ts and index.d.cts (one declaration file each, by
//                 dts-bundle-generator), and the ESM build's lazily loaded parts
//   dist/bin/     the bin: cli.js turns on the compile cache, then imports the rest, which holds
//                 the dependencies every start needs (one file to read and compile instead of
//                 hundreds); and the --watch worker thread
//   dist/assets/  the page scripts, served as they are
//   dist/msw/     the MSW handlers (`bigcommerce-mock-storefront/msw`): index.js (ESM) and
//                 index.cjs (CommonJS) for Node, browser.js (ESM, every dependency inside but msw,
//                 for the `browser` condition: no node: module, no file reading, no Buffer), and
//                 their declaration files
// tsc's own output (dist/server, dist/scripts) is for the bench and screenshot scripts only.
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const dependencies = Object.keys(require('../package.json').dependencies)
/** Loaded only by the runs that use them (--https, --proxy, --static, pretty logs): never bundled. */
const ON_DEMAND = ['selfsigned', '@fastify/http-proxy', '@fastify/static', 'pino-pretty']
// Each package and its subpaths (`@faker-js/faker/locale/en`).
const externals = (names) => names.flatMap((name) => [name, `${name}/*`])

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  logLevel: 'warning',
  // Dependencies' licence comments stay with their code.
  legalComments: 'inline',
}
// The CommonJS builds: the dependencies every run loads are inside (see the API's below).
const cjs = {
  ...common,
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // import() of the others becomes require(): Jest's CommonJS has no import() without a flag.
  supported: { 'dynamic-import': false },
  // CommonJS has no import.meta: the modules that find files from their own URL get the bundle's.
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
}
/** msw is the project's own (a peer dependency, 2.x or 3.x): never bundled. */
const MSW = ['msw']

/**
 * The browser build: a module with a `.browser.ts` sibling (`domain/crypto-port.ts`,
 * `msw/platform.ts`, `http/current-customer-spec-source.ts`) is swapped for it, so the bundle
 * holds the pure implementations and the documents built in as text.
 */
const browserSiblings = {
  name: 'browser-siblings',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData?.resolving) return undefined
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      })
      if (resolved.errors.length > 0 || !resolved.path.endsWith('.ts') || resolved.path.endsWith('.browser.ts')) return resolved
      const sibling = resolved.path.replace(/\.ts$/, '.browser.ts')
      return existsSync(sibling) ? { ...resolved, path: sibling } : resolved
    })
  },
}

// ESM with code splitting: what the sources import dynamically (--proxy, --static, the server
// behind --help) stays a file loaded when needed, and so do the external imports it makes.
const esm = { ...common, format: 'esm', splitting: true, chunkNames: '[name]-[hash]' }

for (const dir of ['api', 'bin', 'assets', 'msw']) rmSync(join(root, 'dist', dir), { recursive: true, force: true })
await Promise.all([
  build({ ...esm, entryPoints: { index: 'server/index.ts' }, outdir: 'dist/api', external: externals(dependencies) }),
  build({
    ...cjs,
    entryPoints: { index: 'server/index.ts' },
    outdir: 'dist/api',
    // The dependencies every run loads are inside: several are ESM-only or load an ESM-only one
    // with import() (@faker-js/faker, jose, @fastify/cookie's cookie), which a runner without
    // require(esm) or ESM support (Jest's default set-up) cannot load.
    external: externals(ON_DEMAND),
  }),
  build({ ...esm, entryPoints: { index: 'server/msw/index.ts' }, outdir: 'dist/msw', external: externals([...dependencies, ...MSW]) }),
  build({ ...cjs, entryPoints: { index: 'server/msw/index.ts' }, outdir: 'dist/msw', external: externals(MSW) }),
  build({
    ...common,
    entryPoints: { browser: 'server/msw/index.ts' },
    outdir: 'dist/msw',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'eof',
    // jose serves only Store.verifyToken, which the handlers never call: left to the page's bundler.
    external: externals([...MSW, 'jose']),
    loader: { '.yaml': 'text' },
    plugins: [browserSiblings],
  }),
  build({
    ...esm,
    entryPoints: { cli: 'server/cli.ts', 'reload-worker': 'server/fixture-loader/reload-worker.ts' },
    outdir: 'dist/bin',
    external: externals(ON_DEMAND),
    // The bundled CommonJS dependencies (fastify and its own) call require() for Node's modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }),
])

// The bin's build key, `<version>-<hash of every other file of dist/bin>`, in place of cli.js's
// placeholder: the compile cache keeps a folder per build, and removes older builds' folders
// (server/files/cache-directory.ts), so it stays bounded however often the bin is rebuilt.
{
  const bin = join(root, 'dist', 'bin')
  const hash = createHash('sha256')
  const others = readdirSync(bin).filter((name) => name !== 'cli.js')
  for (const name of others.sort()) hash.update(`${name}\0`).update(readFileSync(join(bin, name)))
  const key = `${require('../package.json').version}-${hash.digest('hex').slice(0, 16)}`
  const cli = readFileSync(join(bin, 'cli.js'), 'utf8')
  const parts = cli.split('__BIN_BUILD__')
  if (parts.length !== 2) throw new Error(`build: dist/bin/cli.js holds the build key placeholder ${parts.length - 1} times, expected once`)
  writeFileSync(join(bin, 'cli.js'), parts.join(key))
}

// The page scripts: every file under a server/**/assets/ folder.
let copied = 0
for (const entry of readdirSync(join(root, 'server'), { recursive: true, withFileTypes: true })) {
  const file = join(entry.parentPath, entry.name)
  if (!entry.isFile() || !relative(join(root, 'server'), file).split(sep).slice(0, -1).includes('assets')) continue
  mkdirSync(join(root, 'dist', 'assets'), { recursive: true })
  copyFileSync(file, join(root, 'dist', 'assets', entry.name))
  copied++
}
if (copied === 0) throw new Error('build: no files under server/**/assets/ (expected the page scripts)')

// One declaration file for the whole API, for each module kind: it imports only packages
// (fastify, jose, node:), and the extension tells TypeScript which kind it describes. The
// CommonJS one imports the types of an ESM-only package (jose) as ESM, which TypeScript's node16
// setting requires of a CommonJS file.
const { generateDtsBundle } = require('dts-bundle-generator')
// The MSW entry's with the DOM library too: msw's own types name DOM types (EventInit).
const entries = [
  ['server/index.ts', 'dist/api', 'tsconfig.json'],
  ['server/msw/index.ts', 'dist/msw', 'scripts/tsconfig.msw-types.json'],
]
const declarations = entries.map(
  ([entry, , config]) =>
    generateDtsBundle([{ filePath: join(root, entry), output: { noBanner: true } }], { preferredConfigPath: join(root, config) })[0],
)
const esmOnly = (name) => require(`${name}/package.json`).type === 'module'
entries.forEach(([, dir], index) => {
  const types = declarations[index]
  writeFileSync(join(root, dir, 'index.d.ts'), types)
  writeFileSync(
    join(root, dir, 'index.d.cts'),
    types.replace(/^import (\{[^}]*\}) from '([^':]+)';$/gm, (line, names, name) =>
      esmOnly(name) ? `import type ${names} from '${name}' with { 'resolution-mode': 'import' };` : line,
    ),
  )
})
