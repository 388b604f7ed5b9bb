import { parseArgs, type ParseArgsOptionDescriptor } from 'node:util'
import { closestName, showValue } from './domain/describe-value.js'
import { FAULT_EFFECTS, FAULT_ROUTES, type FaultSpec } from './domain/rules/fault-rules.js'
import { ERRORS } from './errors.js'
import { LOG_FORMATS, LOG_LEVELS, type LogFormat } from './http/logger.js'
import {
  DEFAULTS,
  OPTION_NAMES,
  type MockStorefrontOptions,
  type OptionLabels,
  type OptionName,
} from './options/mock-storefront-options.js'
import { MAX_LATENCY_MS, type LatencyRange } from './storefront/latency.js'

/** Settings of the command itself, not of the server: how it reports to its caller. */
interface CliOutput {
  /** `--log-format`; undefined: pretty when standard output is a terminal, JSON otherwise. */
  logFormat: LogFormat | undefined
  /** `--ready-json`: one JSON line on stdout once listening, before anything else. */
  readyJson: boolean
}

/** What a flag may set: a server option, or one of the command's own settings. */
type FlagOptions = MockStorefrontOptions & Partial<CliOutput>

/**
 * One command-line flag: its option, the environment variables it also reads, how to read its
 * text. `parse` reads the text only (a number, a switch, a list); the value's rules are checked
 * once, by `resolveOptions`, whose errors name the flag or variable by the labels `parseCli` gives.
 */
interface FlagSpec {
  flag: string
  option: keyof FlagOptions
  env: string[]
  help: string
  /** A switch that takes no value (`--watch`); its environment variable reads as a boolean. */
  boolean?: true
  /**
   * A flag that may be given more than once (`--fault a --fault b`): its values reach `parse`
   * joined by commas, the way its environment variable lists them (`BC_MOCK_FAULTS=a,b`).
   */
  multiple?: true
  parse(raw: string, label: string): FlagOptions[keyof FlagOptions]
}

// For switches: the flag itself gives "true"; an environment variable may say yes or no.
const switchValue = (raw: string, label: string): boolean => {
  const value = raw.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(value)) return true
  if (['0', 'false', 'no', 'off'].includes(value)) return false
  throw ERRORS.invalidOption(label, `expected true or false (1/0, yes/no), got ${JSON.stringify(raw)}`)
}

// "150" or "100-300" (milliseconds). Errors speak of what was typed, not of the {min, max} option.
const latencyValue = (raw: string, label: string): LatencyRange => {
  const bad = (expected: string) => ERRORS.invalidOption(label, `expected ${expected}, got ${JSON.stringify(raw)}`)
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(raw)
  if (!match) throw bad(`milliseconds (e.g. 300) or a range MIN-MAX (e.g. 100-800), from 0 to ${MAX_LATENCY_MS}`)
  const min = Number(match[1])
  const max = match[2] === undefined ? min : Number(match[2])
  if (match[2] !== undefined && min > max)
    throw bad(`MIN-MAX with MIN <= MAX (e.g. ${max}-${min}), each from 0 to ${MAX_LATENCY_MS} milliseconds`)
  if (max > MAX_LATENCY_MS) throw bad(`at most ${MAX_LATENCY_MS} milliseconds${match[2] === undefined ? '' : ' at either end'}`)
  return { min, max }
}

const logFormatValue = (raw: string, label: string): LogFormat => {
  if (!(LOG_FORMATS as readonly string[]).includes(raw))
    throw ERRORS.invalidOption(label, `expected ${LOG_FORMATS.join(' or ')}, got ${JSON.stringify(raw)}`)
  return raw as LogFormat
}

const FAULT_FORMAT = `ROUTE:EFFECT[:TIMES], e.g. current-customer:status:3 (ROUTE ${FAULT_ROUTES.join(' | ')}; EFFECT ${FAULT_EFFECTS.join(' | ')}, status=N and delay=MS take a value)`

