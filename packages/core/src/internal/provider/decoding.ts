/**
 * The decoding half of `Provider`: server-sent events and NDJSON from byte streams,
 * JSON parsing into typed errors, and the chunk-wise stages (`mapOrFail`, `transduce`)
 * that turn events into message chunks. `Provider` re-exports all of it.
 *
 * @internal
 */
import type * as Chunk from "effect/Chunk"
import type * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Stream from "effect/Stream"
import type { ChatError, MalformedResponseError } from "../../ChatError.js"
import * as chunks from "./chunks.js"
import * as json from "./json.js"
import * as ndjson from "./ndjson.js"
import * as sse from "./sse.js"

type SseEvent = sse.SseEvent

/**
 * Options of `decodeSse` and `decodeNdjson`: the provider's name (for errors), the end
 * marker (as in `StreamRequest`), and, for SSE, the largest event buffered (default 10 MiB).
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 *
 * const options: Provider.DecodeOptions<Provider.SseEvent> = {
 *   provider: "acme",
 *   isEnd: (event) => event.data === "[DONE]",
 *   maxEventSize: 1024 * 1024
 * }
 * ```
 *
 * @since 0.1.0
 */
export type DecodeOptions<A> = sse.DecodeOptions<A>

const isStreamArgs = (args: IArguments): boolean =>
  typeof args[0] === "object" && args[0] !== null && Stream.StreamTypeId in args[0]

/**
 * The server-sent events of a byte stream (a recorded body, a cassette): UTF-8 decoded
 * across reads, lines split, then parsed, chunk by chunk.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { Stream } from "effect"
 *
 * const events = Stream.make(new TextEncoder().encode("event: ping\ndata: {}\n\n")).pipe(Provider.decodeSse())
 * ```
 *
 * @since 0.1.0
 */
