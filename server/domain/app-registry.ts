import { hmacKey, type HmacKey } from './crypto-port.js'
import type { App } from './types.js'

/** An app with its client secret imported once as a signing key, so no request pays for it. */
export interface RegisteredApp extends App {
  readonly signingKey: HmacKey
}

/** The apps registered with the store, by client id. */
export class AppRegistry {
  readonly #byClientId = new Map<string, RegisteredApp>()

  /** Replace every app at once. */
  replaceAll(apps: Iterable<App>): void {
    this.#byClientId.clear()
    for (const app of apps) this.register(app)
  }

  /** Number of registered apps. */
  get size(): number {
    return this.#byClientId.size
  }

  /** The app with this client id, if registered. */
  get(clientId: string): RegisteredApp | undefined {
    return this.#byClientId.get(clientId)
  }

  /** Every registered client id, for error messages and banners. */
  clientIds(): string[] {
    return [...this.#byClientId.keys()]
  }

  /** All registered apps. */
  all(): IterableIterator<RegisteredApp> {
    return this.#byClientId.values()
  }

  /** Register (or replace) an app. */
  register(app: App): RegisteredApp {
    const registered: RegisteredApp = { ...app, signingKey: hmacKey(app.clientSecret) }
    this.#byClientId.set(app.clientId, registered)
    return registered
  }

  /** Remove an app; answers whether one was removed. */
  remove(clientId: string): boolean {
    return this.#byClientId.delete(clientId)
  }
}
