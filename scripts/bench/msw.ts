import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { getResponse } from 'msw'
import { setupServer } from 'msw/node'
import { createMockStorefrontHandlers } from '../../server/msw/index.js'
import { startMockStorefront } from '../../server/index.js'
import { mean, median, num, percentile, ratio, table } from './figures.js'
import { int } from './knobs.js'
import { PACKAGE_ROOT } from './paths.js'
import { target, type Log, type Section } from './section.js'
import { DEMO, TOKEN_PATH } from './storefront.js'

/** Where the handlers answer in the throughput phase: any origin does; this one is never resolved. */
const ORIGIN = 'http://shop.bench.invalid'

/**
 * MSW handlers (`bigcommerce-mock-storefront/msw`), in this process:
 * - a fresh `createMockStorefrontHandlers()` per test with the default fixtures, after one
 *   warm-up (target: median at most 1 ms);
 * - tokens per second, the demo customer signed in through the handle, `inFlight` requests at
 *   a time, in interleaved rounds: through the handlers as a test gets them (`fetch`, intercepted
 *   by msw/node's `setupServer(...handlers)`), the same handlers called directly (msw's
 *   `getResponse`: what msw's interception costs is the difference), and the server's token route
 *   fetched from the same process (`startMockStorefront()` on loopback). Reported, no target: all
 *   three share the `Store` and its signing, and differ in what carries the request;
 * - the browser build (the `browser` condition of the `./msw` export): the file as shipped, and
 *   what a page that imports `createMockStorefrontHandlers` and already has msw adds (esbuild,
 *   bundled for browsers, minified), each raw and gzipped (zlib, default level), with jose's
 *   part. Reported, no target.
 * Knobs: `BENCH_MSW_RUNS` (500, at least 50), `BENCH_MSW_ROUNDS` (3), `BENCH_MSW_SECONDS` (3).
 */
export const msw: Section = {
  name: 'msw',
  prepare() {
    const settings = {
      runs: int('BENCH_MSW_RUNS', 500, 50),
      rounds: int('BENCH_MSW_ROUNDS', 3),
      seconds: int('BENCH_MSW_SECONDS', 3),
      inFlight: 10,
    }
    const run = async (log: Log) => {
      const problems: string[] = []

      // A fresh storefront per test.
      const freshMs: number[] = []
      for (let index = 0; index <= settings.runs; index++) {
        const began = performance.now()
        createMockStorefrontHandlers()
        const took = performance.now() - began
        if (index > 0) freshMs.push(took)
      }
      const fresh = { medianMs: median(freshMs), p90Ms: percentile(freshMs, 90), maxMs: Math.max(...freshMs) }
      log(`fresh handlers: median ${fresh.medianMs.toFixed(3)} ms over ${settings.runs} runs`)

      // Tokens per second: through the handlers (intercepted fetch, and called directly), and through the server's route.
      const { handlers, storefront } = createMockStorefrontHandlers()
      storefront.login(DEMO.email)
      const interceptor = setupServer(...handlers)
      const rounds: Record<Way, number>[] = []
      for (let round = 1; round <= settings.rounds; round++) {
        interceptor.listen({ onUnhandledFrame: 'error' })
        let intercepted: number
        try {
          intercepted = await tokensPerSecond(() => fetch(`${ORIGIN}${TOKEN_PATH}`), settings, problems, 'handlers')
        } finally {
          interceptor.close()
        }
        const direct = await tokensPerSecond(
          async () => (await getResponse(handlers, new Request(`${ORIGIN}${TOKEN_PATH}`))) ?? new Response(null, { status: 599 }),
          settings,
          problems,
          'getResponse',
        )
        // A server per round: fetch's pooled connections of the last round may have idled past the
        // server's keep-alive timeout, and one reused as it closes would fail a request.
        const server = await startMockStorefront()
        let overSocket: number
        try {
          const cookie = server.login(DEMO.email)
          overSocket = await tokensPerSecond(
            () => fetch(`${server.url}${TOKEN_PATH}`, { headers: { cookie } }),
            settings,
            problems,
            'server',
          )
        } finally {
          await server.close()
        }
        rounds.push({ intercepted, direct, server: overSocket })
        log(
          `round ${round}/${settings.rounds}: handlers ${intercepted.toFixed(0)}, getResponse ${direct.toFixed(0)}, server ${overSocket.toFixed(0)} tokens/s`,
        )
      }
      const tokens = Object.fromEntries(WAYS.map(({ way }) => [way, mean(rounds.map((r) => r[way]))])) as Record<Way, number>

      const bundle = await browserBundle()
      const kib = (bytes: number): string => `${num(bytes / 1024, 1)} KiB`
      const report = [
        `MSW HANDLERS  in-process, default fixtures; ${settings.runs} fresh handler sets after one warm-up; tokens: ${settings.rounds} interleaved rounds x ${settings.seconds} s, ${settings.inFlight} requests in flight`,
        table(
          ['fresh createMockStorefrontHandlers()', 'median ms', 'p90 ms', 'max ms'],
          [['default fixtures', num(fresh.medianMs, 3), num(fresh.p90Ms, 3), num(fresh.maxMs, 3)]],
        ),
        table(
          ['tokens per second, same process', 'mean', ...rounds.map((_, index) => `round ${index + 1}`)],
          [
            ...WAYS.map(({ way, label }) => [label, num(tokens[way]), ...rounds.map((r) => num(r[way]))]),
            ['handlers through msw/node / server', ratio(tokens.intercepted / tokens.server)],
          ],
        ),
        table(
          ['browser build', 'raw', 'gzipped'],
          [
            [`${bundle.file} (as shipped)`, kib(bundle.shipped.raw), kib(bundle.shipped.gzip)],
            ['a page with msw already: what it adds, minified', kib(bundle.page.raw), kib(bundle.page.gzip)],
            ['  of which jose (left to the page by the build)', kib(bundle.joseBytes), ''],
          ],
        ),
        `  the page's bundle: esbuild, platform browser, import { createMockStorefrontHandlers } from the ./msw export's browser build, msw external, minified; gzip: zlib, default level`,
      ].join('\n')
      return {
        results: { fresh, rounds, tokens, bundle },
        report,
        targets: [target('fresh createMockStorefrontHandlers(), median ms', fresh.medianMs, '<=', 1, (value) => num(value, 3))],
        problems,
      }
    }
    return { settings, run }
  },
}

