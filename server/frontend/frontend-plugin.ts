import fastifyPlugin from 'fastify-plugin'
import type { HostPolicy } from '../http/host-policy.js'

/** Options of {@link frontendPlugin}: at most one of the two (the options checker refuses both). */
export interface FrontendPluginOptions {
  /** `--proxy`: the dev server's origin. */
  proxy: string | undefined
  /** `--static`: the absolute path of a built front end. */
  static: string | undefined
  /** Which hosts are this machine's own pages (see `FrontEndProxyOptions.hosts`). */
  hosts: HostPolicy
}

/**
 * The front end under development, served from the mock's own origin: `--proxy` (a dev server)
 * or `--static` (a built directory), as an encapsulated plugin beside the storefront, so its
 * routes are neither delayed nor recorded. Each is imported only when asked for: the proxy and
 * static plugins are a noticeable share of start-up.
 */
export const frontendPlugin = fastifyPlugin<FrontendPluginOptions>(
  async (app, { proxy, static: root, hosts }) => {
    if (proxy !== undefined) await app.register((await import('./proxy.js')).frontEndProxy, { upstream: proxy, hosts })
    else if (root !== undefined) await app.register((await import('./static-files.js')).frontEndStatic, { root })
  },
  { name: 'bigcommerce-mock-frontend', encapsulate: true },
)
