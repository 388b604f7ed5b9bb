import { isIP } from 'node:net'
import { isAbsolute, relative as relativePath, resolve as resolvePath } from 'node:path'
import type { Store } from './domain/store.js'
import { listed, MAX_ORIGIN_LENGTH } from './errors.js'
import { bareHost } from './http/bare-host.js'
import { isLoopbackHost } from './http/host-policy.js'
import { MOCK_HOME_WHEN_FRONT_END } from './options/frontend-options.js'
import type { ResolvedOptions } from './options/resolve.js'
import type { ServedCertificate } from './storefront-handle.js'

/** How many generated customers the banner lists by name; the rest are counted. */
const GENERATED_SHOWN = 3

/** How many fixture customers the banner lists with their sign-in details. */
const FIXTURE_SHOWN = 10

/**
 * The start-up banner: where the mock listens, the apps to call it with, who can sign in and
 * what the clock does. Client secrets are never part of it. With `options`, it also names the
 * active `--watch`, `--proxy`, `--static` and `--latency` settings, and whether the `/__mock`
 * control API is open, needs the admin token or is off (and why); with `tls`, the certificate's
 * fingerprint and how to trust it, with `--cors-origin`, the origins answered (and the sign-in
 * and token URLs on the listed pages' host name, see `pageSites`), and with
 * `--allowed-host`, the host names answered.
 */
export function banner(url: string, store: Store, options?: ResolvedOptions, tls?: ServedCertificate): string {
  const apps = store.allApps()
  const fixture = store.fixtureCustomers(GENERATED_SHOWN)
  const fixtureCustomers = fixture.written
  const clock = store.now()
  // Sign in where the listed pages' cookies must be: on their host name (see pageSites).
  const sites = options ? pageSites(url, options) : []
  const site = sites[0]?.site ?? url
  const lines = [
    `BigCommerce mock storefront listening on ${url}  (store hash ${store.storeHash})`,
    '',
    `  Apps (app_client_id):`,
    ...apps.map(
      (app) =>
        `    ${app.clientId}  ${app.algorithm}, token ttl ${store.tokenTtlOf(app)}s${app.groupId ? `, group_id forced to "${app.groupId}"` : ''}`,
    ),
    ...(apps.length === 0 ? ['    (none registered)'] : []),
    '',
    `  Sign in at ${site}/login.php as:`,
    // Capped: a fixture may list thousands of customers.
    ...fixtureCustomers
      .slice(0, FIXTURE_SHOWN)
      .map(
        (customer) =>
          `    ${customer.email} / ${customer.password === '' ? '(no password: cannot sign in until one is set)' : customer.password}  (id ${customer.id}, group "${customer.groupId}")`,
      ),
    ...(fixtureCustomers.length > FIXTURE_SHOWN
      ? [`    ...and ${fixtureCustomers.length - FIXTURE_SHOWN} more from the fixture file`]
      : []),
    ...(fixture.generatedCount > 0
      ? [
          `    ...or any of ${fixture.generatedCount} generated customers, password "${fixture.generatedPassword}": ${fixture.generated
            .map((customer) => customer.email)
            .join(', ')}${fixture.generatedCount > GENERATED_SHOWN ? ', ...' : ''}`,
        ]
      : []),
    '',
    `  Token: ${site}/customer/current.jwt?app_client_id=${apps[0]?.clientId ?? '<client id>'}`,
    `  Clock: ${clock.frozen ? `frozen at ${clock.seconds} (${new Date(clock.ms).toISOString()})` : 'real time'}`,
    ...(tls ? httpsBannerLines(url, tls) : []),
    ...(options && options.corsOrigins.length > 0
      ? [`  CORS: pages on ${options.corsOrigins.join(', ')} may read /customer/current.jwt with credentials${corsSignInNote(url, sites)}`]
      : []),
    ...(options && options.allowedHosts.length > 0
      ? [
          options.hostPolicy.loopbackOnly
            ? `  Hosts: also answers requests for ${options.allowedHosts.join(', ')} (--allowed-host); any other name but this machine's gets 403`
            : `  Hosts: listening on ${options.host}, every Host is answered; --allowed-host changes nothing here`,
        ]
      : []),
    ...(options ? devIntegrationBannerLines(url, options) : []),
    ...store
      .listFaults()
      .map(
        (fault) =>
          `  Fault ${fault.id}: ${fault.route} ${fault.effect}${fault.status !== null ? ` ${fault.status}` : ''}${fault.remaining !== null ? `, ${fault.remaining} time(s)` : ', until removed'} (DELETE ${url}/__mock/faults/${fault.id} ends it)`,
      ),
    ...(options ? [options.controlAccess.bannerLine(url)] : []),
  ]
  return lines.join('\n') + '\n'
}

