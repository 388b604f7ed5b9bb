import { ControlAccess } from './control/access.js'
import { devIntegrationBannerLines } from './frontend/dev-integration.js'
import type { ResolvedOptions } from './options.js'
import type { MockState } from './state.js'

/** How many generated customers the banner lists by name; the rest are counted. */
const GENERATED_SHOWN = 3

/** How many fixture customers the banner lists with their sign-in details. */
const FIXTURE_SHOWN = 10

/**
 * The start-up banner: where the mock listens, the apps to call it with, who can sign in and
 * what the clock does. Client secrets are never part of it. With `options`, it also names the
 * active `--watch`, `--proxy`, `--static` and `--latency` settings, and whether the `/__mock`
 * control API is open, needs the admin token or is off (and why).
 */
export function banner(url: string, state: MockState, options?: ResolvedOptions): string {
  const apps = [...state.apps.all()]
  const customers = [...state.customers.all()]
  const fixtureCustomers = customers.slice(0, customers.length - state.fixture.generatedCount)
  const generated = customers.slice(customers.length - state.fixture.generatedCount)
  const lines = [
    `BigCommerce mock storefront listening on ${url}  (store hash ${state.storeHash})`,
    '',
    `  Apps (app_client_id):`,
    ...apps.map((app) => `    ${app.clientId}  ${app.algorithm}, token ttl ${app.tokenTtl ?? state.defaultTokenTtl}s${app.groupId ? `, group_id forced to "${app.groupId}"` : ''}`),
    ...(apps.length === 0 ? ['    (none registered)'] : []),
    '',
    `  Sign in at ${url}/login.php as:`,
    // Capped: a fixture may list thousands of customers.
    ...fixtureCustomers.slice(0, FIXTURE_SHOWN).map((customer) => `    ${customer.email} / ${customer.password}  (id ${customer.id}, group "${customer.groupId}")`),
    ...(fixtureCustomers.length > FIXTURE_SHOWN ? [`    ...and ${fixtureCustomers.length - FIXTURE_SHOWN} more from the fixture file`] : []),
    ...(generated.length > 0
      ? [
          `    ...or any of ${generated.length} generated customers, password "${state.fixture.generatedPassword}": ${generated
            .slice(0, GENERATED_SHOWN)
            .map((customer) => customer.email)
            .join(', ')}${generated.length > GENERATED_SHOWN ? ', ...' : ''}`,
        ]
      : []),
    '',
    `  Token: ${url}/customer/current.jwt?app_client_id=${apps[0]?.clientId ?? '<client id>'}`,
    `  Clock: ${state.clock.frozen ? `frozen at ${state.clock.nowSeconds()} (${new Date(state.clock.nowMs()).toISOString()})` : 'real time'}`,
    ...(options ? devIntegrationBannerLines(url, options) : []),
    ...(options ? [ControlAccess.from(options).bannerLine(url)] : []),
  ]
  return lines.join('\n') + '\n'
}
