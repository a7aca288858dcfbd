/**
 * Provider streams: server-sent events and NDJSON, decoded chunk-wise, against the
 * loopback wire server with the real fetch client (and from in-memory byte chunks where
 * the exact split of reads matters).
 */

import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { ChatError, Provider } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

const clientFor = (server: WireServer.WireServer) =>
  Provider.make({ provider: "acme", baseUrl: server.url, apiKey: Redacted.make("sk-test-stream-key") }).pipe(
    Effect.provide(FetchHttpClient.layer)
  )

const isDone = (event: Provider.SseEvent) => event.data === "[DONE]"

/** The events of an SSE exchange answered with `reply`. */
const sseOf = (reply: WireServer.Reply, isEnd: ((event: Provider.SseEvent) => boolean) | "none" = isDone) =>
  Effect.gen(function* () {
    const server = yield* WireServer.make(reply)
    const client = yield* clientFor(server)
    const result = yield* Stream.runCollect(
      Stream.either(
        Provider.streamSse(client, {
          path: "/stream",
          body: { stream: true },
          isEnd: isEnd === "none" ? undefined : isEnd
        })
      )
    )
    return { server, items: Chunk.toReadonlyArray(result) }
  })

const rights = <A, E>(items: ReadonlyArray<Either.Either<A, E>>): ReadonlyArray<A> =>
  items.filter(Either.isRight).map((item) => item.right)

const lastError = <A, E>(items: ReadonlyArray<Either.Either<A, E>>): E | undefined => {
  const last = items[items.length - 1]
  return last !== undefined && Either.isLeft(last) ? last.left : undefined
}

const deltas = ["Hello", ", wörld ", "😀", " — done"].map((text) => ({ delta: text }))
const wire = WireServer.sse([...deltas, "[DONE]"])

/** A byte stream with each given part in its own Stream chunk (one read each). */
const reads = (parts: ReadonlyArray<Uint8Array>): Stream.Stream<Uint8Array> =>
  Stream.fromChunks(...parts.map((part) => Chunk.of(part)))