// "current-customer:status=503:3,account:signed-out": one fault per comma-separated entry, read
// into a spec; resolveOptions checks the specs (and how many), quoting each entry (faultTexts).
const faultsValue = (raw: string, label: string): FaultSpec[] => {
  return faultTexts(raw).map((entry) => {
    const match = /^\s*([a-z-]+):([a-z-]+)(?:=(\d+))?(?::(\d+))?\s*$/.exec(entry)
    if (!match) throw ERRORS.invalidOption(label, `expected ${FAULT_FORMAT}, got ${showValue(entry)}`)
    const [, route = '', effect = '', value, times] = match
    const spec: FaultSpec = { route, effect, ...(times !== undefined && { times: Number(times) }) }
    if (value !== undefined) {
      if (effect === 'status') spec.status = Number(value)
      else if (effect === 'delay') spec.delay_ms = Number(value)
      else throw ERRORS.invalidOption(label, `${showValue(entry)}: only status=N and delay=MS take a value`)
    } else if (effect === 'delay') {
      throw ERRORS.invalidOption(label, `${showValue(entry)}: delay needs its milliseconds, e.g. ${route}:delay=800`)
    }
    return spec
  })
}

const faultTexts = (raw: string): string[] => raw.split(',')

// "http://localhost:5173, https://app.example.test", "mystore.test,.example.test": the entries, each trimmed.
const listValue = (raw: string): string[] => raw.split(',').map((entry) => entry.trim())

const text = (raw: string): string => raw

const integer = (raw: string, label: string): number => {
  if (!/^-?\d+$/.test(raw.trim())) throw ERRORS.invalidOption(label, `expected a whole number, got ${JSON.stringify(raw)}`)
  return Number(raw)
}

