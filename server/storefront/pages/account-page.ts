import type { Customer } from '../../domain/types.js'
import { html } from './html.js'
import { layout } from './layout.js'

/** The signed-in customer's account page; `homePath` is where the Current customer panel is. */
export function accountPage(customer: Customer, homePath = '/'): string {
  return layout(
    { title: 'Your account', customer },
    html`<section class="card" aria-labelledby="account-heading">
  <h1 id="account-heading">Your account</h1>
  <table>
    <tr><th scope="row">Name</th><td>${customer.firstName} ${customer.lastName}</td></tr>
    <tr><th scope="row">Email</th><td data-field="email">${customer.email}</td></tr>
    <tr><th scope="row">Customer id</th><td data-field="id">${customer.id}</td></tr>
    <tr><th scope="row">Customer group</th><td data-field="group_id">${customer.groupId}</td></tr>
  </table>
  <div class="actions"><a class="button" href="${homePath}#current-customer">See your Current Customer token</a><a class="button" href="/login.php?action=logout">Sign out</a></div>
</section>`,
  )
}