describe("Provider.streamSse", () => {
  it.scoped("parses events split across many one-byte reads, multi-byte characters included", () =>
    Effect.gen(function* () {
      const { items, server } = yield* sseOf(WireServer.sseReply(wire, { partSize: 1 }))
      expect(rights(items).map((event) => event.data)).toEqual([
        ...deltas.map((d) => JSON.stringify(d)),
        "[DONE]"
      ])
      expect(server.requests[0]!.headers.accept).toBe("text/event-stream")
    })
  )

  it.scoped("keeps event names and ids, and names unnamed events 'message'", () =>
    Effect.gen(function* () {
      const body = WireServer.sse([
        { event: "message_start", id: "1", data: { type: "message_start" } },
        { data: "plain" },
        { event: "message_stop", data: { type: "message_stop" } }
      ])
      const { items } = yield* sseOf(WireServer.sseReply(body), (event) => event.event === "message_stop")
      expect(rights(items)).toEqual([
        { event: "message_start", id: "1", data: '{"type":"message_start"}' },
        { event: "message", id: undefined, data: "plain" },
        { event: "message_stop", id: undefined, data: '{"type":"message_stop"}' }
      ])
    })
  )

  it.scoped("joins multi-line data with newlines and ignores comments", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf(
        WireServer.sseReply(": keep-alive\n\ndata: line one\ndata: line two\n\n"),
        "none"
      )
      expect(items).toEqual([Either.right({ event: "message", id: undefined, data: "line one\nline two" })])
    })
  )

  it.scoped("handles CRLF line endings", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf(
        WireServer.sseReply("event: a\r\ndata: 1\r\n\r\ndata: [DONE]\r\n\r\n", { partSize: 3 })
      )
      expect(rights(items).map((event) => [event.event, event.data])).toEqual([
        ["a", "1"],
        ["message", "[DONE]"]
      ])
    })
  )

  it.scoped("the end marker is emitted and ends the stream; anything after it is ignored", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf(WireServer.sseReply(WireServer.sse(["a", "[DONE]", "after"])))
      expect(items).toEqual([Either.right({ event: "message", id: undefined, data: "a" }), expect.anything()])
      expect(rights(items).map((event) => event.data)).toEqual(["a", "[DONE]"])
    })
  )

  it.scoped("a body that ends without the end marker fails with TransportError after the events it had", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf(WireServer.sseReply(WireServer.sse(["a", "b"])))
      expect(rights(items).map((event) => event.data)).toEqual(["a", "b"])
      const error = lastError(items)
      expect(error?._tag).toBe("TransportError")
      expect(error?.message).toBe("acme stream ended before the end marker")
      expect(error?.retryable).toBe(true)
    })
  )

  it.scoped("a body truncated mid-event fails with TransportError", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf({ ...WireServer.sseReply(wire, { partSize: 10 }), endAfter: 3 })
      expect(lastError(items)?._tag).toBe("TransportError")
    })
  )

  it.scoped("without isEnd the body's end is a normal end", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf(WireServer.sseReply(WireServer.sse(["a", "b"])), "none")
      expect(items).toHaveLength(2)
      expect(items.every(Either.isRight)).toBe(true)
    })
  )

  it.scoped("a connection reset mid-stream fails with TransportError", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf({ ...WireServer.sseReply(wire, { partSize: 8 }), resetAfter: 4 })
      const error = lastError(items)
      expect(error?._tag).toBe("TransportError")
      expect(error?.provider).toBe("acme")
      expect(error?.message).toContain("the connection to acme failed while reading")
    })
  )

  it.scoped("an error status is read and mapped before any event (429 with retry-after)", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf(WireServer.rateLimited({ retryAfter: "2" }))
      expect(items).toHaveLength(1)
      const error = lastError(items)
      expect(error?._tag).toBe("RateLimitError")
      expect(error instanceof ChatError.RateLimitError && error.retryAfter).toBeDefined()
    })
  )

  it.scoped("a 500 on a stream fails with ServerError", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf(WireServer.serverError())
      expect(lastError(items)?._tag).toBe("ServerError")
    })
  )

  it.scoped("a 200 answered with a JSON error body instead of a stream fails with the mapped error", () =>
    Effect.gen(function* () {
      const { items } = yield* sseOf(
        WireServer.json({ error: { message: "Overloaded", type: "overloaded_error" } })
      )
      expect(lastError(items)?._tag).toBe("ServerError")
      expect(lastError(items)?.message).toBe("Overloaded")
    })
  )

  it.scoped(
    "a malformed event's data fails with MalformedResponseError through parseJson and mapOrFail",
    () =>
      Effect.gen(function* () {
        const server = yield* WireServer.make(
          WireServer.sseReply(
            WireServer.sse([{ n: 1 }]) + WireServer.malformedEvent + WireServer.sse(["[DONE]"])
          )
        )
        const client = yield* clientFor(server)
        const result = yield* Stream.runCollect(
          Stream.either(
            Provider.streamSse(client, { path: "/s", body: {}, isEnd: isDone }).pipe(
              Provider.mapOrFail((event) => Provider.parseJson(event.data, "acme"))
            )
          )
        )
        const items = Chunk.toReadonlyArray(result)
        expect(rights(items)).toEqual([{ n: 1 }])
        expect(lastError(items)?._tag).toBe("MalformedResponseError")
        expect(lastError(items)?.provider).toBe("acme")
      })
  )

  it.scoped("an event larger than maxEventSize fails with MalformedResponseError", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.sseReply(WireServer.sse(["x".repeat(200)])))
      const client = yield* clientFor(server)
      const error = yield* Effect.flip(
        Stream.runDrain(Provider.streamSse(client, { path: "/s", body: {}, maxEventSize: 100 }))
      )
      expect(error._tag).toBe("MalformedResponseError")
    })
  )

  it.scoped("ending the stream early (take) closes the connection", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ ...WireServer.sseReply(wire), hangAfter: 1 })
      const client = yield* clientFor(server)
      const first = yield* Stream.runCollect(
        Stream.take(Provider.streamSse(client, { path: "/s", body: {}, isEnd: isDone }), 1)
      )
      expect(Chunk.size(first)).toBe(1)
      const closed = yield* server.awaitClose(0)
      expect(closed).toEqual({ index: 0, completed: false, byServer: false })
    })
  )

  it.scoped("interrupting a stream mid-body closes the connection (the server observes the close)", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ ...WireServer.sseReply(wire), hangAfter: 1 })
      const client = yield* clientFor(server)
      const fiber = yield* Effect.fork(
        Stream.runDrain(Provider.streamSse(client, { path: "/s", body: {}, isEnd: isDone }))
      )
      yield* server.awaitRequest(0)
      yield* Fiber.interrupt(fiber)
      const closed = yield* server.awaitClose(0)
      expect(closed.completed).toBe(false)
      expect(server.closedConnections()).toBe(1)
    })
  )

  it.scoped("interrupting a stream while waiting for headers closes the connection", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ ...WireServer.sseReply(wire), headersDelay: 60_000 })
      const client = yield* clientFor(server)
      const fiber = yield* Effect.fork(Stream.runDrain(Provider.streamSse(client, { path: "/s", body: {} })))
      yield* server.awaitRequest(0)
      yield* Fiber.interrupt(fiber)
      expect((yield* server.awaitClose(0)).completed).toBe(false)
    })
  )
})

