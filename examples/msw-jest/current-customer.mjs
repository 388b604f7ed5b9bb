// Front-end code under test: who is signed in, as an app's storefront script asks the store.
// Answers the token and the customer it names, or null for a guest; throws on any other answer.
export async function currentCustomer(storeUrl, clientId) {
  const response = await fetch(`${storeUrl}/customer/current.jwt?app_client_id=${encodeURIComponent(clientId)}`, {
    credentials: 'include',
    headers: { accept: 'application/json' },
  })
  if (response.status === 404) return null
  if (!response.ok) throw new Error(`the store answered ${response.status}`)
  const { token } = await response.json()
  const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')))
  return { token, customer: claims.customer }
}
