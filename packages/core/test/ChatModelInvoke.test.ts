// ChatModel.make and invoke: run ids, model names, input normalization, request options,
// errors and timeouts.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message, PromptValue } from "@effect-chat/core"
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { chunks, result } from "./helpers.js"
import { answering, echo, failing } from "./support/chatModels.js"

describe("ChatModel.make", () => {
  it("builds a service that isChatModel recognizes, with the protocol's llmType and identifyingParams", () => {
    const model = ChatModel.make({
      llmType: "custom",
      identifyingParams: { model: "m-1", temperature: 0.2 },
      generate: () => Effect.succeed(result("x"))
    })
    expect(ChatModel.isChatModel(model)).toBe(true)
    expect(ChatModel.isChatModel({ invoke: () => undefined })).toBe(false)
    expect(model.llmType).toBe("custom")
    expect(model.identifyingParams).toEqual({ model: "m-1", temperature: 0.2 })
  })
})

describe("invoke", () => {
  it.effect("returns the provider's message with the id run-<runId> when the provider gives none", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      const reply = yield* model.invoke("hello")
      expect(reply).toBeInstanceOf(Message.AIMessage)
      expect(reply.content).toBe("hello")
      expect(requests).toHaveLength(1)
      expect(reply.id).toBe(`run-${requests[0]!.runId}`)
      expect(requests[0]!.runId).toMatch(/^[0-9a-f-]{36}$/)
    })
  )

  it.effect("uses the runId option as the run id and the message id", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      const reply = yield* model.invoke("hello", { runId: "run-id-42" })
      expect(requests[0]!.runId).toBe("run-id-42")
      expect(reply.id).toBe("run-run-id-42")
    })
  )

  it.effect("makes a fresh run id for every call", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const first = yield* model.invoke("a")
      const second = yield* model.invoke("b")
      expect(first.id).not.toBe(second.id)
    })
  )

  it.effect("keeps the id the provider gives", () =>
    Effect.gen(function* () {
      const reply = yield* answering("x", { id: "msg_provider" }).invoke("hi")
      expect(reply.id).toBe("msg_provider")
    })
  )

  it.effect("fills responseMetadata.modelName from identifyingParams.model", () =>
    Effect.gen(function* () {
      const reply = yield* answering("x").invoke("hi")
      expect(reply.responseMetadata.modelName).toBe("fixed-1")
    })
  )

  it.effect("keeps the modelName the provider reports", () =>
    Effect.gen(function* () {
      const reply = yield* answering("x", { responseMetadata: { modelName: "fixed-1-2025" } }).invoke("hi")
      expect(reply.responseMetadata.modelName).toBe("fixed-1-2025")
    })
  )

  it.effect("uses the llmType as modelName when identifyingParams has no model", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({ llmType: "nameless", generate: () => Effect.succeed(result("x")) })
      const reply = yield* model.invoke("hi")
      expect(reply.responseMetadata.modelName).toBe("nameless")
    })
  )

  it.effect("derives the generation text from the message when the provider gives none", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "blocks",
        generate: () =>
          Effect.succeed({
            generations: [
              {
                message: {
                  content: [
                    { type: "text", text: "Hello " },
                    { type: "text", text: "world" }
                  ]
                }
              }
            ]
          })
      })
      const generated = yield* model.generate([["hi"]])
      expect(generated.generations[0]![0]!.text).toBe("Hello world")
      expect(generated.generations[0]![0]!.message).toBeInstanceOf(Message.AIMessage)
    })
  )

  it.effect("normalizes every kind of input into messages for the provider", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      yield* model.invoke([
        ["system", "Be brief."],
        { role: "user", content: "one" },
        Message.ai("two"),
        "three"
      ])
      yield* model.invoke(PromptValue.fromString("four"))
      expect(requests[0]!.messages.map((message) => message._tag)).toEqual([
        "SystemMessage",
        "HumanMessage",
        "AIMessage",
        "HumanMessage"
      ])
      expect(requests[0]!.messages.map((message) => Message.text(message))).toEqual([
        "Be brief.",
        "one",
        "two",
        "three"
      ])
      expect(requests[1]!.messages.map((message) => message._tag)).toEqual(["HumanMessage"])
    })
  )

  it.effect("fails with InvalidInputError for an unknown role", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      const exit = yield* Effect.exit(model.invoke([["robot", "beep"]]))
      expect(Exit.isFailure(exit) && Option.getOrUndefined(Cause.failureOption(exit.cause))).toBeInstanceOf(
        ChatError.InvalidInputError
      )
      expect(requests).toHaveLength(0)
    })
  )

  it.effect("fails with InvalidInputError (not a defect) for a number given as a message", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const input = [42] as unknown as Message.ChatInput
      const exit = yield* Effect.exit(model.invoke(input))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        expect(Cause.isDie(exit.cause)).toBe(false)
        expect(Option.getOrUndefined(Cause.failureOption(exit.cause))).toBeInstanceOf(
          ChatError.InvalidInputError
        )
      }
    })
  )

  it.effect("fails with InvalidInputError for an empty list of messages", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const error = yield* Effect.flip(model.invoke([]))
      expect(error._tag).toBe("InvalidInputError")
      expect(error.retryable).toBe(false)
    })
  )

  it("does not throw when building a call with bad input (the failure is in the effect)", () => {
    const { model } = echo()
    const input = [null, 42] as unknown as Message.ChatInput
    expect(() => model.invoke(input)).not.toThrow()
    expect(() => model.stream(input)).not.toThrow()
  })

  it.effect("passes stop, tags, metadata and providerOptions to the provider's request", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      yield* model.invoke("hi", {
        stop: ["END"],
        tags: ["a", "b"],
        metadata: { user: "ada" },
        providerOptions: { reasoningEffort: "low" }
      })
      const request = requests[0]!
      expect(request.stop).toEqual(["END"])
      expect(request.tags).toEqual(["a", "b"])
      expect(request.metadata).toEqual({ user: "ada" })
      expect(request.providerOptions).toEqual({ reasoningEffort: "low" })
      expect(request.tools).toEqual([])
    })
  )

  it.effect("fails with the provider's typed error", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        failing(new ChatError.ServerError({ message: "boom", status: 500 })).invoke("hi")
      )
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(error.message).toBe("boom")
    })
  )

  it.effect("fails with TimeoutError when the answer takes longer than the timeout option", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: () => "10 seconds" })
      const fiber = yield* Effect.fork(model.invoke("hi", { timeout: "1 second" }))
      yield* TestClock.adjust("999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error).toBeInstanceOf(ChatError.TimeoutError)
      expect(error.retryable).toBe(true)
    })
  )

  it.effect("succeeds when the answer arrives within the timeout", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: () => "500 millis" })
      const fiber = yield* Effect.fork(model.invoke("hi", { timeout: "1 second" }))
      yield* TestClock.adjust("1 second")
      const reply = yield* Fiber.join(fiber)
      expect(reply.content).toBe("hi")
    })
  )

  it.effect("a timed-out invoke interrupts the provider's request", () =>
    Effect.gen(function* () {
      const interrupted = yield* Ref.make(false)
      const model = ChatModel.make({
        llmType: "hanging",
        generate: () => Effect.never.pipe(Effect.onInterrupt(() => Ref.set(interrupted, true)))
      })
      const fiber = yield* Effect.fork(model.invoke("hi", { timeout: "3 seconds" }))
      yield* TestClock.adjust("3 seconds")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error).toBeInstanceOf(ChatError.TimeoutError)
      expect(yield* Ref.get(interrupted)).toBe(true)
    })
  )

  it.effect("interrupting invoke of a stream-only provider runs the provider stream's finalizer", () =>
    Effect.gen(function* () {
      const finalized = yield* Ref.make(false)
      const started = yield* Deferred.make<void>()
      const model = ChatModel.make({
        llmType: "endless",
        stream: () =>
          Stream.concat(
            chunks("a"),
            Stream.fromEffect(Effect.zipRight(Deferred.succeed(started, undefined), Effect.never))
          ).pipe(Stream.ensuring(Ref.set(finalized, true)))
      })
      const fiber = yield* Effect.fork(model.invoke("hi"))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(finalized)).toBe(true)
    })
  )
})
