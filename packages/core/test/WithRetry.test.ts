// ChatModel.withRetry: which errors are retried, how often and after what wait, and
// streams, which are retried only before their first chunk.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { result, textOf, toArray } from "./helpers.js"
import {
  badRequest,
  collectText,
  rateLimit,
  serverError,
  settle,
  streamUntilError
} from "./support/resilience.js"

describe("withRetry", () => {
  it.effect("retries retryable errors until the model answers", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [serverError(), rateLimit()] })
      const reply = yield* settle(fake.pipe(ChatModel.withRetry()).invoke("hi"))
      expect(reply.content).toBe("ok")
      expect(fake.requests).toHaveLength(3)
    })
  )

  it.effect("fails at once on a non-retryable error", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [badRequest()] })
      const error = yield* Effect.flip(settle(fake.pipe(ChatModel.withRetry({ maxRetries: 5 })).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
      expect(fake.requests).toHaveLength(1)
    })
  )

  it.effect("does not retry a rate limit constructed as not retryable (an exhausted quota)", () =>
    Effect.gen(function* () {
      const quota = new ChatError.RateLimitError({ message: "quota exhausted", retryable: false })
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [quota] })
      const error = yield* Effect.flip(settle(fake.pipe(ChatModel.withRetry()).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.RateLimitError)
      expect(error.message).toBe("quota exhausted")
      expect(fake.requests).toHaveLength(1)
    })
  )

  it.effect("retries twice by default: three attempts, then the last error", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], {
        failures: [serverError(), serverError(), serverError(), serverError()]
      })
      const error = yield* Effect.flip(settle(fake.pipe(ChatModel.withRetry()).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(fake.requests).toHaveLength(3)
    })
  )

  it.effect("maxRetries sets the number of retries", () =>
    Effect.gen(function* () {
      const failures = Array.from({ length: 10 }, serverError)
      const four = FakeChatModel.fromResponses(["ok"], { failures })
      yield* Effect.flip(settle(four.pipe(ChatModel.withRetry({ maxRetries: 4 })).invoke("hi")))
      expect(four.requests).toHaveLength(5)
      const none = FakeChatModel.fromResponses(["ok"], { failures })
      yield* Effect.flip(settle(none.pipe(ChatModel.withRetry({ maxRetries: 0 })).invoke("hi")))
      expect(none.requests).toHaveLength(1)
    })
  )

  it.effect("while narrows the retried errors", () =>
    Effect.gen(function* () {
      const onlyRateLimits = ChatModel.withRetry({ while: (error) => error._tag === "RateLimitError" })
      const server = FakeChatModel.fromResponses(["ok"], { failures: [serverError()] })
      const error = yield* Effect.flip(settle(server.pipe(onlyRateLimits).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(server.requests).toHaveLength(1)
      const limited = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit()] })
      const reply = yield* settle(limited.pipe(onlyRateLimits).invoke("hi"))
      expect(reply.content).toBe("ok")
      expect(limited.requests).toHaveLength(2)
    })
  )

  it.effect("while never widens the retried errors to non-retryable ones", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [badRequest()] })
      const error = yield* Effect.flip(
        settle(fake.pipe(ChatModel.withRetry({ while: () => true })).invoke("hi"))
      )
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
      expect(fake.requests).toHaveLength(1)
    })
  )

  it.effect("waits a backoff between attempts", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [serverError()] })
      const fiber = yield* Effect.fork(fake.pipe(ChatModel.withRetry()).invoke("hi"))
      yield* TestClock.adjust("0 millis")
      expect(fake.requests).toHaveLength(1)
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(fiber)).content).toBe("ok")
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("a custom schedule replaces the default backoff", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [serverError(), serverError()] })
      const model = fake.pipe(ChatModel.withRetry({ schedule: Schedule.spaced("10 seconds") }))
      const fiber = yield* Effect.fork(model.invoke("hi"))
      // the default backoff would have retried within a second
      yield* TestClock.adjust("9 seconds")
      expect(fake.requests).toHaveLength(1)
      yield* TestClock.adjust("1 second")
      expect(fake.requests).toHaveLength(2)
      yield* TestClock.adjust("10 seconds")
      expect((yield* Fiber.join(fiber)).content).toBe("ok")
      expect(fake.requests).toHaveLength(3)
    })
  )

  it.effect("a custom schedule is not capped at the default two retries when maxRetries is absent", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: Array.from({ length: 5 }, serverError) })
      const reply = yield* settle(
        fake.pipe(ChatModel.withRetry({ schedule: Schedule.recurs(5) })).invoke("hi")
      )
      expect(reply.content).toBe("ok")
      expect(fake.requests).toHaveLength(6)
    })
  )

  it.effect("maxRetries caps a custom schedule when given", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: Array.from({ length: 5 }, serverError) })
      const model = fake.pipe(ChatModel.withRetry({ schedule: Schedule.recurs(5), maxRetries: 1 }))
      const error = yield* Effect.flip(settle(model.invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("waits at least the retryAfter of a RateLimitError", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit("5 seconds")] })
      const fiber = yield* Effect.fork(fake.pipe(ChatModel.withRetry()).invoke("hi"))
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      expect(fake.requests).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      const reply = yield* Fiber.join(fiber)
      expect(reply.content).toBe("ok")
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("waits the retryAfter of a RateLimitError even with a custom schedule without delays", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit("30 seconds")] })
      const model = fake.pipe(ChatModel.withRetry({ schedule: Schedule.recurs(3) }))
      const fiber = yield* Effect.fork(model.invoke("hi"))
      yield* TestClock.adjust("29 seconds")
      expect(fake.requests).toHaveLength(1)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).content).toBe("ok")
    })
  )

  it.effect("applies the timeout option to each attempt, so a timed-out attempt is retried", () =>
    Effect.gen(function* () {
      let attempts = 0
      const model = ChatModel.make({
        llmType: "slow-then-fast",
        generate: () =>
          Effect.suspend(() => {
            attempts++
            return Effect.delay(Effect.succeed(result("ok")), attempts === 1 ? "1 minute" : "500 millis")
          })
      }).pipe(ChatModel.withRetry({ schedule: Schedule.recurs(1) }))
      const fiber = yield* Effect.fork(model.invoke("hi", { timeout: "1 second" }))
      yield* TestClock.adjust("1 second")
      expect(attempts).toBe(2)
      yield* TestClock.adjust("500 millis")
      expect((yield* Fiber.join(fiber)).content).toBe("ok")
    })
  )

  it.effect("retries a stream that fails before its first chunk", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello"], {
        failures: [serverError(), { error: rateLimit(), afterChunks: 0 }]
      })
      const text = yield* collectText(fake.pipe(ChatModel.withRetry()).stream("hi"))
      expect(text).toBe("hello")
      expect(fake.requests).toHaveLength(3)
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect(
    "does not retry a stream after a chunk was emitted: the error surfaces and no token is seen twice",
    () =>
      Effect.gen(function* () {
        const fake = FakeChatModel.fromResponses(["hello"], {
          failures: [{ error: new ChatError.TransportError({ message: "connection reset" }), afterChunks: 2 }]
        })
        const { seen, error } = yield* streamUntilError(
          fake.pipe(ChatModel.withRetry({ maxRetries: 3 })).stream("hi")
        )
        expect(error).toBeInstanceOf(ChatError.TransportError)
        expect(seen).toEqual(["h", "e"])
        expect(fake.requests).toHaveLength(1)
      })
  )

  it.effect("a stream failing with a non-retryable error before its first chunk is not retried", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello"], { failures: [badRequest()] })
      const { seen, error } = yield* streamUntilError(fake.pipe(ChatModel.withRetry()).stream("hi"))
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
      expect(seen).toEqual([])
      expect(fake.requests).toHaveLength(1)
    })
  )

  it.effect("a retried stream still ends with exactly one chunk marked last", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["abc"], { failures: [serverError()] })
      const chunks = toArray(yield* settle(Stream.runCollect(fake.pipe(ChatModel.withRetry()).stream("hi"))))
      expect(textOf(chunks)).toBe("abc")
      expect(chunks.filter((chunk) => chunk.last === true)).toHaveLength(1)
      expect(chunks.at(-1)!.last).toBe(true)
    })
  )

  it.effect(
    "applies the timeout option to each attempt of a stream, so a stream slow to start is retried",
    () =>
      Effect.gen(function* () {
        let attempts = 0
        const model = ChatModel.make({
          llmType: "slow-then-fast",
          stream: () =>
            Stream.suspend(() => {
              attempts++
              const delay = attempts === 1 ? "1 minute" : "500 millis"
              return Stream.fromEffect(Effect.delay(Effect.succeed(Message.chunk({ content: "ok" })), delay))
            })
        }).pipe(ChatModel.withRetry({ schedule: Schedule.recurs(1) }))
        const fiber = yield* Effect.fork(Stream.runCollect(model.stream("hi", { timeout: "1 second" })))
        yield* TestClock.adjust("1 second")
        expect(attempts).toBe(2)
        yield* TestClock.adjust("500 millis")
        expect(textOf(toArray(yield* Fiber.join(fiber)))).toBe("ok")
      })
  )

  it.effect("interrupting a retried stream closes the provider's stream", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello world"], {
        failures: [serverError()],
        chunkLatency: "1 second"
      })
      const seen: Array<string> = []
      const fiber = yield* Effect.fork(
        Stream.runForEach(fake.pipe(ChatModel.withRetry()).stream("hi"), (chunk) =>
          Effect.sync(() => seen.push(Message.text(chunk)))
        )
      )
      yield* TestClock.adjust("5 seconds")
      expect(fake.requests).toHaveLength(2)
      expect(seen.length).toBeGreaterThan(0)
      expect(fake.activeStreams).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("has a data-first form", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [serverError(), serverError()] })
      const error = yield* Effect.flip(settle(ChatModel.withRetry(fake, { maxRetries: 1 }).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("retries each input of a batch on its own", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.parrot({ failures: [serverError(), undefined, serverError()] })
      const replies = yield* settle(fake.pipe(ChatModel.withRetry()).batch(["a", "b"], { concurrency: 1 }))
      expect(replies.map((reply) => reply.content)).toEqual(["a", "b"])
      expect(fake.requests).toHaveLength(4)
    })
  )

  it("keeps the model's llmType, identifyingParams and profile", () => {
    const fake = FakeChatModel.fromResponses(["ok"], { model: "fake-gpt" })
    const retried = fake.pipe(ChatModel.withRetry())
    expect(ChatModel.isChatModel(retried)).toBe(true)
    expect(retried.llmType).toBe(fake.llmType)
    expect(retried.identifyingParams).toEqual({ model: "fake-gpt" })
    expect(retried.profile).toEqual(fake.profile)
  })
})
