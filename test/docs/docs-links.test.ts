import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import t from 'tap'

// Every relative link in the README, CONTRIBUTING.md and the manual in docs/ reaches a file, and
// every #anchor a heading of its page, as GitHub renders them: a moved section breaks no link.

const root = new URL('../..', import.meta.url).pathname
const docs = join(root, 'docs')
const pages = [
  join(root, 'README.md'),
  join(root, 'CONTRIBUTING.md'),
  ...readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(docs, name)),
]

/** The text outside fenced code blocks and inline code spans, where links and headings are. */
function prose(markdown: string): string[] {
  let fenced = false
  return markdown.split('\n').flatMap((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced
      return []
    }
    return fenced ? [] : [line]
  })
}

/** GitHub's anchor for a heading's text (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '')
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of a Markdown file's headings; a repeated one gets -1, -2, ... as on GitHub. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>()
  const found = new Set<string>()
  for (const line of prose(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6} +(.*?)\s*$/.exec(line)?.[1]
    if (heading === undefined) continue
    const base = slug(heading)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    found.add(count === 0 ? base : `${base}-${count}`)
  }
  return found
}

/** The targets of a file's inline links and images, with inline code spans left out. */
function links(file: string): string[] {
  const lines = prose(readFileSync(file, 'utf8')).map((line) => line.replace(/(`+)[^`]*?\1/g, ''))
  return lines.flatMap((line) => [...line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1] ?? ''))
}

/** Where a link goes wrong, or undefined when it resolves. */
function broken(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined // another site: not checked here
  const hash = target.indexOf('#')
  const path = decodeURIComponent(hash === -1 ? target : target.slice(0, hash))
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1))
  const to = path === '' ? file : join(dirname(file), path)
  if (!existsSync(to)) return `${relative(root, to)} does not exist`
  if (anchor === undefined) return undefined
  if (statSync(to).isDirectory() || !to.endsWith('.md')) return `#${anchor} on ${relative(root, to)}, which has no headings`
  return anchors(to).has(anchor) ? undefined : `${relative(root, to)} has no heading #${anchor}`
}

t.test('every relative link and anchor of the README, CONTRIBUTING.md and docs/ resolves', async (t) => {
  const problems = pages.flatMap((file) =>
    links(file).flatMap((target) => {
      const problem = broken(file, target)
      return problem === undefined ? [] : [`${relative(root, file)}: (${target}): ${problem}`]
    }),
  )
  t.same(problems, [])
  t.ok(
    links(join(root, 'README.md')).some((target) => target.startsWith('docs/')),
    'the README links into docs/',
  )
})

t.test('the index of docs/ links every page of it', async (t) => {
  const index = join(docs, 'README.md')
  const linked = new Set(links(index).map((target) => target.split('#')[0]))
  const unlisted = readdirSync(docs).filter((name) => name.endsWith('.md') && name !== 'README.md' && !linked.has(name))
  t.same(unlisted, [])
})

t.test('the checker itself: anchors as GitHub makes them, and a broken link is found', async (t) => {
  t.equal(slug('`--allowed-host NAME`'), '--allowed-host-name')
  t.equal(slug('`GET /login/token/{jwt}`: Customer Login (SSO)'), 'get-logintokenjwt-customer-login-sso')
  t.equal(slug('Where the mock chooses (BigCommerce does not document it)'), 'where-the-mock-chooses-bigcommerce-does-not-document-it')
  t.equal(slug('`--latency MS | MIN-MAX`'), '--latency-ms--min-max')
  const readme = join(root, 'README.md')
  t.equal(broken(readme, 'docs/command-line.md#logs'), undefined)
  t.match(broken(readme, 'docs/command-line.md#no-such-heading'), /has no heading #no-such-heading/)
  t.match(broken(readme, 'docs/no-such-page.md'), /does not exist/)
  t.match(broken(readme, '#no-such-heading'), /README\.md has no heading/)
  t.equal(broken(readme, 'https://example.com/#anything'), undefined)
})
