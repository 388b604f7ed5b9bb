// --watch reloads the Management API's records with the rest of the fixtures: an edit that adds
// an order, a group and a customer's attribute value is served at once, with the new access token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { stringify as stringifyYaml } from 'yaml'
import { buildApp } from '../../server/index.js'
import { LogCapture } from '../helpers/log-capture.js'
import { managementClient } from '../helpers/management.js'

function document(orders: number[], token: string) {
  return stringifyYaml({
    store_hash: 'abc123',
    apps: [{ client_id: 'watch-app', client_secret: 'watch-app-secret', access_token: token }],
    customers: [
      { id: 1, email: 'one@example.com', password: 'p', ...(orders.length > 1 && { attributes: [{ attribute_id: 1, value: 'x' }] }) },
    ],
    customer_attributes: [{ id: 1, name: 'Tier', type: 'string' }],
    ...(orders.length > 1 && { customer_groups: [{ id: 3, name: 'Added' }] }),
    orders: orders.map((id) => ({ id, customer_id: 1, products: [{ product_id: 1, name: 'Mug', price: 5 }] })),
  })
}

t.test('an edit of the fixture file reloads orders, groups, attribute values and access tokens', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bc-mock-watch-api-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'store.yaml')
  writeFileSync(file, document([10], 'token-before'))
  const logs = new LogCapture()
  const app = buildApp({ fixtures: file, watch: true, logLevel: 'info', logStream: logs, now: 1_700_000_000 })
  t.teardown(() => app.close())
  const before = managementClient(t, app, { token: 'token-before' })
  t.same(
    (await before.get<{ id: number }[]>('/v2/orders')).body.map((order) => order.id),
    [10],
  )
  t.equal((await before.get('/v2/customer_groups')).status, 204)

  writeFileSync(file, document([10, 11], 'token-after'))
  await logs.waitFor('fixtures reloaded', 1, 10_000)
  t.equal((await before.get('/v2/orders')).status, 401, 'the old token is gone with the edit')
  const after = managementClient(t, app, { token: 'token-after' })
  t.same(
    (await after.get<{ id: number }[]>('/v2/orders')).body.map((order) => order.id),
    [10, 11],
  )
  t.match((await after.get('/v2/customer_groups')).body, [{ id: 3, name: 'Added' }])
  t.match((await after.get('/v3/customers/attribute-values?customer_id:in=1')).body, {
    data: [{ id: 1, attribute_id: 1, attribute_value: 'x' }],
  })
})
