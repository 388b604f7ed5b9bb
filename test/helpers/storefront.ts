/** The bundled default fixtures' demo values, as docs/fixtures.md publishes them. */
export const DEMO = {
  storeHash: 'abc123',
  hs512App: {
    clientId: '6sv16tfx3j5gsopm42ss5dd67g2srvq',
    secret: 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes',
    accessToken: 'demo-access-token-6sv16tfx3j5gsopm42ss5dd67g2srvq',
  },
  hs256App: {
    clientId: 'hs256demo0app0client0id00000000',
    secret: 'demo-client-secret-hs256demo0app0client0id00000000-at-least-64-bytes',
    accessToken: 'demo-access-token-hs256demo0app0client0id00000000',
  },
  john: { id: 4927, email: 'john.doe@example.com', password: 'letmein', groupId: '6' },
  jane: { id: 4928, email: 'jane.roe@example.com', password: 'letmein', groupId: '0' },
} as const
