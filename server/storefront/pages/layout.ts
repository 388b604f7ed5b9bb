import type { Customer } from '../../domain/types.js'
import { html, SafeHtml } from './html.js'

/** The pages' icon, served by `demo-assets-route.ts` under the mock's own path. */
export const FAVICON_PATH = '/__mock/assets/favicon.svg'

/** What every page's header needs to know. */
export interface PageContext {
  title: string
  customer: Customer | undefined
  /** Same-origin script URLs to load as modules (deferred); none by default. */
  scripts?: readonly string[]
}

/**
 * Wrap page content in the storefront layout: a skip link, the header with the sign-in state,
 * main, footer. Everything is inline or same-origin: the pages work offline, with no CDN, and
 * sign-in and sign-out are plain links and forms that need no JavaScript.
 */
export function layout(context: PageContext, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${context.title} · Mock BigCommerce storefront</title>
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
<style>${new SafeHtml(STYLE)}</style>
${(context.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <a class="brand" href="/"><span aria-hidden="true" class="brand-mark">BC</span> Mock Storefront</a>
  <nav aria-label="Account">
    ${
      context.customer
        ? html`<a href="/account.php" class="who">${context.customer.firstName} ${context.customer.lastName}</a><a href="/login.php?action=logout">Sign out</a>`
        : html`<a href="/login.php">Sign in</a>`
    }
  </nav>
</header>
<main id="main" tabindex="-1">
${content}
</main>
<footer class="site-footer">A mock of a BigCommerce storefront, for development, demos and tests. Everything here runs on this machine.</footer>
</body>
</html>
`.value
}

// A constant, inserted unescaped: inside <style> an entity such as &quot; is not decoded.
// Colours are chosen for WCAG AA contrast (4.5:1 or more) against the background they sit on.
const STYLE = `
:root{--ink:#1d2330;--muted:#4f5668;--line:#d6d9e0;--accent:#1b4fd8;--accent-ink:#143aa3;--bg:#f4f5f8;--panel:#fff;--error:#a4161a;--error-bg:#fdecec;--ok:#17652e;--ok-bg:#e6f4ea;--header:#1d2330}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
a:hover{color:var(--accent-ink)}
.skip-link{position:absolute;left:-10000px;top:.5rem;background:#fff;color:var(--accent);padding:.5rem 1rem;border-radius:4px;z-index:10}
.skip-link:focus{left:1rem}
.site-header{display:flex;justify-content:space-between;align-items:center;gap:.5rem 1rem;padding:.75rem 1.25rem;background:var(--header);color:#fff;flex-wrap:wrap}
.site-header a{color:#fff}
.brand{font-weight:700;text-decoration:none;display:inline-flex;align-items:center;gap:.5rem}
.brand-mark{display:inline-grid;place-items:center;width:2rem;height:2rem;border-radius:6px;background:#fff;color:var(--header);font-size:.8rem}
.site-header nav{display:flex;gap:1rem;flex-wrap:wrap}
main{max-width:66rem;margin:0 auto;padding:1.5rem 1rem}
main:focus{outline:none}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .5rem}
h2{font-size:1.25rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
.narrow{max-width:34rem;margin-left:auto;margin-right:auto}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1.25rem;margin-bottom:1.25rem;min-width:0}
.intro{margin:0 0 .75rem}
.intro p{margin:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=email],input[type=password],input[type=text],input[type=url],select{width:100%;max-width:28rem;padding:.5rem;border:1px solid #767d8f;border-radius:4px;font:inherit;background:#fff;color:var(--ink)}
.login-form input{max-width:none}
button,.button{display:inline-block;margin-top:.75rem;padding:.5rem 1rem;border:1px solid var(--accent);border-radius:4px;background:var(--accent);color:#fff;font:inherit;cursor:pointer;text-decoration:none;line-height:1.5}
button:hover,.button:hover{background:var(--accent-ink);color:#fff}
button.secondary{background:#fff;color:var(--accent)}
button.secondary:hover{background:#eef2fd;color:var(--accent-ink)}
.actions{display:flex;flex-wrap:wrap;gap:0 .75rem;align-items:center}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.alert{border-left:4px solid var(--error);background:var(--error-bg);color:var(--error);padding:.75rem 1rem;margin-bottom:1rem}
.note{border-left:4px solid #767d8f;background:var(--bg);padding:.5rem .75rem;margin:.75rem 0}
.muted{color:var(--muted)}
.small{font-size:.875rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,"DejaVu Sans Mono",monospace;font-size:.85rem}
pre{line-height:1.35;white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);border:1px solid var(--line);padding:.75rem;border-radius:4px;margin:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
.status{font-weight:600;padding:.5rem .75rem;border-radius:4px;background:var(--bg);margin:.75rem 0}
.status[data-state=ok]{background:var(--ok-bg);color:var(--ok)}
.status[data-state=not-logged-in]{background:#fff4e0;color:#7a4100}
.status[data-state=error]{background:var(--error-bg);color:var(--error)}
.status[data-state=fault]{background:#fff4e0;color:#7a4100;border-left:4px solid #b35c00}
.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem;margin:.25rem 0 .75rem}
.facts dt{font-weight:600}
.facts dd{margin:0;overflow-wrap:anywhere}
.orders{margin:0;padding-left:1.25rem}
@media (max-width:30rem){.facts{grid-template-columns:minmax(0,1fr);gap:0}.facts dd{margin-bottom:.5rem}pre{font-size:.75rem;padding:.5rem}.card{padding:1rem}}
.verdict[data-valid=true] strong{color:var(--ok)}
.verdict[data-valid=false] strong{color:var(--error)}
.countdown[data-expired=true]{color:var(--error);font-weight:600}
.cc-form{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.5rem 1rem}
.cc-form .field{flex:1 1 16rem;max-width:28rem}
.cc-form label{margin-top:0}
.cc-form .actions button{margin-top:0}
.cc-result{display:grid;grid-template-columns:minmax(0,1fr);gap:0 1.5rem}
@media (min-width:56rem){.cc-result{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.cc-result h3:first-child{margin-top:.25rem}
.span-all{grid-column:1/-1}
.jwt-header{color:#a4161a}.jwt-payload{color:#6b21a8}.jwt-signature{color:#0b6363}
.accounts{list-style:none;padding:0;margin:0;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,19rem),1fr))}
.accounts li{border:1px solid var(--line);border-radius:6px;padding:.75rem;display:flex;justify-content:space-between;align-items:center;gap:.5rem .75rem;flex-wrap:wrap}
.accounts form{margin:0}
.accounts button{margin-top:0}
.account-name{font-weight:600}
details{margin-top:1rem}
summary{cursor:pointer;font-weight:600}
.site-footer{text-align:center;color:var(--muted);font-size:.875rem;padding:2rem 1rem}
[hidden]{display:none !important}
`
