import t from 'tap'
import { buildApp, startMockStorefront } from 'bigcommerce-mock-storefront'

const clientId = 'my-app-client-id'

// In-process, no socket: for app.inject(). A fixture file's path, or the bundled fixtures by default.
const app = buildApp({ fixtures: 'fixtures/store.yaml', now: 1480831863 })
t.equal((await app.inject('/login.php')).statusCode, 200)
await app.close()

// Listening; port 0 (the default here) picks a free port. Fixtures as an object, here.
const storefront = await startMockStorefront({
  fixtures: {
    store_hash: 'abc123',
    apps: [{ client_id: clientId, client_secret: 'my-app-client-secret-of-64-bytes-or-more-as-hs512-verifiers-expect' }],
    customers: [{ id: 4927, email: 'john.doe@example.com', password: 'letmein', first_name: 'John', last_name: 'Doe' }],
  },
})
t.match(storefront.url, /^http:\/\/127\.0\.0\.1:\d+$/) // http://127.0.0.1:41237
const cookie = storefront.login('john.doe@example.com') // Cookie header value of a new session (id or email)
const token = storefront.mintToken(clientId, 4927) // a Current Customer JWT, minted as the storefront would
const url = await storefront.customerLoginUrl(clientId, 4927, '/cart.php') // a signed /login/token/{jwt} URL
storefront.clock.set(1700000000) // freeze
storefront.clock.advance(901) // move
storefront.clock.reset() // real time again
t.ok(cookie && token && url)
t.same(storefront.requests(), []) // recent storefront requests (no secrets)
const fault = storefront.faults.add({ route: 'current-customer', effect: 'status', times: 1 }) // as POST /__mock/faults
t.equal(storefront.faults.list().length, 1)
fault.remove()
storefront.faults.clear()
storefront.reset() // back to the fixture state (faults end too; held requests end unanswered)
await storefront.close()
