/** Debian's Chromium, driven by playwright-core (which downloads no browser). `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Headless, no sandbox (containers run as root), and every background service that would
 * reach the network off: the machines this runs on have no internet. Host names other than
 * localhost do not resolve, so nothing can leave the machine even by mistake. Shared by the
 * screenshot script and the browser tests.
 */
export const CHROMIUM_ARGS = [
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
]
