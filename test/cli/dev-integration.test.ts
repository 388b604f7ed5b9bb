import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { banner } from '../../server/banner.js'
import { helpText } from '../../server/cli-flags.js'
import { buildApp } from '../../server/index.js'
import type { MockStorefrontOptions } from '../../server/options/mock-storefront-options.js'
import { resolveOptions } from '../../server/options/resolve.js'
import { parseCliChecked } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'bc-mock-cli-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const file = join(dir, 'not-a-dir.txt')
writeFileSync(file, 'x')

function options(argv: string[], env: NodeJS.ProcessEnv = {}): MockStorefrontOptions {
  const request = parseCliChecked(argv, env)
  if (request.help || request.version) throw new Error('unexpected --help or --version')
  return request.options
}

t.test('good values', async (t) => {
  t.equal(options(['--watch']).watch, true)
  t.equal(options([], { BC_MOCK_WATCH: '1' }).watch, true)
  t.equal(options([], { BC_MOCK_WATCH: 'false' }).watch, false)
  t.equal(options([]).watch, undefined, 'off by default')
  t.equal(options(['--proxy', 'http://localhost:3000/']).proxy, 'http://localhost:3000')
  t.equal(options([], { BC_MOCK_PROXY: 'https://127.0.0.1:5173' }).proxy, 'https://127.0.0.1:5173')
  t.equal(options(['--static', dir]).static, dir)
  t.same(options(['--latency', '150']).latency, { min: 150, max: 150 })
  t.same(options(['--latency', '100-300']).latency, { min: 100, max: 300 })
  t.same(options([], { BC_MOCK_LATENCY: '0-60000' }).latency, { min: 0, max: 60000 })
})

t.test('each bad value is refused with a message naming the flag or variable', async (t) => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--proxy', 'localhost:3000'], {}, /^--proxy: expected an http:\/\/ or https:\/\/ URL/],
    [['--proxy', 'ftp://example.com'], {}, /^--proxy: /],
    [['--proxy', 'http://localhost:3000/base'], {}, /^--proxy: .*without a path/],
    [[], { BC_MOCK_PROXY: 'nonsense' }, /^BC_MOCK_PROXY: /],
    [['--static', join(dir, 'missing')], {}, /^--static: expected an existing directory/],
    [['--static', file], {}, /^--static: expected a directory .* is a file/],
    [[], { BC_MOCK_STATIC: join(dir, 'missing') }, /^BC_MOCK_STATIC: /],
    [['--latency', 'fast'], {}, /^--latency: expected milliseconds/],
    [['--latency=-5'], {}, /^--latency: /],
    // In the words typed, not the programmatic {min, max} shape.
    [
      ['--latency', '300-100'],
      {},
      /^--latency: expected MIN-MAX with MIN <= MAX \(e\.g\. 100-300\), each from 0 to 60000 milliseconds, got "300-100"$/,
    ],
    [['--latency', '5-2'], {}, /^--latency: expected MIN-MAX with MIN <= MAX .*, got "5-2"$/],
    [['--latency', '60001'], {}, /^--latency: expected at most 60000 milliseconds, got "60001"$/],
    [['--latency', '0-60001'], {}, /^--latency: expected at most 60000 milliseconds at either end, got "0-60001"$/],
    [['--latency', '1.5'], {}, /^--latency: /],
    [[], { BC_MOCK_LATENCY: '10-' }, /^BC_MOCK_LATENCY: /],
    [[], { BC_MOCK_WATCH: 'maybe' }, /^BC_MOCK_WATCH: expected true or false/],
    [['--watch=yes'], {}, /--watch/],
    [['--proxy', 'http://localhost:3000', '--static', dir], {}, /^--proxy and --static cannot be used together/],
    [['--static', dir], { BC_MOCK_PROXY: 'http://localhost:3000' }, /^BC_MOCK_PROXY and --static cannot be used together/],
  ]
  for (const [argv, env, message] of cases) {
    t.throws(() => parseCliChecked(argv, env), { message }, [...argv, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].join(' '))
  }
})

t.test('--help lists the flags with their variables', async (t) => {
  const help = helpText()
  for (const [flag, env] of [
    ['--watch ', 'BC_MOCK_WATCH'],
    ['--proxy <value>', 'BC_MOCK_PROXY'],
    ['--static <value>', 'BC_MOCK_STATIC'],
    ['--latency <value>', 'BC_MOCK_LATENCY'],
  ]) {
    t.match(help, flag)
    t.match(help, env)
  }
})

t.test('the banner names what is active, and nothing when nothing is', async (t) => {
  const fixtures = join(dir, 'store.yaml')
  writeFileSync(fixtures, 'store_hash: abc123\napps: []\n')
  const active = resolveOptions({ fixtures, watch: true, proxy: 'http://localhost:3000', latency: { min: 100, max: 300 } })
  const app = buildApp({ fixtures, watch: true })
  t.teardown(() => app.close())
  const text = banner('http://127.0.0.1:3100', app.mock, active)
  t.match(text, `Watching ${fixtures}`)
  t.match(text, 'Proxying unknown routes to http://localhost:3000')
  t.match(text, 'Mock home page: http://127.0.0.1:3100/__mock/')
  t.match(text, 'Latency: 100-300 ms')
  const plain = banner('http://127.0.0.1:3100', app.mock, resolveOptions({ fixtures }))
  t.notMatch(plain, /Watching|Proxying|Serving|Latency|Mock home/)
  t.match(banner('http://127.0.0.1:3100', app.mock, resolveOptions({ static: dir })), `Serving ${dir} at http://127.0.0.1:3100/`)
})
