import type { App, Customer } from '../domain/types.js'
import { html } from './html.js'
import { layout } from './layout.js'

/** The storefront home: who is signed in and the Current Customer endpoint of each app. */
export function homePage(customer: Customer | undefined, apps: readonly App[]): string {
  return layout(
    { title: 'Home', customer },
    html`<section class="card" aria-labelledby="home-heading">
  <h1 id="home-heading">Mock BigCommerce storefront</h1>
  <p>${customer ? html`Signed in as <strong>${customer.email}</strong>.` : html`You are browsing as a guest. <a href="/login.php">Sign in</a> to get a Current Customer token.`}</p>
  <h2>Current Customer API</h2>
  <ul>
    ${apps.map((app) => html`<li><a href="/customer/current.jwt?app_client_id=${encodeURIComponent(app.clientId)}"><code>/customer/current.jwt?app_client_id=${app.clientId}</code></a> (${app.algorithm})</li>`)}
  </ul>
</section>`,
  )
}
