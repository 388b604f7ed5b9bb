import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { startMockStorefront, type MockStorefrontOptions, type RunningMockStorefront } from '../../server/index.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium-options.js'
import { ROOT } from './cli.js'

/** Where a failing browser test leaves its screenshot (git-ignored). */
const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots')

/** How to get Chromium, for the skip message. */
const INSTALL_HINT =
  'install it with `apt-get install chromium` (Debian/Ubuntu; .ci/run does this), or set CHROMIUM_PATH to a Chromium binary'

/**
 * Whether this file's browser tests can run. Outside CI, without Chromium, the whole file is
 * skipped with a message saying how to install it (also printed to stderr, so it is seen). In
 * CI (`CI` set) a missing Chromium is a failure: the browser tests must run there.
 */
export function chromiumReady(t: Test): boolean {
  if (existsSync(CHROMIUM_PATH)) return true
  const message = `real-browser tests need Chromium at ${CHROMIUM_PATH}: ${INSTALL_HINT}`
  if (inCi()) {
    t.fail(`CI is set, so the browser tests must run, but ${message}`)
    return false
  }
  process.stderr.write(`SKIPPED ${message}\n`)
  t.comment(`SKIPPED: ${message}`)
  t.plan(0, message)
  return false
}

/** Whether the `CI` environment variable is set (to anything but an empty, `0` or `false` value). */
export function inCi(): boolean {
  const value = process.env.CI
  return value !== undefined && !['', '0', 'false'].includes(value.trim().toLowerCase())
}

/** A fresh browser (its own temporary profile) and one page, closed when the test ends. */
export interface BrowserSession {
  context: BrowserContext
  page: Page
  /** Requests the page tried to send off this machine (all refused). Must stay empty. */
  offMachine: string[]
}

/**
 * Options a test may add to the browser context, e.g. `{ ignoreHTTPSErrors: true }` to accept the
 * mock's self-signed certificate as a developer accepts the browser's exception. The executable,
 * headless mode, arguments and viewport stay the helper's.
 */
export type BrowserContextOptions = Omit<
  NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>,
  'executablePath' | 'headless' | 'args' | 'viewport'
>

/** What {@link openBrowser} may set up besides the context options. */
export interface ProfileOptions {
  /**
   * Chromium's "third-party cookies" setting, written into the fresh profile before launch:
   * `allow` (Chrome's default outside incognito) or `block` (incognito, Safari and Firefox's
   * tracking protection, and this Debian Chromium's default). Unset: the build's default.
   */
  thirdPartyCookies?: 'allow' | 'block'
}

// Chromium's `profile.cookie_controls_mode`: 0 allows third-party cookies, 1 blocks them.
const COOKIE_CONTROLS_MODE = { allow: 0, block: 1 } as const

/** Launch Chromium with a fresh `--user-data-dir`; requests to anything but loopback are refused and recorded. */
export async function openBrowser(
  t: Test,
  viewport = { width: 1200, height: 900 },
  contextOptions: BrowserContextOptions = {},
  profileOptions: ProfileOptions = {},
): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'bc-mock-chromium-'))
  if (profileOptions.thirdPartyCookies) {
    mkdirSync(join(profile, 'Default'))
    writeFileSync(
      join(profile, 'Default', 'Preferences'),
      JSON.stringify({ profile: { cookie_controls_mode: COOKIE_CONTROLS_MODE[profileOptions.thirdPartyCookies] } }),
    )
  }
  const context = await chromium.launchPersistentContext(profile, {
    ...contextOptions,
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  })
  t.teardown(async () => {
    await context.close().catch(() => undefined)
    rmSync(profile, { recursive: true, force: true })
  })
  // Failures should show within a test's time budget, not after playwright's 30 s default.
  context.setDefaultTimeout(8000)
  const offMachine: string[] = []
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (isLoopback(url.hostname)) return route.continue()
    offMachine.push(url.href)
    return route.abort('blockedbyclient')
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return { context, page, offMachine }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}

/** What a browser test gets: a mock on a real port and a fresh browser. */
export interface BrowserFlow extends BrowserSession {
  mock: RunningMockStorefront
}

/**
 * A subtest that starts the mock on port 0 (`mockOptions`) and a fresh Chromium, runs `body`,
 * and saves a full-page screenshot to {@link SCREENSHOT_DIR} when it throws or fails an
 * assertion. It also fails when the page tried to reach anything off this machine.
 * `contextOptions` go to the browser context (see {@link openBrowser}).
 */
export function browserTest(
  t: Test,
  name: string,
  body: (t: Test, flow: BrowserFlow) => Promise<void>,
  mockOptions: MockStorefrontOptions = {},
  contextOptions: BrowserContextOptions = {},
): void {
  t.test(name, async (t) => {
    const mock = await startMockStorefront(mockOptions)
    t.teardown(() => mock.close())
    const session = await openBrowser(t, undefined, contextOptions)
    const flow: BrowserFlow = { ...session, mock }
    try {
      await body(t, flow)
    } catch (error) {
      await saveScreenshot(t, session.page, name)
      throw error
    }
    t.same(session.offMachine, [], 'the page loaded nothing from off this machine')
    if (!t.passing()) await saveScreenshot(t, session.page, name)
  })
}

/** Save a full-page screenshot named after the test; answers its path. */
export async function saveScreenshot(t: Test, page: Page, name: string): Promise<string | undefined> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = join(
    SCREENSHOT_DIR,
    `${name
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()}.png`,
  )
  try {
    await page.screenshot({ path: file, fullPage: true })
    t.comment(`screenshot of the failure: ${file}`)
    return file
  } catch (error) {
    t.comment(`no screenshot (${error instanceof Error ? error.message : String(error)})`)
    return undefined
  }
}

/** Sign in through the storefront's form, as a person would: type, submit, land on the account page. */
export async function signInWithForm(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login.php`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await Promise.all([page.waitForURL(`${baseUrl}/account.php`), page.getByRole('button', { name: 'Sign in', exact: true }).click()])
}

/** The claims the panel shows, parsed. */
export async function panelClaims(
  page: Page,
): Promise<Record<string, unknown> & { customer: { id: number; email: string; group_id: string }; aud: string; iat: number; exp: number }> {
  return JSON.parse(await page.locator('#cc-claims').innerText()) as Awaited<ReturnType<typeof panelClaims>>
}

/** The session cookies the browser holds for the mock. */
export async function sessionCookieNames(context: BrowserContext, baseUrl: string): Promise<string[]> {
  return (await context.cookies(baseUrl))
    .map((cookie) => cookie.name)
    .filter((name) => name === 'SHOP_SESSION_TOKEN' || name === 'SHOP_TOKEN')
}
