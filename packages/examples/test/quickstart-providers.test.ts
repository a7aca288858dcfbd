// The quickstart's model selection with a provider configured: EFFECT_CHAT_MODEL or
// OPENAI_API_KEY pick a real provider (built without any request), the configuration
// comes from the given environment, and the offline model stays the default.

import { describe, expect, it } from "@effect/vitest"
import { ChatModel } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect } from "effect"
import * as Quickstart from "../src/quickstart.js"

const serviceOf = (choice: Quickstart.ModelChoice) => ChatModel.ChatModel.pipe(Effect.provide(choice.layer))

describe("quickstart: selectModel", () => {
  it.effect("picks OpenAI when OPENAI_API_KEY is set, without calling the network", () =>
    Effect.gen(function* () {
      const choice = Quickstart.selectModel({ OPENAI_API_KEY: "sk-test-quickstart-0123456789" })
      expect(choice.description).toContain("OpenAI gpt-4.1-mini")
      expect(choice.description).not.toContain("\n")
      expect(choice.description).not.toContain("sk-test")
      const model = yield* serviceOf(choice)
      expect(model.llmType).toBe("openai-chat")
      expect(model.identifyingParams.model).toBe("gpt-4.1-mini")
      const other = yield* serviceOf(
        Quickstart.selectModel({ OPENAI_API_KEY: "sk-x", OPENAI_MODEL: "gpt-4.1" })
      )
      expect(other.identifyingParams.model).toBe("gpt-4.1")
    })
  )

  it.effect("EFFECT_CHAT_MODEL picks any registered provider and model", () =>
    Effect.gen(function* () {
      const choice = Quickstart.selectModel({
        EFFECT_CHAT_MODEL: "openai-responses:o4-mini",
        OPENAI_API_KEY: "sk-x"
      })
      expect(choice.description).toBe("Using openai-responses:o4-mini (from EFFECT_CHAT_MODEL).")
      const model = yield* serviceOf(choice)
      expect(model.llmType).toBe("openai-responses")
      expect(model.identifyingParams.model).toBe("o4-mini")
    })
  )

  it.effect(
    "an unknown provider in EFFECT_CHAT_MODEL fails when the layer is built, naming the registered ones",
    () =>
      Effect.gen(function* () {
        const error = yield* serviceOf(Quickstart.selectModel({ EFFECT_CHAT_MODEL: "nope:model" })).pipe(
          Effect.flip
        )
        expect(error._tag).toBe("InvalidInputError")
        expect(error.message).toContain("openai")
      })
  )

  it("blank variables count as unset: the offline model", () => {
    expect(Quickstart.selectModel({ EFFECT_CHAT_MODEL: " ", OPENAI_API_KEY: "" }).description).toContain(
      "offline model"
    )
  })

  it.scoped("a compatible server through OPENAI_BASE_URL, configured from the given environment", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.json({
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 1,
          model: "local-model",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: "Hi from the local server" },
              finish_reason: "stop"
            }
          ]
        })
      )
      const choice = Quickstart.selectModel({
        EFFECT_CHAT_MODEL: "openai:local-model",
        OPENAI_BASE_URL: `${server.url}/v1`,
        OPENAI_API_KEY: "sk-local-0123456789"
      })
      const reply = yield* ChatModel.invoke("hi").pipe(Effect.provide(choice.layer))
      expect(reply.content).toBe("Hi from the local server")
      const request = yield* server.awaitRequest(0)
      expect(request.path).toBe("/v1/chat/completions")
      expect(request.headers.authorization).toBe("Bearer sk-local-0123456789")
      expect(request.body).toMatchObject({ model: "local-model" })
    })
  )
})
