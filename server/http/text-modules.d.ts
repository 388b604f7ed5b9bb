/** A `.yaml` file imported as text: the browser bundle builds documents in (scripts/build.mjs, loader `text`). */
declare module '*.yaml' {
  const text: string
  export default text
}
