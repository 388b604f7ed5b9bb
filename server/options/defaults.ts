/** Defaults shared by the API and the CLI. */
export const DEFAULTS = {
  tokenTtl: 900,
  sessionTtl: 86_400,
  maxSessions: 10_000,
  host: '127.0.0.1',
  cliPort: 3100,
  apiPort: 0,
} as const
