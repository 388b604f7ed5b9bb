// A storefront widget: it asks the storefront who is signed in (the Current Customer API), hands
// the token to the app's backend, which verifies it, and shows what the backend answered. Its
// state is in `data-state` (loading, signed-in, guest, store-error, rejected) for tests to read.

/**
 * Fill `element` with the shopper's badge. `clientId` is the app's client id; the backend's
 * route takes `{token}` and answers `{customer, exp}` once the token is verified, 401 otherwise.
 */
export async function renderCustomerBadge(element, { clientId, backendPath = '/api/customer-session' }) {
  show(element, 'loading', 'Checking who is signed in…')
  const tokenUrl = new URL(`/customer/current.jwt?app_client_id=${encodeURIComponent(clientId)}`, document.baseURI)
  const tokenResponse = await fetch(tokenUrl, { credentials: 'include' })
  if (tokenResponse.status === 404) return show(element, 'guest', 'Sign in to see your prices')
  if (!tokenResponse.ok) return show(element, 'store-error', `The store did not answer (${tokenResponse.status}); try again later`)

  const backend = await fetch(new URL(backendPath, document.baseURI), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: await tokenResponse.text() }),
  })
  if (!backend.ok) return show(element, 'rejected', 'We could not confirm who you are; please sign in again')
  const { customer, exp } = await backend.json()
  element.dataset.customerId = String(customer.id)
  element.dataset.expiresAt = String(exp)
  return show(element, 'signed-in', `Signed in as ${customer.email}`)
}

function show(element, state, text) {
  element.dataset.state = state
  element.textContent = text
  return state
}
