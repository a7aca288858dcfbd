import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import { Effect, FastCheck as fc, Stream } from "effect"

const pieceArb = fc.record(
  {
    content: fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.array(
        fc.record({
          type: fc.constant("text" as const),
          text: fc.string({ maxLength: 5 }),
          index: fc.nat(1)
        }),
        {
          maxLength: 2
        }
      )
    ),
    toolCallChunks: fc.array(
      fc.record(
        { index: fc.nat(1), args: fc.constantFrom("", "{", '"a"', ":1", "}") },
        { requiredKeys: ["index"] }
      ),
      { maxLength: 2 }
    ),
    usageMetadata: fc
      .record({ inputTokens: fc.nat(9), outputTokens: fc.nat(9) })
      .map((usage) => ({ ...usage, totalTokens: usage.inputTokens + usage.outputTokens }))
  },
  { requiredKeys: ["content"] }
)

describe("generate from stream", () => {
  it.prop(
    "invoke on a stream-only model equals folding its chunks with concat and toMessage",
    [fc.array(pieceArb, { minLength: 1, maxLength: 8 })],
    ([pieces]) => {
      const chunks = pieces.map((fields) => Message.chunk(fields))
      const model = ChatModel.make({
        llmType: "stream-only",
        identifyingParams: { model: "m" },
        stream: () => Stream.fromIterable(chunks)
      })
      const invoked = Effect.runSync(model.invoke("hi", { runId: "r" }))
      const folded = Message.toMessage(chunks.reduce(Message.concat, Message.chunk({ content: "" })))
      expect(invoked.content).toEqual(folded.content)
      expect(invoked.toolCalls).toEqual(folded.toolCalls)
      expect(invoked.invalidToolCalls).toEqual(folded.invalidToolCalls)
      expect(invoked.usageMetadata).toEqual(folded.usageMetadata)
      expect(invoked.id).toBe("run-r")
      expect(invoked.responseMetadata).toEqual({ modelName: "m", ...folded.responseMetadata })
    }
  )

  it.prop(
    "the merged stream of a stream-only model equals its invoke",
    [fc.array(pieceArb, { minLength: 1, maxLength: 8 })],
    ([pieces]) => {
      const chunks = pieces.map((fields) => Message.chunk(fields))
      const model = ChatModel.make({ llmType: "stream-only", stream: () => Stream.fromIterable(chunks) })
      const streamed = Effect.runSync(
        Stream.runFold(model.stream("hi", { runId: "r" }), Message.chunk({ content: "" }), Message.concat)
      )
      const invoked = Effect.runSync(model.invoke("hi", { runId: "r" }))
      expect(Message.toMessage(streamed)).toEqual(invoked)
    }
  )
})

describe("generate from a large stream", () => {
  it.effect("merges 50,000 chunks emitted as one Stream chunk without overflowing the stack", () =>
    Effect.gen(function* () {
      const chunks = Array.from({ length: 50_000 }, () => Message.chunk({ content: "x" }))
      const model = ChatModel.make({ llmType: "big", stream: () => Stream.fromIterable(chunks) })
      const answer = yield* model.invoke("hi")
      expect(Message.text(answer).length).toBe(50_000)
    })
  )
})
