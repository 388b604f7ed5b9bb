// A fixture customer without a password (the Management API makes them too) is shown as one who
// cannot sign in: in the banner, and on the home page without a sign-in button.
import t from 'tap'
import { banner } from '../../server/banner.js'
import { buildApp } from '../../server/index.js'

const APP = { client_id: 'app-a', client_secret: 'secret-a', access_token: 'token-a' }
const JOHN = { id: 1, email: 'john@example.com', password: 'p', first_name: 'John', last_name: 'Doe' }

t.test('the banner says a listed customer without a password cannot sign in', async (t) => {
  const app = buildApp({ fixtures: { store_hash: 'abc', apps: [APP], customers: [JOHN, { id: 2, email: 'nopass@example.com' }] } })
  t.teardown(() => app.close())
  const text = banner('http://127.0.0.1:3100', app.mock)
  t.match(text, 'john@example.com / p  (id 1')
  t.match(text, 'nopass@example.com / (no password: cannot sign in until one is set)  (id 2')
})

t.test('the home page lists a customer without a password without a sign-in button', async (t) => {
  const app = buildApp({ fixtures: { store_hash: 'abc', apps: [APP], customers: [JOHN, { id: 2, email: 'nopass@example.com' }] } })
  t.teardown(() => app.close())
  const page = (await app.inject('/')).body
  const item = (id: number) =>
    /<li data-customer-id="(\d+)">[\s\S]*?<\/li>/g.exec(page.slice(page.indexOf(`data-customer-id="${id}"`) - 4))?.[0] ?? ''
  t.match(item(1), /password <code>p<\/code>[\s\S]*Sign in/)
  t.match(item(2), /no password \(cannot sign in until one is set\)/)
  t.notMatch(item(2), /login_pass/, 'no form posting an empty password')
})
