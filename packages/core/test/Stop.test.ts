import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import { Chunk, Effect, Stream } from "effect"

const streaming = (pieces: ReadonlyArray<Message.Content>) =>
  ChatModel.make({
    llmType: "s",
    stream: () => Stream.fromIterable(pieces.map((content) => Message.chunk({ content })))
  })

const streamedText = (model: ChatModel.Service, stop: ReadonlyArray<string>) =>
  Effect.map(Stream.runCollect(model.stream("hi", { stop })), (chunks) =>
    Message.text(Chunk.toReadonlyArray(chunks).reduce(Message.concat, Message.chunk({ content: "" })))
  )

describe("stop sequences", () => {
  it.effect("cut invoke output with block content", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "g",
        generate: () =>
          Effect.succeed({
            generations: [
              {
                message: Message.ai([
                  { type: "reasoning", reasoning: "r" },
                  { type: "text", text: "one two" },
                  { type: "text", text: " three" }
                ])
              }
            ]
          })
      })
      const reply = yield* model.invoke("hi", { stop: ["o t"] })
      expect(reply.content).toEqual([
        { type: "reasoning", reasoning: "r" },
        { type: "text", text: "one tw" }
      ])
      expect(reply.responseMetadata.finishReason).toBe("stop")
    })
  )

  it.effect("cut a streamed answer split across chunk boundaries", () =>
    Effect.gen(function* () {
      expect(yield* streamedText(streaming(["one t", "w", "o three"]), ["two"])).toBe("one ")
    })
  )

  it.effect("hold back nothing once a prefix turns out not to be a stop sequence", () =>
    Effect.gen(function* () {
      expect(yield* streamedText(streaming(["one t", "hree"]), ["two"])).toBe("one three")
    })
  )

  it.effect("cut streamed block content and drop the text after it", () =>
    Effect.gen(function* () {
      const model = streaming([
        [{ type: "text", text: "one two", index: 0 }],
        [{ type: "text", text: " three", index: 0 }]
      ])
      expect(yield* streamedText(model, ["two"])).toBe("one ")
    })
  )
})
