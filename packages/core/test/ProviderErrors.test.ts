/**
 * Provider's pure helpers: error bodies to `ChatError` (with and without a status),
 * `retry-after` parsing in its three forms, JSON parsing and the chunk-wise `mapOrFail`.
 */

import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { ChatError, Provider } from "@effect-chat/core"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"

describe("Provider.errorFromBody", () => {
  const withoutStatus: ReadonlyArray<readonly [unknown, ChatError.ChatError["_tag"]]> = [
    [{ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }, "ServerError"],
    [{ type: "error", error: { type: "rate_limit_error", message: "slow" } }, "RateLimitError"],
    [{ type: "error", error: { type: "invalid_request_error", message: "bad" } }, "BadRequestError"],
    [{ type: "error", error: { type: "authentication_error", message: "who" } }, "AuthenticationError"],
    [{ type: "error", error: { type: "permission_error", message: "no" } }, "PermissionDeniedError"],
    [{ type: "error", error: { type: "not_found_error", message: "gone" } }, "NotFoundError"],
    [{ error: { code: "context_length_exceeded", message: "too long" } }, "ContextLengthExceededError"],
    [{ error: { code: "content_filter", message: "filtered" } }, "ContentFilterError"],
    [[{ error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "quota" } }], "RateLimitError"],
    [{ error: { message: "something odd" } }, "ServerError"]
  ]
  for (const [body, tag] of withoutStatus) {
    it(`without a status, ${JSON.stringify(body)} is ${tag}`, () => {
      const error = Provider.errorFromBody({ provider: "acme", body })
      expect(error._tag).toBe(tag)
      expect(error.provider).toBe("acme")
      expect(error.status).toBeUndefined()
    })
  }

  it("a status decides over the body's type", () => {
    const error = Provider.errorFromBody({
      provider: "acme",
      status: 400,
      body: { error: { type: "api_error" } }
    })
    expect(error._tag).toBe("BadRequestError")
    expect(error.status).toBe(400)
  })

  it("a 429 carries the given retryAfter", () => {
    const error = Provider.errorFromBody({
      provider: "acme",
      status: 429,
      body: {},
      retryAfter: Duration.seconds(2)
    })
    expect(error).toBeInstanceOf(ChatError.RateLimitError)
    expect(ChatError.retryAfter(error)).toEqual(Duration.seconds(2))
  })

  it("insufficient_quota is a RateLimitError that is not retryable, with or without a status", () => {
    const body = { error: { code: "insufficient_quota", message: "quota" } }
    expect(Provider.errorFromBody({ provider: "acme", status: 429, body }).retryable).toBe(false)
    expect(Provider.errorFromBody({ provider: "acme", body }).retryable).toBe(false)
    expect(Provider.errorFromBody({ provider: "acme", body })._tag).toBe("RateLimitError")
  })

  it("a 3xx is a MalformedResponseError", () => {
    expect(Provider.errorFromBody({ provider: "acme", status: 302 })._tag).toBe("MalformedResponseError")
  })
})

describe("Provider.errorMessage", () => {
  it("reads the provider's message from the usual shapes", () => {
    expect(Provider.errorMessage({ error: { message: "a" } })).toBe("a")
    expect(Provider.errorMessage({ error: "b" })).toBe("b")
    expect(Provider.errorMessage({ message: "c" })).toBe("c")
    expect(Provider.errorMessage({ detail: "d" })).toBe("d")
    expect(Provider.errorMessage([{ error: { message: "e" } }])).toBe("e")
    expect(Provider.errorMessage({ error: { message: "" } })).toBeUndefined()
    expect(Provider.errorMessage(42)).toBeUndefined()
  })

  it("keeps the start of a long text body", () => {
    const message = Provider.errorMessage("x".repeat(2000))
    expect(message?.length).toBeLessThan(600)
  })
})

