// The home page's "Current customer" panel. Plain browser JavaScript, served as is by the mock
// (GET /__mock/assets/current-customer.js): no build step, nothing loaded from elsewhere.
//
// It runs BigCommerce's documented snippet, fetch('/customer/current.jwt?app_client_id=' + id):
// 200 -> response.text() is the token, 404 -> not logged in. It decodes the token, counts down to
// exp by the MOCK's clock (read from GET /__mock/clock, then advanced locally), and asks
// POST /__mock/apps/{id}/verify whether it verifies. When the control API is off (or needs an
// admin token) those two parts are hidden and the countdown is estimated from the token's iat.
// An answer a fault changed (POST /__mock/faults) carries X-Mock-Fault: <id> <effect>; the panel
// then says which fault answered, so a demo of an app's error handling explains itself.

const panel = document.getElementById('current-customer')
const $ = (id) => document.getElementById(id)
const el = {
  form: $('cc-form'),
  app: $('cc-app'),
  recheck: $('cc-recheck'),
  status: $('cc-status'),
  fault: $('cc-fault'),
  controlNote: $('cc-control-note'),
  result: $('cc-result'),
  customer: $('cc-customer'),
  aud: $('cc-aud'),
  countdown: $('cc-countdown'),
  verify: $('cc-verify'),
  clock: $('cc-clock'),
  token: $('cc-token'),
  header: $('cc-header'),
  claims: $('cc-claims'),
  backendForm: $('cc-backend-form'),
  backendUrl: $('cc-backend-url'),
  backendStatus: $('cc-backend-status'),
  backendBody: $('cc-backend-body'),
  backendBodyHeading: $('cc-backend-body-heading'),
  backendDetails: $('cc-backend-details'),
  backendName: $('cc-backend-name'),
  backendGroup: $('cc-backend-group'),
  backendAttributes: $('cc-backend-attributes'),
  backendOrders: $('cc-backend-orders'),
  backendDetailsError: $('cc-backend-details-error'),
}

/** The token on show: { clientId, token, header, claims, fetchedAt (performance.now()), expiredSeen }. */
let current = null
/** The mock's clock as last read: { nowMs, frozen, readAt (performance.now()) }; null when unknown. */
let clock = null
/** Whether the control API answers this page: undefined until asked. */
let controlApi

// How often the mock's clock is read again, so a test or a person moving it is noticed.
const CLOCK_RESYNC_MS = 5000

if (panel && el.form && el.app) {
  el.form.addEventListener('submit', (event) => {
    event.preventDefault()
    void fetchToken()
  })
  el.app.addEventListener('change', () => void fetchToken())
  el.recheck.addEventListener('click', () => void recheck())
  el.backendForm.addEventListener('submit', (event) => {
    event.preventDefault()
    void sendToBackend()
  })
  setInterval(tick, 250)
  setInterval(() => {
    if (controlApi) void readClock()
  }, CLOCK_RESYNC_MS)
  void start()
}

async function start() {
  await readClock()
  await fetchToken()
}

/** BigCommerce's documented snippet, and what the panel shows for each answer. */
async function fetchToken() {
  const appClientId = el.app.value
  announce('loading', 'Fetching the token for ' + selectedAppLabel() + '...')
  panel.setAttribute('aria-busy', 'true')
  let response
  try {
    response = await fetch('/customer/current.jwt?app_client_id=' + encodeURIComponent(appClientId))
  } catch (error) {
    panel.removeAttribute('aria-busy')
    showFault(null)
    showNoToken('error', 'The mock did not answer: ' + error.message + ' (a reset or hang fault, or the mock is down).')
    return
  }
  panel.removeAttribute('aria-busy')
  const fault = response.headers.get('x-mock-fault')
  showFault(fault)

  if (response.status === 200) {
    const token = (await response.text()).trim()
    let decoded
    try {
      decoded = { header: decodePart(token.split('.')[0]), claims: decodePart(token.split('.')[1]) }
    } catch (error) {
      showNoToken('error', '200, but the answer is not a JWT: ' + error.message)
      return
    }
    current = {
      clientId: appClientId,
      token,
      header: decoded.header,
      claims: decoded.claims,
      fetchedAt: performance.now(),
      expiredSeen: false,
    }
    render()
    const who = decoded.claims.customer || {}
    announce('ok', '200: a token for ' + who.email + ' (customer ' + who.id + ') and ' + selectedAppLabel() + '.')
    await Promise.all([readClock(), verify()])
    return
  }
  if (response.status === 404) {
    showNoToken('not-logged-in', '404: not logged in. Sign in (or pick a demo account) to get a token.')
    return
  }
  // A fault's error body says what the fault line below already says: name the status only.
  if (fault) showNoToken('error', response.status + ': no token; a fault answered in place of the endpoint.')
  else showNoToken('error', response.status + ': ' + (await errorTitle(response)))
}

