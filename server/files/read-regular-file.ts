import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs'

/** Why a file given by path could not be read: the file, what kind of problem, and the reason in words. */
export class UnreadableFileError extends Error {
  override readonly name: string = 'UnreadableFileError'

  /**
   * @param file - the path as given.
   * @param kind - `missing` (no such file), `not-regular` (a FIFO, device, directory, socket),
   *   `too-large` (past the caller's cap), or `unreadable` (permission, a symbolic link loop, ...).
   * @param reason - what is wrong, without the file: `a FIFO, not a regular file`, `no such file`.
   * @param size - the file's size in bytes, when it was known before reading (too-large only).
   */
  constructor(
    readonly file: string,
    readonly kind: 'missing' | 'not-regular' | 'too-large' | 'unreadable',
    readonly reason: string,
    readonly size?: number,
  ) {
    super(kind === 'not-regular' || kind === 'too-large' ? `${file} is ${reason}` : `cannot read ${file}: ${reason}`)
  }
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one (a thread
// waiting there cannot be stopped: not by a worker's terminate(), nor by process.exit, which
// waits for it), and a read of a file that would wait for data (/proc/kmsg) fails instead. A
// regular file ignores the flag. Windows has no such flag and no FIFOs to open.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

const MIB = 1024 * 1024

/**
 * Read a file given by a user's path, refusing what is not a regular file and anything past
 * `maxBytes`: the file is opened without waiting (a FIFO does not block), the open descriptor
 * checked with `fstat` (so the file checked is the file read), and at most `maxBytes + 1` bytes
 * read, since a size from `stat` is 0 for a device and a file may grow while it is read.
 * Throws an {@link UnreadableFileError}; callers put it in their own words and error.
 */
function readRegularFile(file: string, maxBytes: number, options: ReadOptions): Buffer {
  let fd: number
  try {
    fd = openSync(file, options.followLinks === false ? OPEN_FLAGS | (constants.O_NOFOLLOW ?? 0) : OPEN_FLAGS)
  } catch (error) {
    throw openFailure(file, error as NodeJS.ErrnoException)
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) throw new UnreadableFileError(file, 'not-regular', `${fileKind(stats)}, not a regular file`)
    const refusal = options.refuse?.(stats)
    if (refusal !== undefined) throw new UnreadableFileError(file, 'unreadable', refusal)
    if (stats.size > maxBytes)
      throw new UnreadableFileError(
        file,
        'too-large',
        `${(stats.size / MIB).toFixed(1)} MiB, larger than the ${formatMiB(maxBytes)} this mock reads`,
        stats.size,
      )
    return readUpTo(file, fd, maxBytes, stats.size)
  } finally {
    closeSync(fd)
  }
}

/** How {@link readRegularTextFile} opens and accepts a file, beyond its defaults. */
export interface ReadOptions {
  /** `false`: a symbolic link at the path itself is refused, never followed (`O_NOFOLLOW`). */
  followLinks?: boolean
  /** Why the open file (its `fstat`) is refused, or undefined to read it: an owner or mode rule. */
  refuse?: (stats: Stats) => string | undefined
}

/** {@link readRegularFile} as UTF-8 text. */
export function readRegularTextFile(file: string, maxBytes: number, options: ReadOptions = {}): string {
  return readRegularFile(file, maxBytes, options).toString('utf8')
}

/** What a file system entry is, in words (`a FIFO`, `a directory`), for saying why it is not read. */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file'
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSocket()) return 'a socket'
  if (stats.isSymbolicLink()) return 'a symbolic link'
  return 'not a file'
}

/** A cap in words: `32 MiB`, `1 MiB`, or bytes when it is not whole MiB. */
function formatMiB(bytes: number): string {
  return Number.isInteger(bytes / MIB) ? `${bytes / MIB} MiB` : `${bytes} bytes`
}

function readUpTo(file: string, fd: number, maxBytes: number, sizeHint: number): Buffer {
  // Sized by the file's own size when it has one (one read for the usual case), grown up to
  // maxBytes + 1 for a file that reports 0 (/proc) or grows while read; the extra byte tells.
  let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(sizeHint + 1, 64 * 1024)))
  let length = 0
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) throw new UnreadableFileError(file, 'too-large', `larger than the ${formatMiB(maxBytes)} this mock reads`)
      const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2))
      buffer.copy(grown, 0, 0, length)
      buffer = grown
    }
    let read: number
    try {
      read = readSync(fd, buffer, length, buffer.length - length, null)
    } catch (error) {
      throw new UnreadableFileError(file, 'unreadable', errnoReason(error as NodeJS.ErrnoException))
    }
    if (read === 0) return buffer.subarray(0, length)
    length += read
  }
}

function openFailure(file: string, error: NodeJS.ErrnoException): UnreadableFileError {
  switch (error.code) {
    case 'ENOENT':
      return new UnreadableFileError(
        file,
        'missing',
        danglingLink(file) ? 'no such file (a symbolic link to a file that does not exist)' : 'no such file',
      )
    case 'EISDIR':
      return new UnreadableFileError(file, 'not-regular', 'a directory, not a regular file')
    case 'ENXIO':
      // A Unix socket cannot be opened; say so rather than "no such device".
      return new UnreadableFileError(
        file,
        'not-regular',
        `${kindAt(file) ?? 'a socket or device with nothing behind it'}, not a regular file`,
      )
    default:
      return new UnreadableFileError(file, 'unreadable', errnoReason(error))
  }
}

function errnoReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ELOOP':
      return 'a loop of symbolic links, or too many in a row'
    case 'ENOTDIR':
      return 'a part of the path is not a directory'
    case 'EAGAIN':
      return 'it has nothing to read without waiting, so it is no plain file'
    default:
      // Node's message without the path it ends with: `EIO: i/o error`.
      return error.message.replace(/, \w+ '.*'$/, '')
  }
}

function danglingLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

function kindAt(file: string): string | undefined {
  try {
    return fileKind(statSync(file))
  } catch {
    return undefined
  }
}
