/**
 * The demo sign-in and app of the bundled `fixtures/store.yaml`, as the README publishes them:
 * customer 4927 of the Current Customer API's example, and the app that signs with HS512 as
 * production does.
 */
export const DEMO = {
  clientId: '6sv16tfx3j5gsopm42ss5dd67g2srvq',
  customerId: 4927,
  email: 'john.doe@example.com',
  password: 'letmein',
} as const