describe("Provider.decodeSse", () => {
  it.effect("splits inside a multi-byte UTF-8 character and across line and event boundaries", () =>
    Effect.gen(function* () {
      const text = WireServer.sse(["é😀x", { event: "e", data: "ü" }])
      const bytes = new TextEncoder().encode(text)
      // cut inside "é" (2 bytes) and inside "😀" (4 bytes)
      const cuts = [7, 9, 11, 20, 21, 30]
      const parts = [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length))
      const events = yield* Stream.runCollect(reads(parts).pipe(Provider.decodeSse()))
      expect(Chunk.toReadonlyArray(events)).toEqual([
        { event: "message", id: undefined, data: "é😀x" },
        { event: "e", id: undefined, data: "ü" }
      ])
    })
  )

  it.effect("gives the same events for every way of splitting the body into reads", () =>
    Effect.gen(function* () {
      const expected = [...deltas.map((d) => JSON.stringify(d)), "[DONE]"]
      for (const size of [1, 2, 3, 5, 7, 64, 4096]) {
        const events = yield* Stream.runCollect(
          reads(WireServer.splitBytes(wire, size)).pipe(Provider.decodeSse({ isEnd: isDone }))
        )
        expect(Chunk.toReadonlyArray(events).map((event) => event.data)).toEqual(expected)
      }
    })
  )

  it.effect("emits many events of one read as one Stream chunk", () =>
    Effect.gen(function* () {
      const body = WireServer.sse(Array.from({ length: 100 }, (_, i) => ({ i })))
      const sizes = yield* Stream.runCollect(
        Stream.mapChunks(reads([new TextEncoder().encode(body)]).pipe(Provider.decodeSse()), (chunk) =>
          Chunk.of(Chunk.size(chunk))
        )
      )
      expect(Chunk.toReadonlyArray(sizes)).toEqual([100])
    })
  )

  it.effect("fails with TransportError naming the provider when the end marker is missing", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Stream.runDrain(
          reads(WireServer.splitBytes(WireServer.sse(["a"]), 4)).pipe(
            Provider.decodeSse({ provider: "acme", isEnd: isDone })
          )
        )
      )
      expect(error).toBeInstanceOf(ChatError.TransportError)
      expect(error.provider).toBe("acme")
    })
  )
})

