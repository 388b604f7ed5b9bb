// Generated control characters (C0, DEL, C1, U+2028/2029, bidi overrides) in every request value
// that reaches a log line: app_client_id, a Customer Login token's iss and claims, Host, Origin,
// the path, cookie names. Pretty lines (what a terminal shows) never carry one raw; JSON lines
// stay valid JSON, one record per line. Seed and runs: test/helpers/property.ts.
import { createHmac } from 'node:crypto'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import t from 'tap'
import { escapeControlCharacters } from '../../server/http/logger.js'
import { buildApp } from '../../server/index.js'
import { freePort } from '../helpers/cli.js'
import { checkProperty, expect, PropertyTally } from '../helpers/property.js'
import { DEMO } from '../helpers/storefront.js'
import { signIn } from '../helpers/session.js'

const tally = new PropertyTally()
const NOW = 1_700_000_000

/** Everything written to it, as text. */
class TextCapture extends Writable {
  text = ''

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString()
    callback()
  }
}

// What a terminal or a line reader would act on.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const controlCharacter = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constant('\u007f') },
  { weight: 3, arbitrary: fc.integer({ min: 0x80, max: 0x9f }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constantFrom('\u2028', '\u2029', '\u202e', '\u2066') },
)
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code))
/** Text with at least one control character somewhere in it. */
const hostile = fc
  .tuple(
    fc.string({ unit: fc.oneof({ weight: 3, arbitrary: printable }, { weight: 2, arbitrary: controlCharacter }), maxLength: 30 }),
    controlCharacter,
    fc.nat(),
  )
  .map(([text, control, at]) => {
    const index = at % (text.length + 1)
    return text.slice(0, index) + control + text.slice(index)
  })

const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')

/** A Customer Login token: an unregistered `iss`, or the demo app's with hostile claims it then refuses. */
function loginToken(iss: string | undefined, claim: string): string {
  const app = DEMO.hs256App
  const payload = {
    iss: iss ?? app.clientId,
    iat: NOW,
    jti: claim,
    operation: 'customer_login',
    store_hash: 'abc123',
    customer_id: DEMO.john.id,
    redirect_to: claim,
  }
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`
  return `${input}.${createHmac('sha256', app.secret).update(input).digest('base64url')}`
}

t.test(
  'property: control characters in every logged request value: pretty lines escape them, JSON lines stay one valid record each',
  async (t) => {
    // --proxy to a port nothing listens on: its Host/Origin refusal logs the Origin it names.
    const proxy = `http://127.0.0.1:${await freePort()}`
    const pretty = new TextCapture()
    const json = new TextCapture()
    const apps = [
      buildApp({ now: NOW, proxy, logLevel: 'info', logFormat: 'pretty', logStream: pretty }),
      buildApp({ now: NOW, proxy, logLevel: 'info', logFormat: 'json', logStream: json }),
    ]
    t.teardown(() => Promise.all(apps.map((app) => app.close())))
    // Cookies set on localhost, so a request to another Host without them draws the other_host warning naming it.
    for (const app of apps) await signIn(app, DEMO.john.email, DEMO.john.password)

    const values = fc.record({
      appClientId: hostile,
      iss: fc.option(hostile, { nil: undefined }),
      claim: hostile,
      host: hostile,
      origin: fc.oneof(
        hostile,
        hostile.map((text) => `http://${text}`),
      ),
      path: hostile,
      cookieName: hostile,
    })
    await checkProperty(t, tally, 'control characters in logged request values', values, async (input) => {
      pretty.text = ''
      json.text = ''
      const headers = { host: input.host, origin: input.origin, cookie: `${input.cookieName}=1` }
      for (const app of apps) {
        await app.inject({ url: `/customer/current.jwt?app_client_id=${encodeURIComponent(input.appClientId)}`, headers })
        await app.inject({
          url: `/customer/current.jwt?app_client_id=${encodeURIComponent(input.appClientId)}`,
          headers: { origin: input.origin },
        })
        await app.inject({ url: `/login/token/${loginToken(input.iss, input.claim)}` })
        await app.inject({ url: `/${encodeURIComponent(input.path)}/theme.js`, headers })
        await app.inject({ url: '/login.php', headers: { host: input.host, cookie: `${input.cookieName}=1` } })
      }

      expect(pretty.text.endsWith('\n'), 'pretty output ends with a whole line', pretty.text.slice(-200))
      for (const line of pretty.text.slice(0, -1).split('\n')) {
        expect(/^\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+: /.test(line), 'every pretty line is a log line (none started by a request value)', line)
        expect(!RAW_CONTROL.test(line), 'no raw control character in a pretty line', line)
      }
      // The app the request line names, shown escaped (client ids longer than any registrable one are left out).
      if (input.appClientId.length <= 128) {
        const app = `  app ${escapeControlCharacters(input.appClientId)}`
        expect(
          pretty.text.split('\n').some((line) => line.includes(' INFO: GET /customer/current.jwt?') && line.endsWith(app)),
          'the request line names the app, escaped',
          { app },
        )
      }

      expect(json.text.endsWith('\n'), 'JSON output ends with a whole line', json.text.slice(-200))
      for (const line of json.text.slice(0, -1).split('\n')) {
        let record: unknown
        try {
          record = JSON.parse(line)
        } catch {
          record = undefined
        }
        expect(
          typeof record === 'object' && record !== null && typeof (record as { level?: unknown }).level === 'number',
          'every JSON line is one whole record',
          line,
        )
      }
    })
  },
)

t.test('summary', async (t) => {
  t.comment(tally.summary('test/property/logs.test.ts'))
  t.pass()
})
