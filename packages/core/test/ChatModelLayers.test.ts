// ChatModel.layer, the accessors that call the model in the context, and decorate.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, PromptValue } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { textOf } from "./helpers.js"
import { answering, collect, echo, failing, streaming } from "./support/chatModels.js"

describe("layers and accessors", () => {
  it.effect("ChatModel.layer provides the service under the ChatModel tag", () =>
    Effect.gen(function* () {
      const model = answering("x")
      const provided = yield* Effect.provide(ChatModel.ChatModel, ChatModel.layer(model))
      expect(provided).toBe(model)
    })
  )

  it.effect("ChatModel.invoke calls the model in the context", () =>
    Effect.gen(function* () {
      const reply = yield* ChatModel.invoke("ping").pipe(Effect.provide(ChatModel.layer(echo().model)))
      expect(reply.content).toBe("ping")
    })
  )

  it.effect("ChatModel.stream streams from the model in the context", () =>
    Effect.gen(function* () {
      const items = yield* collect(ChatModel.stream("hi")).pipe(
        Effect.provide(ChatModel.layer(streaming("a", "b").model))
      )
      expect(textOf(items)).toBe("ab")
      expect(items.at(-1)!.last).toBe(true)
    })
  )

  it.effect("ChatModel.batch calls the model in the context, with and without returnExceptions", () =>
    Effect.gen(function* () {
      const layer = ChatModel.layer(echo().model)
      const replies = yield* ChatModel.batch(["a", "b"], { concurrency: 1 }).pipe(Effect.provide(layer))
      expect(replies.map((reply) => reply.content)).toEqual(["a", "b"])
      const outcomes = yield* ChatModel.batch(["c", []], { returnExceptions: true }).pipe(
        Effect.provide(layer)
      )
      expect(outcomes.map((outcome) => Either.isRight(outcome))).toEqual([true, false])
    })
  )

  it.effect("ChatModel.batchAsCompleted streams from the model in the context", () =>
    Effect.gen(function* () {
      const results = yield* collect(ChatModel.batchAsCompleted(["a"])).pipe(
        Effect.provide(ChatModel.layer(echo().model))
      )
      expect(results).toHaveLength(1)
      expect(results[0]![0]).toBe(0)
    })
  )

  it.effect("ChatModel.generate and ChatModel.generatePrompt call the model in the context", () =>
    Effect.gen(function* () {
      const layer = ChatModel.layer(echo().model)
      const generated = yield* ChatModel.generate([["a"], ["b"]]).pipe(Effect.provide(layer))
      expect(generated.generations.map((generations) => generations[0]!.text)).toEqual(["a", "b"])
      const prompted = yield* ChatModel.generatePrompt([PromptValue.fromString("c")]).pipe(
        Effect.provide(layer)
      )
      expect(prompted.generations[0]![0]!.text).toBe("c")
    })
  )

  it.effect("ChatModel.streamEvents streams the events of the model in the context", () =>
    Effect.gen(function* () {
      const events = yield* collect(ChatModel.streamEvents("hi")).pipe(
        Effect.provide(ChatModel.layer(streaming("a").model))
      )
      expect(events.map((event) => event.event)).toEqual([
        "on_chat_model_start",
        "on_chat_model_stream",
        "on_chat_model_stream",
        "on_chat_model_end"
      ])
    })
  )

  it.effect("ChatModel.decorate applies a combinator to the model of a layer", () =>
    Effect.gen(function* () {
      const backup = answering("from backup")
      const layer = ChatModel.layer(failing(new ChatError.ServerError({ message: "down" }))).pipe(
        ChatModel.decorate(ChatModel.withFallbacks([backup]))
      )
      const reply = yield* ChatModel.invoke("hi").pipe(Effect.provide(layer))
      expect(reply.content).toBe("from backup")
      const undecorated = yield* Effect.flip(
        ChatModel.invoke("hi").pipe(
          Effect.provide(ChatModel.layer(failing(new ChatError.ServerError({ message: "down" }))))
        )
      )
      expect(undecorated).toBeInstanceOf(ChatError.ServerError)
    })
  )

  it.effect("a decorated model keeps the llmType, identifyingParams and profile of the original", () =>
    Effect.gen(function* () {
      const original = answering("x")
      const decorated = yield* Effect.provide(
        ChatModel.ChatModel,
        ChatModel.layer(original).pipe(ChatModel.decorate(ChatModel.withRetry()))
      )
      expect(decorated).not.toBe(original)
      expect(ChatModel.isChatModel(decorated)).toBe(true)
      expect(decorated.llmType).toBe(original.llmType)
      expect(decorated.identifyingParams).toEqual(original.identifyingParams)
      expect(decorated.profile).toEqual(original.profile)
    })
  )
})
