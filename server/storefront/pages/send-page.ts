import type { FastifyReply } from 'fastify'

/** Send an HTML page that no cache may keep (it shows who is signed in). */
export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page)
}