describe("Provider.streamNdjson", () => {
  const lines = [
    { message: { content: "Hé" }, done: false },
    { message: { content: "😀" }, done: false },
    { done: true }
  ]
  const isEnd = (value: unknown) =>
    typeof value === "object" && value !== null && "done" in value && value.done === true

  const ndjsonOf = (reply: WireServer.Reply, end: ((value: unknown) => boolean) | undefined = isEnd) =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(reply)
      const client = yield* clientFor(server)
      const result = yield* Stream.runCollect(
        Stream.either(Provider.streamNdjson(client, { path: "/api/chat", body: {}, isEnd: end }))
      )
      return { server, items: Chunk.toReadonlyArray(result) }
    })

  it.scoped("parses each line as JSON across one-byte reads, blank lines skipped", () =>
    Effect.gen(function* () {
      const body = WireServer.ndjson(lines).replace("\n", "\n\n")
      const { items, server } = yield* ndjsonOf(WireServer.ndjsonReply(body, { partSize: 1 }))
      expect(rights(items)).toEqual(lines)
      expect(server.requests[0]!.headers.accept).toBe("application/x-ndjson")
    })
  )

  it.scoped("the end marker ends the stream; anything after it is ignored", () =>
    Effect.gen(function* () {
      const { items } = yield* ndjsonOf(WireServer.ndjsonReply(WireServer.ndjson([...lines, { late: true }])))
      expect(rights(items)).toEqual(lines)
      expect(items.every(Either.isRight)).toBe(true)
    })
  )

  it.scoped("a body without the end marker fails with TransportError", () =>
    Effect.gen(function* () {
      const { items } = yield* ndjsonOf(WireServer.ndjsonReply(WireServer.ndjson(lines.slice(0, 2))))
      expect(rights(items)).toHaveLength(2)
      expect(lastError(items)?._tag).toBe("TransportError")
    })
  )

  it.scoped("a line that is not JSON fails with MalformedResponseError after the lines before it", () =>
    Effect.gen(function* () {
      const { items } = yield* ndjsonOf(
        WireServer.ndjsonReply(`${WireServer.ndjson(lines.slice(0, 1))}{oops\n`)
      )
      expect(rights(items)).toEqual(lines.slice(0, 1))
      expect(lastError(items)?._tag).toBe("MalformedResponseError")
    })
  )

  it.scoped("a connection reset mid-stream fails with TransportError", () =>
    Effect.gen(function* () {
      const { items } = yield* ndjsonOf({
        ...WireServer.ndjsonReply(WireServer.ndjson(lines), { partSize: 10 }),
        resetAfter: 2
      })
      expect(lastError(items)?._tag).toBe("TransportError")
      expect(lastError(items)?.message).toContain("failed while reading")
    })
  )

  it.scoped("an error status is mapped (404)", () =>
    Effect.gen(function* () {
      const { items } = yield* ndjsonOf(WireServer.json({ error: "model 'x' not found" }, { status: 404 }))
      expect(lastError(items)?._tag).toBe("NotFoundError")
      expect(lastError(items)?.message).toBe("model 'x' not found")
    })
  )

  it.scoped("interrupting the stream closes the connection", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({
        ...WireServer.ndjsonReply(WireServer.ndjson(lines)),
        hangAfter: 1
      })
      const client = yield* clientFor(server)
      const fiber = yield* Effect.fork(
        Stream.runDrain(Provider.streamNdjson(client, { path: "/x", body: {} }))
      )
      yield* server.awaitRequest(0)
      yield* Fiber.interrupt(fiber)
      expect((yield* server.awaitClose(0)).completed).toBe(false)
    })
  )

  it.effect(
    "a body cut inside its last line fails with TransportError (missing end), not MalformedResponseError",
    () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Stream.runDrain(
            reads(WireServer.splitBytes('{"a":1}\n{"b', 4)).pipe(
              Provider.decodeNdjson({ provider: "acme", isEnd })
            )
          )
        )
        expect(error._tag).toBe("TransportError")
      })
  )

  it.effect("a last line without a trailing newline is a value when no end marker is expected", () =>
    Effect.gen(function* () {
      const values = yield* Stream.runCollect(
        reads(WireServer.splitBytes('{"a":1}\n{"b":2}', 5)).pipe(Provider.decodeNdjson())
      )
      expect(Chunk.toReadonlyArray(values)).toEqual([{ a: 1 }, { b: 2 }])
    })
  )

  it.effect("a whole line that is not JSON at the end of the body is a MalformedResponseError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Stream.runDrain(
          reads(WireServer.splitBytes('{"a":1}\n{oops\n', 64)).pipe(Provider.decodeNdjson({ isEnd }))
        )
      )
      expect(error._tag).toBe("MalformedResponseError")
    })
  )

  it.effect("decodeNdjson parses values from in-memory reads", () =>
    Effect.gen(function* () {
      const values = yield* Stream.runCollect(
        reads(WireServer.splitBytes(WireServer.ndjson(lines), 3)).pipe(Provider.decodeNdjson({ isEnd }))
      )
      expect(Chunk.toReadonlyArray(values)).toEqual(lines)
    })
  )
})
