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
// tsc's own output (dist/server, dist/scripts) is for the bench and screenshot scripts only.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
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
// ESM with code splitting: what the sources import dynamically (--proxy, --static, the server
// behind --help) stays a file loaded when needed, and so do the external imports it makes.
const esm = { ...common, format: 'esm', splitting: true, chunkNames: '[name]-[hash]' }

for (const dir of ['api', 'bin', 'assets']) rmSync(join(root, 'dist', dir), { recursive: true, force: true })
await Promise.all([
  build({ ...esm, entryPoints: { index: 'server/index.ts' }, outdir: 'dist/api', external: externals(dependencies) }),
  build({
    ...common,
    entryPoints: { index: 'server/index.ts' },
    outdir: 'dist/api',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    // The dependencies every run loads are inside: several are ESM-only or load an ESM-only one
    // with import() (@faker-js/faker, jose, @fastify/cookie's cookie), which a runner without
    // require(esm) or ESM support (Jest's default set-up) cannot load.
    external: externals(ON_DEMAND),
    // import() of the others becomes require(): Jest's CommonJS has no import() without a flag.
    supported: { 'dynamic-import': false },
    // CommonJS has no import.meta: the modules that find files from their own URL get the bundle's.
    define: { 'import.meta.url': '__bundleFileUrl' },
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
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
const [types] = generateDtsBundle([{ filePath: join(root, 'server', 'index.ts'), output: { noBanner: true } }], {
  preferredConfigPath: join(root, 'tsconfig.json'),
})
const esmOnly = (name) => require(`${name}/package.json`).type === 'module'
writeFileSync(join(root, 'dist', 'api', 'index.d.ts'), types)
writeFileSync(
  join(root, 'dist', 'api', 'index.d.cts'),
  types.replace(/^import (\{[^}]*\}) from '([^':]+)';$/gm, (line, names, name) =>
    esmOnly(name) ? `import type ${names} from '${name}' with { 'resolution-mode': 'import' };` : line,
  ),
)
