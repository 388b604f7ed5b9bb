// The default fixtures' demo secrets are long enough for every HMAC library (PyJWT 2.10 and later
// warn below the hash size, an error under `pytest -W error`), and every file that restates them
// (the manual, the examples, the tests) says them as fixtures/store.yaml does.
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join, relative } from 'node:path'
import t from 'tap'
import { loadFixtures, WRONG_SECRET, type App } from '../../server/index.js'
import { ROOT } from '../helpers/cli.js'
import { DEMO } from '../helpers/storefront.js'

/** RFC 7518 section 3.2: an HS512 key at least as long as the hash; applied to every demo app. */
const MIN_SECRET_BYTES = 64

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

t.test('every default fixture app has a secret of at least 64 bytes', async (t) => {
  const apps = loadFixtures().apps
  t.ok(apps.length >= 2, 'the default fixtures have their demo apps')
  for (const app of apps)
    t.ok(bytes(app.clientSecret) >= MIN_SECRET_BYTES, `${app.clientId} (${app.algorithm}): ${bytes(app.clientSecret)} bytes`)
})

t.test("the tests' DEMO values are the default fixtures' apps", async (t) => {
  const apps = loadFixtures().apps.map(({ clientId, clientSecret, algorithm, accessToken }) => ({
    clientId,
    secret: clientSecret,
    accessToken,
    algorithm,
  }))
  t.same(apps, [
    { ...DEMO.hs512App, algorithm: 'HS512' },
    { ...DEMO.hs256App, algorithm: 'HS256' },
  ])
})

t.test("the wrong-secret fault's public secret is at least 64 bytes, and the docs name it", async (t) => {
  t.ok(bytes(WRONG_SECRET) >= MIN_SECRET_BYTES, `WRONG_SECRET: ${bytes(WRONG_SECRET)} bytes`)
  for (const file of ['docs/failure-scenarios.md', 'openapi/mock-control.yaml'])
    t.ok(readFileSync(join(ROOT, file), 'utf8').includes(`\`${WRONG_SECRET}\``), `${file} names it`)
})

/** Folders and files that hold no restated secret, or are not ours. */
const SKIPPED = new Set([
  'node_modules',
  'dist',
  '.git',
  '.tap',
  'test-output',
  'bench-results',
  'coverage',
  '__pycache__',
  '.pytest_cache',
])
const TEXT = new Set(['.md', '.ts', '.mjs', '.js', '.py', '.yaml', '.yml', '.json', '.sh', ''])

function* textFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* textFiles(path)
    else if (entry.isFile() && TEXT.has(extname(entry.name)) && entry.name !== 'package-lock.json') yield path
  }
}

for (const [kind, prefix, ofApp] of [
  ['secret', 'demo-client-secret-', (app: App) => app.clientSecret],
  ['access token', 'demo-access-token-', (app: App) => app.accessToken],
] as const)
  t.test(`every demo ${kind} restated in the repository is a default fixture app's`, async (t) => {
    const secrets = new Set(loadFixtures().apps.flatMap((app) => ofApp(app) ?? []))
    t.equal(secrets.size, loadFixtures().apps.length, `each default app has its ${kind}`)
    const seen = new Map<string, string[]>()
    for (const file of textFiles(ROOT)) {
      const lines = readFileSync(file, 'utf8').split('\n')
      lines.forEach((line, index) => {
        for (const [value] of line.matchAll(new RegExp(`${prefix}[A-Za-z0-9-]+`, 'g'))) {
          const where = `${relative(ROOT, file)}:${index + 1}`
          seen.set(value, [...(seen.get(value) ?? []), where])
          if (!secrets.has(value)) t.fail(`${where} says ${value}, which is no default fixture app's ${kind}`)
        }
      })
    }
    for (const secret of secrets) {
      const places = seen.get(secret) ?? []
      // The scan finds a secret by its prefix, so each must have it.
      t.match(secret, new RegExp(`^${prefix}[A-Za-z0-9-]+$`), `${secret} is found by the scan`)
      t.ok(
        places.some((where) => where.startsWith('fixtures/store.yaml:')),
        `${secret} is in fixtures/store.yaml`,
      )
      t.ok(
        places.some((where) => where.startsWith('docs/fixtures.md:')),
        `docs/fixtures.md publishes ${secret}`,
      )
    }
    t.ok(seen.size > 0, 'the scan found the restated secrets')
  })
