/**
 * A host name as compared everywhere: lower case, an IPv6 address without its brackets
 * (`[::1]` is `::1`), as `Host` headers, URLs and `--host` may write it.
 */
export function bareHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
}
