import { html } from './html.js'
import { layout } from './layout.js'

/** What the sign-in page shows. */
export interface LoginPageOptions {
  /** A sign-in error (wrong password, empty field, refused Customer Login), shown as an alert. */
  error?: string
  /** The email to fill back in after a refused sign-in. */
  email?: string
  /** Where the mock's home (with the demo accounts) is: `/`, or `/__mock/` behind a front end. */
  homePath?: string
}

/** The sign-in page, as cornerstone's `templates/pages/auth/login.html` posts it. */
export function loginPage(options: LoginPageOptions = {}): string {
  const homePath = options.homePath ?? '/'
  return layout(
    { title: options.error ? 'Sign in (error)' : 'Sign in', customer: undefined },
    html`<section class="card narrow" aria-labelledby="login-heading">
  <h1 id="login-heading">Sign in</h1>
  ${options.error ? html`<div class="alert" role="alert" id="login-error">${options.error}</div>` : ''}
  <form class="login-form" action="/login.php?action=check_login" method="post">
    <label for="login_email">Email address</label>
    <input type="email" id="login_email" name="login_email" autocomplete="username" required value="${options.email ?? ''}"${options.error ? html` aria-describedby="login-error"` : ''}>
    <label for="login_pass">Password</label>
    <input type="password" id="login_pass" name="login_pass" autocomplete="current-password" required>
    <div><button type="submit">Sign in</button></div>
  </form>
  <p class="small muted">Demo accounts and their passwords are listed on <a href="${homePath}#demo-accounts">the home page</a>.</p>
</section>`,
  )
}
