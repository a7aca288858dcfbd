/**
 * Multi-turn round trips of `OpenAiResponsesModel`: what an answer carries (reasoning
 * with its encrypted content, message and function-call item ids, call ids) goes back
 * as the next request's input items, whether the answer was invoked or streamed, and
 * after the message was encoded to JSON and decoded back; with `store: false` the ids
 * the server did not keep are left out.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { ChatModel, Message, Tool } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { bodyOf, collect, expectValidRequests, finish, fixture, setup } from "../support/responses.js"

afterEach(expectValidRequests)

const question = Message.human("What is 2 + 2?")
const followUp = Message.human("And 3 + 3?")

const reasoningItem = {
  type: "reasoning",
  id: "rs_6806bfca0b2481918a5748308061a2600d3ce51bdffd5476",
  summary: [
    {
      type: "summary_text",
      text: "**Adding numbers**\n\nThe user asks for 2 + 2.\n\n**Answering**\n\nThe sum is 4."
    }
  ],
  encrypted_content: "gAAAAABoBr_Kencrypted-reasoning-blob-0123456789abcdef=="
}

const weather = Tool.make("get_weather", {
  description: "Current weather of a city",
  parameters: Schema.Struct({ city: Schema.String }),
  handler: ({ city }) => Effect.succeed(`18°C in ${city}`)
})

describe("OpenAiResponsesModel round trips", () => {
  it.scoped("store: false sends reasoning back with its encrypted content, the text without item ids", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup([fixture("reasoning.json"), fixture("text.json")], {
        model: "o4-mini",
        store: false,
        reasoningSummary: "detailed"
      })
      const answer = yield* model.invoke([question])
      yield* model.invoke([question, answer, followUp])
      const body = bodyOf(server, 1)
      expect(body.store).toBe(false)
      expect(body.include).toEqual(["reasoning.encrypted_content"])
      expect(body.input).toEqual([
        { type: "message", role: "user", content: "What is 2 + 2?" },
        reasoningItem,
        { type: "message", role: "assistant", content: "2 + 2 = 4." },
        { type: "message", role: "user", content: "And 3 + 3?" }
      ])
    })
  )

  it.scoped("stored responses are referred to by item id: output messages with their msg_ ids", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup([fixture("reasoning.json"), fixture("text.json")], {
        model: "o4-mini"
      })
      const answer = yield* model.invoke([question])
      yield* model.invoke([question, answer, followUp])
      expect(bodyOf(server, 1).input).toEqual([
        { type: "message", role: "user", content: "What is 2 + 2?" },
        reasoningItem,
        {
          type: "message",
          role: "assistant",
          id: "msg_6806bfcd2a748191a8d4e9ec3e0d7ab60d3ce51bdffd5476",
          status: "completed",
          content: [{ type: "output_text", text: "2 + 2 = 4.", annotations: [], logprobs: [] }]
        },
        { type: "message", role: "user", content: "And 3 + 3?" }
      ])
    })
  )

  it.scoped("a streamed answer, encoded to JSON and decoded back, goes back the same way", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(
        [fixture("reasoning.sse"), fixture("text.json"), fixture("reasoning.json"), fixture("text.json")],
        { model: "o4-mini", store: false }
      )
      const streamed = finish(yield* collect(model.stream([question])))
      const json = Schema.encodeSync(Message.Message)(streamed)
      const decoded = Schema.decodeUnknownSync(Message.Message)(JSON.parse(JSON.stringify(json)))
      yield* model.invoke([question, decoded, followUp])
      const invoked = yield* model.invoke([question])
      yield* model.invoke([question, invoked, followUp])
      expect(bodyOf(server, 1).input).toEqual(bodyOf(server, 3).input)
      expect((bodyOf(server, 1).input as ReadonlyArray<unknown>)[1]).toEqual(reasoningItem)
    })
  )

  it.scoped("store: false drops reasoning items that carry no encrypted content", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"), { model: "o4-mini", store: false })
      const answer = Message.ai({
        content: [
          { type: "reasoning", reasoning: "thinking", index: 0 },
          { type: "text", text: "4", index: 1 }
        ],
        additionalKwargs: { itemIds: { "0": "rs_bare", "1": "msg_1" } }
      })
      yield* model.invoke([question, answer, followUp])
      expect(bodyOf(server).input).toEqual([
        { type: "message", role: "user", content: "What is 2 + 2?" },
        { type: "message", role: "assistant", content: "4" },
        { type: "message", role: "user", content: "And 3 + 3?" }
      ])
    })
  )

  it.scoped("reasoning blocks of other providers (no item id) are not sent", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"))
      const answer = Message.ai({
        content: [
          { type: "reasoning", reasoning: "thinking", signature: "sig" },
          { type: "text", text: "4" }
        ]
      })
      yield* model.invoke([question, answer, followUp])
      expect((bodyOf(server).input as ReadonlyArray<unknown>)[1]).toEqual({
        type: "message",
        role: "assistant",
        content: "4"
      })
    })
  )

  it.scoped("a tool turn: reasoning, function_call (call_id) and function_call_output go back in order", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup([fixture("reasoning-call.sse"), fixture("text.json")], {
        model: "o4-mini",
        store: false
      })
      const bound = model.pipe(ChatModel.bindTools([weather]))
      const call = finish(yield* collect(bound.stream([Message.human("Weather in Paris?")])))
      expect(call.toolCalls).toEqual([{ id: "call_tool_turn", name: "get_weather", args: { city: "Paris" } }])
      const results = yield* Tool.run(call, [weather])
      yield* bound.invoke([Message.human("Weather in Paris?"), call, ...results])
      expect(bodyOf(server, 1).input).toEqual([
        { type: "message", role: "user", content: "Weather in Paris?" },
        {
          type: "reasoning",
          id: "rs_tool_turn",
          summary: [],
          encrypted_content: "gAAAAABoBr_Ktool-turn-encrypted=="
        },
        {
          type: "function_call",
          call_id: "call_tool_turn",
          name: "get_weather",
          arguments: '{"city":"Paris"}'
        },
        { type: "function_call_output", call_id: "call_tool_turn", output: "18°C in Paris" }
      ])
    })
  )

  it.scoped("stored function calls go back with their fc_ item ids", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup([fixture("function-calls.json"), fixture("text.json")])
      const bound = model.pipe(ChatModel.bindTools([weather]))
      const messages = yield* collect(bound.runTools("Weather in Paris and Tokyo?", { tools: [weather] }))
      expect(messages.map((message) => message._tag)).toEqual([
        "AIMessage",
        "ToolMessage",
        "ToolMessage",
        "AIMessage"
      ])
      expect(bodyOf(server, 1).input).toEqual([
        { type: "message", role: "user", content: "Weather in Paris and Tokyo?" },
        {
          type: "function_call",
          call_id: "call_unLAR8MvFNptuiZK6K6HCy5k",
          name: "get_weather",
          arguments: '{"city":"Paris"}',
          id: "fc_67ca09c6bedc8190a7abfec07b1a1332096610f474011cc0"
        },
        {
          type: "function_call",
          call_id: "call_9FKd8vLyyS8FTEtrwNvDp0gq",
          name: "get_weather",
          arguments: '{"city":"Tokyo"}',
          id: "fc_67ca09c6bedc8190a7abfec07b1a1332096610f474011cc1"
        },
        { type: "function_call_output", call_id: "call_unLAR8MvFNptuiZK6K6HCy5k", output: "18°C in Paris" },
        { type: "function_call_output", call_id: "call_9FKd8vLyyS8FTEtrwNvDp0gq", output: "18°C in Tokyo" }
      ])
    })
  )

  it.scoped("a refusal goes back as assistant text", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup([fixture("refusal.json"), fixture("text.json")])
      const refused = yield* model.invoke([question])
      yield* model.invoke([question, refused, followUp])
      expect((bodyOf(server, 1).input as ReadonlyArray<unknown>)[1]).toEqual({
        type: "message",
        role: "assistant",
        content: "I'm sorry, I can't help with that."
      })
    })
  )
})
