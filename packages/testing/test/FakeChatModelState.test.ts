// What a fake records (requests, activeStreams), its configuration, and that each fake has
// its own state.

import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Effect, Fiber, Stream, TestClock } from "effect"
import { collect, merge, rateLimit, summary } from "./support/fakeChatModel.js"

describe("requests and streams", () => {
  it.effect("records every request in order, as a live view, failed calls included", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit] })
      const requests = fake.requests
      yield* Effect.either(fake.invoke("one", { tags: ["first"] }))
      yield* Stream.runDrain(fake.stream("two", { stop: ["x"] }))
      expect(requests.map((request) => Message.text(request.messages[0]!))).toEqual(["one", "two"])
      expect(requests[0]!.tags).toEqual(["first"])
      expect(requests[1]!.stop).toEqual(["x"])
    })
  )

  it.effect("activeStreams counts a running stream and returns to 0 after interrupting it mid-way", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["abcdef"], { chunkLatency: "1 second" })
      const fiber = yield* Effect.fork(Stream.runDrain(fake.stream("hi")))
      yield* TestClock.adjust("2500 millis")
      expect(fake.activeStreams).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("activeStreams returns to 0 when a stream times out before its first chunk", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["late"], { latency: "1 second" })
      const fiber = yield* Effect.fork(
        Effect.flip(Stream.runDrain(fake.stream("hi", { timeout: "100 millis" })))
      )
      yield* TestClock.adjust("100 millis")
      expect((yield* Fiber.join(fiber))._tag).toBe("TimeoutError")
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("activeStreams returns to 0 when a stream ends or fails", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [undefined, rateLimit] })
      yield* Stream.runDrain(fake.stream("a"))
      yield* Effect.either(Stream.runDrain(fake.stream("b")))
      yield* Stream.runDrain(Stream.take(fake.stream("c"), 1))
      expect(fake.activeStreams).toBe(0)
    })
  )
})

describe("configuration and state", () => {
  it.effect("each constructor call makes a fresh fake with its own state", () =>
    Effect.gen(function* () {
      const first = FakeChatModel.fromResponses(["one", "two"], { failures: [rateLimit] })
      const second = FakeChatModel.fromResponses(["one", "two"], { failures: [rateLimit] })
      yield* Effect.either(first.invoke("a"))
      yield* first.invoke("b")
      expect(summary(yield* Effect.flip(second.invoke("a")))).toBe(summary(rateLimit))
      expect((yield* second.invoke("b")).content).toBe("one")
      expect([first.requests.length, second.requests.length]).toEqual([2, 2])
      expect(first.requests).not.toBe(second.requests)
    })
  )

  it("names each fake's model in identifyingParams, or the given model", () => {
    expect(FakeChatModel.fromResponses(["a"]).identifyingParams).toEqual({ model: "fake-list" })
    expect(FakeChatModel.fromMessages(["a"]).identifyingParams).toEqual({ model: "fake-messages" })
    expect(FakeChatModel.parrot().identifyingParams).toEqual({ model: "fake-parrot" })
    expect(FakeChatModel.parrot({ model: "polly-1" }).identifyingParams).toEqual({ model: "polly-1" })
  })

  it.effect("reports the given model name in the response metadata of invoke and stream", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { model: "fake-gpt" })
      const invoked = yield* fake.invoke("hi")
      const streamed = merge(yield* collect(fake.stream("hi")))
      expect([invoked.responseMetadata.modelName, streamed.responseMetadata.modelName]).toEqual([
        "fake-gpt",
        "fake-gpt"
      ])
    })
  )

  it("takes the profile from the options, with conservative defaults", () => {
    const fake = FakeChatModel.parrot({ profile: { toolCalling: true } })
    expect([fake.profile.toolCalling, fake.profile.imageInputs]).toEqual([true, false])
  })

  it.effect("is a ChatModel service usable through ChatModel.layer", () =>
    Effect.gen(function* () {
      const reply = yield* ChatModel.invoke("hi")
      expect(reply.content).toBe("from the layer")
    }).pipe(Effect.provide(ChatModel.layer(FakeChatModel.fromResponses(["from the layer"]))))
  )
})
