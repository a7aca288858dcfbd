/**
 * Provider: the client, JSON requests and the mapping of every failure to `ChatError`,
 * against the loopback wire server with the real fetch client.
 */

import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { type ChatError, Provider } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"

const apiKey = Redacted.make("sk-test-key-0123456789")

/** A client for `server`, on the real fetch client. */
const clientFor = (server: WireServer.WireServer, options: Partial<Provider.ClientOptions> = {}) =>
  Provider.make({ provider: "acme", baseUrl: `${server.url}/v1`, apiKey, ...options }).pipe(
    Effect.provide(FetchHttpClient.layer)
  )

/** The error of a JSON request answered with `reply`. */
const failureOf = (reply: WireServer.Reply) =>
  Effect.gen(function* () {
    const server = yield* WireServer.make(reply)
    const client = yield* clientFor(server)
    return yield* Effect.flip(Provider.postJson(client, { path: "/chat", body: {} }))
  })

const summary = (error: ChatError.ChatError) => ({
  _tag: error._tag,
  message: error.message,
  status: error.status,
  provider: error.provider,
  retryable: error.retryable
})

describe("Provider client", () => {
  it("joinUrl joins base and path with exactly one slash", () => {
    expect(Provider.joinUrl("https://api.example.com/v1/", "/chat")).toBe("https://api.example.com/v1/chat")
    expect(Provider.joinUrl("https://api.example.com/v1", "chat")).toBe("https://api.example.com/v1/chat")
    expect(Provider.joinUrl("https://api.example.com/v1", "")).toBe("https://api.example.com/v1")
    expect(Provider.joinUrl("https://api.example.com/v1", "http://other/x")).toBe("http://other/x")
  })

  it.scoped("postJson posts the JSON body to base URL + path with Bearer auth and extra headers", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json({ ok: true }))
      const client = yield* clientFor(server, {
        headers: { "OpenAI-Organization": "org-1", "openai-project": undefined }
      })
      const answer = yield* Provider.postJson(client, {
        path: "/chat/completions",
        body: { model: "m", messages: [] },
        urlParams: { "api-version": "2024-10-21", skipped: undefined }
      })
      expect(answer).toEqual({ ok: true })
      const request = server.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.path).toBe("/v1/chat/completions?api-version=2024-10-21")
      expect(request.body).toEqual({ model: "m", messages: [] })
      expect(request.headers.authorization).toBe("Bearer sk-test-key-0123456789")
      expect(request.headers["openai-organization"]).toBe("org-1")
      expect(request.headers["openai-project"]).toBeUndefined()
      expect(request.headers["content-type"]).toBe("application/json")
      expect(request.headers.accept).toBe("application/json")
    })
  )

  it.scoped("a custom auth header sends the key without a scheme (x-api-key)", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json({}))
      const client = yield* clientFor(server, { auth: { header: "x-api-key" } })
      yield* Provider.postJson(client, { path: "/messages", body: {} })
      expect(server.requests[0]!.headers["x-api-key"]).toBe("sk-test-key-0123456789")
      expect(server.requests[0]!.headers.authorization).toBeUndefined()
    })
  )

  it.scoped("a custom scheme is put before the key", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json({}))
      const client = yield* clientFor(server, { auth: { header: "Authorization", scheme: "Token" } })
      yield* Provider.postJson(client, { path: "/x", body: {} })
      expect(server.requests[0]!.headers.authorization).toBe("Token sk-test-key-0123456789")
    })
  )

  it.scoped("without an API key no auth header is sent", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json({}))
      const client = yield* clientFor(server, { apiKey: undefined })
      yield* Provider.postJson(client, { path: "/x", body: {} })
      expect(server.requests[0]!.headers.authorization).toBeUndefined()
    })
  )

  it.scoped("withHeaders adds headers (pipeable) and per-request headers override them", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json({}))
      const client = (yield* clientFor(server)).pipe(Provider.withHeaders({ "x-a": "1", "x-b": "1" }))
      yield* client.pipe(Provider.postJson({ path: "/x", body: {}, headers: { "x-b": "2" } }))
      expect(server.requests[0]!.headers["x-a"]).toBe("1")
      expect(server.requests[0]!.headers["x-b"]).toBe("2")
    })
  )

  it.scoped("a body that cannot be encoded as JSON fails with InvalidInputError before any request", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json({}))
      const client = yield* clientFor(server)
      const error = yield* Effect.flip(Provider.postJson(client, { path: "/x", body: { n: 1n } }))
      expect(error._tag).toBe("InvalidInputError")
      expect(server.requests).toHaveLength(0)
    })
  )
})

