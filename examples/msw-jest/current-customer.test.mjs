// Jest 30 (its default node environment) with msw/node: the storefront answers in this process,
// and the app's backend check, jsonwebtoken with the client secret, runs on what the code got.
import { createMockStorefrontHandlers } from 'bigcommerce-mock-storefront/msw'
import jwt from 'jsonwebtoken'
import { setupServer } from 'msw/node'
import { currentCustomer } from './current-customer.mjs'

const STORE = 'https://my-store.example'
const CLIENT_ID = '6sv16tfx3j5gsopm42ss5dd67g2srvq'
const CLIENT_SECRET = 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }))
afterAll(() => server.close())

let storefront
beforeEach(() => {
  const mock = createMockStorefrontHandlers()
  storefront = mock.storefront
  server.resetHandlers(...mock.handlers)
})

test('a signed-in shopper: the token names them and verifies with the client secret', async () => {
  storefront.login('john.doe@example.com')
  const { token, customer } = await currentCustomer(STORE, CLIENT_ID)
  expect(customer).toEqual({ id: 4927, email: 'john.doe@example.com', group_id: '6' })
  expect(jwt.verify(token, CLIENT_SECRET, { algorithms: ['HS512'], audience: CLIENT_ID })).toMatchObject({ customer })
})

test('a guest: null', async () => {
  expect(await currentCustomer(STORE, CLIENT_ID)).toBeNull()
})

test('a shopper signed out in another tab: the fault answers as a guest', async () => {
  storefront.login('john.doe@example.com')
  storefront.faults.add({ route: 'current-customer', effect: 'signed-out' })
  expect(await currentCustomer(STORE, CLIENT_ID)).toBeNull()
  expect(storefront.requests().at(-1)).toMatchObject({ status: 404, outcome: 'fault:signed-out' })
})

test('a token minted an hour ago is expired for the backend', async () => {
  storefront.clock.set(1700000000)
  const token = storefront.mintToken(CLIENT_ID, 4927)
  storefront.clock.advance(3600)
  expect(() => jwt.verify(token, CLIENT_SECRET, { clockTimestamp: storefront.clock.now() })).toThrow(jwt.TokenExpiredError)
})
