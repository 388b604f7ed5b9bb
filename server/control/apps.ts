import type { App, TokenAlgorithm } from '../domain/types.js'
import type { FixtureApp } from '../fixtures/document.js'
import { conflict, controlRoute, requireApp, type ControlResource } from './context.js'
import { checkedApp, fixtureApp } from './fixture-rules.js'

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

/** A POST body (the document's `AppCreate`). */
interface NewAppFields {
  client_id: string
  client_secret: string
  name?: string
  token_ttl?: number
  algorithm?: TokenAlgorithm
  group_id?: string | number
}

/** A PATCH body (the document's `AppPatch`): null clears a field back to its default. */
interface AppChanges {
  client_secret?: string
  name?: string | null
  token_ttl?: number | null
  algorithm?: TokenAlgorithm
  group_id?: string | number | null
}

/**
 * {@link AppView} of an app. Built field by field, never by spreading the app, so neither the
 * secret nor the signing key made from it can slip into an answer.
 */
export function appView(app: App, defaultTokenTtl: number): AppView {
  return {
    client_id: app.clientId,
    name: app.name ?? null,
    algorithm: app.algorithm,
    token_ttl: app.tokenTtl ?? null,
    effective_token_ttl: app.tokenTtl ?? defaultTokenTtl,
    group_id: app.groupId ?? null,
  }
}

/**
 * `GET|POST /__mock/apps`, `GET|PATCH|DELETE /__mock/apps/{client_id}`: register apps at run
 * time, change how their tokens are made, rotate their secret.
 */
export const appRoutes: ControlResource = (app, { state, spec }) => {
  const view = (registered: App) => appView(registered, state.defaultTokenTtl)

  controlRoute(app, spec, 'GET', '/__mock/apps', async () => ({ apps: [...state.apps.all()].map(view) }))

  controlRoute<{ Body: NewAppFields }>(app, spec, 'POST', '/__mock/apps', async (request, reply) => {
    const created = checkedApp(state.storeHash, request.body)
    if (state.apps.get(created.clientId)) throw conflict('client_id', `An app with client id ${JSON.stringify(created.clientId)} is already registered.`)
    state.apps.register(created)
    request.log.info({ clientId: created.clientId }, 'control: app registered')
    return reply.code(201).header('location', `/__mock/apps/${encodeURIComponent(created.clientId)}`).send(view(created))
  })

  controlRoute<{ Params: { client_id: string } }>(app, spec, 'GET', '/__mock/apps/{client_id}', async (request) => view(requireApp(state, request.params.client_id, 'client_id')))

  controlRoute<{ Params: { client_id: string }; Body: AppChanges }>(app, spec, 'PATCH', '/__mock/apps/{client_id}', async (request) => {
    const existing = requireApp(state, request.params.client_id, 'client_id')
    const updated = checkedApp(state.storeHash, applyChanges(fixtureApp(existing), request.body))
    // Registering again imports the (possibly new) secret as the signing key: the old one signs nothing more.
    state.apps.register(updated)
    request.log.info({ clientId: updated.clientId, fields: Object.keys(request.body) }, 'control: app changed')
    return view(updated)
  })

  controlRoute<{ Params: { client_id: string } }>(app, spec, 'DELETE', '/__mock/apps/{client_id}', async (request) => {
    const { clientId } = requireApp(state, request.params.client_id, 'client_id')
    state.apps.remove(clientId)
    request.log.info({ clientId }, 'control: app removed')
    return { client_id: clientId }
  })
}

// A PATCH over a fixture entry: given fields replace, null ones go (back to their default).
function applyChanges(entry: FixtureApp, changes: AppChanges): FixtureApp {
  const { name, token_ttl, group_id, ...always } = changes
  const merged: FixtureApp = { ...entry, ...always }
  if (name === null) delete merged.name
  else if (name !== undefined) merged.name = name
  if (token_ttl === null) delete merged.token_ttl
  else if (token_ttl !== undefined) merged.token_ttl = token_ttl
  if (group_id === null) delete merged.group_id
  else if (group_id !== undefined) merged.group_id = group_id
  return merged
}