/** What each fault effect does, in the panel's words. */
const FAULT_EFFECTS = {
  status: 'an error status on purpose',
  delay: 'a delayed answer',
  hang: 'an answer held back until the fault ended',
  'expired-token': 'a token whose exp has already passed',
  'wrong-secret': "a token signed with a secret that is not the app's",
  'wrong-algorithm': "a token signed with another HMAC algorithm than the app's",
  'signed-out': "the session ended first, so a guest's answer",
}

/** Name the fault that answered (header "X-Mock-Fault: <id> <effect>"), or hide the line. */
function showFault(header) {
  if (!el.fault) return
  const [id, effect] = (header || '').split(' ')
  if (!id || !effect) {
    el.fault.hidden = true
    el.fault.textContent = ''
    return
  }
  el.fault.hidden = false
  el.fault.dataset.fault = id
  el.fault.dataset.effect = effect
  el.fault.textContent =
    'Fault ' +
    id +
    ' (' +
    effect +
    ') answered this request: ' +
    (FAULT_EFFECTS[effect] || effect) +
    '. It was set with POST /__mock/faults; DELETE /__mock/faults/' +
    id +
    ' ends it.'
}

/** Read the mock's clock again and ask again whether the token on show verifies. */
async function recheck() {
  await readClock()
  await verify()
  tick()
}

/** POST /__mock/apps/{id}/verify: the mock's own verdict, by its clock. */
async function verify() {
  if (!current || controlApi === false) return
  const shown = current
  el.verify.textContent = 'Checking...'
  el.verify.removeAttribute('data-valid')
  let response
  try {
    response = await fetch('/__mock/apps/' + encodeURIComponent(shown.clientId) + '/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token: shown.token }),
    })
  } catch (error) {
    el.verify.textContent = 'Could not ask the mock: ' + error.message
    return
  }
  if (response.status === 401 || response.status === 403) {
    setControlApi(false)
    return
  }
  if (shown !== current) return // a newer token is on show
  if (!response.ok) {
    el.verify.textContent = response.status + ': ' + (await errorTitle(response))
    return
  }
  const answer = await response.json()
  el.verify.dataset.valid = String(answer.valid)
  el.verify.dataset.reason = answer.reason || ''
  const verdict = document.createElement('strong')
  verdict.textContent = answer.valid ? 'Yes.' : 'No: ' + answer.reason + '.'
  el.verify.replaceChildren(verdict, ' ' + sentence(answer.detail))
  if (!answer.valid) announce('error', 'The token does not verify (' + answer.reason + '). ' + sentence(answer.detail))
}

/** GET /__mock/clock; a 401, 403 or failure means the control API is not ours to use. */
async function readClock() {
  try {
    const response = await fetch('/__mock/clock', { headers: { accept: 'application/json' }, cache: 'no-store' })
    if (!response.ok) {
      setControlApi(false)
      return
    }
    const answer = await response.json()
    clock = { nowMs: answer.now_ms, frozen: answer.frozen, readAt: performance.now() }
    setControlApi(true)
  } catch {
    setControlApi(false)
  }
  tick()
}

function setControlApi(available) {
  controlApi = available
  if (!available) clock = null
  el.controlNote.hidden = available
  for (const part of panel.querySelectorAll('[data-needs-control]')) part.hidden = !available
  el.recheck.hidden = !available || !current
}

/** The mock's time now, epoch ms: its clock as read, moved on locally unless frozen. */
function mockNowMs() {
  if (clock) return clock.frozen ? clock.nowMs : clock.nowMs + (performance.now() - clock.readAt)
  // Without the clock: the token was issued (iat) by the mock's clock when it was fetched.
  if (current && typeof current.claims.iat === 'number') return current.claims.iat * 1000 + (performance.now() - current.fetchedAt)
  return Date.now()
}

/** Update the countdown and the clock line; once the token expires, say so and check again. */
function tick() {
  if (clock) el.clock.textContent = new Date(mockNowMs()).toISOString().replace(/\.\d+Z$/, 'Z') + (clock.frozen ? ' (frozen)' : '')
  if (!current) return
  const exp = current.claims.exp
  if (typeof exp !== 'number') {
    el.countdown.textContent = 'no exp claim'
    return
  }
  const remaining = exp - mockNowMs() / 1000
  el.countdown.dataset.remaining = String(Math.ceil(remaining))
  if (remaining > 0) {
    el.countdown.dataset.expired = 'false'
    el.countdown.textContent = 'in ' + duration(Math.ceil(remaining)) + ' (exp ' + exp + ')'
    current.expiredSeen = false
    return
  }
  el.countdown.dataset.expired = 'true'
  el.countdown.textContent = 'expired ' + duration(Math.floor(-remaining)) + ' ago (exp ' + exp + ')'
  if (!current.expiredSeen) {
    current.expiredSeen = true
    announce('error', "The token has expired by the mock's clock. Fetch a new one.")
    void verify()
  }
}