/** Every flag the CLI takes, in the order `--help` lists them. */
export const FLAGS: FlagSpec[] = [
  {
    flag: 'port',
    option: 'port',
    env: ['BC_MOCK_PORT', 'PORT'],
    help: `port to listen on; 0 picks a free one (default ${DEFAULTS.cliPort})`,
    parse: integer,
  },
  { flag: 'host', option: 'host', env: ['BC_MOCK_HOST'], help: `interface to listen on (default ${DEFAULTS.host})`, parse: text },
  {
    flag: 'fixtures',
    option: 'fixtures',
    env: ['BC_MOCK_FIXTURES'],
    help: 'fixture file, YAML or JSON (default: the bundled fixtures/store.yaml)',
    parse: text,
  },
  {
    flag: 'token-ttl',
    option: 'tokenTtl',
    env: ['BC_MOCK_TOKEN_TTL'],
    help: `token lifetime in seconds for apps that set none (default ${DEFAULTS.tokenTtl})`,
    parse: integer,
  },
  {
    flag: 'now',
    option: 'now',
    env: ['BC_MOCK_NOW'],
    help: 'freeze the clock at these epoch seconds (default: real time)',
    parse: integer,
  },
  {
    flag: 'session-ttl',
    option: 'sessionTtl',
    env: ['BC_MOCK_SESSION_TTL'],
    help: `idle seconds after which a storefront session ends (default ${DEFAULTS.sessionTtl})`,
    parse: integer,
  },
  {
    flag: 'max-sessions',
    option: 'maxSessions',
    env: ['BC_MOCK_MAX_SESSIONS'],
    help: `most sessions held at once (default ${DEFAULTS.maxSessions})`,
    parse: integer,
  },
  {
    flag: 'log-level',
    option: 'logLevel',
    env: ['BC_MOCK_LOG_LEVEL'],
    help: `${LOG_LEVELS.join(' | ')} (default ${DEFAULTS.cliLogLevel})`,
    parse: text,
  },
  {
    flag: 'log-format',
    option: 'logFormat',
    env: ['BC_MOCK_LOG_FORMAT'],
    help: `${LOG_FORMATS.join(' | ')}: one readable line per request, or JSON lines (default: pretty on a terminal, json otherwise)`,
    parse: logFormatValue,
  },
  {
    flag: 'watch',
    option: 'watch',
    env: ['BC_MOCK_WATCH'],
    boolean: true,
    help: 'apply edits of the fixture file without a restart; a broken edit changes nothing',
    parse: switchValue,
  },
  {
    flag: 'proxy',
    option: 'proxy',
    env: ['BC_MOCK_PROXY'],
    help: 'send every request the mock does not answer (WebSockets too) to this dev server, e.g. http://localhost:3000',
    parse: text,
  },
  {
    flag: 'static',
    option: 'static',
    env: ['BC_MOCK_STATIC'],
    help: "serve this directory (a built front end) from the mock's origin; not with --proxy",
    parse: text,
  },
  {
    flag: 'latency',
    option: 'latency',
    env: ['BC_MOCK_LATENCY'],
    help: `delay the storefront endpoints by MS or a random MIN-MAX milliseconds (at most ${MAX_LATENCY_MS})`,
    parse: latencyValue,
  },
  // Prefer the environment variable: a flag's value shows in `ps` to every user of the machine.
  {
    flag: 'admin-token',
    option: 'adminToken',
    env: ['BC_MOCK_ADMIN_TOKEN'],
    help: 'every /__mock control API call needs Authorization: Bearer <this token>; needed to use it on a non-loopback --host',
    parse: text,
  },
  {
    flag: 'no-admin',
    option: 'admin',
    env: ['BC_MOCK_NO_ADMIN'],
    boolean: true,
    help: 'turn the /__mock control API off',
    parse: (raw, label) => !switchValue(raw, label),
  },
  {
    flag: 'ready-json',
    option: 'readyJson',
    env: ['BC_MOCK_READY_JSON'],
    boolean: true,
    help: 'once listening, print one JSON line {"url","port",...} on stdout before anything else (for test runners in any language)',
    parse: switchValue,
  },
  {
    flag: 'https',
    option: 'https',
    env: ['BC_MOCK_HTTPS'],
    boolean: true,
    help: "serve TLS on the same port, with production's cookie attributes (Secure; SameSite=None); a self-signed certificate is made and kept unless --cert/--key are given",
    parse: switchValue,
  },
  {
    flag: 'cert',
    option: 'cert',
    env: ['BC_MOCK_CERT'],
    help: 'your own PEM certificate for --https (e.g. from mkcert); needs --key',
    parse: text,
  },
  { flag: 'key', option: 'key', env: ['BC_MOCK_KEY'], help: 'the PEM private key of --cert', parse: text },
  {
    flag: 'cert-cache-dir',
    option: 'certCacheDir',
    env: ['BC_MOCK_CERT_CACHE_DIR'],
    help: "where the generated certificate is kept (default: the user's cache directory); it must be yours and not writable by group or others",
    parse: text,
  },
  {
    flag: 'cors-origin',
    option: 'corsOrigins',
    env: ['BC_MOCK_CORS_ORIGINS'],
    multiple: true,
    help: 'let pages on this origin read /customer/current.jwt with credentials, e.g. http://localhost:5173 (repeatable; the variable takes a comma-separated list; exact origins, no wildcards)',
    parse: listValue,
  },
  {
    flag: 'allowed-host',
    option: 'allowedHosts',
    env: ['BC_MOCK_ALLOWED_HOSTS'],
    multiple: true,
    help: 'on a loopback --host, also answer requests whose Host is this name, e.g. mystore.test (.example.test: it and every name under it); others get 403, against DNS rebinding (repeatable; the variable takes a comma-separated list; no scheme, no port)',
    parse: listValue,
  },
  {
    flag: 'fault',
    option: 'faults',
    env: ['BC_MOCK_FAULTS'],
    multiple: true,
    help: `start with this fault active (repeatable; the variable takes a comma-separated list): ${FAULT_FORMAT}`,
    parse: faultsValue,
  },
]

/** What the command line asked for. */
export type CliRequest =
  | { help: true; version: false }
  | { help: false; version: true }
  | {
      help: false
      version: false
      /** The options given, read but not yet checked: `resolveOptions(options, { labels, faultTexts })` checks them. */
      options: MockStorefrontOptions
      /** The flag or variable each option given came from, for errors to name. */
      labels: OptionLabels
      /** How each `--fault` or `BC_MOCK_FAULTS` entry was written, for its error to quote. */
      faultTexts: string[] | undefined
      output: CliOutput
    }

