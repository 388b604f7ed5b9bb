// A model check of storefront sessions: random sequences of sign-ins (right and wrong password,
// valid and invalid Customer Login tokens), token fetches (with the browser's cookies and with
// forged ones), sign-outs (own and forged cookies) and control API calls, run against the mock
// and against a simple model. After every step the mock's live sessions must be the model's:
// they change only through a valid sign-in or sign-out. Seed and runs: test/helpers/property.ts.
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { CookieJar } from '../helpers/cookie-jar.js'
import { SECRETS, testDocument } from '../helpers/fixture-docs.js'
import { checkProperty, expect, forgedId, PropertyTally, setsSession } from '../helpers/property.js'
import { verifyWithJose, type AppUnderTest } from '../helpers/tokens.js'

const NOW = 1_700_000_000
const tally = new PropertyTally()
const BROWSERS = 3
const CUSTOMERS = [
  { id: 10, email: 'alice@example.com', password: SECRETS.password },
  { id: 11, email: 'bob@example.com', password: SECRETS.password },
  { id: 12, email: 'carol@example.com', password: 'carol-password-0005' },
]
const APPS: AppUnderTest[] = [
  { clientId: 'app-hs512', secret: SECRETS.hs512, algorithm: 'HS512' },
  { clientId: 'app-hs256', secret: SECRETS.hs256, algorithm: 'HS256' },
  { clientId: 'app-hs384', secret: SECRETS.hs384, algorithm: 'HS384' },
]

/** The rules' view: which sessions are live (for whom) and which one each browser holds. */
interface Model {
  sessions: { key: number; customer: number }[]
  browsers: (number | undefined)[]
  nextKey: number
  spentTokens: number
}

/** The mock, each browser's cookie jar, and the Customer Login tokens already used. */
interface Real {
  app: FastifyInstance
  jars: CookieJar[]
  spent: string[]
  serial: number
}

type Command = fc.AsyncCommand<Model, Real, false>

function startSession(model: Model, browser: number | undefined, customer: number, endPrevious: boolean): void {
  const key = model.nextKey++
  if (browser !== undefined) {
    const previous = model.browsers[browser]
    if (endPrevious && previous !== undefined) model.sessions = model.sessions.filter((session) => session.key !== previous)
    model.browsers[browser] = key
  }
  model.sessions.push({ key, customer })
}

function customerOf(model: Model, browser: number): number | undefined {
  const key = model.browsers[browser]
  return model.sessions.find((session) => session.key === key)?.customer
}

/** The mock's live sessions must be the model's, customer for customer. */
async function compare(model: Model, real: Real, step: string): Promise<void> {
  const listed = await real.app.inject({ url: '/__mock/sessions' })
  const actual = listed
    .json<{ sessions: { customer_id: number }[] }>()
    .sessions.map((session) => session.customer_id)
    .sort()
  const expected = model.sessions.map((session) => session.customer).sort()
  expect(JSON.stringify(actual) === JSON.stringify(expected), `after ${step}: live sessions differ from the model`, { actual, expected })
  expect(
    real.app.mock.stats().sessions === expected.length,
    `after ${step}: app.mock.sessions holds ${real.app.mock.stats().sessions}, the model ${expected.length}`,
  )
}

