// The examples of docs/providers/openai.md, run against loopback servers (no key, no
// network): models named by a string (FromSpec, fromString) and how `npm start` picks
// its model from the environment.

import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect, Layer } from "effect"
import * as Docs from "../../src/docs/openai.js"
import * as Quickstart from "../../src/quickstart.js"
import { bodyOf, chatServer, completion, env, key, messageItem, response } from "./support/openai.js"

describe("models by name", () => {
  it.scoped("FromSpec and ResponsesFromSpec: options as configuration, the rest from OPENAI_*", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make((request) =>
        request.path.endsWith("/responses")
          ? WireServer.json(response([messageItem("Hi from Responses")]))
          : WireServer.json(completion({ content: "Hi from Chat Completions" }))
      )
      const variables = { OPENAI_API_KEY: key, OPENAI_BASE_URL: `${server.url}/v1` }
      const chat = yield* ChatModel.invoke("Hello").pipe(Effect.provide(Docs.FromSpec), env(variables))
      const responses = yield* ChatModel.invoke("Hello").pipe(
        Effect.provide(Docs.ResponsesFromSpec),
        env(variables)
      )
      expect(Message.text(chat)).toBe("Hi from Chat Completions")
      expect(Message.text(responses)).toBe("Hi from Responses")
      expect(bodyOf(server, 0)).toMatchObject({ model: "gpt-4.1-mini", temperature: 0 })
      expect(server.requests[1]!.path).toBe("/v1/responses")
      expect(bodyOf(server, 1)).toMatchObject({ model: "o4-mini", reasoning: { effort: "low" } })
    })
  )

  it.effect("a bare OpenAI model name is inferred; an unregistered provider fails when built", () =>
    Effect.gen(function* () {
      expect(ChatModel.inferProvider("gpt-4.1")).toBe("openai")
      expect(ChatModel.inferProvider("o4-mini")).toBe("openai")
      const failure = yield* Effect.flip(
        ChatModel.ChatModel.pipe(
          Effect.provide(
            ChatModel.fromString("anthropic:claude-sonnet-4-5").pipe(Layer.provide(FetchHttpClient.layer))
          )
        )
      )
      expect(failure._tag).toBe("InvalidInputError")
    })
  )
})

describe("switching npm start", () => {
  it.scoped(
    "OPENAI_API_KEY alone picks OpenAI; OPENAI_BASE_URL alone picks a keyless compatible server",
    () =>
      Effect.gen(function* () {
        expect(Quickstart.selectModel({ OPENAI_API_KEY: key }).description).toContain("OpenAI gpt-4.1-mini")
        expect(
          Quickstart.selectModel({ OPENAI_BASE_URL: "http://localhost:11434/v1" }).description
        ).toContain("on http://localhost:11434/v1")
        const local = yield* WireServer.make(chatServer("Hello from a local model"))
        const alone = Quickstart.selectModel({ OPENAI_BASE_URL: `${local.url}/v1` })
        const answered = yield* Quickstart.program.pipe(Effect.provide(alone.layer))
        expect(Message.text(answered.streamed)).toBe("Hello from a local model")
        const server = yield* WireServer.make(chatServer("Hello from a local model"))
        const choice = Quickstart.selectModel({
          EFFECT_CHAT_MODEL: "openai:llama3.2",
          OPENAI_BASE_URL: `${server.url}/v1`
        })
        const result = yield* Quickstart.program.pipe(Effect.provide(choice.layer))
        expect(Message.text(result.streamed)).toBe("Hello from a local model")
        expect(bodyOf(server)).toMatchObject({ model: "llama3.2" })
        expect(server.requests[0]!.headers).not.toHaveProperty("authorization")
      })
  )
})
