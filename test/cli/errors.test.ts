// `npm run mock` refusing to start: bad flags and values, bad fixtures, a port in use; and --help.
import t from 'tap'
import { stringify as toYaml } from 'yaml'
import { ensureBuilt, freePort, isListening, listenOn, runCli } from '../helpers/cli.js'
import { SECRETS, testDocument, writeTemp } from '../helpers/fixture-docs.js'

t.before(ensureBuilt)

t.test('bad flags and values: exit 2 with a one-line error naming the flag', async (t) => {
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [['--bogus'], {}, /--bogus/],
    [['--port', 'abc'], {}, /--port/],
    [['--token-ttl', '0'], {}, /--token-ttl/],
    [['--log-level', 'loud'], {}, /--log-level/],
    [['--port', '70000'], {}, /--port/],
    [['--now', 'yesterday'], {}, /--now/],
    [['--session-ttl', '1.5'], {}, /--session-ttl/],
    [['stray-positional'], {}, /stray-positional|positional|argument/i],
    [[], { BC_MOCK_TOKEN_TTL: '0' }, /BC_MOCK_TOKEN_TTL/],
    [[], { PORT: 'http' }, /PORT/],
  ]
  const results: Awaited<ReturnType<typeof runCli>>[] = []
  for (let i = 0; i < cases.length; i += 5) {
    results.push(...(await Promise.all(cases.slice(i, i + 5).map(([args, env]) => runCli(t, args, env)))))
  }
  results.forEach((result, index) => {
    const [args, env, names] = cases[index]!
    const label = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...args].join(' ')
    t.equal(result.code, 2, `${label}: exit 2`)
    t.equal(result.stderr.trimEnd().split('\n').length, 1, `${label}: one line on stderr (${JSON.stringify(result.stderr)})`)
    t.match(result.stderr, names, `${label}: names the flag or variable`)
    t.notMatch(result.stderr, /\n\s+at /, `${label}: no stack trace`)
    t.notMatch(result.stdout, /listening on/, `${label}: nothing started`)
  })
})

t.test('a misspelt flag: exit 2, and the error names the flag meant', async (t) => {
  const cases: Array<[string[], string]> = [
    [['--prot', '3100'], "bigcommerce-mock: Unknown option '--prot'; did you mean --port? (see --help)"],
    [['--prot=3100'], "bigcommerce-mock: Unknown option '--prot'; did you mean --port? (see --help)"],
    [['--fixture', 'store.yaml'], "bigcommerce-mock: Unknown option '--fixture'; did you mean --fixtures? (see --help)"],
    [
      ['--cors-origins', 'http://localhost:3001'],
      "bigcommerce-mock: Unknown option '--cors-origins'; did you mean --cors-origin? (see --help)",
    ],
    [['--ready_json'], "bigcommerce-mock: Unknown option '--ready_json'; did you mean --ready-json? (see --help)"],
    [['--verison'], "bigcommerce-mock: Unknown option '--verison'; did you mean --version? (see --help)"],
    // Nothing close: no guess.
    [['--bogus'], "bigcommerce-mock: Unknown option '--bogus' (see --help)"],
    [['-p', '3100'], "bigcommerce-mock: Unknown option '-p' (see --help)"],
  ]
  const results = await Promise.all(cases.map(([args]) => runCli(t, args)))
  results.forEach((result, index) => {
    const [args, expected] = cases[index]!
    t.equal(result.code, 2, `${args.join(' ')}: exit 2`)
    t.equal(result.stderr, `${expected}\n`, `${args.join(' ')}: one line`)
    t.notMatch(result.stdout, /listening on/, `${args.join(' ')}: nothing started`)
  })
})

t.test('bad fixtures: non-zero exit naming the file and the path, nothing listening', async (t) => {
  const doc = testDocument()
  doc.apps[1]!.client_secret = ''
  doc.apps[0]!.algorithm = 'RS256'
  const file = writeTemp(t, 'broken.yaml', toYaml(doc))
  const port = await freePort()
  const [broken, missing, viaEnv] = await Promise.all([
    runCli(t, ['--port', String(port), '--fixtures', file]),
    runCli(t, ['--port', '0', '--fixtures', '/no/such/fixtures.yaml']),
    runCli(t, ['--port', '0'], { BC_MOCK_FIXTURES: file }),
  ])
  t.not(broken.code, 0, 'non-zero exit')
  t.equal(broken.code, 1)
  t.match(broken.stderr, file, 'names the file')
  t.match(broken.stderr, 'apps[1].client_secret', 'names the path')
  t.match(broken.stderr, 'apps[0].algorithm', 'and every other problem')
  for (const secret of Object.values(SECRETS)) t.notMatch(broken.stderr + broken.stdout, secret, 'no secret printed')
  t.notMatch(broken.stdout, /listening/, 'no banner')
  t.notOk(await isListening(port), 'nothing listens on the port')

  t.equal(missing.code, 1)
  t.match(missing.stderr, '/no/such/fixtures.yaml')
  t.match(missing.stderr, /not found/)

  t.equal(viaEnv.code, 1, 'BC_MOCK_FIXTURES is read too')
  t.match(viaEnv.stderr, 'apps[1].client_secret')
})

t.test('a port in use: exit 1, says so, suggests --port 0', async (t) => {
  const blocker = await listenOn(0)
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
  const port = (blocker.address() as { port: number }).port
  const result = await runCli(t, ['--port', String(port)])
  t.equal(result.code, 1)
  t.match(result.stderr, /in use/)
  t.match(result.stderr, /--port 0/)
  t.match(result.stderr, String(port), 'names the port')
  t.notMatch(result.stderr, /\n\s+at /, 'no stack trace')
  t.notMatch(result.stdout, /listening on/, 'no banner')
})

t.test('--help: usage on stdout, exit 0', async (t) => {
  const result = await runCli(t, ['--help'])
  t.equal(result.code, 0)
  for (const name of [
    '--port',
    '--host',
    '--fixtures',
    '--token-ttl',
    '--now',
    '--session-ttl',
    '--log-level',
    '--help',
    'BC_MOCK_PORT',
    'PORT',
    'BC_MOCK_NOW',
    'BC_MOCK_TOKEN_TTL',
  ]) {
    t.match(result.stdout, name, `documents ${name}`)
  }
  t.equal(result.stderr, '')
  t.notMatch(result.stdout, /listening on/, 'does not start the server')
})