describe("Provider retry-after", () => {
  const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")

  it("reads retry-after in (decimal) seconds", () => {
    expect(Provider.parseRetryAfter({ "retry-after": "3" }, now)).toEqual(Option.some(Duration.seconds(3)))
    expect(Provider.parseRetryAfter({ "retry-after": "1.5" }, now)).toEqual(
      Option.some(Duration.millis(1500))
    )
  })

  it("reads retry-after-ms before retry-after", () => {
    expect(Provider.parseRetryAfter({ "retry-after-ms": "250", "retry-after": "3" }, now)).toEqual(
      Option.some(Duration.millis(250))
    )
  })

  it("falls back to retry-after when retry-after-ms is not a number", () => {
    expect(Provider.parseRetryAfter({ "retry-after-ms": "soon", "retry-after": "3" }, now)).toEqual(
      Option.some(Duration.seconds(3))
    )
  })

  it("reads retry-after as an HTTP date relative to now; a past date is a zero wait", () => {
    expect(Provider.parseRetryAfter({ "retry-after": "Wed, 21 Oct 2015 07:29:00 GMT" }, now)).toEqual(
      Option.some(Duration.minutes(1))
    )
    expect(Provider.parseRetryAfterValue("Wed, 21 Oct 2015 07:00:00 GMT", now)).toEqual(
      Option.some(Duration.zero)
    )
  })

  it("finds header names case-insensitively", () => {
    expect(Provider.parseRetryAfter({ "Retry-After": "2" }, now)).toEqual(Option.some(Duration.seconds(2)))
  })

  it("ignores values that are neither seconds nor a date", () => {
    expect(Provider.parseRetryAfter({ "retry-after": "-1" }, now)).toEqual(Option.none())
    expect(Provider.parseRetryAfter({ "retry-after": "soon-ish" }, now)).toEqual(Option.none())
    expect(Provider.parseRetryAfter({}, now)).toEqual(Option.none())
  })

  it.effect("retryAfter measures an HTTP date from the Clock (TestClock)", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      const wait = yield* Provider.retryAfter({ "retry-after": "Wed, 21 Oct 2015 07:28:45 GMT" })
      expect(wait).toEqual(Option.some(Duration.seconds(45)))
    })
  )
})

describe("Provider.parseJson and mapOrFail", () => {
  it("parseJson returns the value or a MalformedResponseError naming the provider", () => {
    expect(Provider.parseJson('{"a":1}')).toEqual(Either.right({ a: 1 }))
    const left = Provider.parseJson("{oops", "acme")
    expect(Either.isLeft(left) && left.left).toBeInstanceOf(ChatError.MalformedResponseError)
    expect(Either.isLeft(left) && left.left.provider).toBe("acme")
  })

  it.effect("mapOrFail emits the elements before the first Left, then fails with it", () =>
    Effect.gen(function* () {
      const result = yield* Stream.runCollect(
        Stream.either(
          Stream.make("1", "2", "x", "4").pipe(Provider.mapOrFail((text) => Provider.parseJson(text, "acme")))
        )
      )
      const items = Chunk.toReadonlyArray(result)
      expect(items.slice(0, 2)).toEqual([Either.right(1), Either.right(2)])
      expect(items).toHaveLength(3)
      expect(Either.isLeft(items[2]!) && items[2].left._tag).toBe("MalformedResponseError")
    })
  )

  it.effect("mapOrFail keeps the Stream's chunking", () =>
    Effect.gen(function* () {
      const sizes = yield* Stream.runCollect(
        Stream.fromChunks(Chunk.make(1, 2, 3), Chunk.make(4, 5)).pipe(
          Provider.mapOrFail((n: number) => Either.right(n * 2)),
          Stream.mapChunks((chunk) => Chunk.of(Chunk.size(chunk)))
        )
      )
      expect(Chunk.toReadonlyArray(sizes)).toEqual([3, 2])
    })
  )
})

describe("Provider.fromHttpClient", () => {
  it.effect("builds a client data-first and data-last", () =>
    Effect.gen(function* () {
      const httpClient = HttpClient.make(() => Effect.die("unused"))
      const options = { provider: "acme", baseUrl: "http://127.0.0.1:9" }
      expect(Provider.fromHttpClient(httpClient, options).provider).toBe("acme")
      expect(httpClient.pipe(Provider.fromHttpClient(options)).baseUrl).toBe("http://127.0.0.1:9")
    })
  )
})
