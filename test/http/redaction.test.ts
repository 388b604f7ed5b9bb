// Secrets in URLs never reach a log line, the request log or an error body, however the URL is spelled.
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { LogCapture } from '../helpers/log-capture.js'
import { DEMO } from '../helpers/storefront.js'

function harness() {
  const log = new LogCapture()
  const app = buildApp({ now: Math.floor(Date.now() / 1000), logLevel: 'trace', logStream: log })
  return { app, log }
}

async function customerLoginJwt(app: ReturnType<typeof buildApp>): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/__mock/customer-login-url',
    payload: { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id },
  })
  return response.json<{ path: string }>().path.slice('/login/token/'.length)
}

for (const spelling of [
  '/%6Cogin/token/',
  '/login/%74oken/',
  '/%6c%6f%67%69%6e/%74%6f%6b%65%6e/',
  '//login/token/',
  '/login//token/',
  '/login/token//',
]) {
  t.test(`a Customer Login token at ${spelling}<jwt> is redacted everywhere`, async (t) => {
    const { app, log } = harness()
    t.teardown(() => app.close())
    const jwt = await customerLoginJwt(app)
    const response = await app.inject({ url: `${spelling}${jwt}?x=1` })
    t.notOk(response.body.includes(jwt), `the ${response.statusCode} body does not repeat the token`)
    t.notOk(response.body.includes(spelling), 'nor the path')
    const recorded = await app.inject({ url: '/__mock/requests' })
    t.notOk(recorded.body.includes(jwt), 'GET /__mock/requests does not hold the token')
    t.notOk(recorded.body.includes(jwt.split('.')[2] ?? jwt), 'nor its signature')
    const logged = log.lines.map((line) => JSON.stringify(line)).join('\n')
    t.notOk(logged.includes(jwt.split('.')[2] ?? jwt), 'no log line holds the token')
    t.match(logged, /\/login\/token\/\[redacted\]/, 'the log shows the redacted form')
  })
}

t.test('a 404 body never repeats the request path', async (t) => {
  const { app } = harness()
  t.teardown(() => app.close())
  for (const url of ['/no-such-page-abc123', '/__mock/no-such-endpoint-abc123']) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 404)
    t.notOk(response.body.includes('abc123'), `${url}: the path is not repeated`)
  }
})

t.test('a password in a query string is not logged; only kept parameters keep their values', async (t) => {
  const { app, log } = harness()
  t.teardown(() => app.close())
  await app.inject({ url: '/login.php?login_email=someone%40example.com&login_pass=SECRET-PASS-42&action=x' })
  await app.inject({
    method: 'POST',
    url: '/login.php?action=check_login&login_pass=SECRET-PASS-43',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'login_email=a%40b.c&login_pass=SECRET-PASS-44',
  })
  const logged = log.lines.map((line) => JSON.stringify(line)).join('\n')
  t.notMatch(logged, /SECRET-PASS/, 'no password in any log line')
  t.notMatch(logged, /someone/, 'nor the email of the query')
  t.match(logged, /login_pass=\[redacted\]/, 'the parameter name stays, its value is redacted')
  t.match(logged, /action=x/, 'action keeps its value, as in the request log')
})
