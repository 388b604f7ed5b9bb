#!/usr/bin/env node
/**
 * `npm run screenshot`: the picture of the home page in the README and docs/demo-pages.md, made
 * by a real browser rather than by hand. Starts the mock (clock frozen at the API reference's example instant, so every
 * run draws the same token), signs in as John Doe through the sign-in form, loads the home page
 * with the Current customer panel showing the decoded, verified token, and saves a PNG.
 *
 * Flags: `--out PATH` (default `docs/home.png`), `--width N` (1200), `--height N` (900),
 * `--full-page`. Environment: `CHROMIUM_PATH` (default `/usr/bin/chromium`; `apt-get install
 * chromium` provides it). Exit codes: 0 saved, 1 failed, 2 a bad flag.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { startMockStorefront } from '../server/index.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-options.js'
import { packagePath } from '../server/package-root.js'

/** The Current Customer API reference's example `iat`: the token decodes to its example claims. */
const EXAMPLE_NOW = 1480831863
const DEMO_CUSTOMER = { email: 'john.doe@example.com', password: 'letmein' }

interface Settings {
  out: string
  width: number
  height: number
  fullPage: boolean
}

function readSettings(): Settings {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' }, 'full-page': { type: 'boolean' } },
    strict: true,
  })
  const size = (raw: string | undefined, fallback: number, flag: string): number => {
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < 320 || value > 4000)
      throw new UsageError(`--${flag} must be a whole number of pixels from 320 to 4000, got ${JSON.stringify(raw)}`)
    return value
  }
  return {
    out: resolve(values.out ?? packagePath('docs', 'home.png')),
    width: size(values.width, 1200, 'width'),
    height: size(values.height, 900, 'height'),
    fullPage: values['full-page'] ?? false,
  }
}

class UsageError extends Error {}

async function screenshot(settings: Settings): Promise<void> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\`, or set CHROMIUM_PATH`)
  const mock = await startMockStorefront({ now: EXAMPLE_NOW })
  const profile = mkdtempSync(join(tmpdir(), 'bc-mock-screenshot-'))
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: settings.width, height: settings.height },
    })
    try {
      context.setDefaultTimeout(10_000)
      const page = context.pages()[0] ?? (await context.newPage())
      // The real sign-in form, as a person would use it.
      await page.goto(`${mock.url}/login.php`)
      await page.getByLabel('Email address').fill(DEMO_CUSTOMER.email)
      await page.getByLabel('Password').fill(DEMO_CUSTOMER.password)
      await Promise.all([page.waitForURL(`${mock.url}/account.php`), page.getByRole('button', { name: 'Sign in', exact: true }).click()])
      await page.goto(`${mock.url}/`)
      await page.waitForSelector('#cc-verify[data-valid=true]')
      // No hover effect in the picture.
      await page.mouse.move(0, 0)
      mkdirSync(dirname(settings.out), { recursive: true })
      await page.screenshot({ path: settings.out, fullPage: settings.fullPage })
    } finally {
      await context.close()
    }
  } finally {
    rmSync(profile, { recursive: true, force: true })
    await mock.close()
  }
}

async function main(): Promise<number> {
  let settings: Settings
  try {
    settings = readSettings()
  } catch (error) {
    process.stderr.write(`screenshot: ${error instanceof Error ? error.message : String(error)}\n`)
    return 2
  }
  try {
    await screenshot(settings)
  } catch (error) {
    process.stderr.write(`screenshot: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
  const shown = relative(process.cwd(), settings.out) || settings.out
  process.stdout.write(
    `saved ${shown} (${settings.width}x${settings.height}${settings.fullPage ? ', full page' : ''}, ${Math.round(statSync(settings.out).size / 1024)} KiB)\n`,
  )
  return 0
}

process.exitCode = await main()
