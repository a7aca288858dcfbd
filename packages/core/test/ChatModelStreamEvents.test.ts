// ChatModel's streamEvents: the start, stream and end events and what they carry.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { merge } from "./helpers.js"
import { collect, streaming } from "./support/chatModels.js"

describe("streamEvents", () => {
  it.effect("emits start, one stream event per chunk, then end, all with the same runId", () =>
    Effect.gen(function* () {
      const events = yield* collect(streaming("Hel", "lo").model.streamEvents("hi", { runId: "ev-1" }))
      expect(events.map((event) => event.event)).toEqual([
        "on_chat_model_start",
        "on_chat_model_stream",
        "on_chat_model_stream",
        "on_chat_model_stream",
        "on_chat_model_end"
      ])
      expect(new Set(events.map((event) => event.runId))).toEqual(new Set(["ev-1"]))
    })
  )

  it.effect("the start event carries the input messages", () =>
    Effect.gen(function* () {
      const events = yield* collect(
        streaming("x").model.streamEvents([
          ["system", "terse"],
          ["user", "hi"]
        ])
      )
      const start = events[0]!
      expect(
        start.event === "on_chat_model_start" && start.data.input.map((message) => message._tag)
      ).toEqual(["SystemMessage", "HumanMessage"])
    })
  )

  it.effect("the end event's output equals the merged chunks of the stream events", () =>
    Effect.gen(function* () {
      const events = yield* collect(
        streaming("Hel", "lo", {
          content: "",
          usageMetadata: { inputTokens: 2, outputTokens: 3, totalTokens: 5 },
          responseMetadata: { finishReason: "stop" }
        }).model.streamEvents("hi")
      )
      const streamed: Array<Message.AIMessageChunk> = []
      let output: Message.AIMessage | undefined
      for (const event of events) {
        if (event.event === "on_chat_model_stream") streamed.push(event.data.chunk)
        if (event.event === "on_chat_model_end") output = event.data.output
      }
      expect(output).toEqual(Message.toMessage(merge(streamed)))
      expect(output?.content).toBe("Hello")
      expect(output?.usageMetadata).toEqual({ inputTokens: 2, outputTokens: 3, totalTokens: 5 })
      expect(output?.id).toBe(`run-${events[0]!.runId}`)
    })
  )

  it.effect("carries runName as name, tags and metadata on every event", () =>
    Effect.gen(function* () {
      const events = yield* collect(
        streaming("x").model.streamEvents("hi", { runName: "my-run", tags: ["t"], metadata: { k: 1 } })
      )
      for (const event of events) {
        expect(event.name).toBe("my-run")
        expect(event.tags).toEqual(["t"])
        expect(event.metadata).toEqual({ k: 1 })
        expect(event.parentIds).toEqual([])
      }
    })
  )

  it.effect("names events after the llmType when no runName is given", () =>
    Effect.gen(function* () {
      const events = yield* collect(streaming("x").model.streamEvents("hi"))
      expect(events[0]!.name).toBe("streaming")
    })
  )

  it.effect("fails with the provider's error after the start event", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "broken",
        stream: () => Stream.fail(new ChatError.ServerError({ message: "down" }))
      })
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Stream.runForEach(model.streamEvents("hi"), (event) => Effect.sync(() => seen.push(event.event)))
      )
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(seen).toEqual(["on_chat_model_start"])
    })
  )
})
