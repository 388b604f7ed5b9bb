// A page that shows one story of the widget, as Storybook's preview does with msw-storybook-addon's
// `mswLoader`: the service worker starts once, then the story's `parameters.msw.handlers` replace
// the worker's handlers, its loaders run, and it renders. `?story=Guest` picks the story; SignedIn
// by default.
import { setupWorker } from 'msw/browser'
import * as stories from '../src/customer-badge.stories.js'

const { default: meta, ...named } = stories
const name = new URLSearchParams(location.search).get('story') ?? 'SignedIn'
const story = named[name]
if (!story) throw new Error(`no story ${name}; the stories are ${Object.keys(named).join(', ')}`)

const worker = setupWorker()
await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledFrame: 'bypass', quiet: true })
worker.resetHandlers(...(story.parameters?.msw?.handlers ?? meta.parameters.msw.handlers))
for (const load of story.loaders ?? []) await load()
document.querySelector('#story').replaceChildren((story.render ?? meta.render)())
