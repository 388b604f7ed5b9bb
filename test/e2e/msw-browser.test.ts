// examples/msw-widget/'s stories in Chromium, as Storybook shows them with msw-storybook-addon: the
// project installs the packed package, msw, jose and esbuild; `npm run preview` writes msw's worker
// script (`msw init`) and bundles the preview page (the browser build of the package, through the
// `browser` export condition); a static server serves that folder and nothing else, so every
// storefront answer the page gets comes from the service worker. The app backend's handler
// verifies each token with jose in the page. Same rule as the other browser tests: with CI set a
// missing Chromium fails; elsewhere the file is skipped with the install hint.
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import t, { type Test } from 'tap'
import { chromiumReady, openBrowser, saveScreenshot } from '../helpers/chromium.js'
import { runIn } from '../helpers/consumer.js'
import { installExample } from '../helpers/example-project.js'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' }

/** Serve `dir` on a free loopback port; answers its origin and every path asked for. */
async function serveStatic(t: Test, dir: string): Promise<{ origin: string; asked: string[] }> {
  const asked: string[] = []
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    asked.push(path)
    const file = normalize(join(dir, path === '/' ? 'index.html' : path))
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
    createReadStream(file).pipe(response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked }
}

const STORIES = [
  { story: 'SignedIn', state: 'signed-in', text: 'Signed in as john.doe@example.com', customerId: '4927' },
  { story: 'Guest', state: 'guest', text: 'Sign in to see your prices' },
  { story: 'StoreDown', state: 'store-error', text: 'The store did not answer (503); try again later' },
  { story: 'ExpiredToken', state: 'rejected', text: 'We could not confirm who you are; please sign in again' },
] as const

if (chromiumReady(t)) {
  t.test('the stories in Chromium, answered by the service worker', async (t) => {
    const project = installExample(t, 'msw-widget')
    const preview = runIn('npm', ['run', 'preview'], project, 60_000)
    t.equal(preview.status, 0, `npm run preview: msw init and the bundle\n${preview.stdout}${preview.stderr}`)
    t.notMatch(preview.stdout + preview.stderr, /Do you wish|Error/, 'msw init asked nothing and nothing failed')
    const publicDir = join(project, 'preview', 'public')
    t.ok(existsSync(join(publicDir, 'mockServiceWorker.js')), 'msw init wrote the worker script')

    const { origin, asked } = await serveStatic(t, publicDir)
    const { page, offMachine } = await openBrowser(t)
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    try {
      for (const { story, state, text, ...data } of STORIES) {
        await page.goto(`${origin}/?story=${story}`)
        const badge = page.locator('#story p[data-state]:not([data-state="loading"])')
        await badge.waitFor()
        t.same(
          { state: await badge.getAttribute('data-state'), text: await badge.textContent() },
          { state, text },
          `${story}: the badge shows ${state}`,
        )
        if ('customerId' in data) {
          t.equal(await badge.getAttribute('data-customer-id'), data.customerId, `${story}: the customer the page's jose verified`)
          const exp = Number(await badge.getAttribute('data-expires-at'))
          t.ok(Math.abs(exp - (Date.now() / 1000 + 900)) < 60, `${story}: exp 15 minutes from now (${exp})`)
        }
      }
      t.match(
        // An expression as a string: it runs in the page, and this project's types have no DOM.
        await page.evaluate<string | undefined>('navigator.serviceWorker.controller?.scriptURL'),
        /\/mockServiceWorker\.js$/,
        "msw's worker controls the page",
      )
    } catch (error) {
      await saveScreenshot(t, page, 'msw stories')
      throw error
    }
    t.same(errors, [], 'no error on the page')
    t.same(offMachine, [], 'the page loaded nothing from off this machine')
    t.same(
      asked.filter((path) => !['/', '/main.js', '/mockServiceWorker.js', '/favicon.ico'].includes(path)),
      [],
      'the static server was asked for the page, its script and the worker only: the storefront and the backend were the worker',
    )
  })
}
