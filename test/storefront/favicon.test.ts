// The pages' icon, through the CLI as a process: every page names it, /favicon.ico answers it
// (a browser asks for that by itself), neither is logged nor recorded, and behind a --static or
// --proxy front end /favicon.ico is the front end's.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ensureBuilt, ROOT, spawnCli } from '../helpers/cli.js'
import { DEMO } from '../helpers/storefront.js'

const ICON = readFileSync(join(ROOT, 'server', 'storefront', 'pages', 'assets', 'favicon.svg'), 'utf8')

ensureBuilt()

t.test('every page names the icon; /favicon.ico answers it; no log line, no request log entry', async (t) => {
  const cli = spawnCli(t, ['--port', '0', '--log-format', 'json'])
  const url = await cli.url()

  const signIn = await fetch(`${url}/login.php?action=check_login`, {
    method: 'POST',
    body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }),
    redirect: 'manual',
  })
  const cookie = signIn.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
  for (const path of ['/', '/login.php', '/account.php']) {
    const page = await (await fetch(`${url}${path}`, { headers: { cookie } })).text()
    t.match(page, '<link rel="icon" href="/__mock/assets/favicon.svg" type="image/svg+xml">', `${path} names the icon`)
  }

  for (const path of ['/favicon.ico', '/__mock/assets/favicon.svg']) {
    const response = await fetch(`${url}${path}`)
    t.equal(response.status, 200, `${path}: 200`)
    t.equal(response.headers.get('content-type'), 'image/svg+xml')
    t.equal(await response.text(), ICON, `${path}: the icon`)
  }

  const { requests } = (await (await fetch(`${url}/__mock/requests`)).json()) as { requests: { path: string }[] }
  t.same(
    requests.map((entry) => entry.path),
    ['/login.php?action=check_login', '/', '/login.php', '/account.php'],
    'the request log has the pages, not the icon',
  )
  // The log lines come through a pipe: give the last ones a moment.
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.notMatch(cli.stdout, 'favicon', 'no log line names the icon')
  t.match(cli.stdout, '"url":"/account.php"', 'while the pages are logged')
})

t.test("with a front end owning /, /favicon.ico is the front end's; the mock's icon stays under /__mock", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bc-mock-favicon-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const withIcon = join(root, 'with-icon')
  const without = join(root, 'without')
  for (const dir of [withIcon, without]) {
    mkdirSync(dir)
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>front end</title>')
  }
  writeFileSync(join(withIcon, 'favicon.ico'), 'the front end icon')

  const [a, b] = [spawnCli(t, ['--port', '0', '--static', withIcon]), spawnCli(t, ['--port', '0', '--static', without])]
  const [urlA, urlB] = await Promise.all([a.url(), b.url()])
  t.equal(await (await fetch(`${urlA}/favicon.ico`)).text(), 'the front end icon', "the front end's own icon")
  t.equal((await fetch(`${urlB}/favicon.ico`)).status, 404, 'a front end without one: its 404, not the mock icon')
  const mockIcon = await fetch(`${urlB}/__mock/assets/favicon.svg`)
  t.equal(mockIcon.status, 200)
  t.equal(await mockIcon.text(), ICON, 'the mock pages still have theirs')
  t.match(await (await fetch(`${urlB}/login.php`)).text(), 'href="/__mock/assets/favicon.svg"')
})