/** The ways a token is asked for, in the order each round takes them. */
const WAYS = [
  { way: 'intercepted', label: 'handlers: fetch through msw/node setupServer' },
  { way: 'direct', label: "handlers called directly: msw's getResponse" },
  { way: 'server', label: 'server: fetch to startMockStorefront(), loopback' },
] as const
type Way = (typeof WAYS)[number]['way']

/** `ask` called for `seconds`, `inFlight` at a time; every answer must be a 200 with a token. */
async function tokensPerSecond(
  ask: () => Promise<Response>,
  { seconds, inFlight }: { seconds: number; inFlight: number },
  problems: string[],
  label: string,
): Promise<number> {
  const until = performance.now() + seconds * 1000
  const began = performance.now()
  let count = 0
  const failures = new Map<string, number>()
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const response = await ask()
      const body = await response.text()
      if (response.status === 200 && body.split('.').length === 3) count++
      else failures.set(`${response.status}`, (failures.get(`${response.status}`) ?? 0) + 1)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  for (const [status, times] of failures) problems.push(`${label}: ${times} answer(s) with status ${status}, not a token`)
  return count / ((performance.now() - began) / 1000)
}

/**
 * The `./msw` export's browser build: its size as shipped, and what a page that imports
 * `createMockStorefrontHandlers` and already has msw adds to its bundle (with the part of it
 * that is jose, which the build leaves to the page's bundler).
 */
async function browserBundle(): Promise<{ file: string; shipped: Sizes; page: Sizes; joseBytes: number }> {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }
  const file = browserFile(manifest.exports['./msw'])
  const path = join(PACKAGE_ROOT, file)
  const result = await build({
    stdin: {
      contents: `import { createMockStorefrontHandlers } from ${JSON.stringify(path)}\nglobalThis.createMockStorefrontHandlers = createMockStorefrontHandlers\n`,
      resolveDir: PACKAGE_ROOT,
    },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    external: ['msw', 'msw/*'],
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.contents
  if (!code) throw new Error(`esbuild made no bundle of ${file}`)
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {})
  const joseBytes = inputs
    .filter(([input]) => input.includes('node_modules/jose/'))
    .reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0)
  return { file, shipped: sizes(readFileSync(path)), page: sizes(code), joseBytes }
}

interface Sizes {
  raw: number
  gzip: number
}

function sizes(bytes: Uint8Array): Sizes {
  return { raw: bytes.byteLength, gzip: gzipSync(bytes).byteLength }
}

/** The file the `browser` condition of an export names (its `import` or `default` branch). */
function browserFile(entry: unknown): string {
  const browser = (entry as { browser?: unknown } | undefined)?.browser
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value
    if (value && typeof value === 'object') {
      const branches = value as Record<string, unknown>
      return pick(branches.import) ?? pick(branches.default)
    }
    return undefined
  }
  const file = pick(browser)
  if (file === undefined) throw new Error('package.json has no browser condition in exports["./msw"]')
  return file
}
