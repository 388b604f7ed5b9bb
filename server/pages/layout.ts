import type { Customer } from '../domain/types.js'
import { html, type SafeHtml } from './html.js'

/** What every page's header needs to know. */
export interface PageContext {
  title: string
  customer: Customer | undefined
}

/** Wrap page content in the storefront layout: header with sign-in state, main, footer. */
export function layout(context: PageContext, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${context.title} · Mock BigCommerce storefront</title>
<style>${STYLE}</style>
</head>
<body>
<header class="site-header">
  <a class="brand" href="/">Mock Storefront</a>
  <nav aria-label="Account">
    ${
      context.customer
        ? html`<a href="/account.php" class="who">${context.customer.firstName} ${context.customer.lastName}</a> <a href="/login.php?action=logout">Sign out</a>`
        : html`<a href="/login.php">Sign in</a>`
    }
  </nav>
</header>
<main id="main">
${content}
</main>
<footer class="site-footer">A mock of a BigCommerce storefront, for development and tests.</footer>
</body>
</html>
`.value
}

const STYLE = `
:root{--ink:#1d2330;--muted:#545b6b;--line:#d6d9e0;--accent:#1b4fd8;--bg:#f6f7f9;--error:#a4161a}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
.site-header{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.75rem 1.25rem;background:#fff;border-bottom:1px solid var(--line);flex-wrap:wrap}
.brand{font-weight:700;text-decoration:none;color:var(--ink)}
nav a{margin-left:.75rem}
main{max-width:60rem;margin:0 auto;padding:1.5rem 1.25rem}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1.25rem;margin-bottom:1.25rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=email],input[type=password],input[type=text],select{width:100%;max-width:24rem;padding:.5rem;border:1px solid #8a90a0;border-radius:4px;font:inherit}
button,.button{display:inline-block;margin-top:1rem;padding:.5rem 1rem;border:0;border-radius:4px;background:var(--accent);color:#fff;font:inherit;cursor:pointer;text-decoration:none}
:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
.alert{border-left:4px solid var(--error);background:#fdecec;color:var(--error);padding:.75rem 1rem;margin-bottom:1rem}
.muted{color:var(--muted)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.875rem}
pre{white-space:pre-wrap;word-break:break-all;background:var(--bg);padding:.75rem;border-radius:4px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line)}
.site-footer{text-align:center;color:var(--muted);font-size:.875rem;padding:2rem 1rem}
`
