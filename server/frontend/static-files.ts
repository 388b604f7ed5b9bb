import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync } from 'fastify'
import { isMockPath } from './proxy.js'

/** Options of {@link frontEndStatic}. */
export interface FrontEndStaticOptions {
  /** Absolute path of the built front end (already checked to be a directory). */
  root: string
}

/**
 * Serve a built front end from the mock's own origin with `@fastify/static`: `GET|HEAD /*`
 * answers files under `root`, a directory answers its `index.html`, so `/` is the front end's
 * home. The mock's own routes are more specific and keep answering. No directory listings;
 * dotfiles are hidden; `@fastify/send` refuses paths that climb out of `root`. A missing file
 * gets the mock's JSON 404.
 */
export const frontEndStatic: FastifyPluginAsync<FrontEndStaticOptions> = async (app, { root }) => {
  app.addHook('onRequest', async (request, reply) => {
    // /__mock/* belongs to the mock even where no route matches; never look for such a file.
    if (isMockPath(request.url)) return reply.callNotFound()
  })
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    list: false,
    index: 'index.html',
    dotfiles: 'ignore',
    // Rebuilt files must show on the next reload, not after a cache expires.
    cacheControl: false,
    redirect: false,
  })
}