function ssoToken(real: Real, customer: number, variant: SsoVariant): string {
  const payload: Record<string, unknown> = {
    iss: 'app-hs256',
    iat: NOW,
    jti: `model-${++real.serial}`,
    operation: 'customer_login',
    store_hash: 'teststore1',
    customer_id: customer,
  }
  let secret: string = SECRETS.hs256
  let header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }
  if (variant === 'stale') payload.iat = NOW - 31
  if (variant === 'wrong secret') secret = SECRETS.hs512
  if (variant === 'alg none') header = { alg: 'none', typ: 'JWT' }
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${encode(header)}.${encode(payload)}`
  const signature = variant === 'alg none' ? '' : createHmac('sha256', secret).update(input).digest('base64url')
  if (variant === 'tampered') return `${encode(header)}.${encode({ ...payload, customer_id: customer === 10 ? 11 : 10 })}.${signature}`
  return `${input}.${signature}`
}

type SsoVariant = 'valid' | 'stale' | 'wrong secret' | 'alg none' | 'tampered' | 'replayed'

class FormSignIn implements Command {
  constructor(
    readonly browser: number,
    readonly customer: number,
    readonly rightPassword: boolean,
    readonly emailCase: 'exact' | 'upper',
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const customer = CUSTOMERS[this.customer]!
    const jar = real.jars[this.browser]!
    const email = this.emailCase === 'upper' ? customer.email.toUpperCase() : customer.email
    const password = this.rightPassword ? customer.password : `${customer.password}x`
    const cookie = jar.header()
    const response = await real.app.inject({
      method: 'POST',
      url: '/login.php?action=check_login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
      payload: new URLSearchParams({ login_email: email, login_pass: password }).toString(),
    })
    if (this.rightPassword) {
      expect(response.statusCode === 302 && setsSession(response), 'right password: signed in', response.statusCode)
      jar.take(response)
      startSession(model, this.browser, customer.id, true)
    } else {
      expect(response.statusCode === 401 && !setsSession(response), 'wrong password: 401, no session', response.statusCode)
    }
    await compare(model, real, this.toString())
  }
  toString = () =>
    `FormSignIn(browser ${this.browser}, ${CUSTOMERS[this.customer]!.email}, ${this.rightPassword ? 'right' : 'wrong'} password, ${this.emailCase} email)`
}

class SsoSignIn implements Command {
  constructor(
    readonly browser: number,
    readonly customer: number,
    readonly variant: SsoVariant,
  ) {}
  check = (model: Readonly<Model>) => this.variant !== 'replayed' || model.spentTokens > 0
  async run(model: Model, real: Real): Promise<void> {
    const customer = CUSTOMERS[this.customer]!
    const jar = real.jars[this.browser]!
    const token = this.variant === 'replayed' ? real.spent[real.serial % real.spent.length]! : ssoToken(real, customer.id, this.variant)
    const cookie = jar.header()
    const response = await real.app.inject({ url: `/login/token/${token}`, headers: cookie ? { cookie } : {} })
    expect(response.statusCode === 302, 'Customer Login always redirects', response.statusCode)
    if (this.variant === 'valid') {
      expect(setsSession(response) && response.headers.location === '/account.php', 'a valid token signs in', response.headers.location)
      jar.take(response)
      startSession(model, this.browser, customer.id, true)
      real.spent.push(token)
      model.spentTokens++
    } else {
      expect(
        !setsSession(response) && response.headers.location === '/login.php',
        `a ${this.variant} token is refused`,
        response.headers.location,
      )
    }
    await compare(model, real, this.toString())
  }
  toString = () => `SsoSignIn(browser ${this.browser}, customer ${CUSTOMERS[this.customer]!.id}, ${this.variant})`
}

class FetchToken implements Command {
  constructor(
    readonly browser: number,
    readonly app: number,
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const app = APPS[this.app]!
    const cookie = real.jars[this.browser]!.header()
    const response = await real.app.inject({
      url: `/customer/current.jwt?app_client_id=${app.clientId}`,
      headers: cookie ? { cookie } : {},
    })
    const expected = customerOf(model, this.browser)
    if (expected === undefined) {
      expect(response.statusCode === 404, 'a browser without a live session is a guest', response.statusCode)
    } else {
      expect(response.statusCode === 200, 'a signed-in browser gets its token', response.statusCode)
      const claims = await verifyWithJose(response.body, app, NOW)
      expect((claims.customer as { id: number }).id === expected, 'the token is for the customer this browser signed in as', {
        claims,
        expected,
      })
    }
    await compare(model, real, this.toString())
  }
  toString = () => `FetchToken(browser ${this.browser}, ${APPS[this.app]!.clientId})`
}

type Forgery = 'forged pair' | 'own id, forged token' | 'forged id, own token' | 'own id, token of the next browser' | 'own id only'

/** The cookie header an attacker builds from a browser's values (never the browser's own pair). */
function forgedCookie(real: Real, browser: number, forgery: Forgery, forged: [string, string]): string {
  const jar = real.jars[browser]!
  const next = real.jars[(browser + 1) % BROWSERS]!
  const id = jar.get('SHOP_SESSION_TOKEN') ?? forged[0]
  const token = jar.get('SHOP_TOKEN') ?? forged[1]
  switch (forgery) {
    case 'forged pair':
      return `SHOP_SESSION_TOKEN=${forged[0]}; SHOP_TOKEN=${forged[1]}`
    case 'own id, forged token':
      return `SHOP_SESSION_TOKEN=${id}; SHOP_TOKEN=${forged[1]}`
    case 'forged id, own token':
      return `SHOP_SESSION_TOKEN=${forged[0]}; SHOP_TOKEN=${token}`
    case 'own id, token of the next browser':
      return `SHOP_SESSION_TOKEN=${id}; SHOP_TOKEN=${next.get('SHOP_TOKEN') ?? forged[1]}`
    case 'own id only':
      return `SHOP_SESSION_TOKEN=${id}`
  }
}

class ForgedFetch implements Command {
  constructor(
    readonly browser: number,
    readonly forgery: Forgery,
    readonly forged: [string, string],
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const response = await real.app.inject({
      url: `/customer/current.jwt?app_client_id=${APPS[0]!.clientId}`,
      headers: { cookie: forgedCookie(real, this.browser, this.forgery, this.forged) },
    })
    expect(response.statusCode === 404, `forged cookies (${this.forgery}) get no token`, response.statusCode)
    await compare(model, real, this.toString())
  }
  toString = () => `ForgedFetch(browser ${this.browser}'s values, ${this.forgery})`
}

