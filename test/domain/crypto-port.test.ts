// The crypto port's two implementations (node:crypto for the server, @noble/hashes and
// getRandomValues for browsers) must make the same bytes, so a token is the same whichever
// platform signed it; and the tokens verify with jose and jsonwebtoken.
import { createHmac } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'
import jwt from 'jsonwebtoken'
import t from 'tap'
import * as browser from '../../server/domain/crypto-port.browser.js'
import * as node from '../../server/domain/crypto-port.js'
import { encodeJwsHeader, signJws } from '../../server/domain/compact-jws.js'
import { DEMO } from '../helpers/storefront.js'

// Each implementation has the other's exports, with the same types.
const asNode: typeof node = browser
void asNode

const TEXTS = ['', 'a', 'abc123', '{"customer":{"id":4927,"email":"jöhn.døe@example.com"}}', 'emoji 🛒 and \u2028', 'x'.repeat(1000)]
const HASHES = ['sha256', 'sha384', 'sha512'] as const

t.test('HMAC, SHA-256 and base64url: the same bytes on both', async (t) => {
  for (const secret of [DEMO.hs512App.secret, 'ümlaut-secret', 'k']) {
    for (const hash of HASHES) {
      for (const text of TEXTS) {
        const expected = createHmac(hash, secret).update(text).digest('base64url')
        t.equal(node.hmacBase64url(hash, node.hmacKey(secret), text), expected, `node ${hash}`)
        t.equal(browser.hmacBase64url(hash, browser.hmacKey(secret), text), expected, `browser ${hash}`)
      }
    }
  }
  for (const [index, text] of TEXTS.entries()) {
    // Named by index: a text with U+2028 in a message would break the TAP line.
    t.equal(browser.base64urlFromText(text), node.base64urlFromText(text), `base64url of text ${index}`)
    t.equal(browser.sha256Base64url(text), node.sha256Base64url(text), 'sha256')
    t.equal(browser.sameText(text, text), true)
    t.equal(browser.sameText(text, `${text}x`), false)
    t.equal(node.sameText(text, `${text}x`), false)
  }
  t.equal(browser.sameText('abc', 'abd'), false, 'same length, different text')
})

t.test('randomness: right sizes, well-formed, never repeating', async (t) => {
  for (const port of [node, browser]) {
    const ids = new Set(Array.from({ length: 200 }, () => port.randomBase64url(32)))
    t.equal(ids.size, 200)
    t.ok(
      [...ids].every((id) => /^[\w-]{43}$/.test(id)),
      '43 base64url characters (256 bits)',
    )
    t.match(port.randomUuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a version 4 UUID')
  }
})

t.test('a token signed through either port is byte-identical, and jose and jsonwebtoken verify it', async (t) => {
  const claims = { customer: { id: 4927, email: 'john.doe@example.com', group_id: '6' }, iss: 'bc/apps', iat: 1480831863, exp: 1480832763 }
  for (const [alg, hash] of [
    ['HS256', 'sha256'],
    ['HS384', 'sha384'],
    ['HS512', 'sha512'],
  ] as const) {
    const header = encodeJwsHeader({ typ: 'JWT', alg })
    const viaNode = signJws(header, claims, hash, node.hmacKey(DEMO.hs512App.secret))
    const input = `${header}.${browser.base64urlFromText(JSON.stringify(claims))}`
    const viaBrowser = `${input}.${browser.hmacBase64url(hash, browser.hmacKey(DEMO.hs512App.secret), input)}`
    t.equal(viaBrowser, viaNode, `${alg}: the same token`)
    const key = new TextEncoder().encode(DEMO.hs512App.secret)
    const { payload } = await jwtVerify(viaBrowser, key, { algorithms: [alg], currentDate: new Date(1480831863 * 1000) })
    t.same(payload, claims, `${alg}: jose verifies it`)
    t.same(
      jwt.verify(viaBrowser, DEMO.hs512App.secret, { algorithms: [alg], clockTimestamp: 1480831863 }),
      claims,
      `${alg}: jsonwebtoken too`,
    )
  }
})

t.test("a Customer Login token is what jose's SignJWT makes of the same claims", async (t) => {
  const claims = {
    iss: DEMO.hs512App.clientId,
    iat: 1480831863,
    jti: 'a-jti',
    operation: 'customer_login',
    store_hash: 'abc123',
    customer_id: 4927,
  }
  const ours = signJws(encodeJwsHeader({ alg: 'HS256', typ: 'JWT' }), claims, 'sha256', browser.hmacKey(DEMO.hs512App.secret))
  const jose = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(DEMO.hs512App.secret))
  t.equal(ours, jose)
})
