/**
 * Every default of the options, in one place: the API's, and where the command line starts
 * otherwise (`cli*`: a fixed port to open in a browser, and logs on).
 */
export const DEFAULTS = {
  tokenTtl: 900,
  sessionTtl: 86_400,
  maxSessions: 10_000,
  host: '127.0.0.1',
  cliPort: 3100,
  apiPort: 0,
  /** `buildApp` and `startMockStorefront` log nothing unless asked. */
  apiLogLevel: 'silent',
  cliLogLevel: 'info',
  /** The CLI writes `pretty` lines to a terminal instead. */
  logFormat: 'json',
} as const
