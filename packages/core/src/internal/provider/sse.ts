/**
 * Server-sent events from a response body, in one chunk-wise pass over each network
 * read: the bytes decoded (UTF-8, characters split across reads kept whole), split into
 * lines (`\n` and `\r\n`, exactly as `Stream.splitLines`), and every line given to
 * `@effect/experimental`'s SSE parser, which owns the format.
 *
 * One shortcut, for the events nearly every stream is made of: an event that is a single
 * `data: ` line, or an `event: ` line and then a single `data: ` line, followed by a
 * blank line is emitted without going through the parser, because the parser scans
 * every character of every line in JavaScript (about 2 µs an event, more than
 * `JSON.parse` of its data). The shortcut is taken only where the parser holds no state
 * that could change the event (between two events it dispatched, on lines without a
 * carriage return, never for the first line of a body, never for an event the parser
 * would reject as too large), and it gives exactly the event the parser would give: the
 * name after `event: ` (`"message"` without one), the data after `data: `, no id. Every
 * other line (other fields, comments, multi-line data, `data:` without its space, a
 * second `event:` line, `retry:`, `id:`) goes to the parser, and so do the held lines
 * when their event turns out to be anything else. A test checks the two ways agree on
 * generated bodies.
 *
 * @internal
 */
import * as Sse from "@effect/experimental/Sse"
import type * as Stream from "effect/Stream"
import { type ChatError, MalformedResponseError, TransportError } from "../../ChatError.js"
import * as chunks from "./chunks.js"

/** One server-sent event: its `event:` name (`"message"` when absent), `data:` and `id:`. */
export interface SseEvent {
  readonly event: string
  readonly data: string
  readonly id: string | undefined
}

/** Options of the SSE and NDJSON decoders. */
export interface DecodeOptions<A> {
  /** The provider's name, for errors. */
  readonly provider?: string | undefined
  /**
   * Recognises the provider's end marker. The marker is emitted and ends the stream; a
   * body that ends without it fails with `TransportError`. Without `isEnd`, the body's
   * end is the stream's end.
   */
  readonly isEnd?: ((value: A) => boolean) | undefined
  /** The largest event the SSE parser buffers (default 10 MiB). */
  readonly maxEventSize?: number | undefined
}

/** The failure of a body that ended before the provider's end marker. */
export const missingEnd = (provider: string | undefined): TransportError =>
  new TransportError(
    provider === undefined
      ? { message: "stream ended before the end marker" }
      : { message: `${provider} stream ended before the end marker`, provider }
  )

const defaultMaxEventSize = 10 * 1024 * 1024
const dataPrefix = "data: "
const eventPrefix = "event: "

/** Whether `text[from, to)` holds a carriage return. */
const hasCr = (text: string, from: number, to: number): boolean => {
  const cr = text.indexOf("\r", from)
  return cr !== -1 && cr < to
}

/** A flat copy of a string (not a slice of a larger one, which would keep it alive). */
const copyOf = (text: string): string => (text.length < 13 ? text : ` ${text}`.slice(1))

const tooLarge = (provider: string | undefined, detail: string): MalformedResponseError => {
  const message = `${provider ?? "the provider"} sent an event too large to parse: ${detail}`
  return new MalformedResponseError(provider === undefined ? { message } : { message, provider })
}

/**
 * The decoder of one body: line splitting state, the parser, and the `data: ` line held
 * while it may still be a whole event.
 */
class Decoder {
  private readonly text = new TextDecoder()
  private readonly parser: ReturnType<typeof Sse.makeParser>
  private readonly maxEventSize: number
  /** The start of a line not yet ended by a newline. */
  private carry = ""
  /** Whether the last read ended with `\r` (perhaps the first half of `\r\n`). */
  private midCrLf = false
  /** The data of the `data: ` line that is, so far, the whole current event's data. */
  private held: string | undefined = undefined
  /** The name of the `event: ` line that, so far, began the current event (before any `data: ` line). */
  private heldName: string | undefined = undefined
  /** The name of the last `event: ` line held. */
  private lastName = ""
  /** Whether the parser holds part of an event (or may: until it next dispatches one). */
  private inParser = true
  /** Whether the parser dispatched an event during the current line. */
  private dispatched = false
  /** Where decoded events go (the output of the current Stream chunk). */
  out: Array<SseEvent> = []
  /** The parser's failure, if any. */
  failure: MalformedResponseError | undefined = undefined

  constructor(
    private readonly provider: string | undefined,
    maxEventSize: number | undefined
  ) {
    this.maxEventSize = maxEventSize ?? defaultMaxEventSize
    this.parser = Sse.makeParser(
      (event) => {
        if (event._tag !== "Event") return
        this.dispatched = true
        this.out.push({ event: event.event, data: event.data, id: event.id })
      },
      maxEventSize === undefined ? undefined : { maxEventSize }
    )
  }

