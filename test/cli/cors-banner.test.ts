// With --cors-origin, the banner's "Sign in at" and "Token:" lines name the mock on the listed
// page's host name, where the session cookies must be set for that page to read the token:
// checked on the real CLI's banner, then in Chromium (sign in where the banner says, then a page
// on the listed origin reads the token; signing in on the listening URL instead leaves it a guest).
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jwtVerify } from 'jose'
import t, { type Test } from 'tap'
import { chromiumReady, openBrowser, signInWithForm } from '../helpers/chromium.js'
import { ensureBuilt, spawnCli } from '../helpers/cli.js'
import { DEMO } from '../helpers/storefront.js'

const APP = DEMO.hs512App
const TOKEN_PATH = `/customer/current.jwt?app_client_id=${APP.clientId}`

// The app's page: fetches the token from the mock named by ?mock= with credentials, as an app's script does.
const APP_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>App page</title></head>
<body><p id="out" data-state="pending">pending</p>
<script type="module">
const out = document.getElementById('out')
const mock = new URLSearchParams(location.search).get('mock')
try {
  const response = await fetch(mock + ${JSON.stringify(TOKEN_PATH)}, { credentials: 'include' })
  out.textContent = await response.text()
  out.dataset.status = String(response.status)
  out.dataset.state = 'answered'
} catch (error) {
  out.textContent = error.name + ': ' + error.message
  out.dataset.state = 'rejected'
}
</script></body></html>
`

/** A page server on 127.0.0.1, reached as http://localhost:PORT; answers its port. */
async function startPageServer(t: Test): Promise<number> {
  const server: Server = createServer((request, response) => {
    if (request.url?.startsWith('/?')) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP_PAGE)
    else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))))
  return (server.address() as AddressInfo).port
}

/** The CLI's banner for `args`: the listening URL, the sign-in and token bases, the CORS line. */
async function bannerFor(t: Test, args: string[]) {
  const cli = spawnCli(t, ['--port', '0', '--log-level', 'warn', ...args])
  const url = (await cli.waitForStdout(/listening on (https?:\/\/\S+)/, 20_000, 'its banner'))[1]!
  const signIn = (await cli.waitForStdout(/ {2}Sign in at (\S+)\/login\.php as:/))[1]!
  const token = (await cli.waitForStdout(/ {2}Token: (\S+)\/customer\/current\.jwt\?app_client_id=/))[1]!
  const cors = (await cli.waitForStdout(/ {2}CORS: (.*)/))[1]!
  return { url, port: new URL(url).port, signIn, token, cors }
}

ensureBuilt()

t.test('--cors-origin http://localhost:PORT: sign in and token on localhost, the mock listening on 127.0.0.1', async (t) => {
  const banner = await bannerFor(t, ['--cors-origin', 'http://localhost:3001'])
  t.match(banner.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'still listening on 127.0.0.1')
  t.equal(banner.signIn, `http://localhost:${banner.port}`, 'Sign in at the mock on the page host name')
  t.equal(banner.token, banner.signIn, 'the Token line on the same host name')
  t.equal(
    banner.cors,
    `pages on http://localhost:3001 may read /customer/current.jwt with credentials; the cookies are kept per host name, so sign in on the page's: http://localhost:${banner.port}/login.php for http://localhost:3001`,
  )
})

t.test('several origins, https, names the mock cannot be sure of', async (t) => {
  const certCacheDir = mkdtempSync(join(tmpdir(), 'bc-mock-banner-certs-'))
  t.teardown(() => rmSync(certCacheDir, { recursive: true, force: true }))
  const [several, foreign, https, allowed, address] = await Promise.all([
    bannerFor(t, [
      '--cors-origin',
      'https://tunnel.example.com',
      '--cors-origin',
      'http://shop.localhost:3002',
      '--cors-origin',
      'http://127.0.0.1:5173',
      '--cors-origin',
      'http://localhost:3001',
    ]),
    bannerFor(t, ['--cors-origin', 'https://tunnel.example.com']),
    bannerFor(t, ['--https', '--cert-cache-dir', certCacheDir, '--cors-origin', 'https://localhost:5173']),
    bannerFor(t, ['--allowed-host', 'mystore.test', '--cors-origin', 'http://mystore.test:3001']),
    bannerFor(t, ['--cors-origin', 'http://[::1]:3001']),
  ])

  // The first listed one the mock surely answers by name decides; each such page gets its own.
  t.equal(several.signIn, `http://shop.localhost:${several.port}`, 'the first listed page the mock is reached from by name')
  t.match(
    several.cors,
    `so sign in on the page's: http://shop.localhost:${several.port}/login.php for http://shop.localhost:3002, http://127.0.0.1:${several.port}/login.php for http://127.0.0.1:5173, http://localhost:${several.port}/login.php for http://localhost:3001`,
  )
  t.notMatch(several.cors, /tunnel\.example\.com:\d+\/login/, 'no sign-in URL on a name the mock cannot know reaches it')

  t.equal(foreign.signIn, foreign.url, 'a page on another machine: the listening URL')
  t.equal(foreign.cors, 'pages on https://tunnel.example.com may read /customer/current.jwt with credentials', 'and no note')

  t.match(https.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  t.equal(https.signIn, `https://localhost:${https.port}`, '--https: the scheme stays https')

  t.equal(allowed.signIn, `http://mystore.test:${allowed.port}`, 'a name --allowed-host lets through')

  t.equal(address.signIn, address.url, 'an address the mock does not listen on ([::1] for 127.0.0.1): the listening URL')
})

t.test('in Chromium: signing in where the banner says lets the listed page read the token', async (t) => {
  if (!chromiumReady(t)) return
  const pagePort = await startPageServer(t)
  const pageOrigin = `http://localhost:${pagePort}`
  const banner = await bannerFor(t, ['--cors-origin', pageOrigin])

  // What the banner said before: sign in on the listening URL. The page stays a guest.
  const before = await openBrowser(t)
  await signInWithForm(before.page, banner.url, DEMO.john.email, DEMO.john.password)
  await before.page.goto(`${pageOrigin}/?mock=${encodeURIComponent(banner.token)}`)
  await before.page.waitForSelector('#out[data-state=answered]')
  t.equal(await before.page.locator('#out').getAttribute('data-status'), '404', 'signed in on 127.0.0.1: the localhost page is a guest')

  const { page } = await openBrowser(t)
  await signInWithForm(page, banner.signIn, DEMO.john.email, DEMO.john.password)
  await page.goto(`${pageOrigin}/?mock=${encodeURIComponent(banner.token)}`)
  await page.waitForSelector('#out[data-state=answered]')
  t.equal(await page.locator('#out').getAttribute('data-status'), '200', 'signed in where the banner says: the page reads the token')
  const { payload } = await jwtVerify((await page.locator('#out').innerText()).trim(), new TextEncoder().encode(APP.secret), {
    audience: APP.clientId,
  })
  t.match(payload, { customer: { id: DEMO.john.id, email: DEMO.john.email } })
})