class Logout implements Command {
  constructor(
    readonly browser: number,
    readonly forgery: Forgery | 'own cookies',
    readonly forged: [string, string],
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const jar = real.jars[this.browser]!
    const cookie = this.forgery === 'own cookies' ? jar.header() : forgedCookie(real, this.browser, this.forgery, this.forged)
    const response = await real.app.inject({ url: '/login.php?action=logout', headers: cookie ? { cookie } : {} })
    expect(response.statusCode === 302, 'logout redirects', response.statusCode)
    if (this.forgery === 'own cookies') {
      jar.take(response)
      const key = model.browsers[this.browser]
      model.sessions = model.sessions.filter((session) => session.key !== key)
      model.browsers[this.browser] = undefined
    }
    // A sign-out with anything but the browser's own pair is a guest's: it ends nothing.
    await compare(model, real, this.toString())
  }
  toString = () => `Logout(browser ${this.browser}, ${this.forgery})`
}

class SignInCarryingVictimId implements Command {
  constructor(
    readonly attacker: number,
    readonly victim: number,
    readonly customer: number,
    readonly withToken: boolean,
    readonly forged: [string, string],
  ) {}
  check = () => this.attacker !== this.victim
  async run(model: Model, real: Real): Promise<void> {
    const customer = CUSTOMERS[this.customer]!
    const victimId = real.jars[this.victim]!.get('SHOP_SESSION_TOKEN') ?? this.forged[0]
    const cookie = `SHOP_SESSION_TOKEN=${victimId}${this.withToken ? `; SHOP_TOKEN=${this.forged[1]}` : ''}`
    const response = await real.app.inject({
      method: 'POST',
      url: '/login.php?action=check_login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({ login_email: customer.email, login_pass: customer.password }).toString(),
    })
    expect(response.statusCode === 302, 'right password: signed in', response.statusCode)
    real.jars[this.attacker]!.take(response)
    // The attacker's browser now holds the new session; its old one is left as it was (it did
    // not send it), and the victim's must survive: its id came without its SHOP_TOKEN.
    startSession(model, this.attacker, customer.id, false)
    await compare(model, real, this.toString())
  }
  toString = () =>
    `SignInCarryingVictimId(browser ${this.attacker} signs in as ${CUSTOMERS[this.customer]!.email} sending browser ${this.victim}'s session id ${this.withToken ? 'and a forged SHOP_TOKEN' : 'alone'})`
}

