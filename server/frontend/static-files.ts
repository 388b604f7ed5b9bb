import { accessSync, constants, realpathSync, statSync } from 'node:fs'
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
 * folder index) whose real path, symbolic links resolved, lies outside `root`, or that is not a
 * regular file the mock may read (a FIFO, a device, a socket, a file or folder without read
 * permission), is refused as if missing. A missing file gets the
 * mock's JSON 404.
 */
export const frontEndStatic: FastifyPluginAsync<FrontEndStaticOptions> = async (app, { root }) => {
  const realRoot = realpathSync(root)
  app.addHook('onRequest', async (request, reply) => {
    // /__mock/* belongs to the mock even where no route matches; never look for such a file.
    if (isMockPath(request.url)) return reply.callNotFound()
  })
  // A file that fails after its answer was begun (removed or made unreadable between the check
  // and the read) leaves the file's headers on the reply, which the JSON answer must not carry;
  // it is answered as the file would be now, missing.
  const answerError = app.errorHandler
  app.setErrorHandler(function (error, request, reply) {
    for (const header of FILE_HEADERS) reply.removeHeader(header)
    if ((error as NodeJS.ErrnoException).syscall !== undefined) return reply.callNotFound()
    return answerError.call(this, error, request, reply)
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

/** Headers @fastify/send sets for a file before its first byte is read. */
const FILE_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified']

/**
 * Whether a requested file stays inside `realRoot` once symbolic links are resolved, and is a
 * regular file (a folder is judged with the `index.html` it would answer). A path that does not
 * exist is allowed: the static plugin answers it 404 as usual.
 */
export function insideRoot(realRoot: string, requested: string): boolean {
  let real: string
  try {
    real = realpathSync(requested)
  } catch (error) {
    // Missing: the plugin answers 404. Anything else (a folder it may not enter, a loop of
    // symbolic links) would reach the plugin as a failed stat, a 500: refuse it here.
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' || code === 'ENOTDIR'
  }
  if (!contains(realRoot, real)) return false
  let stats
  try {
    stats = statSync(real)
  } catch {
    return false
  }
  if (stats.isDirectory()) return insideRoot(realRoot, join(real, 'index.html'))
  // Only regular files: opening a FIFO would hold one of libuv's four file system threads until
  // a writer came (four such requests stall every file read, and the process's exit waits on
  // them), and a device has no end to send. One the mock may not read would fail mid-answer.
  return stats.isFile() && readable(real)
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK)
    return true
  } catch {
    return false
  }
}

function contains(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}
