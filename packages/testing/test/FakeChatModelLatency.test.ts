// The fakes' latency and chunkLatency, driven by the TestClock.

import { describe, expect, it } from "@effect/vitest"
import { Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Effect, Fiber, Option, Stream, TestClock } from "effect"
import { rateLimit, summary } from "./support/fakeChatModel.js"

describe("latency", () => {
  it.effect("invoke is not done before the TestClock passes the latency, and done after", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["late"], { latency: "1 second" })
      const fiber = yield* Effect.fork(fake.invoke("hi"))
      yield* TestClock.adjust("999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).content).toBe("late")
    })
  )

  it.effect("delays a scripted failure as well", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["late"], { latency: "1 second", failures: [rateLimit] })
      const fiber = yield* Effect.fork(Effect.flip(fake.invoke("hi")))
      yield* TestClock.adjust("500 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("500 millis")
      expect(summary(yield* Fiber.join(fiber))).toBe(summary(rateLimit))
    })
  )

  it.effect("delays the first chunk of a stream", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const fake = FakeChatModel.fromResponses(["ab"], { latency: "1 second" })
      const fiber = yield* fake.stream("hi").pipe(
        Stream.runForEach((chunk) => Effect.sync(() => seen.push(Message.text(chunk)))),
        Effect.fork
      )
      yield* TestClock.adjust("999 millis")
      expect(seen).toEqual([])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(fiber)
      expect(seen).toEqual(["a", "b"])
    })
  )

  it.effect("chunkLatency spaces the chunks out, one per interval", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const fake = FakeChatModel.fromResponses(["abc"], { chunkLatency: "100 millis" })
      const fiber = yield* fake.stream("hi").pipe(
        Stream.runForEach((chunk) => Effect.sync(() => seen.push(Message.text(chunk)))),
        Effect.fork
      )
      yield* TestClock.adjust("50 millis")
      expect(seen).toEqual(["a"])
      yield* TestClock.adjust("100 millis")
      expect(seen).toEqual(["a", "b"])
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(fiber)
      expect(seen).toEqual(["a", "b", "c"])
    })
  )
})
