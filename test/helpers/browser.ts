/**
 * A minimal browser over a real socket: fetch with `redirect: 'manual'` and a cookie jar that
 * honours Set-Cookie (including clearing with Max-Age=0).
 */
export class Browser {
  readonly jar = new Map<string, string>()

  constructor(readonly baseUrl: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.jar.size > 0) headers.set('cookie', [...this.jar].map(([name, value]) => `${name}=${value}`).join('; '))
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      const expired =
        attributes.some((a) => /^max-age=(0|-\d+)$/i.test(a)) ||
        attributes.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now())
      if (expired || value === '') this.jar.delete(name)
      else this.jar.set(name, value)
    }
    return response
  }

  /** Submit the storefront sign-in form as a browser would. */
  signIn(email: string, password: string): Promise<Response> {
    return this.fetch('/login.php?action=check_login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login_email: email, login_pass: password }).toString(),
    })
  }
}