class ControlSignIn implements Command {
  constructor(readonly customer: number) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const response = await real.app.inject({
      method: 'POST',
      url: '/__mock/sessions',
      payload: { customer_id: CUSTOMERS[this.customer]!.id },
    })
    expect(response.statusCode === 201, 'control sign-in', response.statusCode)
    startSession(model, undefined, CUSTOMERS[this.customer]!.id, false)
    await compare(model, real, this.toString())
  }
  toString = () => `ControlSignIn(${CUSTOMERS[this.customer]!.email})`
}

class ControlEndAll implements Command {
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const response = await real.app.inject({ method: 'DELETE', url: '/__mock/sessions' })
    expect(
      response.statusCode === 200 && response.json<{ ended: number }>().ended === model.sessions.length,
      'every session ended',
      response.body,
    )
    model.sessions = []
    model.browsers = model.browsers.map(() => undefined)
    await compare(model, real, this.toString())
  }
  toString = () => 'ControlEndAll()'
}

const browser = fc.integer({ min: 0, max: BROWSERS - 1 })
const customer = fc.integer({ min: 0, max: CUSTOMERS.length - 1 })
const forgedPair = fc.tuple(forgedId, forgedId)
const forgery = fc.constantFrom<Forgery>(
  'forged pair',
  'own id, forged token',
  'forged id, own token',
  'own id, token of the next browser',
  'own id only',
)

const commands = fc.commands<Model, Real, false>(
  [
    fc
      .tuple(browser, customer, fc.boolean(), fc.constantFrom('exact' as const, 'upper' as const))
      .map(([b, c, right, emailCase]) => new FormSignIn(b, c, right, emailCase)),
    fc
      .tuple(browser, customer, fc.constantFrom<SsoVariant>('valid', 'valid', 'stale', 'wrong secret', 'alg none', 'tampered', 'replayed'))
      .map(([b, c, variant]) => new SsoSignIn(b, c, variant)),
    fc.tuple(browser, fc.integer({ min: 0, max: APPS.length - 1 })).map(([b, app]) => new FetchToken(b, app)),
    fc.tuple(browser, forgery, forgedPair).map(([b, kind, forged]) => new ForgedFetch(b, kind, forged)),
    fc
      .tuple(browser, fc.oneof(fc.constant<'own cookies'>('own cookies'), forgery), forgedPair)
      .map(([b, kind, forged]) => new Logout(b, kind, forged)),
    fc
      .tuple(browser, browser, customer, fc.boolean(), forgedPair)
      .map(([a, v, c, withToken, forged]) => new SignInCarryingVictimId(a, v, c, withToken, forged)),
    customer.map((c) => new ControlSignIn(c)),
    fc.constant(new ControlEndAll()),
  ],
  { maxCommands: 30, size: 'medium' },
)

t.test('property: live sessions change only through a valid sign-in or sign-out (model check)', async (t) => {
  let steps = 0
  const document = testDocument()
  document.customers = [...(document.customers ?? []), { id: 12, email: 'carol@example.com', password: 'carol-password-0005' }]
  // One app for every run: reset() puts it back to the fixture state (no sessions, no spent
  // jtis, the start clock), which is what a fresh app would be, at a fraction of the cost.
  const app = buildApp({ now: NOW, fixtures: document })
  t.teardown(() => app.close())
  await checkProperty(
    t,
    tally,
    'session model: random sequences of sign-ins, sign-outs, token fetches and SSO',
    commands,
    async (sequence) => {
      app.mock.reset()
      const setup = () => ({
        model: { sessions: [], browsers: Array.from({ length: BROWSERS }, () => undefined), nextKey: 1, spentTokens: 0 } satisfies Model,
        real: { app, jars: Array.from({ length: BROWSERS }, () => new CookieJar()), spent: [], serial: 0 } satisfies Real,
      })
      await fc.asyncModelRun(setup, sequence)
      steps += [...sequence].length
    },
  )
  t.comment(`session model: ${steps} generated steps, each followed by a comparison with the model`)
})

t.test('summary', async (t) => {
  t.comment(tally.summary('test/property/model.test.ts'))
  t.pass()
})