  /** Decodes one read; lines end the way `Stream.splitLines` ends them. */
  read(bytes: Uint8Array): void {
    const text = this.text.decode(bytes, { stream: true })
    if (text.length === 0) return
    let from = 0
    let cr = text.indexOf("\r")
    let lf = text.indexOf("\n")
    const mayHaveCr = cr !== -1 || this.midCrLf
    if (this.midCrLf) {
      this.midCrLf = false
      if (lf === 0) {
        this.endLine(text, 0, 0, true)
        from = 1
        lf = text.indexOf("\n", from)
      } else {
        this.carry += "\r"
      }
    }
    while (cr !== -1 || lf !== -1) {
      if (this.failure !== undefined) return
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        this.endLine(text, from, lf, mayHaveCr)
        from = lf + 1
        lf = text.indexOf("\n", from)
      } else if (cr === text.length - 1) {
        this.midCrLf = true
        cr = -1
      } else if (lf === cr + 1) {
        this.endLine(text, from, cr, mayHaveCr)
        from = cr + 2
        cr = text.indexOf("\r", from)
        lf = text.indexOf("\n", from)
      } else {
        // a lone carriage return stays inside the line (as in `Stream.splitLines`)
        cr = text.indexOf("\r", cr + 1)
      }
    }
    if (this.failure !== undefined) return
    const rest = this.midCrLf ? text.substring(from, text.length - 1) : text.substring(from)
    // a copy: a substring would keep the whole read's text alive until the next read
    this.carry = this.carry.length === 0 ? copyOf(rest) : this.carry + rest
  }

  /** The body ended: its last line, if it had no newline, is a line too. */
  end(): void {
    if (this.carry.length > 0) this.endLine("", 0, 0, true)
  }

  /** The line `text[from, to)`, after what an earlier read left of it. */
  private endLine(text: string, from: number, to: number, mayHaveCr: boolean): void {
    if (this.carry.length === 0) {
      this.line(text, from, to, mayHaveCr)
      return
    }
    // the line began in an earlier read, which may have had a lone carriage return
    const line = this.carry + text.substring(from, to)
    this.carry = ""
    this.line(line, 0, line.length, true)
  }

  /**
   * The line `text[from, to)` (read in place: only the parts an event keeps are cut out).
   * `mayHaveCr`: whether the line may hold a lone carriage return.
   */
  private line(text: string, from: number, to: number, mayHaveCr: boolean): void {
    if (this.inParser) {
      this.feed(text.substring(from, to))
      return
    }
    const held = this.held
    const heldName = this.heldName
    if (from === to) {
      // a blank line: the parser would dispatch the held data as an event (named by the
      // held `event:` line, else `message`), and with no data dispatch nothing and forget
      // the name
      this.heldName = undefined
      if (held !== undefined) {
        this.held = undefined
        this.out.push({ event: heldName ?? "message", data: held, id: undefined })
      }
      return
    }
    if (held === undefined && !(mayHaveCr && hasCr(text, from, to))) {
      if (
        text.startsWith(dataPrefix, from) &&
        // the parser's own size check: the data and its newline
        to - from - dataPrefix.length + 1 <= this.maxEventSize
      ) {
        this.held = text.substring(from + dataPrefix.length, to)
        return
      }
      if (heldName === undefined && text.startsWith(eventPrefix, from)) {
        // most events of a stream share a few names: reuse the last one when it repeats
        const start = from + eventPrefix.length
        if (to - start !== this.lastName.length || !text.startsWith(this.lastName, start)) {
          // a copy: a substring would keep the whole read's text alive as long as the name
          this.lastName = copyOf(text.substring(start, to))
        }
        this.heldName = this.lastName
        return
      }
    }
    // anything else: the parser takes the event from here, held lines first (in their order)
    this.inParser = true
    this.held = undefined
    this.heldName = undefined
    if (heldName !== undefined) {
      this.feed(eventPrefix + heldName)
      if (this.failure !== undefined) return
    }
    if (held !== undefined) {
      this.feed(dataPrefix + held)
      if (this.failure !== undefined) return
    }
    this.feed(text.substring(from, to))
  }

  private feed(line: string): void {
    this.dispatched = false
    const error = this.parser.feed(`${line}\n`)
    if (error !== undefined) {
      this.failure = tooLarge(this.provider, error.message)
      return
    }
    // a blank line that dispatched an event leaves the parser holding nothing of the next
    // one: no data, no name, no id (a line with a lone `\r` is two lines to the parser,
    // so only a blank line can say the dispatch was the last thing it saw)
    if (this.dispatched && line.length === 0) this.inParser = false
  }
}

/** SSE events of a response body. */
export const events = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: DecodeOptions<SseEvent> = {}
): Stream.Stream<SseEvent, E | ChatError, R> =>
  chunks.transduce<Uint8Array, E, R, SseEvent, ChatError>(bytes, () => {
    const { isEnd, provider } = options
    const decoder = new Decoder(provider, options.maxEventSize)
    let seenEnd = false
    /** Ends `out` at the end marker, if it is among the events from `from` on; a failure comes after them. */
    const check = (out: Array<SseEvent>, from: number): chunks.Step<ChatError> => {
      if (isEnd !== undefined) {
        for (let index = from; index < out.length; index++) {
          if (isEnd(out[index]!)) {
            seenEnd = true
            out.length = index + 1
            return chunks.end
          }
        }
      }
      return decoder.failure === undefined ? undefined : chunks.fail(decoder.failure)
    }
    return {
      step: (input, out) => {
        decoder.out = out
        let step: chunks.Step<ChatError>
        for (const bytes of input) {
          const from = out.length
          decoder.read(bytes)
          step = check(out, from)
          if (step !== undefined) break
        }
        // let the events (and the read's text they slice) go once they are emitted
        decoder.out = []
        return step
      },
      done: (out) => {
        // the last line (a lone `\r` in it can still end an event)
        decoder.out = out
        decoder.end()
        const step = check(out, 0)
        if (step !== undefined) return step._tag === "Fail" ? step.error : undefined
        return isEnd === undefined || seenEnd ? undefined : missingEnd(provider)
      }
    }
  })
