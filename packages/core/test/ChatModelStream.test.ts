// ChatModel's stream: the last-chunk mark, ids, generate-only and stream-only providers,
// disableStreaming, errors, timeouts and interruption.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { chunks, merge, result, textOf } from "./helpers.js"
import { answering, collect, lastMarked, streaming } from "./support/chatModels.js"

describe("stream", () => {
  it.effect("marks the final element with last: true", () =>
    Effect.gen(function* () {
      const items = yield* collect(streaming("Hel", "lo").model.stream("hi"))
      expect(items.at(-1)!.last).toBe(true)
      expect(textOf(items)).toBe("Hello")
    })
  )

  it.effect(
    "marks exactly one element as last, appending an empty one when the provider did not mark it",
    () =>
      Effect.gen(function* () {
        const items = yield* collect(streaming("a", "b", "c").model.stream("hi"))
        expect(items).toHaveLength(4)
        expect(lastMarked(items)).toHaveLength(1)
        expect(items[3]!.content).toBe("")
        expect(items.slice(0, 3).map((item) => item.content)).toEqual(["a", "b", "c"])
      })
  )

  it.effect("adds no extra chunk when the provider marks its last chunk itself", () =>
    Effect.gen(function* () {
      const items = yield* collect(streaming("a", "b", { content: "c", last: true }).model.stream("hi"))
      expect(items.map((item) => item.content)).toEqual(["a", "b", "c"])
      expect(lastMarked(items)).toHaveLength(1)
      expect(items[2]!.last).toBe(true)
    })
  )

  it.effect("marks the last element of an empty provider stream", () =>
    Effect.gen(function* () {
      const items = yield* collect(streaming().model.stream("hi"))
      expect(items).toHaveLength(1)
      expect(items[0]!.last).toBe(true)
      expect(items[0]!.content).toBe("")
    })
  )

  it.effect(
    "gives every chunk the id run-<runId> when the provider gives none, and the model name on the first",
    () =>
      Effect.gen(function* () {
        const items = yield* collect(streaming("a", "b").model.stream("hi", { runId: "r1" }))
        expect(items.map((item) => item.id)).toEqual(["run-r1", "run-r1", "run-r1"])
        expect(merge(items).responseMetadata.modelName).toBe("streaming-1")
      })
  )

  it.effect(
    "serves invoke of a stream-only provider by folding its chunks with Message.concat and toMessage",
    () =>
      Effect.gen(function* () {
        const pieces: ReadonlyArray<Message.ChunkFields> = [
          { content: "The weather ", id: "msg_1", responseMetadata: { modelName: "streaming-1" } },
          {
            content: "in Paris",
            toolCallChunks: [{ index: 0, id: "call_1", name: "weather", args: '{"ci' }]
          },
          { content: "", toolCallChunks: [{ index: 0, args: 'ty":"Paris"}' }] },
          {
            content: "",
            usageMetadata: { inputTokens: 7, outputTokens: 5, totalTokens: 12 },
            responseMetadata: { finishReason: "toolCalls" }
          }
        ]
        const { model } = streaming(...pieces)
        const reply = yield* model.invoke("hi")
        const expected = Message.toMessage(merge(pieces.map((piece) => Message.chunk(piece))))
        expect(reply).toEqual(expected)
        expect(reply.content).toBe("The weather in Paris")
        expect(reply.toolCalls).toEqual([{ id: "call_1", name: "weather", args: { city: "Paris" } }])
        expect(reply.usageMetadata).toEqual({ inputTokens: 7, outputTokens: 5, totalTokens: 12 })
      })
  )

  it.effect(
    "invoke of a stream-only provider gets the run id and model name when the chunks carry none",
    () =>
      Effect.gen(function* () {
        const reply = yield* streaming("Hel", "lo").model.invoke("hi", { runId: "r2" })
        expect(reply.content).toBe("Hello")
        expect(reply.id).toBe("run-r2")
        expect(reply.responseMetadata.modelName).toBe("streaming-1")
      })
  )

  it.effect("streams one chunk, marked last, from a generate-only provider", () =>
    Effect.gen(function* () {
      const items = yield* collect(
        answering("whole answer", {
          usageMetadata: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }
        }).stream("hi")
      )
      expect(items).toHaveLength(1)
      expect(items[0]!.content).toBe("whole answer")
      expect(items[0]!.last).toBe(true)
      expect(items[0]!.usageMetadata).toEqual({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })
      expect(items[0]!.responseMetadata.modelName).toBe("fixed-1")
    })
  )

  it.effect(
    "streams the tool calls of a generate-only provider so that merging the chunks gives them back",
    () =>
      Effect.gen(function* () {
        const toolCalls = [
          { id: "call_1", name: "weather", args: { city: "Paris" } },
          { id: "call_2", name: "time", args: {} }
        ]
        const items = yield* collect(answering("", { toolCalls }).stream("hi"))
        const message = Message.toMessage(merge(items))
        expect(message.toolCalls).toEqual(toolCalls)
        expect(message.invalidToolCalls).toEqual([])
      })
  )

  it.effect("streams only the first generation of a provider that returns several (n > 1)", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "multi",
        generate: () =>
          Effect.succeed({
            generations: [{ message: Message.ai("first") }, { message: Message.ai("second") }]
          })
      })
      const items = yield* collect(model.stream("hi"))
      expect(textOf(items)).toBe("first")
      expect((yield* model.invoke("hi")).content).toBe("first")
      const generated = yield* model.generate([["hi"]])
      expect(generated.generations[0]!.map((generation) => generation.text)).toEqual(["first", "second"])
    })
  )

  it.effect(
    "streams one chunk from generate when disableStreaming is true, never calling the provider's stream",
    () =>
      Effect.gen(function* () {
        let streamed = 0
        const model = ChatModel.make({
          llmType: "both",
          disableStreaming: true,
          generate: () => Effect.succeed(result("from generate")),
          stream: () =>
            Stream.suspend(() => {
              streamed++
              return chunks("from ", "stream")
            })
        })
        const items = yield* collect(model.stream("hi"))
        expect(items.map((item) => item.content)).toEqual(["from generate"])
        expect(items[0]!.last).toBe(true)
        expect(streamed).toBe(0)
      })
  )

  it.effect(
    'streams from the provider when disableStreaming is "toolCalling" and the request has no tools',
    () =>
      Effect.gen(function* () {
        let generated = 0
        const model = ChatModel.make({
          llmType: "both",
          disableStreaming: "toolCalling",
          generate: () =>
            Effect.sync(() => {
              generated++
              return result("from generate")
            }),
          stream: () => chunks("from ", "stream")
        })
        const items = yield* collect(model.stream("hi"))
        expect(textOf(items)).toBe("from stream")
        expect(items.length).toBeGreaterThan(1)
        expect(generated).toBe(0)
      })
  )

  it.effect("a model with both generate and stream uses generate for invoke and stream for stream", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "both",
        generate: () => Effect.succeed(result("from generate")),
        stream: () => chunks("from ", "stream")
      })
      expect((yield* model.invoke("hi")).content).toBe("from generate")
      expect(textOf(yield* collect(model.stream("hi")))).toBe("from stream")
    })
  )

  it.effect("fails with InvalidInputError for bad input, without calling the provider", () =>
    Effect.gen(function* () {
      const model = streaming("a")
      const error = yield* Effect.flip(Stream.runCollect(model.model.stream([["robot", "beep"]])))
      expect(error).toBeInstanceOf(ChatError.InvalidInputError)
      expect(model.calls).toBe(0)
    })
  )

  it.effect("fails with the provider's error after the chunks it emitted", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "broken",
        stream: () =>
          Stream.concat(
            chunks("par", "tial"),
            Stream.fail(new ChatError.TransportError({ message: "reset" }))
          )
      })
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Stream.runForEach(model.stream("hi"), (item) => Effect.sync(() => seen.push(Message.text(item))))
      )
      expect(error).toBeInstanceOf(ChatError.TransportError)
      expect(seen.join("")).toBe("partial")
    })
  )

  it.effect("fails with TimeoutError when the first chunk takes longer than the timeout option", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "slow",
        stream: () =>
          Stream.concat(
            Stream.fromEffect(Effect.as(Effect.sleep("10 seconds"), Message.chunk({ content: "late" }))),
            chunks("!")
          )
      })
      const fiber = yield* Effect.fork(collect(model.stream("hi", { timeout: "2 seconds" })))
      yield* TestClock.adjust("2 seconds")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error).toBeInstanceOf(ChatError.TimeoutError)
    })
  )

  it.effect("the stream timeout bounds the wait for the first chunk only, not the whole stream", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "slow-tail",
        stream: () =>
          Stream.concat(
            chunks("fast "),
            Stream.fromEffect(Effect.as(Effect.sleep("10 seconds"), Message.chunk({ content: "slow" })))
          )
      })
      const fiber = yield* Effect.fork(collect(model.stream("hi", { timeout: "2 seconds" })))
      yield* TestClock.adjust("10 seconds")
      const items = yield* Fiber.join(fiber)
      expect(textOf(items)).toBe("fast slow")
    })
  )

  it.effect("interrupting a stream runs the provider stream's finalizer", () =>
    Effect.gen(function* () {
      const finalized = yield* Ref.make(false)
      const firstSeen = yield* Deferred.make<void>()
      const model = ChatModel.make({
        llmType: "endless",
        stream: () =>
          Stream.concat(chunks("tick"), Stream.never).pipe(Stream.ensuring(Ref.set(finalized, true)))
      })
      const fiber = yield* Effect.fork(
        Stream.runForEach(model.stream("hi"), () => Deferred.succeed(firstSeen, undefined))
      )
      yield* Deferred.await(firstSeen)
      expect(yield* Ref.get(finalized)).toBe(false)
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(finalized)).toBe(true)
    })
  )

  it.effect("taking fewer chunks than the provider sends closes the provider's stream", () =>
    Effect.gen(function* () {
      const finalized = yield* Ref.make(false)
      const model = ChatModel.make({
        llmType: "endless",
        stream: () =>
          Stream.repeatValue(Message.chunk({ content: "x" })).pipe(Stream.ensuring(Ref.set(finalized, true)))
      })
      const items = yield* collect(Stream.take(model.stream("hi"), 3))
      expect(items).toHaveLength(3)
      expect(yield* Ref.get(finalized)).toBe(true)
    })
  )
})
