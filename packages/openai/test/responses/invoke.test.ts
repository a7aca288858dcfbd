/**
 * Non-streaming calls of `OpenAiResponsesModel` against Responses API fixtures (written
 * from OpenAI's API reference) served on 127.0.0.1: text, function calls, bad
 * arguments, structured output, reasoning, refusals, incomplete answers, usage, the
 * response metadata, and error responses mapped to typed errors.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { apiKey, bodyOf, expectValidRequests, fixture, setup } from "../support/responses.js"

afterEach(expectValidRequests)

const failure = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(effect)

describe("OpenAiResponsesModel invoke", () => {
  it.scoped("answers text: blocks, id, metadata, usage, item ids", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"))
      const answer = yield* model.invoke("Hello")
      expect(answer).toBeInstanceOf(Message.AIMessage)
      expect(answer.content).toEqual([{ type: "text", text: "Hello! How can I help you today?", index: 0 }])
      expect(Message.text(answer)).toBe("Hello! How can I help you today?")
      expect(answer.id).toBe("resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41")
      expect(answer.responseMetadata).toEqual({
        id: "resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41",
        modelName: "gpt-4.1-mini-2025-04-14",
        finishReason: "stop",
        rawFinishReason: "completed",
        serviceTier: "default"
      })
      expect(answer.usageMetadata).toEqual({
        inputTokens: 328,
        outputTokens: 52,
        totalTokens: 380,
        inputTokenDetails: { cacheRead: 256, cacheCreation: 0 },
        outputTokenDetails: { reasoning: 0 }
      })
      expect(answer.additionalKwargs).toEqual({
        itemIds: { "0": "msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41" }
      })
      expect(answer.toolCalls).toEqual([])
      const request = server.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.path).toBe("/v1/responses")
      expect(request.headers.authorization).toBe(`Bearer ${apiKey}`)
      expect(request.headers.accept).toBe("application/json")
      expect(request.body).toEqual({
        model: "gpt-4.1-mini",
        input: [{ type: "message", role: "user", content: "Hello" }]
      })
    })
  )

  it.scoped("keeps several text parts and messages apart, each with its item id", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("multipart.json"))
      const answer = yield* model.invoke("Hello")
      expect(answer.content).toEqual([
        { type: "text", text: "First part. ", index: 0 },
        { type: "text", text: "Second part.", index: 1 },
        { type: "text", text: "Another message.", index: 2 }
      ])
      expect(answer.additionalKwargs?.itemIds).toEqual({
        "0": "msg_multi_1",
        "1": "msg_multi_1",
        "2": "msg_multi_2"
      })
    })
  )

  it.scoped("answers parallel function calls: the tool call id is the call_id, the item id is kept", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("function-calls.json"))
      const answer = yield* model.invoke("Weather in Paris and Tokyo?")
      expect(answer.toolCalls).toEqual([
        { id: "call_unLAR8MvFNptuiZK6K6HCy5k", name: "get_weather", args: { city: "Paris" } },
        { id: "call_9FKd8vLyyS8FTEtrwNvDp0gq", name: "get_weather", args: { city: "Tokyo" } }
      ])
      expect(answer.invalidToolCalls).toEqual([])
      expect(answer.content).toBe("")
      expect(answer.responseMetadata.finishReason).toBe("toolCalls")
      expect(answer.responseMetadata.rawFinishReason).toBe("completed")
      expect(answer.additionalKwargs?.functionCallItemIds).toEqual({
        call_unLAR8MvFNptuiZK6K6HCy5k: "fc_67ca09c6bedc8190a7abfec07b1a1332096610f474011cc0",
        call_9FKd8vLyyS8FTEtrwNvDp0gq: "fc_67ca09c6bedc8190a7abfec07b1a1332096610f474011cc1"
      })
    })
  )

  it.scoped("moves a call whose arguments are not JSON to invalidToolCalls", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("bad-call.json"))
      const answer = yield* model.invoke("Weather in Paris?")
      expect(answer.toolCalls).toEqual([])
      expect(answer.invalidToolCalls).toHaveLength(1)
      expect(answer.invalidToolCalls[0]).toMatchObject({
        id: "call_bad",
        name: "get_weather",
        args: '{"city":"Par'
      })
      expect(answer.invalidToolCalls[0]!.error).toContain("not valid JSON")
      expect(answer.responseMetadata.finishReason).toBe("toolCalls")
    })
  )

  it.scoped("decodes structured output sent as text.format json_schema", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("structured.json"))
      const Answer = Schema.Struct({ answer: Schema.Number, explanation: Schema.String })
      const structured = model.pipe(
        ChatModel.withStructuredOutput(Answer, { name: "Answer", method: "jsonSchema" })
      )
      const value = yield* structured.invoke("What is 2 + 2?")
      expect(value).toEqual({ answer: 4, explanation: "2 + 2 = 4" })
      const format = (bodyOf(server).text as { format: Record<string, unknown> }).format
      expect(format).toMatchObject({ type: "json_schema", name: "Answer", strict: true })
      expect(format.schema).toMatchObject({
        type: "object",
        required: ["answer", "explanation"],
        additionalProperties: false
      })
    })
  )

  it.scoped("turns reasoning items into reasoning blocks with their encrypted content", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("reasoning.json"), { model: "o4-mini" })
      const answer = yield* model.invoke("What is 2 + 2?")
      expect(answer.content).toEqual([
        {
          type: "reasoning",
          reasoning: "**Adding numbers**\n\nThe user asks for 2 + 2.\n\n**Answering**\n\nThe sum is 4.",
          encrypted: "gAAAAABoBr_Kencrypted-reasoning-blob-0123456789abcdef==",
          index: 0
        },
        { type: "text", text: "2 + 2 = 4.", index: 1 }
      ])
      expect(Message.text(answer)).toBe("2 + 2 = 4.")
      expect(answer.additionalKwargs?.itemIds).toEqual({
        "0": "rs_6806bfca0b2481918a5748308061a2600d3ce51bdffd5476",
        "1": "msg_6806bfcd2a748191a8d4e9ec3e0d7ab60d3ce51bdffd5476"
      })
      expect(answer.usageMetadata?.outputTokenDetails).toEqual({ reasoning: 128 })
      expect(answer.responseMetadata.modelName).toBe("o4-mini-2025-04-16")
    })
  )

  it.scoped("puts a refusal in additionalKwargs.refusal", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("refusal.json"))
      const answer = yield* model.invoke("Something I should not answer")
      expect(answer.content).toBe("")
      expect(answer.additionalKwargs?.refusal).toBe("I'm sorry, I can't help with that.")
      expect(answer.responseMetadata.finishReason).toBe("stop")
    })
  )

  it.scoped("maps an incomplete response (max_output_tokens) to finish reason length", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("incomplete.json"), { maxTokens: 16 })
      const answer = yield* model.invoke("Tell me a story")
      expect(Message.text(answer)).toBe("Once upon a time, there")
      expect(answer.responseMetadata.finishReason).toBe("length")
      expect(answer.responseMetadata.rawFinishReason).toBe("max_output_tokens")
    })
  )

  it.scoped("maps incomplete_details content_filter to finish reason contentFilter", () =>
    Effect.gen(function* () {
      const body = {
        id: "resp_filtered",
        object: "response",
        status: "incomplete",
        incomplete_details: { reason: "content_filter" },
        model: "gpt-4.1-mini",
        output: [],
        usage: null
      }
      const { model } = yield* setup(WireServer.json(body))
      const answer = yield* model.invoke("Hello")
      expect(answer.responseMetadata.finishReason).toBe("contentFilter")
      expect(answer.responseMetadata.rawFinishReason).toBe("content_filter")
      expect(answer.usageMetadata).toBeUndefined()
    })
  )

  it.scoped("fails with the typed error of a response whose status is failed", () =>
    Effect.gen(function* () {
      const body = {
        id: "resp_failed",
        object: "response",
        status: "failed",
        error: { code: "invalid_prompt", message: "Invalid prompt: flagged." },
        model: "gpt-4.1-mini",
        output: []
      }
      const { model } = yield* setup(WireServer.json(body))
      const error = yield* failure(model.invoke("Hello"))
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
      expect(error.message).toBe("Invalid prompt: flagged.")
      expect(error.retryable).toBe(false)
    })
  )

  it.scoped("fails with MalformedResponseError on a body that is not a response", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(WireServer.json({ object: "list", data: [] }))
      const error = yield* failure(model.invoke("Hello"))
      expect(error).toBeInstanceOf(ChatError.MalformedResponseError)
    })
  )

  it.scoped("maps 401, 429 with retry-after, 500 and context-length errors", () =>
    Effect.gen(function* () {
      const { model } = yield* setup([
        WireServer.errorReply(401, {
          message: "Incorrect API key provided",
          type: "invalid_request_error",
          code: "invalid_api_key"
        }),
        WireServer.rateLimited({ retryAfter: "7" }),
        WireServer.serverError(500),
        WireServer.errorReply(400, {
          message: "Your input exceeds the context window of this model.",
          type: "invalid_request_error",
          code: "context_length_exceeded"
        })
      ])
      const unauthorized = yield* failure(model.invoke("Hello"))
      expect(unauthorized).toBeInstanceOf(ChatError.AuthenticationError)
      expect(unauthorized.retryable).toBe(false)
      expect(unauthorized.message).not.toContain(apiKey)
      const limited = yield* failure(model.invoke("Hello"))
      expect(limited).toBeInstanceOf(ChatError.RateLimitError)
      expect(limited.retryable).toBe(true)
      if (limited._tag === "RateLimitError") expect(limited.retryAfter).toEqual(Duration.seconds(7))
      const server = yield* failure(model.invoke("Hello"))
      expect(server).toBeInstanceOf(ChatError.ServerError)
      expect(server.retryable).toBe(true)
      expect(server).toMatchObject({ status: 500, provider: "openai" })
      const tooLong = yield* failure(model.invoke("Hello"))
      expect(tooLong).toBeInstanceOf(ChatError.ContextLengthExceededError)
    })
  )
})
