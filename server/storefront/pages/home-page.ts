import type { FixtureCustomers } from '../../domain/store.js'
import type { App, Customer } from '../../domain/types.js'
import { html } from './html.js'
import { layout } from './layout.js'

/** Where the mock serves the Current customer panel's script (`server/storefront/pages/assets/current-customer.js`). */
export const CURRENT_CUSTOMER_SCRIPT_PATH = '/__mock/assets/current-customer.js'

/** Most demo accounts the home page lists; a fixture with more shows the first ones. */
export const MAX_DEMO_ACCOUNTS = 8

/** How many generated customers stand in when a fixture has no hand-written ones. */
const GENERATED_STAND_INS = 3

/** What the home page shows. */
export interface HomePageInput {
  /** The signed-in customer, if any. */
  customer: Customer | undefined
  /** The registered apps, offered in the panel's app chooser. */
  apps: readonly App[]
  /** The accounts of the "Demo accounts" list (see {@link demoAccounts}). */
  accounts: readonly Customer[]
  /** How many more demo accounts exist than `accounts` lists. */
  moreAccounts: number
}

/**
 * The demo accounts: the fixture's own customers (not the ones faker generated), as they are
 * now (a password changed through the control API is the one posted), or the first few
 * generated ones when the fixture has none. At most {@link MAX_DEMO_ACCOUNTS}.
 *
 * @param fixtureCustomers - `Store.fixtureCustomers`, which tells the two kinds apart.
 */
export function demoAccounts(fixtureCustomers: (generatedShown: number) => FixtureCustomers): { accounts: Customer[]; more: number } {
  const fixture = fixtureCustomers(GENERATED_STAND_INS)
  const existing = fixture.writtenCount > 0 ? fixture.written : fixture.generated
  return { accounts: existing.slice(0, MAX_DEMO_ACCOUNTS), more: Math.max(0, existing.length - MAX_DEMO_ACCOUNTS) }
}

/**
 * The storefront home: who is signed in, the **Current customer** panel (BigCommerce's
 * documented `fetch('/customer/current.jwt?app_client_id=' + id)` snippet, run by
 * {@link CURRENT_CUSTOMER_SCRIPT_PATH}) and the **Demo accounts** list, whose buttons submit the
 * storefront's real sign-in form. Without JavaScript the panel's form opens the endpoint's raw
 * answer and sign-in and sign-out still work.
 */
export function homePage(input: HomePageInput): string {
  const { customer, apps } = input
  return layout(
    { title: 'Home', customer, scripts: [CURRENT_CUSTOMER_SCRIPT_PATH] },
    html`<div class="intro">
  <h1 id="home-heading">Mock BigCommerce storefront</h1>
  <p data-testid="who">${
    customer
      ? html`Signed in as <strong>${customer.firstName} ${customer.lastName}</strong> (${customer.email}, customer ${customer.id}). <a href="/login.php?action=logout">Sign out</a>`
      : html`You are browsing as a guest. <a href="/login.php">Sign in</a>, or use one of the <a href="#demo-accounts">demo accounts</a>, to get a Current Customer token.`
  }</p>
</div>
${currentCustomerPanel(apps)}
${demoAccountsSection(input)}`,
  )
}

// The app's name, with its algorithm unless the name already says it; the client id without a name.
function appLabel(app: App): string {
  const name = app.name ?? app.clientId
  return name.includes(app.algorithm) ? name : `${name} (${app.algorithm})`
}

