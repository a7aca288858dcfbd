// The examples of docs/providers/openai.md, run against loopback servers (no key, no
// network): the Responses API (stateless reasoning round trips, tool call ids, its
// configuration fields, a failed stream).

import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Message } from "@effect-chat/core"
import { OpenAiResponsesModel } from "@effect-chat/openai"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect, Redacted } from "effect"
import * as Docs from "../../src/docs/openai.js"
import { bodyOf, collect, env, key, messageItem, response } from "./support/openai.js"

const reasoningItem = {
  id: "rs_1",
  type: "reasoning",
  summary: [{ type: "summary_text", text: "Compare 9.11 and 9.90." }],
  encrypted_content: "gAAAAB-encrypted-reasoning"
}

describe("the Responses API", () => {
  it.scoped("twoTurns: store false, encrypted reasoning requested and sent back, item ids left out", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.json(response([reasoningItem, messageItem("9.9 is larger.")]))
      )
      const { first } = yield* Docs.twoTurns.pipe(
        Effect.provide(Docs.ResponsesLive),
        env({ OPENAI_API_KEY: key, OPENAI_BASE_URL: `${server.url}/v1` })
      )
      expect(server.requests[0]!.path).toBe("/v1/responses")
      expect(first.content).toEqual([
        {
          type: "reasoning",
          reasoning: "Compare 9.11 and 9.90.",
          encrypted: "gAAAAB-encrypted-reasoning",
          index: 0
        },
        { type: "text", text: "9.9 is larger.", index: 1 }
      ])
      expect(first.usageMetadata).toMatchObject({ outputTokens: 148, outputTokenDetails: { reasoning: 128 } })
      expect(bodyOf(server, 0)).toEqual({
        model: "o4-mini",
        input: [{ type: "message", role: "user", content: "Which is larger, 9.11 or 9.9?" }],
        reasoning: { effort: "low", summary: "auto" },
        store: false,
        include: ["reasoning.encrypted_content"]
      })
      expect(bodyOf(server, 1).input).toEqual([
        { type: "message", role: "user", content: "Which is larger, 9.11 or 9.9?" },
        {
          type: "reasoning",
          id: "rs_1",
          summary: [{ type: "summary_text", text: "Compare 9.11 and 9.90." }],
          encrypted_content: "gAAAAB-encrypted-reasoning"
        },
        { type: "message", role: "assistant", content: "9.9 is larger." },
        { type: "message", role: "user", content: "By how much?" }
      ])
    })
  )

  it.scoped("a tool call's id is the call_id; the item id is kept to send back", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.json(
          response([
            {
              type: "function_call",
              id: "fc_1",
              call_id: "call_abc",
              name: "get_weather",
              arguments: '{"city":"Paris"}',
              status: "completed"
            }
          ])
        )
      )
      const model = yield* OpenAiResponsesModel.make({
        model: "gpt-4.1-mini",
        apiKey: Redacted.make(key),
        baseUrl: `${server.url}/v1`
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const question = Message.human("Weather in Paris?")
      const reply = yield* model.invoke([question])
      expect(reply.toolCalls).toEqual([{ id: "call_abc", name: "get_weather", args: { city: "Paris" } }])
      expect(reply.additionalKwargs?.functionCallItemIds).toEqual({ call_abc: "fc_1" })
      yield* model.invoke([question, reply, Message.tool({ content: "18°C", toolCallId: "call_abc" })])
      expect(bodyOf(server, 1).input).toEqual([
        { type: "message", role: "user", content: "Weather in Paris?" },
        {
          type: "function_call",
          call_id: "call_abc",
          name: "get_weather",
          arguments: '{"city":"Paris"}',
          id: "fc_1"
        },
        { type: "function_call_output", call_id: "call_abc", output: "18°C" }
      ])
    })
  )

  it.scoped("the table: the Responses fields and their wire names; stop is applied on the client", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json(response([messageItem("one two three")])))
      const model = yield* OpenAiResponsesModel.make({
        model: "gpt-4.1-mini",
        apiKey: Redacted.make(key),
        baseUrl: `${server.url}/v1`,
        temperature: 0.3,
        maxTokens: 200,
        topP: 0.8,
        reasoningEffort: "medium",
        reasoningSummary: "concise",
        serviceTier: "priority",
        user: "u-1",
        store: true,
        include: ["file_search_call.results"],
        metadata: { app: "docs" },
        logprobs: true,
        topLogprobs: 2,
        organization: "org-1",
        project: "proj-1"
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const reply = yield* model.invoke("Count", { stop: ["three"], providerOptions: { truncation: "auto" } })
      expect(reply.content).toEqual([{ type: "text", text: "one two ", index: 0 }])
      expect(bodyOf(server)).toEqual({
        model: "gpt-4.1-mini",
        input: [{ type: "message", role: "user", content: "Count" }],
        temperature: 0.3,
        top_p: 0.8,
        max_output_tokens: 200,
        top_logprobs: 2,
        reasoning: { effort: "medium", summary: "concise" },
        service_tier: "priority",
        store: true,
        include: ["file_search_call.results", "message.output_text.logprobs"],
        metadata: { app: "docs" },
        user: "u-1",
        truncation: "auto"
      })
      expect(server.requests[0]!.headers).toMatchObject({
        "openai-organization": "org-1",
        "openai-project": "proj-1"
      })
    })
  )

  it.scoped("response.failed in a stream fails it with a typed error", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.sseReply(
          WireServer.sse([
            { event: "response.created", data: { type: "response.created", response: response([]) } },
            {
              event: "response.failed",
              data: {
                type: "response.failed",
                response: response([], {
                  status: "failed",
                  error: { code: "server_error", message: "The model failed" }
                })
              }
            }
          ])
        )
      )
      const model = yield* OpenAiResponsesModel.make({
        model: "gpt-4.1-mini",
        baseUrl: `${server.url}/v1`
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const error = yield* Effect.flip(collect(model.stream("Hi")))
      expect(error).toMatchObject({ _tag: "ServerError", retryable: true, message: "The model failed" })
    })
  )
})
