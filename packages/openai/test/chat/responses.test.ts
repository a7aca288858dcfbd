/**
 * Non-streaming answers (`CreateChatCompletionResponse` fixtures): text, tool calls,
 * structured output, refusals, reasoning usage, finish reasons, logprobs, `n` > 1.
 */

import { afterEach, describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import { Effect } from "effect"
import { expectValidRequests, fixture, setup, textMetadata } from "../support/chat.js"

afterEach(expectValidRequests)

describe("OpenAiChatModel invoke", () => {
  it.scoped("text: content, id, metadata, usage", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("text.json"))
      const message = yield* model.invoke("Hello!")
      expect(message).toBeInstanceOf(Message.AIMessage)
      expect(message.content).toBe("Hello! How can I help you today?")
      expect(message.id).toBe("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG")
      expect(message.responseMetadata).toMatchObject(textMetadata)
      expect(message.usageMetadata).toEqual({
        inputTokens: 19,
        outputTokens: 10,
        totalTokens: 29,
        inputTokenDetails: { cacheRead: 0, audio: 0 },
        outputTokenDetails: { reasoning: 0, audio: 0 }
      })
      expect(message.additionalKwargs).toBeUndefined()
    })
  )

  it.scoped("parallel tool calls: parsed args, finish reason toolCalls, cached input tokens", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("tool-calls.json"))
      const message = yield* model.invoke("Weather and time in Paris?")
      expect(message.content).toBe("")
      expect(message.toolCalls).toEqual([
        {
          id: "call_0RiA2RxWdQ9mXY7PHIqbyDvH",
          name: "get_weather",
          args: { city: "Paris", unit: "celsius" }
        },
        { id: "call_k4Cq1jXm9z2rWQ8YtB3vN5sL", name: "get_time", args: { timezone: "Europe/Paris" } }
      ])
      expect(message.invalidToolCalls).toEqual([])
      expect(message.responseMetadata.finishReason).toBe("toolCalls")
      expect(message.responseMetadata.rawFinishReason).toBe("tool_calls")
      expect(message.usageMetadata?.inputTokenDetails?.cacheRead).toBe(64)
      expect(message.usageMetadata?.inputTokens).toBe(82)
    })
  )

  it.scoped("tool-call arguments that are not JSON land in invalidToolCalls", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("invalid-args.json"))
      const message = yield* model.invoke("Weather?")
      expect(message.toolCalls).toEqual([])
      expect(message.invalidToolCalls).toHaveLength(1)
      expect(message.invalidToolCalls[0]).toMatchObject({
        id: "call_bad",
        name: "get_weather",
        args: '{"city": "Par'
      })
      expect(message.invalidToolCalls[0]!.error).toMatch(/not valid JSON/)
    })
  )

  it.scoped("structured output: the JSON text is the content", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("structured.json"), { model: "gpt-4o" })
      const message = yield* model.invoke("Who wrote the first program?")
      expect(JSON.parse(Message.text(message))).toEqual({ name: "Ada Lovelace", born: 1815 })
    })
  )

  it.scoped("a refusal goes to additionalKwargs.refusal with empty content", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("refusal.json"), { model: "gpt-4o" })
      const message = yield* model.invoke("Something harmful")
      expect(message.content).toBe("")
      expect(message.additionalKwargs?.refusal).toBe("I'm sorry, I can't help with that request.")
    })
  )

  it.scoped("reasoning model: reasoning and cached tokens in the usage details", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("reasoning.json"), { model: "o3-mini" })
      const message = yield* model.invoke("What is the answer?")
      expect(message.usageMetadata).toEqual({
        inputTokens: 1250,
        outputTokens: 341,
        totalTokens: 1591,
        inputTokenDetails: { cacheRead: 1024, audio: 0 },
        outputTokenDetails: { reasoning: 320, audio: 0 }
      })
    })
  )

  it.scoped("finish reason length and logprobs", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("length.json"), { logprobs: true, topLogprobs: 0 })
      const message = yield* model.invoke("Tell a story")
      expect(message.responseMetadata.finishReason).toBe("length")
      expect(message.responseMetadata.logprobs).toEqual({
        content: [{ token: "Once", logprob: -0.31, bytes: [79, 110, 99, 101], top_logprobs: [] }],
        refusal: null
      })
    })
  )

  it.scoped("finish reason content_filter is contentFilter", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("content-filter.json"))
      const message = yield* model.invoke("…")
      expect(message.responseMetadata.finishReason).toBe("contentFilter")
      expect(message.responseMetadata.rawFinishReason).toBe("content_filter")
    })
  )

  it.scoped("n = 2 gives two generations; the usage is on the first only", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("n2.json"), { n: 2 })
      const result = yield* model.generate([[Message.human("A color?")]])
      const generations = result.generations[0]!
      expect(generations.map((generation) => generation.text)).toEqual(["Red.", "Blue."])
      expect(generations[0]!.message.usageMetadata?.totalTokens).toBe(21)
      expect(generations[1]!.message.usageMetadata).toBeUndefined()
      expect(result.llmOutput?.tokenUsage?.totalTokens).toBe(21)
      expect(server.requests[0]!.body).toMatchObject({ n: 2 })
    })
  )

  it.scoped("the model in context answers through ChatModel.invoke", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("text.json"))
      const message = yield* ChatModel.invoke("Hello!").pipe(
        Effect.provideService(ChatModel.ChatModel, model)
      )
      expect(message.content).toBe("Hello! How can I help you today?")
    })
  )
})
