/**
 * Whether an `Accept` header prefers JSON over plain text. Quality values decide; on a tie the
 * type listed first wins, so BigCommerce's checkout SDK (`application/json, text/plain, *\/*`)
 * gets JSON and a browser or `fetch` default (`*\/*`) gets text.
 */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false
  let json: { q: number; index: number } | undefined
  let text: { q: number; index: number } | undefined
  accept.split(',').forEach((part, index) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';')
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    const q = qParam === undefined ? 1 : Number(qParam.slice(2))
    const quality = { q: Number.isFinite(q) ? q : 0, index }
    if (type.trim() === 'application/json' && !json) json = quality
    if ((type.trim() === 'text/plain' || type.trim() === 'text/*' || type.trim() === '*/*') && (!text || quality.q > text.q)) text = quality
  })
  if (!json || json.q <= 0) return false
  if (!text) return true
  return json.q > text.q || (json.q === text.q && json.index < text.index)
}