function currentCustomerPanel(apps: readonly App[]) {
  return html`<section class="card" id="current-customer" aria-labelledby="cc-heading">
  <h2 id="cc-heading">Current customer</h2>
  <p class="muted small">Storefront JavaScript asks <code>/customer/current.jwt</code> who is signed in; the answer is a JWT signed with the app's client secret, for the app's backend to verify.</p>
  ${
    apps.length === 0
      ? html`<p class="note">No apps are registered, so no token can be fetched. Add one to the fixture file or with <code>POST /__mock/apps</code>.</p>`
      : html`<form id="cc-form" class="cc-form" action="/customer/current.jwt" method="get">
    <div class="field">
      <label for="cc-app">App</label>
      <select id="cc-app" name="app_client_id">
        ${apps.map((app) => html`<option value="${app.clientId}">${appLabel(app)}</option>`)}
      </select>
    </div>
    <div class="actions"><button type="submit" id="cc-fetch">Fetch token</button><button type="button" class="secondary" id="cc-recheck" hidden>Check again</button></div>
  </form>`
  }
  <p id="cc-status" class="status" role="status" aria-live="polite" data-state="idle">Choose an app and fetch its token. Without JavaScript, Fetch token opens the endpoint's raw answer.</p>
  <p id="cc-fault" class="status" role="status" aria-live="polite" data-state="fault" hidden></p>
  <p id="cc-control-note" class="note small" hidden>The mock's control API (<code>/__mock</code>) is off or needs an admin token here, so this page cannot check the signature or read the mock's clock. The countdown is estimated from the token's <code>iat</code>.</p>
  <div id="cc-result" class="cc-result" hidden>
    <div>
      <dl class="facts">
        <dt>Customer</dt><dd id="cc-customer"></dd>
        <dt>App (aud)</dt><dd id="cc-aud"></dd>
        <dt>Expires</dt><dd><span id="cc-countdown" class="countdown" role="timer"></span></dd>
        <dt data-needs-control>Verifies?</dt><dd data-needs-control><span id="cc-verify" class="verdict"></span></dd>
        <dt data-needs-control>Mock clock</dt><dd data-needs-control id="cc-clock"></dd>
      </dl>
      <h3 id="cc-token-heading">Raw token</h3>
      <pre id="cc-token" aria-labelledby="cc-token-heading" tabindex="0"></pre>
    </div>
    <div>
      <h3 id="cc-header-heading">Header</h3>
      <pre id="cc-header" aria-labelledby="cc-header-heading" tabindex="0"></pre>
      <h3 id="cc-claims-heading">Claims</h3>
      <pre id="cc-claims" aria-labelledby="cc-claims-heading" tabindex="0"></pre>
    </div>
    <details id="cc-backend" class="span-all">
      <summary>Send the token to your app's backend</summary>
      <p class="small">As storefront JavaScript would: <code>POST</code> <code>{"token": "..."}</code> as JSON. The example in <code>examples/app-backend/</code> listens on port 3200 by default: it verifies the token, then asks the Management API (here, the mock) for the customer's name, group, attributes and recent orders.</p>
      <form id="cc-backend-form">
        <label for="cc-backend-url">Backend verify URL</label>
        <input type="url" id="cc-backend-url" name="url" value="http://127.0.0.1:3200/verify" required>
        <div class="actions"><button type="submit" class="secondary">Send token</button></div>
      </form>
      <p id="cc-backend-status" class="status" role="status" aria-live="polite" data-state="idle" hidden></p>
      <div id="cc-backend-details" hidden>
        <h3 id="cc-backend-details-heading">What the backend read from the Management API</h3>
        <dl class="facts" aria-labelledby="cc-backend-details-heading">
          <dt>Name</dt><dd id="cc-backend-name"></dd>
          <dt>Group</dt><dd id="cc-backend-group"></dd>
          <dt>Attributes</dt><dd id="cc-backend-attributes"></dd>
          <dt>Recent orders</dt><dd><ul id="cc-backend-orders" class="orders"></ul></dd>
        </dl>
      </div>
      <p id="cc-backend-details-error" class="status" role="status" data-state="error" hidden></p>
      <h3 id="cc-backend-body-heading" hidden>The backend's answer</h3>
      <pre id="cc-backend-body" aria-labelledby="cc-backend-body-heading" tabindex="0" hidden></pre>
    </details>
  </div>
  <details>
    <summary>The code this panel runs</summary>
    <pre><code>${SNIPPET}</code></pre>
  </details>
</section>`
}

// BigCommerce's documented snippet (docs/start/authentication/current-customer.mdx), as the panel runs it.
const SNIPPET = `const response = await fetch('/customer/current.jwt?app_client_id=' + appClientId)
if (response.status === 200) {
  const token = await response.text()   // send it to your app's backend
} else if (response.status === 404) {
  // not logged in
}`

function demoAccountsSection({ customer: signedIn, accounts, moreAccounts }: HomePageInput) {
  return html`<section class="card" id="demo-accounts" aria-labelledby="demo-heading">
  <h2 id="demo-heading">Demo accounts</h2>
  <p class="small muted">Each <strong>Sign in</strong> submits the storefront's own sign-in form (<code>POST /login.php?action=check_login</code>) with the account's email and password, as typing them on <a href="/login.php">the sign-in page</a> would.</p>
  ${
    accounts.length === 0
      ? html`<p>No customers in the fixtures.</p>`
      : html`<ul class="accounts">
    ${accounts.map((account) => demoAccount(account, signedIn?.id === account.id))}
  </ul>`
  }
  ${moreAccounts > 0 ? html`<p class="small muted">And ${moreAccounts} more in the fixture file.</p>` : ''}
</section>`
}

function demoAccount(account: Customer, isSignedIn: boolean) {
  const name = `${account.firstName} ${account.lastName}`.trim() || account.email
  return html`<li data-customer-id="${account.id}">
      <div>
        <div class="account-name">${name}${isSignedIn ? html` <span class="muted small">(signed in)</span>` : ''}</div>
        <div class="small">${account.email}</div>
        <div class="small muted">Customer ${account.id}, group "${account.groupId}", ${account.password === '' ? 'no password (cannot sign in until one is set)' : html`password <code>${account.password}</code>`}</div>
      </div>
      ${
        account.password === ''
          ? ''
          : html`<form method="post" action="/login.php?action=check_login">
        <input type="hidden" name="login_email" value="${account.email}">
        <input type="hidden" name="login_pass" value="${account.password}">
        <button type="submit" class="secondary">Sign in<span class="visually-hidden"> as ${name}</span></button>
      </form>`
      }
    </li>`
}
