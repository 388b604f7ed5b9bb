import { html } from './html.js'
import { layout } from './layout.js'

/** The sign-in page, as cornerstone's `templates/pages/auth/login.html` posts it. */
export function loginPage(options: { error?: string; email?: string } = {}): string {
  return layout(
    { title: 'Sign in', customer: undefined },
    html`<section class="card" aria-labelledby="login-heading">
  <h1 id="login-heading">Sign in</h1>
  ${options.error ? html`<div class="alert" role="alert">${options.error}</div>` : ''}
  <form class="login-form" action="/login.php?action=check_login" method="post">
    <label for="login_email">Email address</label>
    <input type="email" id="login_email" name="login_email" autocomplete="username" required value="${options.email ?? ''}">
    <label for="login_pass">Password</label>
    <input type="password" id="login_pass" name="login_pass" autocomplete="current-password" required>
    <div><button type="submit">Sign in</button></div>
  </form>
</section>`,
  )
}
