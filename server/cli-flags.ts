import { parseArgs } from 'node:util'
import { MockError } from './errors.js'
import { check, DEFAULTS, LOG_LEVELS, type MockStorefrontOptions } from './options.js'

/** One command-line flag: its option, the environment variables it also reads, how to parse it. */
interface FlagSpec {
  flag: string
  option: keyof MockStorefrontOptions
  env: string[]
  help: string
  parse(raw: string, label: string): MockStorefrontOptions[keyof MockStorefrontOptions]
}

const integer = (raw: string, label: string): number => {
  if (!/^-?\d+$/.test(raw.trim())) throw new MockError('BCMOCK_INVALID_OPTION', `${label}: expected a whole number, got ${JSON.stringify(raw)}`, 400, label)
  return Number(raw)
}

/** Every flag the CLI takes, in the order `--help` lists them. */
export const FLAGS: FlagSpec[] = [
  { flag: 'port', option: 'port', env: ['BC_MOCK_PORT', 'PORT'], help: `port to listen on; 0 picks a free one (default ${DEFAULTS.cliPort})`, parse: (raw, label) => check.port(integer(raw, label), label) },
  { flag: 'host', option: 'host', env: ['BC_MOCK_HOST'], help: `interface to listen on (default ${DEFAULTS.host})`, parse: (raw, label) => check.host(raw, label) },
  { flag: 'fixtures', option: 'fixtures', env: ['BC_MOCK_FIXTURES'], help: 'fixture file, YAML or JSON (default: the bundled fixtures/store.yaml)', parse: (raw, label) => check.path(raw, label) },
  { flag: 'token-ttl', option: 'tokenTtl', env: ['BC_MOCK_TOKEN_TTL'], help: `token lifetime in seconds for apps that set none (default ${DEFAULTS.tokenTtl})`, parse: (raw, label) => check.positiveInteger(integer(raw, label), label) },
  { flag: 'now', option: 'now', env: ['BC_MOCK_NOW'], help: 'freeze the clock at these epoch seconds (default: real time)', parse: (raw, label) => check.epochSeconds(integer(raw, label), label) },
  { flag: 'session-ttl', option: 'sessionTtl', env: ['BC_MOCK_SESSION_TTL'], help: `idle seconds after which a storefront session ends (default ${DEFAULTS.sessionTtl})`, parse: (raw, label) => check.positiveInteger(integer(raw, label), label) },
  { flag: 'max-sessions', option: 'maxSessions', env: ['BC_MOCK_MAX_SESSIONS'], help: `most sessions held at once (default ${DEFAULTS.maxSessions})`, parse: (raw, label) => check.positiveInteger(integer(raw, label), label) },
  { flag: 'log-level', option: 'logLevel', env: ['BC_MOCK_LOG_LEVEL'], help: `${LOG_LEVELS.join(' | ')} (default info)`, parse: (raw, label) => check.logLevel(raw, label) },
]

/** What the command line asked for. */
export type CliRequest = { help: true } | { help: false; options: MockStorefrontOptions }

/**
 * Read flags, then environment variables, then defaults, in that order. An unknown flag or a
 * bad value throws a {@link MockError} whose message names the flag or variable.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliRequest {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries([...FLAGS.map((spec) => [spec.flag, { type: 'string' as const }]), ['help', { type: 'boolean' as const, short: 'h' }]]),
    })
  } catch (error) {
    throw new MockError('BCMOCK_INVALID_FLAG', `${(error as Error).message.split('\n')[0]} (see --help)`, 400)
  }
  if (parsed.values.help) return { help: true }

  const options: MockStorefrontOptions = { port: DEFAULTS.cliPort, logLevel: 'info' }
  for (const spec of FLAGS) {
    const fromFlag = parsed.values[spec.flag]
    const envName = spec.env.find((name) => env[name] !== undefined && env[name] !== '')
    const raw = typeof fromFlag === 'string' ? fromFlag : envName ? env[envName] : undefined
    if (raw === undefined) continue
    const label = typeof fromFlag === 'string' ? `--${spec.flag}` : (envName ?? spec.flag)
    Object.assign(options, { [spec.option]: spec.parse(raw, label) })
  }
  return { help: false, options }
}

/** The `--help` text. */
export function helpText(): string {
  const rows = FLAGS.map((spec) => `  --${`${spec.flag} <value>`.padEnd(22)} ${spec.help}\n  ${''.padEnd(24)} env: ${spec.env.join(', ')}`)
  return ['Usage: npm run mock -- [flags]', '', 'Starts the mock BigCommerce storefront.', '', ...rows, `  --${'help'.padEnd(22)} show this text`, ''].join('\n')
}
