/**
 * Importing @effect-chat/openai registers "openai" (Chat Completions) and
 * "openai-responses" for `ChatModel.fromString`; options reach the wire. Also a recorded
 * scenario: the Chat Completions model recorded through a `Cassette` against the
 * loopback server, then replayed with the server gone (JSON and streaming).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { FetchHttpClient } from "@effect/platform"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import { Cassette } from "@effect-chat/testing"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { ConfigProvider, Effect, Layer, Stream } from "effect"
import "../src/index.js"
import { validateRequest } from "./support/openapi.js"

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/chat")
const text = (name: string) => WireServer.fixture(path.join(fixtures, name))
const key = "sk-test-from-string-0123456789"

/** Nothing from the machine's environment (no OPENAI_API_KEY, no OPENAI_BASE_URL). */
const noEnvironment = Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))

const serviceOf = (spec: string, options?: Record<string, unknown>) =>
  ChatModel.ChatModel.pipe(
    Effect.provide(ChatModel.fromString(spec, options).pipe(Layer.provide(FetchHttpClient.layer))),
    noEnvironment
  )

describe("ChatModel.fromString with @effect-chat/openai", () => {
  it("registers openai and openai-responses", () => {
    expect(ChatModel.registeredProviders()).toEqual(expect.arrayContaining(["openai", "openai-responses"]))
  })

  it.effect(
    "picks Chat Completions for openai:, the Responses API for openai-responses:, and infers gpt-…",
    () =>
      Effect.gen(function* () {
        const chat = yield* serviceOf("openai:gpt-4o", { apiKey: key })
        expect(chat.llmType).toBe("openai-chat")
        expect(chat.identifyingParams.model).toBe("gpt-4o")
        const responses = yield* serviceOf("openai-responses:o4-mini", { apiKey: key })
        expect(responses.llmType).toBe("openai-responses")
        expect(responses.identifyingParams.model).toBe("o4-mini")
        const inferred = yield* serviceOf("gpt-4.1-mini")
        expect(inferred.llmType).toBe("openai-chat")
        expect(inferred.identifyingParams.model).toBe("gpt-4.1-mini")
      })
  )

  it.scoped("passes options through to the request (a string apiKey included)", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(text("text.json"))
      const reply = yield* ChatModel.invoke("Hello").pipe(
        Effect.provide(
          ChatModel.fromString("openai:gpt-4.1-mini", {
            baseUrl: `${server.url}/v1`,
            apiKey: key,
            temperature: 0,
            maxTokens: 32
          }).pipe(Layer.provide(FetchHttpClient.layer))
        ),
        noEnvironment
      )
      expect(reply.content).toBe("Hello! How can I help you today?")
      const request = server.requests[0]!
      expect(request.path).toBe("/v1/chat/completions")
      expect(request.headers.authorization).toBe(`Bearer ${key}`)
      expect(request.body).toMatchObject({ model: "gpt-4.1-mini", temperature: 0 })
      expect(validateRequest("CreateChatCompletionRequest", request.body)).toEqual([])
    })
  )
})

describe("Cassette with OpenAiChatModel", () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "openai-cassette-"))
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }))
  const file = path.join(directory, "hello.json")

  const conversation = (baseUrl: string, mode: "record" | "replay") =>
    Effect.gen(function* () {
      const invoked = yield* ChatModel.invoke("Hello")
      const streamed = yield* ChatModel.stream("Hello").pipe(
        Stream.runFold(Message.chunk({ content: "" }), Message.concat)
      )
      return { invoked, streamed: Message.toMessage(streamed) }
    }).pipe(
      Effect.provide(
        ChatModel.fromString("openai:gpt-4.1-mini", { baseUrl, apiKey: key }).pipe(
          Layer.provide(Cassette.layer(file, { mode }))
        )
      ),
      noEnvironment
    )

  it.effect("records a conversation against the server, then replays it offline", () =>
    Effect.gen(function* () {
      const { recorded, baseUrl } = yield* Effect.scoped(
        Effect.gen(function* () {
          const server = yield* WireServer.make((request) =>
            request.body !== null &&
            typeof request.body === "object" &&
            "stream" in request.body &&
            request.body.stream
              ? text("text.sse")
              : text("text.json")
          )
          const baseUrl = `${server.url}/v1`
          const recorded = yield* conversation(baseUrl, "record")
          for (const request of server.requests) {
            expect(validateRequest("CreateChatCompletionRequest", request.body)).toEqual([])
          }
          return { recorded, baseUrl }
        })
      )
      expect(fs.readFileSync(file, "utf8")).not.toContain(key)

      const replayed = yield* conversation(baseUrl, "replay")
      expect(replayed.invoked.content).toBe(recorded.invoked.content)
      expect(replayed.invoked.usageMetadata).toEqual(recorded.invoked.usageMetadata)
      expect(replayed.streamed.content).toBe(recorded.streamed.content)
      expect(replayed.streamed.usageMetadata).toEqual(recorded.streamed.usageMetadata)
      expect(replayed.streamed.content).toBe("Hello! How can I help you today?")
    })
  )
})
