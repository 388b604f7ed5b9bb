import type { AppChanges } from '../domain/store.js'
import type { TokenAlgorithm } from '../domain/rules/app-rules.js'
import type { App } from '../domain/types.js'
import type { FixtureApp } from '../domain/fixture-document.js'
import { controlRoute, type ControlResource } from './context.js'

/** An app as the control API shows it. The client secret is write-only: it is never part of this. */
export interface AppView {
  client_id: string
  name: string | null
  algorithm: TokenAlgorithm
  /** The app's own lifetime; null when the store default applies. */
  token_ttl: number | null
  effective_token_ttl: number
  group_id: string | null
}

/**
 * {@link AppView} of an app. Built field by field, never by spreading the app, so neither the
 * secret nor the signing key made from it can slip into an answer.
 */
function appView(app: App, effectiveTokenTtl: number): AppView {
  return {
    client_id: app.clientId,
    name: app.name ?? null,
    algorithm: app.algorithm,
    token_ttl: app.tokenTtl ?? null,
    effective_token_ttl: effectiveTokenTtl,
    group_id: app.groupId ?? null,
  }
}

/**
 * `GET|POST /__mock/apps`, `GET|PATCH|DELETE /__mock/apps/{client_id}`: register apps at run
 * time, change how their tokens are made, rotate their secret.
 */
export const appRoutes: ControlResource = (app, { store, spec }) => {
  const view = (registered: App) => appView(registered, store.tokenTtlOf(registered))

  controlRoute(app, spec, 'GET', '/__mock/apps', async () => ({ apps: store.allApps().map(view) }))

  controlRoute<{ Body: FixtureApp }>(app, spec, 'POST', '/__mock/apps', async (request, reply) => {
    const created = store.addApp(request.body)
    request.log.info({ clientId: created.clientId }, 'control: app registered')
    return reply
      .code(201)
      .header('location', `/__mock/apps/${encodeURIComponent(created.clientId)}`)
      .send(view(created))
  })

  controlRoute<{ Params: { client_id: string } }>(app, spec, 'GET', '/__mock/apps/{client_id}', async (request) =>
    view(store.requireApp(request.params.client_id)),
  )

  controlRoute<{ Params: { client_id: string }; Body: AppChanges }>(app, spec, 'PATCH', '/__mock/apps/{client_id}', async (request) => {
    const updated = store.updateApp(request.params.client_id, request.body)
    request.log.info({ clientId: updated.clientId, fields: Object.keys(request.body) }, 'control: app changed')
    return view(updated)
  })

  controlRoute<{ Params: { client_id: string } }>(app, spec, 'DELETE', '/__mock/apps/{client_id}', async (request) => {
    const { clientId } = store.removeApp(request.params.client_id)
    request.log.info({ clientId }, 'control: app removed')
    return { client_id: clientId }
  })
}
