import { isAbsolute, relative as relativePath, resolve as resolvePath } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { DEFAULT_FIXTURES_PATH } from '../fixtures/load-fixtures.js'
import { watchFixtures } from '../fixtures/watch-fixtures.js'
import { installLatency } from '../http/latency.js'
import type { ResolvedOptions } from '../options.js'
import type { MockState } from '../state.js'

/** Where the mock's demo home page goes when a proxied or static front end owns `/`. */
export const MOCK_HOME_WHEN_FRONT_END = '/__mock/'

/** The path of the mock's demo home page: `/`, or {@link MOCK_HOME_WHEN_FRONT_END} with `--proxy`/`--static`. */
export function mockHomePath(options: Pick<ResolvedOptions, 'proxy' | 'static'>): string {
  return options.proxy !== undefined || options.static !== undefined ? MOCK_HOME_WHEN_FRONT_END : '/'
}

/** The fixture file `--watch` watches, or undefined when fixtures are an object or watching is off. */
export function watchedFixtureFile(options: Pick<ResolvedOptions, 'watch' | 'fixtures'>): string | undefined {
  if (!options.watch) return undefined
  if (options.fixtures === undefined) return DEFAULT_FIXTURES_PATH
  return typeof options.fixtures === 'string' ? options.fixtures : undefined
}

/** Banner lines for the active integrations (none when none is on); `url` is where the mock listens. */
export function devIntegrationBannerLines(url: string, options: ResolvedOptions): string[] {
  const lines: string[] = []
  const file = watchedFixtureFile(options)
  if (file !== undefined) lines.push(`  Watching ${displayPath(file)}: saved edits apply without a restart; a broken edit changes nothing`)
  if (options.proxy !== undefined) lines.push(`  Proxying unknown routes to ${options.proxy} (WebSockets too)`)
  if (options.static !== undefined) lines.push(`  Serving ${displayPath(options.static)} at ${url}/`)
  if (options.proxy !== undefined || options.static !== undefined) lines.push(`  Mock home page: ${url}${MOCK_HOME_WHEN_FRONT_END} (/ is the front end's)`)
  if (options.latency && options.latency.max > 0) {
    const { min, max } = options.latency
    lines.push(`  Latency: ${min === max ? `${min} ms` : `${min}-${max} ms`} on /login.php, /account.php, /customer/current.jwt, /login/token/*`)
  }
  return lines
}

// Relative to the working directory when inside it: shorter, and what the user typed.
function displayPath(path: string): string {
  const relative = relativePath(process.cwd(), resolvePath(path))
  return relative && !relative.startsWith('..') && !isAbsolute(relative) ? relative : resolvePath(path)
}

/**
 * Wire the development integrations into a freshly built app: `--latency` (an `onRoute` hook,
 * so call this before any route is registered), `--watch`, and the `--proxy` or `--static`
 * front end. Everything it opens is closed by the app's `onClose`.
 */
export function installDevIntegration(app: FastifyInstance, options: ResolvedOptions, state: MockState): void {
  if (options.latency) installLatency(app, options.latency)

  const file = watchedFixtureFile(options)
  if (file !== undefined) {
    const watcher = watchFixtures({ file, apply: (store) => state.reload(store), log: app.log })
    app.addHook('onClose', (_instance, done) => {
      watcher.close()
      done()
    })
  }

  // Imported only when asked for: the proxy and static plugins cost ~150 ms of start-up.
  const { proxy, static: root } = options
  if (proxy !== undefined) {
    app.register(async (instance) => instance.register((await import('./proxy.js')).frontEndProxy, { upstream: proxy }))
  } else if (root !== undefined) {
    app.register(async (instance) => instance.register((await import('./static-files.js')).frontEndStatic, { root }))
  }
}