describe("Provider.postJson status mapping", () => {
  const cases: ReadonlyArray<readonly [number, ChatError.ChatError["_tag"], boolean]> = [
    [400, "BadRequestError", false],
    [401, "AuthenticationError", false],
    [403, "PermissionDeniedError", false],
    [404, "NotFoundError", false],
    [408, "TimeoutError", true],
    [409, "BadRequestError", false],
    [422, "BadRequestError", false],
    [429, "RateLimitError", true],
    [500, "ServerError", true],
    [503, "ServerError", true],
    [529, "ServerError", true]
  ]
  for (const [status, tag, retryable] of cases) {
    it.scoped(`HTTP ${status} fails with ${tag} carrying provider, status and the provider's message`, () =>
      Effect.gen(function* () {
        const error = yield* failureOf(WireServer.errorReply(status, { message: `boom ${status}` }))
        expect(summary(error)).toEqual({
          _tag: tag,
          message: `boom ${status}`,
          status,
          provider: "acme",
          retryable
        })
      })
    )
  }

  it.scoped("the message comes from { error: string } bodies", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(WireServer.json({ error: "model 'x' not found" }, { status: 404 }))
      expect(error.message).toBe("model 'x' not found")
    })
  )

  it.scoped("the message comes from { message } bodies", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(WireServer.json({ message: "bad things" }, { status: 400 }))
      expect(error.message).toBe("bad things")
    })
  )

  it.scoped("a non-JSON error body gives its text as the message", () =>
    Effect.gen(function* () {
      const error = yield* failureOf({ status: 502, body: "<html>Bad Gateway</html>" })
      expect(summary(error)).toMatchObject({
        _tag: "ServerError",
        status: 502,
        message: "<html>Bad Gateway</html>"
      })
    })
  )

  it.scoped("an empty error body gives a message naming provider and status", () =>
    Effect.gen(function* () {
      const error = yield* failureOf({ status: 503 })
      expect(error.message).toBe("acme answered with HTTP status 503")
    })
  )
})

describe("Provider.postJson body recognition", () => {
  it.scoped("OpenAI's context_length_exceeded code is ContextLengthExceededError", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        WireServer.errorReply(400, {
          message: "This model's maximum context length is 8192 tokens.",
          type: "invalid_request_error",
          code: "context_length_exceeded"
        })
      )
      expect(summary(error)).toMatchObject({
        _tag: "ContextLengthExceededError",
        status: 400,
        retryable: false
      })
    })
  )

  for (const message of [
    "prompt is too long: 208000 tokens > 200000 maximum",
    "This model's maximum context length is 4096 tokens",
    "input exceeds the context window of this model",
    "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."
  ]) {
    it.scoped(`the message "${message}" is ContextLengthExceededError`, () =>
      Effect.gen(function* () {
        const error = yield* failureOf(WireServer.errorReply(400, { message }))
        expect(error._tag).toBe("ContextLengthExceededError")
      })
    )
  }

  for (const code of ["content_filter", "content_policy_violation"]) {
    it.scoped(`the code ${code} is ContentFilterError`, () =>
      Effect.gen(function* () {
        const error = yield* failureOf(WireServer.errorReply(400, { message: "rejected", code }))
        expect(summary(error)).toMatchObject({ _tag: "ContentFilterError", status: 400, retryable: false })
      })
    )
  }

  it.scoped("Azure's content management policy message is ContentFilterError", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        WireServer.errorReply(400, {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy."
        })
      )
      expect(error._tag).toBe("ContentFilterError")
    })
  )

  it.scoped("a quota-exhausted 429 (insufficient_quota) is a RateLimitError that is not retryable", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        WireServer.errorReply(429, { message: "You exceeded your current quota", code: "insufficient_quota" })
      )
      expect(summary(error)).toMatchObject({ _tag: "RateLimitError", status: 429, retryable: false })
    })
  )

  it.scoped("a 401 mentioning context length stays an AuthenticationError", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(WireServer.errorReply(401, { message: "maximum context length" }))
      expect(error._tag).toBe("AuthenticationError")
    })
  )
})

