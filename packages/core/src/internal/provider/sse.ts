/**
 * Server-sent events from a response body: bytes decoded to text, split into lines
 * first (`Stream.splitLines`), then fed line by line to `@effect/experimental`'s SSE
 * parser inside one chunk-wise stage. Feeding the parser whole network reads makes it
 * rescan its buffer for every line (cost growing with the read's size); one line at a
 * time keeps it linear.
 *
 * @internal
 */
import * as Sse from "@effect/experimental/Sse"
import * as Stream from "effect/Stream"
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

/** Text lines of a byte stream (UTF-8, characters split across reads kept whole). */
export const lines = <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<string, E, R> =>
  Stream.splitLines(Stream.decodeText(bytes))

/** SSE events of a stream of text lines. */
export const eventsFromLines = <E, R>(
  input: Stream.Stream<string, E, R>,
  options: DecodeOptions<SseEvent> = {}
): Stream.Stream<SseEvent, E | ChatError, R> =>
  chunks.transduce<string, E, R, SseEvent, ChatError>(input, () => {
    const { isEnd, provider } = options
    let pending: Array<SseEvent> = []
    let seenEnd = false
    const parser = Sse.makeParser(
      (event) => {
        if (event._tag === "Event") pending.push({ event: event.event, data: event.data, id: event.id })
      },
      options.maxEventSize === undefined ? undefined : { maxEventSize: options.maxEventSize }
    )
    return {
      step: (input, out) => {
        for (const line of input) {
          const error = parser.feed(`${line}\n`)
          if (error !== undefined) {
            const message = `${provider ?? "the provider"} sent an event too large to parse: ${error.message}`
            return chunks.fail(
              new MalformedResponseError(provider === undefined ? { message } : { message, provider })
            )
          }
          if (pending.length === 0) continue
          for (const event of pending) {
            out.push(event)
            if (isEnd?.(event)) {
              seenEnd = true
              break
            }
          }
          pending = []
          if (seenEnd) return chunks.end
        }
        return undefined
      },
      done: () => (isEnd === undefined || seenEnd ? undefined : missingEnd(provider))
    }
  })

/** SSE events of a response body. */
export const events = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: DecodeOptions<SseEvent> = {}
): Stream.Stream<SseEvent, E | ChatError, R> => eventsFromLines(lines(bytes), options)
