/**
 * Failures: HTTP error responses (OpenAI's `ErrorResponse` bodies) mapped to typed
 * `ChatError`s, errors inside a stream, and transport faults (reset, truncation,
 * malformed events, slow headers, interruption closing the connection).
 */

import { afterEach, describe, expect, it } from "@effect/vitest"
import { type ChatError, ChatModel } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Deferred, Duration, Effect, Either, Fiber, Stream } from "effect"
import { apiKey, collect, expectValidRequests, fixture, setup } from "../support/chat.js"

afterEach(expectValidRequests)

const failure = <A>(effect: Effect.Effect<A, ChatError.ChatError>) =>
  Effect.map(Effect.either(effect), (result) => {
    if (Either.isRight(result)) throw new Error("expected a failure")
    return result.left
  })

const statuses: ReadonlyArray<readonly [string, number, string, Record<string, unknown>]> = [
  ["error-401.json", 401, "AuthenticationError", { retryable: false }],
  ["error-403.json", 403, "PermissionDeniedError", { retryable: false }],
  ["error-404.json", 404, "NotFoundError", { retryable: false }],
  ["error-context-length.json", 400, "ContextLengthExceededError", { retryable: false }],
  ["error-content-filter.json", 400, "ContentFilterError", { retryable: false }],
  ["error-quota.json", 429, "RateLimitError", { retryable: false }],
  ["error-500.json", 500, "ServerError", { retryable: true }]
]

describe("HTTP errors", () => {
  for (const [name, status, tag, fields] of statuses) {
    it.scoped(`${status} ${name} -> ${tag} (invoke and stream)`, () =>
      Effect.gen(function* () {
        const { model } = yield* setup(fixture(name, { status }))
        for (const error of [
          yield* failure(model.invoke("Hi")),
          yield* failure(collect(model.stream("Hi")))
        ]) {
          expect(error._tag).toBe(tag)
          expect(error).toMatchObject({ ...fields, status, provider: "openai" })
          expect(error.message.length).toBeGreaterThan(0)
        }
      })
    )
  }

  it.scoped("429 with retry-after: a retryable RateLimitError with the wait", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(
        fixture("error-429.json", { status: 429, headers: { "retry-after": "7" } })
      )
      const error = yield* failure(model.invoke("Hi"))
      expect(error._tag).toBe("RateLimitError")
      expect(error.retryable).toBe(true)
      expect(error._tag === "RateLimitError" && error.retryAfter).toEqual(Duration.seconds(7))
    })
  )

  it.scopedLive("429 then 200: withRetry waits retry-after-ms and succeeds", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup([
        fixture("error-429.json", { status: 429, headers: { "retry-after-ms": "10" } }),
        fixture("text.json")
      ])
      const message = yield* model.pipe(ChatModel.withRetry({ maxRetries: 1 })).invoke("Hi")
      expect(message.content).toBe("Hello! How can I help you today?")
      expect(server.requests).toHaveLength(2)
    })
  )

  it.scoped("the API key never appears in an error", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(
        WireServer.errorReply(401, {
          message: `Incorrect API key provided: ${apiKey}`,
          type: "invalid_request_error",
          code: "invalid_api_key"
        })
      )
      const error = yield* failure(model.invoke("Hi"))
      expect(error._tag).toBe("AuthenticationError")
      expect(JSON.stringify(error)).not.toContain(apiKey)
      expect(error.message).not.toContain(apiKey)
      expect(String(error)).not.toContain(apiKey)
    })
  )
})

describe("errors inside a stream", () => {
  it.scoped("an error object in the event stream fails with its typed error after the chunks before it", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("stream-error.sse"))
      const seen: Array<string> = []
      const result = yield* Effect.either(
        Stream.runForEach(model.stream("Hi"), (chunk) => Effect.sync(() => seen.push(String(chunk.content))))
      )
      expect(Either.isLeft(result) && result.left._tag).toBe("ServerError")
      expect(seen.join("")).toBe("Hello!")
    })
  )

  it.scoped("an `event: error` event is a typed error", () =>
    Effect.gen(function* () {
      const body = WireServer.sse([
        {
          event: "error",
          data: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }
        }
      ])
      const { model } = yield* setup(WireServer.sseReply(body))
      const error = yield* failure(collect(model.stream("Hi")))
      expect(error._tag).toBe("RateLimitError")
    })
  )

  it.scoped("a JSON error answered to a streaming request is a typed error", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("error-context-length.json"))
      const error = yield* failure(collect(model.stream("Hi")))
      expect(error._tag).toBe("ContextLengthExceededError")
    })
  )
})

describe("transport faults", () => {
  it.scoped("a connection reset mid-stream is a TransportError", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("text.sse", { partSize: 200, resetAfter: 2 }))
      const error = yield* failure(collect(model.stream("Hi")))
      expect(error._tag).toBe("TransportError")
      expect(error.retryable).toBe(true)
    })
  )

  it.scoped("a stream ending with neither [DONE] nor a finish reason is a TransportError", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("truncated.sse"))
      const error = yield* failure(collect(model.stream("Hi")))
      expect(error._tag).toBe("TransportError")
      expect(error.message).toMatch(/\[DONE\]/)
    })
  )

  it.scoped("a body cut off early by the server (endAfter) is a TransportError", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("text.sse", { partSize: 300, endAfter: 2 }))
      const error = yield* failure(collect(model.stream("Hi")))
      expect(error._tag).toBe("TransportError")
    })
  )

  it.scoped("an event that is not JSON is a MalformedResponseError", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("malformed.sse"))
      const error = yield* failure(collect(model.stream("Hi")))
      expect(error._tag).toBe("MalformedResponseError")
    })
  )

  it.scoped("a non-JSON or choice-less answer to invoke is a MalformedResponseError", () =>
    Effect.gen(function* () {
      const { model } = yield* setup([
        { status: 200, headers: { "content-type": "application/json" }, body: "{not json" },
        WireServer.json({ id: "x", object: "chat.completion", created: 1, model: "m", choices: [] })
      ])
      expect((yield* failure(model.invoke("Hi")))._tag).toBe("MalformedResponseError")
      expect((yield* failure(model.invoke("Hi")))._tag).toBe("MalformedResponseError")
    })
  )

  it.scopedLive("slow headers with the timeout option: TimeoutError (invoke and stream)", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(
        [fixture("text.json", { headersDelay: 2_000 }), fixture("text.sse", { headersDelay: 2_000 })],
        { timeout: "100 millis" }
      )
      expect((yield* failure(model.invoke("Hi")))._tag).toBe("TimeoutError")
      expect((yield* failure(collect(model.stream("Hi"))))._tag).toBe("TimeoutError")
    })
  )

  it.scoped("interrupting a stream closes the connection (the server observes the close)", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.sse", { partSize: 300, hangAfter: 4 }))
      const first = yield* Deferred.make<void>()
      const fiber = yield* model.stream("Hi").pipe(
        Stream.runForEach(() => Effect.zipRight(Deferred.succeed(first, undefined), Effect.never)),
        Effect.fork
      )
      yield* Deferred.await(first)
      yield* Fiber.interrupt(fiber)
      const closed = yield* server.awaitClose(0)
      expect(closed).toMatchObject({ completed: false, byServer: false })
      expect(server.closedConnections()).toBe(1)
    })
  )
})
