import { ERRORS } from '../errors.js'
import type { SessionCookieValues, SignedIn, Store } from './store.js'

/** The message a real storefront shows after a wrong email or password. */
export const WRONG_CREDENTIALS = 'Your email address or password is incorrect. Please try again.'

/** The fields of the storefront's sign-in form (`POST /login.php?action=check_login`), as parsed from its body. */
export interface SignInFormFields {
  login_email?: unknown
  login_pass?: unknown
}

/** A refused sign-in form: the status, what the page says, and what the request log keeps. */
export interface SignInRefusal {
  ok: false
  status: 400 | 401
  /** The sentence the login page shows. */
  message: string
  /** The email as typed, to fill the form in again. */
  email: string
  outcome: string
  hint: string
}

/**
 * The storefront's sign-in form, by its rules: both fields present (a 400 naming the empty one),
 * then the email and password (a 401 with the storefront's own message); a success starts the
 * customer's session in place of the one the browser held. The server's route and the MSW
 * handler both answer from this.
 */
export function submitSignInForm(
  store: Store,
  form: SignInFormFields | undefined,
  previous: SessionCookieValues,
): ({ ok: true } & SignedIn) | SignInRefusal {
  const email = typeof form?.login_email === 'string' ? form.login_email : ''
  const password = typeof form?.login_pass === 'string' ? form.login_pass : ''
  if (!email || !password) {
    const missing = !email ? 'login_email' : 'login_pass'
    return {
      ok: false,
      status: 400,
      message: `Please enter your ${missing === 'login_email' ? 'email address' : 'password'} (form field ${missing} was empty).`,
      email,
      outcome: ERRORS.invalidRequest.code,
      hint: `form field ${missing} was empty`,
    }
  }
  const signedIn = store.signIn(email, password, previous)
  if (!signedIn)
    return {
      ok: false,
      status: 401,
      message: WRONG_CREDENTIALS,
      email,
      outcome: ERRORS.wrongCredentials.code,
      hint: ERRORS.wrongCredentials().message,
    }
  return { ok: true, ...signedIn }
}
