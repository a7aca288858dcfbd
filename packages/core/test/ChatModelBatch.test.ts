// ChatModel's batch and batchAsCompleted: order, concurrency, run ids and failures.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel } from "@effect-chat/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { lastText, result } from "./helpers.js"
import { collect, counting, echo } from "./support/chatModels.js"

describe("batch", () => {
  it.effect("returns the answers in input order even when later inputs finish first", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: (text) => Duration.millis(Number(text)) })
      const fiber = yield* Effect.fork(model.batch(["300", "100", "200", "0"]))
      yield* TestClock.adjust("1 second")
      const replies = yield* Fiber.join(fiber)
      expect(replies.map((reply) => reply.content)).toEqual(["300", "100", "200", "0"])
    })
  )

  it.effect("never has more requests in flight than the concurrency option", () =>
    Effect.gen(function* () {
      const model = counting()
      const inputs = Array.from({ length: 10 }, (_, index) => `q${index}`)
      const fiber = yield* Effect.fork(model.model.batch(inputs, { concurrency: 3 }))
      yield* TestClock.adjust("0 millis")
      expect(model.inFlight).toBe(3)
      yield* TestClock.adjust("10 seconds")
      const replies = yield* Fiber.join(fiber)
      expect(replies).toHaveLength(10)
      expect(model.maxInFlight).toBe(3)
    })
  )

  it.effect("runs at most 8 requests at once by default", () =>
    Effect.gen(function* () {
      const model = counting()
      const inputs = Array.from({ length: 20 }, (_, index) => `q${index}`)
      const fiber = yield* Effect.fork(model.model.batch(inputs))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(model.maxInFlight).toBe(8)
    })
  )

  it.effect("gives every answer its own run id", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      const replies = yield* model.batch(["a", "b", "c"])
      const runIds = new Set(requests.map((request) => request.runId))
      expect(runIds.size).toBe(3)
      expect(new Set(replies.map((reply) => reply.id))).toEqual(
        new Set([...runIds].map((runId) => `run-${runId}`))
      )
    })
  )

  it.effect("fails with the first error without returnExceptions", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "picky",
        generate: (request) =>
          lastText(request) === "bad"
            ? Effect.fail(new ChatError.BadRequestError({ message: "bad input" }))
            : Effect.succeed(result("ok"))
      })
      const error = yield* Effect.flip(model.batch(["good", "bad", "good"]))
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
    })
  )

  it.effect("with returnExceptions reports each failure in place and never fails", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "picky",
        generate: (request) =>
          lastText(request) === "bad"
            ? Effect.fail(new ChatError.BadRequestError({ message: "bad input" }))
            : Effect.succeed(result(`ok ${lastText(request)}`))
      })
      const outcomes = yield* model.batch(["one", "bad", "three", [["robot", "beep"]]], {
        returnExceptions: true
      })
      expect(outcomes).toHaveLength(4)
      expect(
        outcomes.map((outcome) => (Either.isRight(outcome) ? outcome.right.content : outcome.left._tag))
      ).toEqual(["ok one", "BadRequestError", "ok three", "InvalidInputError"])
    })
  )
})

describe("batchAsCompleted", () => {
  it.effect("yields answers in completion order, each with its input's index", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: (text) => Duration.millis(Number(text)) })
      const fiber = yield* Effect.fork(collect(model.batchAsCompleted(["300", "100", "200"])))
      yield* TestClock.adjust("1 second")
      const results = yield* Fiber.join(fiber)
      expect(results.map(([index]) => index)).toEqual([1, 2, 0])
      expect(
        results.map(([index, outcome]) => [
          index,
          Either.isRight(outcome) ? outcome.right.content : outcome.left._tag
        ])
      ).toEqual([
        [1, "100"],
        [2, "200"],
        [0, "300"]
      ])
    })
  )

  it.effect("emits each answer as soon as it is done", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: (text) => Duration.seconds(Number(text)) })
      const seen: Array<number> = []
      const fiber = yield* Effect.fork(
        Stream.runForEach(model.batchAsCompleted(["3", "1"]), ([index]) =>
          Effect.sync(() => seen.push(index))
        )
      )
      yield* TestClock.adjust("1 second")
      expect(seen).toEqual([1])
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      expect(seen).toEqual([1, 0])
    })
  )

  it.effect("reports failures in place as Left with their index", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "picky",
        generate: (request) =>
          lastText(request) === "bad"
            ? Effect.fail(new ChatError.ContentFilterError({ message: "filtered" }))
            : Effect.succeed(result("ok"))
      })
      const results = yield* collect(model.batchAsCompleted(["bad", "good"], { concurrency: 1 }))
      expect(results).toHaveLength(2)
      const [first, second] = results
      expect(first![0]).toBe(0)
      expect(Either.isLeft(first![1]) && first![1].left._tag).toBe("ContentFilterError")
      expect(second![0]).toBe(1)
      expect(Either.isRight(second![1]) && second![1].right.content).toBe("ok")
    })
  )

  it.effect("honours the concurrency option", () =>
    Effect.gen(function* () {
      const model = counting()
      const inputs = Array.from({ length: 6 }, (_, index) => `q${index}`)
      const fiber = yield* Effect.fork(collect(model.model.batchAsCompleted(inputs, { concurrency: 2 })))
      yield* TestClock.adjust("10 seconds")
      const results = yield* Fiber.join(fiber)
      expect(results).toHaveLength(6)
      expect(model.maxInFlight).toBe(2)
    })
  )

  it.effect("runs at most 8 requests at once by default", () =>
    Effect.gen(function* () {
      const model = counting()
      const inputs = Array.from({ length: 20 }, (_, index) => `q${index}`)
      const fiber = yield* Effect.fork(collect(model.model.batchAsCompleted(inputs)))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(model.maxInFlight).toBe(8)
    })
  )
})
