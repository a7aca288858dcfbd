// The tests shown in docs/testing.md: mock layers, scripted failures with TestClock,
// inspecting requests, and streaming from a fake.

import { describe, expect, it, layer } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Chunk, Duration, Effect, Fiber, Option, Stream, TestClock } from "effect"
import { instructions, resilient, summarize } from "../../src/docs/testing.js"

describe("summarize", () => {
  // A mock layer: a fresh fake for this test, provided under the ChatModel tag.
  it.effect("answers with the model's text", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["Cats sleep a lot."])
      const summary = yield* summarize("Cats sleep between 12 and 16 hours a day.").pipe(
        Effect.provide(ChatModel.layer(fake))
      )
      expect(summary).toBe("Cats sleep a lot.")

      // The fake records every request it received, as the provider saw it.
      const [request] = fake.requests
      expect(request!.messages.map((message) => message._tag)).toEqual(["SystemMessage", "HumanMessage"])
      expect(Message.text(request!.messages[0]!)).toBe(instructions)
      expect(request!.tags).toEqual(["summarize"])
    })
  )

  // Scripted failures and TestClock: a rate limit asking for 5 seconds, then success.
  it.effect("retries a rate limit after the wait the provider asked for", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["Recovered."], {
        failures: [new ChatError.RateLimitError({ message: "429", retryAfter: Duration.seconds(5) })]
      })
      const fiber = yield* Effect.fork(
        summarize("some text").pipe(Effect.provide(resilient(ChatModel.layer(fake))))
      )

      yield* TestClock.adjust("4 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true) // still waiting
      expect(fake.requests).toHaveLength(1)

      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe("Recovered.")
      expect(fake.requests).toHaveLength(2)
    })
  )

  // Latency is an Effect.sleep, so a timeout can be tested without waiting.
  it.effect("times out a model that takes too long", () =>
    Effect.gen(function* () {
      const slow = FakeChatModel.fromResponses(["too late"], { latency: "1 minute" })
      const fiber = yield* Effect.fork(
        Effect.flip(summarize("some text").pipe(Effect.provide(ChatModel.layer(slow))))
      )
      yield* TestClock.adjust("30 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("TimeoutError")
    })
  )

  // Non-retryable errors are not retried.
  it.effect("gives up on a bad request at once", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["never"], {
        failures: [new ChatError.BadRequestError({ message: "unknown parameter" })]
      })
      const error = yield* Effect.flip(
        summarize("some text").pipe(Effect.provide(resilient(ChatModel.layer(fake))))
      )
      expect(error._tag).toBe("BadRequestError")
      expect(fake.requests).toHaveLength(1)
    })
  )
})

describe("streams", () => {
  // A failure with a position: the stream emits 3 chunks, then fails. withRetry never
  // retries a stream that has emitted chunks, so the caller sees the error.
  it.effect("a stream cut off after its first chunks is not retried", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["Hello there"], {
        failures: [{ error: new ChatError.TransportError({ message: "connection reset" }), afterChunks: 3 }]
      })
      const model = fake.pipe(ChatModel.withRetry())
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        model
          .stream("hi")
          .pipe(Stream.runForEach((chunk) => Effect.sync(() => seen.push(Message.text(chunk)))))
      )
      expect(error._tag).toBe("TransportError")
      expect(seen.join("")).toBe("Hel")
      expect(fake.requests).toHaveLength(1)
    })
  )

  // `activeStreams` counts the streams whose finalizer has not run: interrupting a
  // stream (here with Stream.take) closes it.
  it.effect("taking the first chunks closes the stream", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["a long answer"], { chunkLatency: "10 millis" })
      const fiber = yield* Effect.fork(Stream.runCollect(fake.stream("hi").pipe(Stream.take(2))))
      yield* TestClock.adjust("1 second")
      expect(Chunk.toReadonlyArray(yield* Fiber.join(fiber)).map(Message.text)).toEqual(["a", " "])
      expect(fake.activeStreams).toBe(0)
    })
  )
})

// `fromMessages` streams word by word and splits tool calls across deltas.
it.effect("a fake that calls a tool, then answers", () =>
  Effect.gen(function* () {
    const fake = FakeChatModel.fromMessages([
      Message.ai({ content: "", toolCalls: [{ id: "call_1", name: "weather", args: { city: "Paris" } }] }),
      "It is sunny in Paris."
    ])
    const chunks = yield* Stream.runCollect(fake.stream("Weather in Paris?"))
    const first = Message.toMessage(Chunk.reduce(chunks, Message.chunk({ content: "" }), Message.concat))
    expect(first.toolCalls).toEqual([{ id: "call_1", name: "weather", args: { city: "Paris" } }])

    const second = yield* fake.invoke([
      ["user", "Weather in Paris?"],
      first,
      Message.tool({ toolCallId: "call_1", content: "sunny" })
    ])
    expect(Message.text(second)).toBe("It is sunny in Paris.")
  })
)

// One layer shared by every test of a block: `layer(...)` from @effect/vitest. Keep such
// blocks (and `Conformance.run`, which uses one) after the file's other tests or in a file
// of their own: @effect/vitest 0.30 rebinds the exported `it.effect` to the block's layer.
layer(ChatModel.layer(FakeChatModel.parrot()))("a shared parrot model", (it) => {
  it.effect("echoes the last message", () =>
    Effect.gen(function* () {
      const reply = yield* ChatModel.invoke("polly wants a cracker")
      expect(Message.text(reply)).toBe("polly wants a cracker")
    })
  )

  it.effect("streams it character by character, the last chunk marked", () =>
    Effect.gen(function* () {
      const chunks = yield* Stream.runCollect(ChatModel.stream("abc"))
      expect(Chunk.toReadonlyArray(chunks).map(Message.text)).toEqual(["a", "b", "c"])
      expect(Chunk.unsafeLast(chunks).last).toBe(true)
    })
  )
})