export const decodeSse: {
  (
    options?: DecodeOptions<SseEvent>
  ): <E, R>(self: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<SseEvent, E | ChatError, R>
  <E, R>(
    self: Stream.Stream<Uint8Array, E, R>,
    options?: DecodeOptions<SseEvent>
  ): Stream.Stream<SseEvent, E | ChatError, R>
} = dual(
  isStreamArgs,
  <E, R>(
    self: Stream.Stream<Uint8Array, E, R>,
    options?: DecodeOptions<SseEvent>
  ): Stream.Stream<SseEvent, E | ChatError, R> => sse.events(self, options)
)

/**
 * The JSON values of an NDJSON byte stream (blank lines skipped).
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { Stream } from "effect"
 *
 * const values = Stream.make(new TextEncoder().encode('{"a":1}\n{"a":2}\n')).pipe(Provider.decodeNdjson())
 * ```
 *
 * @since 0.1.0
 */
export const decodeNdjson: {
  (
    options?: DecodeOptions<unknown>
  ): <E, R>(self: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<unknown, E | ChatError, R>
  <E, R>(
    self: Stream.Stream<Uint8Array, E, R>,
    options?: DecodeOptions<unknown>
  ): Stream.Stream<unknown, E | ChatError, R>
} = dual(
  isStreamArgs,
  <E, R>(
    self: Stream.Stream<Uint8Array, E, R>,
    options?: DecodeOptions<unknown>
  ): Stream.Stream<unknown, E | ChatError, R> => ndjson.values(self, options)
)

/**
 * Parses JSON (an event's `data`, a response body) into `unknown`, failing with
 * `MalformedResponseError` instead of throwing.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { Either } from "effect"
 *
 * Either.isRight(Provider.parseJson('{"ok":true}')) // true
 * Either.isLeft(Provider.parseJson("{oops", "openai")) // true
 * ```
 *
 * @since 0.1.0
 */
export const parseJson = (text: string, provider?: string): Either.Either<unknown, MalformedResponseError> =>
  json.parseJson(text, provider)

/**
 * Maps every element of a stream with a function returning `Either`, whole Stream
 * chunks at a time (no effect per element); the first `Left` fails the stream after the
 * elements before it are emitted. The cheap way to parse streamed events.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { Stream } from "effect"
 *
 * const parsed = (events: Stream.Stream<Provider.SseEvent>) =>
 *   events.pipe(Provider.mapOrFail((event) => Provider.parseJson(event.data, "openai")))
 * ```
 *
 * @since 0.1.0
 */
export const mapOrFail: {
  <A, B, E2>(
    f: (a: A) => Either.Either<B, E2>
  ): <E, R>(self: Stream.Stream<A, E, R>) => Stream.Stream<B, E | E2, R>
  <A, E, R, B, E2>(
    self: Stream.Stream<A, E, R>,
    f: (a: A) => Either.Either<B, E2>
  ): Stream.Stream<B, E | E2, R>
} = dual(2, chunks.mapOrFail)

/**
 * What a `Stage` says after a Stream chunk: `undefined` to go on, `{ _tag: "End" }` to
 * end the stream after the elements it pushed (an end marker: the request is closed),
 * `{ _tag: "Fail", error }` to fail it after them.
 *
 * @example
 * ```ts
 * import { ChatError, Provider } from "@effect-chat/core"
 *
 * const goOn: Provider.Step<ChatError.ChatError> = undefined
 * const end: Provider.Step<ChatError.ChatError> = { _tag: "End" }
 * const fail: Provider.Step<ChatError.ChatError> = {
 *   _tag: "Fail",
 *   error: new ChatError.MalformedResponseError({ message: "acme sent an unknown event" })
 * }
 * ```
 *
 * @since 0.1.0
 */
export type Step<E> = chunks.Step<E>

/**
 * One run of a stateful stream stage (`transduce`): `step` pushes the outputs of one
 * Stream chunk of input to `out`; `done`, called when the input ends (not after an
 * `End` step), pushes the last outputs and returns a failure or `undefined`.
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 *
 * // numbers each event's data, counting across Stream chunks (state lives in the closure)
 * const numbered = (): Provider.Stage<Provider.SseEvent, string, never> => {
 *   let count = 0
 *   return {
 *     step: (input, out) => {
 *       for (const event of input) out.push(`${++count}: ${event.data}`)
 *       return undefined
 *     },
 *     done: () => undefined
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface Stage<A, B, E> {
  readonly step: (input: Chunk.Chunk<A>, out: Array<B>) => Step<E>
  readonly done: (out: Array<B>) => E | undefined
}

/**
 * Runs a stateful stage over a stream, whole Stream chunks at a time (no effect per
 * element): each Stream chunk of input gives at most one Stream chunk of output, and
 * the stage can end the stream (an end marker) or fail it after the elements before the
 * failure. `make` is called once per run of the stream. Over a stream that
 * `streamSse`, `decodeSse`, `mapOrFail` or `transduce` made, the stage runs fused with
 * theirs (one stage, the same output): cheaper per chunk, and nothing of a network read
 * (its events, its text) is kept while the stream waits for the next one. The way to
 * turn events into message chunks when `mapOrFail` is not enough (state across events,
 * an end marker, a final chunk).
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import type { Stream } from "effect"
 *
 * // the data of every event up to `[DONE]` (excluded), failing if there is none
 * const data = (events: Stream.Stream<Provider.SseEvent>) =>
 *   Provider.transduce(events, (): Provider.Stage<Provider.SseEvent, string, Error> => ({
 *     step: (input, out) => {
 *       for (const event of input) {
 *         if (event.data === "[DONE]") return { _tag: "End" }
 *         out.push(event.data)
 *       }
 *       return undefined
 *     },
 *     done: () => new Error("no [DONE]")
 *   }))
 * ```
 *
 * @since 0.1.0
 */
export const transduce: {
  <A, B, E2>(make: () => Stage<A, B, E2>): <E, R>(self: Stream.Stream<A, E, R>) => Stream.Stream<B, E | E2, R>
  <A, E, R, B, E2>(self: Stream.Stream<A, E, R>, make: () => Stage<A, B, E2>): Stream.Stream<B, E | E2, R>
} = dual(2, chunks.transduce)