function render() {
  const claims = current.claims
  const who = claims.customer || {}
  el.customer.textContent = who.email + ' (id ' + who.id + ', group "' + who.group_id + '")'
  el.aud.textContent = claims.aud + ', signed ' + current.header.alg
  el.token.replaceChildren(
    ...current.token.split('.').map((part, index) => {
      const span = document.createElement('span')
      span.className = ['jwt-header', 'jwt-payload', 'jwt-signature'][index] || ''
      span.textContent = (index > 0 ? '.' : '') + part
      return span
    }),
  )
  el.header.textContent = JSON.stringify(current.header, null, 2)
  el.claims.textContent = JSON.stringify(claims, null, 2)
  el.verify.textContent = controlApi === false ? '' : 'Checking...'
  el.verify.removeAttribute('data-valid')
  el.verify.removeAttribute('data-reason')
  el.result.hidden = false
  el.recheck.hidden = controlApi === false
  hideBackendAnswer()
  tick()
}

function showNoToken(state, message) {
  current = null
  el.result.hidden = true
  el.recheck.hidden = true
  announce(state, message)
}

/** Send the token to an app backend, as the storefront's JavaScript would. */
async function sendToBackend() {
  if (!current) return
  const url = el.backendUrl.value
  hideBackendAnswer()
  el.backendStatus.hidden = false
  setStatus(el.backendStatus, 'loading', 'Sending the token to ' + url + '...')
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: current.token }),
    })
    const text = await response.text()
    el.backendStatus.dataset.httpStatus = String(response.status)
    setStatus(
      el.backendStatus,
      response.ok ? 'ok' : 'error',
      response.status + (response.ok ? ': the backend accepted the token.' : ': the backend refused the token.'),
    )
    if (response.ok) showDetails(parseJson(text))
    el.backendBody.textContent = prettyJson(text)
    el.backendBody.hidden = false
    el.backendBodyHeading.hidden = false
  } catch (error) {
    setStatus(
      el.backendStatus,
      'error',
      'No answer from ' +
        url +
        ' (' +
        error.message +
        '). Is the backend running, and does it allow this origin (CORS)? See examples/app-backend/README.md.',
    )
  }
}

function hideBackendAnswer() {
  for (const node of [el.backendStatus, el.backendBody, el.backendBodyHeading, el.backendDetails, el.backendDetailsError])
    node.hidden = true
}

/**
 * What the example backend read from the Management API after verifying the token
 * (examples/app-backend: `details`, or `details_error` when that call failed). Text only: every
 * value is the backend's, set with textContent.
 */
function showDetails(body) {
  if (!body || typeof body !== 'object') return
  if (body.details_error) {
    const status = body.details_error.status
    setStatus(
      el.backendDetailsError,
      'error',
      'The token verifies, but the Management API call did not give the details' +
        (status ? ' (' + status + ')' : '') +
        ': ' +
        sentence(body.details_error.message),
    )
    el.backendDetailsError.hidden = false
  }
  const details = body.details
  if (!details || typeof details !== 'object') return
  el.backendName.textContent = details.name || details.email || ''
  el.backendGroup.textContent = details.group ? details.group.name + ' (group ' + details.group.id + ')' : 'none (group 0)'
  const attributes = Array.isArray(details.attributes) ? details.attributes : []
  el.backendAttributes.textContent = attributes.length
    ? attributes.map((attribute) => attribute.name + ': ' + attribute.value).join('; ')
    : 'none'
  const orders = Array.isArray(details.recent_orders) ? details.recent_orders : []
  el.backendOrders.replaceChildren(
    ...(orders.length ? orders : [null]).map((order) => {
      const item = document.createElement('li')
      item.textContent = order
        ? 'Order #' +
          order.id +
          ', ' +
          order.status +
          ', ' +
          order.total_inc_tax +
          ' ' +
          order.currency_code +
          ' (' +
          order.date_created +
          ')'
        : 'none'
      if (order) item.dataset.orderId = String(order.id)
      return item
    }),
  )
  el.backendDetails.hidden = false
}

function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function announce(state, message) {
  setStatus(el.status, state, message)
}

function setStatus(node, state, message) {
  node.dataset.state = state
  node.textContent = message
}

function selectedAppLabel() {
  const option = el.app.selectedOptions[0]
  return option ? option.textContent : el.app.value
}

/** One base64url JWT segment as JSON. */
function decodePart(part) {
  if (!part) throw new Error('missing segment')
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))))
}

async function errorTitle(response) {
  const text = await response.text()
  try {
    return JSON.parse(text).title || text
  } catch {
    return text
  }
}

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

function sentence(text) {
  const trimmed = String(text || '').trim()
  if (!trimmed) return ''
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.!?]$/.test(trimmed) ? '' : '.')
}

/** Seconds as m:ss, or h:mm:ss from an hour. */
function duration(seconds) {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  const pad = (n) => String(n).padStart(2, '0')
  return h > 0 ? h + ':' + pad(m) + ':' + pad(s) : m + ':' + pad(s)
}
