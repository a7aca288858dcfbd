// Scripted failures of the fakes: which calls fail, how a stream fails after afterChunks
// chunks, and withRetry over them.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Chunk, Effect, Either, Fiber, Stream, TestClock } from "effect"
import { collect, outcomes, rateLimit, reset, summary, texts } from "./support/fakeChatModel.js"

describe("scripted failures", () => {
  it.effect("invoke: a rate limit, then success with the first response (a failure consumes none)", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["one", "two"], { failures: [rateLimit] })
      const error = yield* Effect.flip(fake.invoke("a"))
      const reply = yield* fake.invoke("b")
      expect(summary(error)).toBe(summary(rateLimit))
      expect(reply.content).toBe("one")
    })
  )

  it.effect("stream: a rate limit before any chunk, then a successful stream", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit, undefined] })
      const error = yield* Effect.flip(collect(fake.stream("a")))
      const chunks = yield* collect(fake.stream("b"))
      expect(summary(error)).toBe(summary(rateLimit))
      expect(texts(chunks)).toEqual(["o", "k"])
    })
  )

  it.effect("entries apply to calls in order; undefined entries succeed", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["one", "two"], {
        failures: [undefined, rateLimit, undefined]
      })
      const outcomes = yield* Effect.forEach(["a", "b", "c", "d"], (input) =>
        Effect.either(fake.invoke(input))
      )
      expect(
        outcomes.map(Either.match({ onLeft: (error) => error._tag, onRight: (reply) => reply.content }))
      ).toEqual(["one", "RateLimitError", "two", "one"])
    })
  )

  it.effect("counts calls safely across concurrent batch items", () =>
    Effect.gen(function* () {
      const responses = Array.from({ length: 10 }, (_, at) => `r${at}`)
      const fake = FakeChatModel.fromResponses(responses, {
        failures: [undefined, rateLimit, undefined, rateLimit, rateLimit]
      })
      const inputs = Array.from({ length: 10 }, (_, at) => `q${at}`)
      const results = yield* fake.batch(inputs, { concurrency: 10, returnExceptions: true })
      const answered = results.filter(Either.isRight).map((result) => result.right.content)
      expect(results.filter(Either.isLeft)).toHaveLength(3)
      expect([...answered].sort()).toEqual(responses.slice(0, 7))
      expect(fake.requests).toHaveLength(10)
    })
  )

  it.effect("a Failure fails invoke at once", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello"], { failures: [{ error: reset, afterChunks: 2 }] })
      expect(summary(yield* Effect.flip(fake.invoke("hi")))).toBe(summary(reset))
    })
  )

  it.effect("a Failure makes a stream emit afterChunks chunks of the answer, then fail", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello"], { failures: [{ error: reset, afterChunks: 2 }] })
      expect(yield* outcomes(fake.stream("hi"))).toEqual(["h", "e", summary(reset)])
      expect(texts(yield* collect(fake.stream("again")))).toEqual(["h", "e", "l", "l", "o"])
    })
  )

  it.effect("withRetry retries a scripted rate limit and then answers", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit] })
      const fiber = yield* Effect.fork(fake.pipe(ChatModel.withRetry()).invoke("hi"))
      yield* TestClock.adjust("1 minute")
      const reply = yield* Fiber.join(fiber)
      expect(reply.content).toBe("ok")
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("withRetry never retries a stream that failed after its first chunk", () =>
    Effect.gen(function* () {
      const error = new ChatError.TransportError({ message: "reset" })
      const fake = FakeChatModel.fromResponses(["hello"], { failures: [{ error, afterChunks: 1 }] })
      const items = yield* fake
        .pipe(ChatModel.withRetry())
        .stream("hi")
        .pipe(Stream.either, Stream.runCollect)
      expect(Chunk.toReadonlyArray(items).map(Either.map(Message.text))).toEqual([
        Either.right("h"),
        Either.left(error)
      ])
      expect(fake.requests).toHaveLength(1)
    })
  )
})
