// The canned-answer fakes: FakeChatModel.fromResponses, fromMessages and parrot, what they
// answer and how they stream it.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Chunk, Effect, Stream } from "effect"
import { collect, merge, texts } from "./support/fakeChatModel.js"

describe("FakeChatModel.fromResponses", () => {
  it.effect("answers each call with the next response, cycling through the list", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["one", "two"])
      const replies = [yield* fake.invoke("a"), yield* fake.invoke("b"), yield* fake.invoke("c")]
      expect(replies.map((reply) => reply.content)).toEqual(["one", "two", "one"])
    })
  )

  it.effect("streams one chunk per character, only the final chunk marked last", () =>
    Effect.gen(function* () {
      const chunks = yield* collect(FakeChatModel.fromResponses(["abc"]).stream("hi"))
      expect(texts(chunks)).toEqual(["a", "b", "c"])
      expect(chunks.map((chunk) => chunk.last === true)).toEqual([false, false, true])
    })
  )

  it.effect("emits all the characters as one Stream chunk when no chunkLatency is set", () =>
    Effect.gen(function* () {
      const sizes = yield* FakeChatModel.fromResponses(["abcd"])
        .stream("hi")
        .pipe(Stream.chunks, Stream.map(Chunk.size), Stream.runCollect)
      expect(Chunk.toReadonlyArray(sizes)).toEqual([4])
    })
  )

  it.effect("streams an answer that merges to what invoke answers", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello there"])
      const invoked = yield* fake.invoke("hi")
      const merged = merge(yield* collect(fake.stream("hi")))
      expect(merged.content).toBe(invoked.content)
      expect(merged.usageMetadata).toEqual(invoked.usageMetadata)
      expect(merged.responseMetadata).toEqual(invoked.responseMetadata)
    })
  )

  it.effect("reports finishReason stop and the model name in the response metadata", () =>
    Effect.gen(function* () {
      const reply = yield* FakeChatModel.fromResponses(["ok"]).invoke("hi")
      expect(reply.responseMetadata).toMatchObject({ finishReason: "stop", modelName: "fake-list" })
    })
  )

  it.effect("answers invoke through generate, not by draining a stream", () =>
    Effect.gen(function* () {
      // a stream would need the clock to pass 3 hours; invoke answers at once
      const fake = FakeChatModel.fromResponses(["abcd"], { chunkLatency: "1 hour" })
      const reply = yield* fake.invoke("hi")
      expect(reply.content).toBe("abcd")
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("fails every call with a typed error when the list is empty", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(FakeChatModel.fromResponses([]).invoke("hi"))
      expect(error._tag).toBe("ServerError")
      expect(error.retryable).toBe(false)
    })
  )
})

describe("FakeChatModel.fromMessages", () => {
  it.effect("answers with the messages in order, strings as AI messages", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages([Message.ai({ content: "first", name: "bot" }), "second"])
      const first = yield* fake.invoke("a")
      const second = yield* fake.invoke("b")
      expect([first.content, first.name, second.content]).toEqual(["first", "bot", "second"])
    })
  )

  it.effect("reads the iterable lazily, one message per call", () =>
    Effect.gen(function* () {
      let pulled = 0
      const answers = function* () {
        pulled++
        yield "first"
        pulled++
        yield "second"
      }
      const fake = FakeChatModel.fromMessages(answers())
      expect(pulled).toBe(0)
      const reply = yield* fake.invoke("a")
      expect([reply.content, pulled]).toEqual(["first", 1])
    })
  )

  it.effect("streams string content split on whitespace, keeping the whitespace", () =>
    Effect.gen(function* () {
      const chunks = yield* collect(FakeChatModel.fromMessages(["hello big world"]).stream("hi"))
      expect(texts(chunks)).toEqual(["hello", " ", "big", " ", "world"])
      expect(chunks.at(-1)?.last).toBe(true)
    })
  )

  it.effect("streams tool calls as deltas that merge back to the same tool calls", () =>
    Effect.gen(function* () {
      const weather = { id: "call_1", name: "weather", args: { city: "Paris", days: 3 } }
      const time = { id: "call_2", name: "time", args: { zone: "Europe/Paris" } }
      const message = Message.ai({ content: "Checking.", toolCalls: [weather, time] })
      const fake = FakeChatModel.fromMessages([message, message])
      const invoked = yield* fake.invoke("weather?")
      const chunks = yield* collect(fake.stream("weather?"))
      const deltas = chunks.flatMap((chunk) => chunk.toolCallChunks)
      expect(deltas.every((delta) => delta.index !== undefined)).toBe(true)
      expect(deltas.filter((delta) => delta.index === 0).length).toBeGreaterThan(2)
      for (const [index, call] of [weather, time].entries()) {
        const [opening, ...rest] = deltas.filter((delta) => delta.index === index)
        expect(opening).toEqual({ index, id: call.id, name: call.name, args: "" })
        expect(rest.every((delta) => delta.id === undefined && delta.name === undefined)).toBe(true)
      }
      const merged = merge(chunks)
      expect(merged.toolCalls).toEqual([weather, time])
      expect(merged.toolCalls).toEqual(invoked.toolCalls)
      expect(merged.content).toBe(invoked.content)
      expect([merged.responseMetadata.finishReason, invoked.responseMetadata.finishReason]).toEqual([
        "toolCalls",
        "toolCalls"
      ])
    })
  )

  it.effect("streams content blocks one by one with their index, merging back to the invoked content", () =>
    Effect.gen(function* () {
      const blocks: ReadonlyArray<Message.ContentBlock> = [
        { type: "reasoning", reasoning: "think first" },
        { type: "text", text: "one" },
        { type: "text", text: "two" }
      ]
      const fake = FakeChatModel.fromMessages([Message.ai(blocks), Message.ai(blocks)])
      const invoked = yield* fake.invoke("hi")
      const chunks = yield* collect(fake.stream("hi"))
      expect(chunks.map((chunk) => chunk.content)).toEqual(
        blocks.map((block, index) => [{ ...block, index }])
      )
      expect(merge(chunks).content).toEqual(invoked.content)
      expect(invoked.content).toEqual(blocks.map((block, index) => ({ ...block, index })))
    })
  )

  it.effect("fails with a typed, non-retryable ServerError once the messages are exhausted", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages(["only"])
      yield* fake.invoke("a")
      const invokeError = yield* Effect.flip(fake.invoke("b"))
      const streamError = yield* Effect.flip(collect(fake.stream("c")))
      for (const error of [invokeError, streamError]) {
        expect(error).toBeInstanceOf(ChatError.ServerError)
        expect(error.message).toBe("FakeChatModel.fromMessages: no more messages")
        expect(error.retryable).toBe(false)
      }
    })
  )
})

describe("FakeChatModel.parrot", () => {
  it.effect("echoes the text of the last message", () =>
    Effect.gen(function* () {
      const reply = yield* FakeChatModel.parrot().invoke([
        ["system", "be brief"],
        ["user", "polly wants a cracker"]
      ])
      expect(reply.content).toBe("polly wants a cracker")
    })
  )

  it.effect("streams the echo character by character", () =>
    Effect.gen(function* () {
      const chunks = yield* collect(FakeChatModel.parrot().stream("hey"))
      expect(texts(chunks)).toEqual(["h", "e", "y"])
    })
  )
})