/**
 * Read flags, then environment variables, then the command's own defaults (port
 * `DEFAULTS.cliPort`, log level `DEFAULTS.cliLogLevel`), in that order. An unknown flag, or a
 * value that does not read as its kind (a number, a switch, a fault), throws a `MockError`
 * whose message names the flag or variable; what a value means is checked by `resolveOptions`,
 * with the labels this answers.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliRequest {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries<ParseArgsOptionDescriptor>([
        ...FLAGS.map((spec): [string, ParseArgsOptionDescriptor] => [
          spec.flag,
          { type: spec.boolean ? ('boolean' as const) : ('string' as const), multiple: spec.multiple === true },
        ]),
        ['help', { type: 'boolean' as const, short: 'h' }],
        ['version', { type: 'boolean' as const }],
      ]),
    })
  } catch (error) {
    throw ERRORS.invalidFlag(flagProblem(error as NodeJS.ErrnoException))
  }
  if (parsed.values.help) return { help: true, version: false }
  if (parsed.values.version) return { help: false, version: true }

  const all: FlagOptions = { port: DEFAULTS.cliPort, logLevel: DEFAULTS.cliLogLevel }
  const labels: OptionLabels = {}
  let texts: string[] | undefined
  for (const spec of FLAGS) {
    const given = parsed.values[spec.flag]
    // A repeatable flag's values join as its variable lists them; a switch given reads as "true".
    const value = Array.isArray(given) ? given.join(',') : given
    const fromFlag = value === true ? 'true' : value
    const envName = spec.env.find((name) => env[name] !== undefined && env[name] !== '')
    const raw = typeof fromFlag === 'string' ? fromFlag : envName ? env[envName] : undefined
    if (raw === undefined) continue
    const label = typeof fromFlag === 'string' ? `--${spec.flag}` : (envName ?? spec.flag)
    if (isOptionName(spec.option)) labels[spec.option] = label
    if (spec.option === 'faults') texts = faultTexts(raw)
    Object.assign(all, { [spec.option]: spec.parse(raw, label) })
  }
  // --cert and --key go together: the one not given is named as its partner was, a flag or a variable.
  if (labels.cert === undefined && labels.key !== undefined) labels.cert = partnerLabel('cert', labels.key)
  if (labels.key === undefined && labels.cert !== undefined) labels.key = partnerLabel('key', labels.cert)
  const { logFormat, readyJson, ...options } = all
  return { help: false, version: false, options, labels, faultTexts: texts, output: { logFormat, readyJson: readyJson ?? false } }
}

// parseArgs' message, first line only; for an unknown flag, the nearest one, as the API names the nearest option.
function flagProblem(error: NodeJS.ErrnoException): string {
  const problem = error.message.split('\n')[0] ?? 'bad command line'
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '--([^'=]+)'/.exec(problem)?.[1] : undefined
  const meant = unknown === undefined ? undefined : closestName(unknown, [...FLAGS.map((spec) => spec.flag), 'help', 'version'])
  return meant === undefined ? problem : `${problem}; did you mean --${meant}?`
}

function isOptionName(name: string): name is OptionName {
  return (OPTION_NAMES as readonly string[]).includes(name)
}

// How an option not given is named beside one given as `given`: by its variable when that came from one, else by its flag.
function partnerLabel(option: OptionName, given: string): string {
  const spec = FLAGS.find((flag) => flag.option === option)
  if (spec === undefined) return option
  return given.startsWith('--') ? `--${spec.flag}` : (spec.env[0] ?? `--${spec.flag}`)
}

/**
 * The command as the user typed it, for `--help`: `npm run mock --` from this repository's
 * `npm run mock`, otherwise the installed bin's name.
 */
export function invokedAs(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event === 'mock' ? 'npm run mock --' : 'bigcommerce-mock'
}

/** The `--help` text; `command` is how the usage line names the command. */
export function helpText(command = 'bigcommerce-mock'): string {
  const rows = FLAGS.map(
    (spec) =>
      `  --${`${spec.flag}${spec.boolean ? '' : ' <value>'}${spec.multiple ? ' ...' : ''}`.padEnd(26)} ${spec.help}\n  ${''.padEnd(28)} env: ${spec.env.join(', ')}`,
  )
  return [
    `Usage: ${command} [flags]`,
    '',
    'Starts the mock BigCommerce storefront.',
    '',
    ...rows,
    `  --${'help'.padEnd(26)} show this text`,
    `  --${'version'.padEnd(26)} print the version`,
    '',
  ].join('\n')
}