describe("Provider.postJson retry-after", () => {
  it.scoped("retry-after in seconds becomes retryAfter", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(WireServer.rateLimited({ retryAfter: "7" }))
      expect(error._tag === "RateLimitError" && error.retryAfter).toEqual(Duration.seconds(7))
    })
  )

  it.scoped("retry-after-ms wins over retry-after", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(WireServer.rateLimited({ retryAfter: "7", retryAfterMs: "1250" }))
      expect(error._tag === "RateLimitError" && error.retryAfter).toEqual(Duration.millis(1250))
    })
  )

  it.scoped("retry-after as an HTTP date is the wait from the Clock's now (TestClock)", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))
      const error = yield* failureOf(WireServer.rateLimited({ retryAfter: "Wed, 21 Oct 2015 07:28:30 GMT" }))
      expect(error._tag === "RateLimitError" && error.retryAfter).toEqual(Duration.seconds(30))
    })
  )

  it.scoped("a 429 without retry-after has no retryAfter", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(WireServer.rateLimited())
      expect(error._tag === "RateLimitError" && error.retryAfter).toBeUndefined()
    })
  )
})

describe("Provider.postJson transport and decoding failures", () => {
  it.scoped("a success body that is not JSON fails with MalformedResponseError", () =>
    Effect.gen(function* () {
      const error = yield* failureOf({ status: 200, body: "{not json" })
      expect(summary(error)).toMatchObject({
        _tag: "MalformedResponseError",
        provider: "acme",
        retryable: false
      })
    })
  )

  it.scoped("an empty success body fails with MalformedResponseError", () =>
    Effect.gen(function* () {
      const error = yield* failureOf({ status: 200 })
      expect(summary(error)).toMatchObject({ _tag: "MalformedResponseError", status: 200 })
    })
  )

  it.scoped("a refused connection fails with a retryable TransportError", () =>
    Effect.gen(function* () {
      const url = yield* Effect.scoped(
        Effect.map(WireServer.make(WireServer.json({})), (server) => server.url)
      )
      const client = yield* Provider.make({ provider: "acme", baseUrl: url, apiKey }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const error = yield* Effect.flip(Provider.postJson(client, { path: "/x", body: {} }))
      expect(summary(error)).toMatchObject({ _tag: "TransportError", provider: "acme", retryable: true })
      expect(error.message).toContain("ECONNREFUSED")
    })
  )

  it.scoped("a connection reset while reading the body fails with TransportError", () =>
    Effect.gen(function* () {
      const error = yield* failureOf({ status: 200, body: ['{"partial":', "true}"], resetAfter: 1 })
      expect(error._tag).toBe("TransportError")
    })
  )

  it.scoped("the client timeout fails with TimeoutError and aborts the request (TestClock)", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ ...WireServer.json({}), headersDelay: 60_000 })
      const client = yield* clientFor(server, { timeout: "5 seconds" })
      const fiber = yield* Effect.fork(Provider.postJson(client, { path: "/x", body: {} }))
      yield* server.awaitRequest(0)
      yield* TestClock.adjust("5 seconds")
      const exit = yield* Fiber.await(fiber)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && summary(exit.cause.error)).toMatchObject({
        _tag: "TimeoutError",
        provider: "acme",
        retryable: true
      })
      const closed = yield* server.awaitClose(0)
      expect(closed.completed).toBe(false)
    })
  )

  it.scoped("interrupting a request closes its connection (the server observes the close)", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ ...WireServer.json({}), headersDelay: 60_000 })
      const client = yield* clientFor(server)
      const fiber = yield* Effect.fork(Provider.postJson(client, { path: "/x", body: {} }))
      yield* server.awaitRequest(0)
      yield* Fiber.interrupt(fiber)
      const closed = yield* server.awaitClose(0)
      expect(closed).toEqual({ index: 0, completed: false, byServer: false })
      expect(server.closedConnections()).toBe(1)
    })
  )
})
