// Playwright Test against the mock storefront: two workers, each with its own mock (see
// fixtures.ts). The browser is Debian's Chromium (`apt-get install chromium`), launched through
// `launchOptions.executablePath`, so no browser is downloaded; CHROMIUM_PATH picks another one.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 20_000,
  outputDir: '../../test-output/playwright',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // As test/helpers/chromium.ts: no sandbox (containers run as root), nothing reaches the network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--disable-extensions',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      ],
    },
  },
})
