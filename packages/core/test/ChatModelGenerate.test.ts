// ChatModel's generate and generatePrompt: generations per conversation, summed usage,
// run ids, concurrency and errors.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message, PromptValue } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { lastText, result } from "./helpers.js"
import { counting, echo } from "./support/chatModels.js"

describe("generate", () => {
  const usageModel = () => {
    const requests: Array<ChatModel.ChatRequest> = []
    const model = ChatModel.make({
      llmType: "usage",
      identifyingParams: { model: "usage-1" },
      generate: (request) =>
        Effect.sync(() => {
          requests.push(request)
          const text = lastText(request)
          return result({
            content: `re: ${text}`,
            usageMetadata: { inputTokens: text.length, outputTokens: 10, totalTokens: text.length + 10 }
          })
        })
    })
    return { model, requests }
  }

  it.effect("returns one list of generations per conversation, in order", () =>
    Effect.gen(function* () {
      const { model } = usageModel()
      const generated = yield* model.generate([
        [["user", "one"]],
        [
          ["system", "terse"],
          ["user", "three"]
        ]
      ])
      expect(generated.generations).toHaveLength(2)
      expect(
        generated.generations.map((generations) => generations.map((generation) => generation.text))
      ).toEqual([["re: one"], ["re: three"]])
      expect(generated.generations[1]![0]!.message).toBeInstanceOf(Message.AIMessage)
    })
  )

  it.effect("sums the token usage of every conversation in llmOutput.tokenUsage", () =>
    Effect.gen(function* () {
      const { model } = usageModel()
      const generated = yield* model.generate([["abc"], ["abcdefg"]])
      expect(generated.llmOutput?.tokenUsage).toEqual({ inputTokens: 10, outputTokens: 20, totalTokens: 30 })
      expect(generated.llmOutput?.modelName).toBe("usage-1")
    })
  )

  it.effect("reports no tokenUsage when the provider reports no usage", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const generated = yield* model.generate([["a"], ["b"]])
      expect(generated.llmOutput?.tokenUsage).toBeUndefined()
    })
  )

  it.effect("gives each conversation its own run id, matching its message id", () =>
    Effect.gen(function* () {
      const { model, requests } = usageModel()
      const generated = yield* model.generate([["a"], ["b"], ["c"]])
      expect(generated.run).toHaveLength(3)
      const runIds = generated.run.map((run) => run.runId)
      expect(new Set(runIds).size).toBe(3)
      expect(new Set(requests.map((request) => request.runId))).toEqual(new Set(runIds))
      expect(generated.generations.map((generations) => generations[0]!.message.id)).toEqual(
        runIds.map((runId) => `run-${runId}`)
      )
    })
  )

  it.effect("runs every conversation to its end before reporting the first error", () =>
    Effect.gen(function* () {
      let completed = 0
      const model = ChatModel.make({
        llmType: "mixed",
        generate: (request) =>
          lastText(request) === "fail"
            ? Effect.fail(new ChatError.ServerError({ message: "boom" }))
            : Effect.delay(
                Effect.sync(() => {
                  completed++
                  return result("slow answer")
                }),
                "5 seconds"
              )
      })
      const fiber = yield* Effect.fork(model.generate([["fail"], ["slow"], ["slow"]]))
      yield* TestClock.adjust("4 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      expect(completed).toBe(0)
      yield* TestClock.adjust("1 second")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(completed).toBe(2)
    })
  )

  it.effect("honours the concurrency option", () =>
    Effect.gen(function* () {
      const model = counting()
      const conversations = Array.from({ length: 7 }, (_, index) => [`q${index}`])
      const fiber = yield* Effect.fork(model.model.generate(conversations, { concurrency: 2 }))
      yield* TestClock.adjust("10 seconds")
      const generated = yield* Fiber.join(fiber)
      expect(generated.generations).toHaveLength(7)
      expect(model.maxInFlight).toBe(2)
    })
  )

  it.effect("fails with InvalidInputError when a conversation is invalid", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const error = yield* Effect.flip(model.generate([["fine"], []]))
      expect(error).toBeInstanceOf(ChatError.InvalidInputError)
    })
  )

  it.effect("generatePrompt runs PromptValues like generate runs conversations", () =>
    Effect.gen(function* () {
      const { model, requests } = usageModel()
      const generated = yield* model.generatePrompt([
        PromptValue.fromString("first"),
        PromptValue.fromMessages([Message.system("be terse"), Message.human("second")])
      ])
      expect(generated.generations.map((generations) => generations[0]!.text)).toEqual([
        "re: first",
        "re: second"
      ])
      expect(generated.run).toHaveLength(2)
      expect(generated.llmOutput?.tokenUsage).toEqual({ inputTokens: 11, outputTokens: 20, totalTokens: 31 })
      const byText = new Map(
        requests.map((request) => [lastText(request), request.messages.map((m) => m._tag)])
      )
      expect(byText.get("first")).toEqual(["HumanMessage"])
      expect(byText.get("second")).toEqual(["SystemMessage", "HumanMessage"])
    })
  )
})
