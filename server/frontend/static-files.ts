import { realpathSync, statSync } from 'node:fs'
import { join, relative, isAbsolute, sep } from 'node:path'
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
 * dotfiles are hidden; `@fastify/send` refuses paths that climb out of `root`, and a file (or
 * folder index) whose real path, symbolic links resolved, lies outside `root` is refused as if
 * missing. A missing file gets the mock's JSON 404.
 */
export const frontEndStatic: FastifyPluginAsync<FrontEndStaticOptions> = async (app, { root }) => {
  const realRoot = realpathSync(root)
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
    allowedPath: (pathname) => insideRoot(realRoot, join(realRoot, pathname)),
  })
}

/**
 * Whether a requested file stays inside `realRoot` once symbolic links are resolved (a folder
 * is judged with the `index.html` it would answer). A path that does not exist is allowed: the
 * static plugin answers it 404 as usual.
 */
export function insideRoot(realRoot: string, requested: string): boolean {
  let real: string
  try {
    real = realpathSync(requested)
  } catch {
    return true
  }
  if (!contains(realRoot, real)) return false
  try {
    if (statSync(real).isDirectory()) return insideRoot(realRoot, join(real, 'index.html'))
  } catch {
    return false
  }
  return true
}

function contains(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}