/**
 * The mock's URL on the host name of each `--cors-origin` page that can reach it by that name,
 * one per host name, in the order listed. A browser keeps the session cookies per host name, so
 * signing in on `http://127.0.0.1:3100` leaves a page on `http://localhost:3001` a guest: it needs
 * them set on `localhost`. A host name counts when it surely reaches this mock: the one in `url`;
 * `localhost` and `*.localhost` (browsers send them to loopback themselves) when the mock listens
 * on a loopback or wildcard address; on a loopback listener, a name (not an address) answered
 * through `--allowed-host` or the certificate. Never another address, nor a name the mock cannot
 * know reaches it (a page on another machine): those pages keep the listening URL.
 */
function pageSites(url: string, options: ResolvedOptions): { origin: string; site: string }[] {
  const mock = new URL(url)
  const listener = bareHost(options.host)
  const wildcard = listener === '0.0.0.0' || listener === '::'
  const sites: { origin: string; site: string }[] = []
  for (const origin of options.corsOrigins) {
    let name: string
    try {
      name = new URL(origin).hostname
    } catch {
      continue
    }
    const bare = bareHost(name)
    const reaches =
      name === mock.hostname ||
      ((bare === 'localhost' || bare.endsWith('.localhost')) && (wildcard || isLoopbackHost(listener))) ||
      (options.hostPolicy.loopbackOnly && isIP(bare) === 0 && options.hostPolicy.allowsHostHeader(name))
    if (!reaches || sites.some((entry) => new URL(entry.site).hostname === name)) continue
    const site = new URL(url)
    site.hostname = name
    sites.push({ origin, site: name === mock.hostname ? url : site.origin })
  }
  return sites
}

// After the CORS line: which sign-in page goes with which page, unless every one is the listening URL's.
function corsSignInNote(url: string, sites: readonly { origin: string; site: string }[]): string {
  if (sites.every((entry) => entry.site === url)) return ''
  const pairs = sites.map((entry) => `${entry.site}/login.php for ${entry.origin}`)
  return `; the cookies are kept per host name, so sign in on the page's: ${listed(pairs, 2 * MAX_ORIGIN_LENGTH + 20)}`
}

/** Banner lines for `--https`: which certificate, its fingerprint, how to trust it, and the cookies it brings. */
function httpsBannerLines(url: string, tls: ServedCertificate): string[] {
  const file = tls.certFile === undefined ? undefined : displayPath(tls.certFile)
  const until = tls.validTo.toISOString().slice(0, 10)
  const what =
    tls.source === 'given'
      ? `your certificate ${file} for ${tls.names.join(', ') || 'no listed names'}, valid until ${until}`
      : `self-signed certificate for ${tls.names.join(', ')}, ${tls.source === 'cached' ? 'reused from' : 'made and kept in'} ${file ?? `(not kept: ${tls.notKept ?? 'the cache directory cannot be written'})`}, valid until ${until}`
  return [
    `  HTTPS: ${what}`,
    `    SHA-256 fingerprint ${tls.fingerprint256}`,
    ...(tls.source === 'given'
      ? []
      : [
          `    Trust it: in a browser, open ${url}/ once and accept the warning (the same certificate comes back on every start, so the exception lasts);`,
          `    Node: NODE_EXTRA_CA_CERTS=${file ?? '<file>'}; curl: --cacert ${file ?? '<file>'}. For one your system trusts, make a pair with mkcert and pass --cert/--key.`,
        ]),
    `  Cookies: SHOP_SESSION_TOKEN and SHOP_TOKEN are Secure; SameSite=None; HttpOnly; Path=/, as a real store sets them`,
  ]
}

/** Banner lines for the active `--watch`, `--proxy`, `--static` and `--latency` (none when none is on). */
function devIntegrationBannerLines(url: string, options: ResolvedOptions): string[] {
  const lines: string[] = []
  if (options.watchFile !== undefined)
    lines.push(`  Watching ${displayPath(options.watchFile)}: saved edits apply without a restart; a broken edit changes nothing`)
  if (options.proxy !== undefined) lines.push(`  Proxying unknown routes to ${options.proxy} (WebSockets too)`)
  if (options.static !== undefined) lines.push(`  Serving ${displayPath(options.static)} at ${url}/`)
  if (options.homePath === MOCK_HOME_WHEN_FRONT_END)
    lines.push(`  Mock home page: ${url}${MOCK_HOME_WHEN_FRONT_END} (/ is the front end's)`)
  if (options.latency && options.latency.max > 0) {
    const { min, max } = options.latency
    lines.push(
      `  Latency: ${min === max ? `${min} ms` : `${min}-${max} ms`} on every BigCommerce storefront endpoint (sign-in, account, token, Customer Login)`,
    )
  }
  return lines
}

// Relative to the working directory when inside it: shorter, and what the user typed.
function displayPath(path: string): string {
  const relative = relativePath(process.cwd(), resolvePath(path))
  return relative && !relative.startsWith('..') && !isAbsolute(relative) ? relative : resolvePath(path)
}
