import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp, startMockStorefront } from '../../server/index.js'

/** GET a raw path, without the URL normalisation fetch would do to `..` segments. */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, method: 'GET' }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
    })
    request.on('error', reject)
    request.end()
  })
}

function builtFrontEnd(t: Test): { parent: string; root: string } {
  const parent = mkdtempSync(join(tmpdir(), 'bc-mock-static-'))
  t.teardown(() => rmSync(parent, { recursive: true, force: true }))
  const root = join(parent, 'dist')
  mkdirSync(join(root, 'assets'), { recursive: true })
  mkdirSync(join(root, 'sub'))
  mkdirSync(join(root, 'customer'))
  mkdirSync(join(root, '__mock'))
  writeFileSync(join(root, 'index.html'), '<h1>built home</h1>')
  writeFileSync(join(root, 'sub', 'index.html'), '<h1>sub page</h1>')
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")')
  writeFileSync(join(root, '.env'), 'SECRET=1')
  // Files that would shadow the mock's routes if the static files won.
  writeFileSync(join(root, 'login.php'), 'static login')
  writeFileSync(join(root, 'customer', 'current.jwt'), 'static jwt')
  writeFileSync(join(root, '__mock', 'health'), 'static health')
  writeFileSync(join(parent, 'secret.txt'), 'outside the root')
  return { parent, root }
}

t.test('--static serves a built front end from the mock origin', async (t) => {
  const { root } = builtFrontEnd(t)
  const storefront = await startMockStorefront({ static: root })
  t.teardown(() => storefront.close())
  const mock = storefront.url

  t.test('files, and index.html for / and directories', async (t) => {
    const script = await fetch(`${mock}/assets/app.js`)
    t.equal(script.status, 200)
    t.match(script.headers.get('content-type'), /javascript/)
    t.equal(await script.text(), 'console.log("app")')
    t.equal(await (await fetch(`${mock}/`)).text(), '<h1>built home</h1>')
    t.equal(await (await fetch(`${mock}/sub/`)).text(), '<h1>sub page</h1>')
    t.equal((await fetch(`${mock}/assets/app.js`, { method: 'HEAD' })).status, 200)
  })

  t.test("the mock's routes win over files of the same name", async (t) => {
    const login = await fetch(`${mock}/login.php`)
    t.match(await login.text(), /login_email/)
    const jwt = await fetch(`${mock}/customer/current.jwt?app_client_id=6sv16tfx3j5gsopm42ss5dd67g2srvq`)
    t.equal(jwt.status, 404)
    t.match(await jwt.json(), { code: 'BCMOCK_NOT_LOGGED_IN' })
    const home = await fetch(`${mock}/__mock/`)
    t.match(await home.text(), /Mock BigCommerce storefront/, "the mock's home moved to /__mock/")
    const underMock = await fetch(`${mock}/__mock/health`)
    t.not(await underMock.text(), 'static health', '/__mock/* is never a file')
  })

  t.test('no listing, no dotfiles, no missing files: the mock 404', async (t) => {
    for (const path of ['/assets/', '/.env', '/nope.js']) {
      const response = await fetch(`${mock}${path}`)
      t.equal(response.status, 404, path)
      t.match(await response.json(), { code: 'BCMOCK_NOT_FOUND' }, path)
    }
  })

  t.test('paths that climb out of the directory are refused', async (t) => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
    ]) {
      const response = await rawGet(mock, path)
      t.not(response.status, 200, path)
      t.notMatch(response.body, /outside the root/, path)
    }
  })
})

t.test('--static values are checked', async (t) => {
  const { parent, root } = builtFrontEnd(t)
  await t.rejects(startMockStorefront({ static: join(parent, 'no-such-dir') }), {
    code: 'BCMOCK_INVALID_OPTION',
    message: /^static: expected an existing directory .*it does not exist/,
  })
  await t.rejects(startMockStorefront({ static: join(parent, 'secret.txt') }), { message: /^static: expected a directory .* is a file/ })
  await t.rejects(startMockStorefront({ static: '' }), { message: /^static: expected a directory path/ })
  await t.rejects(startMockStorefront({ static: root, proxy: 'http://localhost:3000' }), {
    message: /^proxy and static cannot be used together/,
  })
})

t.test('front-end routes are told apart from storefront ones: never recorded', async (t) => {
  const { root } = builtFrontEnd(t)
  const app = buildApp({ static: root })
  t.teardown(() => app.close())
  await app.inject('/assets/app.js')
  await app.inject('/login.php')
  const recorded = app.mock.listRequests().map((entry) => entry.path)
  t.notOk(recorded.includes('/assets/app.js'), 'the static file is not in the request log')
  t.ok(recorded.includes('/login.php'), 'the storefront route is')
})

t.test('--static refuses files whose real path leaves DIR through a symbolic link', async (t) => {
  const { parent, root } = builtFrontEnd(t)
  mkdirSync(join(parent, 'outside'))
  writeFileSync(join(parent, 'outside', 'secret.txt'), 'outside secret')
  writeFileSync(join(parent, 'outside', 'index.html'), 'outside index')
  symlinkSync('../outside/secret.txt', join(root, 'link.txt'))
  symlinkSync('../outside', join(root, 'linked-dir'))
  symlinkSync('../outside/index.html', join(root, 'sub', 'linked-index.html'))
  mkdirSync(join(root, 'index-link'))
  symlinkSync('../../outside/index.html', join(root, 'index-link', 'index.html'))
  symlinkSync('assets/app.js', join(root, 'inside-link.js'))
  const app = buildApp({ static: root })
  t.teardown(() => app.close())
  for (const url of ['/link.txt', '/linked-dir/secret.txt', '/linked-dir/', '/sub/linked-index.html', '/index-link/']) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 404, `${url} is refused`)
    t.notMatch(response.body, /outside/, `${url}: nothing of the outside file`)
  }
  const inside = await app.inject({ url: '/inside-link.js' })
  t.equal(inside.statusCode, 200, 'a link that stays inside DIR is served')
  t.equal(inside.body, 'console.log("app")')
})
