import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Test } from 'tap'
import { CliProcess, cleanEnv, ROOT } from './cli.js'

/** The example app backend's entry point. */
export const APP_BACKEND = join(ROOT, 'examples', 'app-backend', 'server.mjs')

/** A running example app backend: its base URL and its process (output so far). */
export interface RunningAppBackend {
  url: string
  process: CliProcess
}

/**
 * Start `node examples/app-backend/server.mjs` as its own process on a free port, with
 * `env` (CLIENT_ID, CLIENT_SECRET, ALLOWED_ORIGINS...); killed when the test ends.
 */
export async function spawnAppBackend(t: Test, env: Record<string, string>, timeoutMs = 10_000): Promise<RunningAppBackend> {
  const child = spawn(process.execPath, [APP_BACKEND], {
    cwd: ROOT,
    env: cleanEnv({ PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const backend = new CliProcess(child)
  t.teardown(async () => {
    if (backend.exit) return
    child.kill('SIGTERM')
    if (!(await backend.waitForExit(3000))) child.kill('SIGKILL')
  })
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const match = /app backend listening on (http:\/\/\S+)/.exec(backend.stdout)
    if (match?.[1]) return { url: match[1], process: backend }
    if (backend.exit)
      throw new Error(
        `the app backend exited (${JSON.stringify(backend.exit)}) before listening.\nstdout: ${backend.stdout}\nstderr: ${backend.stderr}`,
      )
    if (Date.now() > deadline)
      throw new Error(`the app backend did not listen within ${timeoutMs} ms.\nstdout: ${backend.stdout}\nstderr: ${backend.stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** What the Management API says of a customer, read the way the example backend reads it, for tests to compare with. */
export interface ManagementApiView {
  name: string
  email: string
  groupId: number
  /** Undefined for group 0 (no group). */
  groupName: string | undefined
  attributes: { name: string; value: string }[]
  /** Up to five, newest first. */
  recentOrderIds: number[]
}

/**
 * Ask the mock's Management API (`/stores/{store_hash}/...` on `baseUrl`) about a customer with
 * an app's access token: independent of the example backend, so a test compares what the backend
 * (or the page) shows with what the API itself answers.
 */
export async function managementApiView(
  baseUrl: string,
  accessToken: string,
  customerId: number,
  storeHash = 'abc123',
): Promise<ManagementApiView> {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${baseUrl}/stores/${storeHash}${path}`, {
      headers: { 'x-auth-token': accessToken, accept: 'application/json' },
    })
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`)
    return (await response.json()) as T
  }
  type V3Customer = {
    first_name: string
    last_name: string
    email: string
    customer_group_id: number
    attributes?: { attribute_id: number; attribute_value: string }[]
  }
  const customer = (await get<{ data: V3Customer[] }>(`/v3/customers?id:in=${customerId}&include=attributes`)).data[0]
  if (!customer) throw new Error(`the Management API has no customer ${customerId}`)
  const attributes = (await get<{ data: { id: number; name: string }[] }>('/v3/customers/attributes')).data
  const groupName =
    customer.customer_group_id > 0 ? (await get<{ name: string }>(`/v2/customer_groups/${customer.customer_group_id}`)).name : undefined
  const orders = await get<{ id: number; date_created: string }[]>(`/v2/orders?customer_id=${customerId}`)
  return {
    name: `${customer.first_name} ${customer.last_name}`,
    email: customer.email,
    groupId: customer.customer_group_id,
    groupName,
    attributes: (customer.attributes ?? []).map((value) => ({
      name: attributes.find((attribute) => attribute.id === value.attribute_id)?.name ?? '',
      value: value.attribute_value,
    })),
    recentOrderIds: orders
      .map((order) => ({ id: order.id, at: Date.parse(order.date_created) }))
      .sort((a, b) => b.at - a.at || b.id - a.id)
      .slice(0, 5)
      .map((order) => order.id),
  }
}
