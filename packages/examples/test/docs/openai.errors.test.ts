// The examples of docs/providers/openai.md, run against loopback servers (no key, no
// network): the error mapping (the status table, retry-after, errors inside streams) and
// the page's error-handling examples.

import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import { OpenAiChatModel } from "@effect-chat/openai"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Duration, Effect, Layer, Redacted, Stream } from "effect"
import * as Docs from "../../src/docs/openai.js"
import { chunkOf, completion, env, key } from "./support/openai.js"

describe("errors", () => {
  const error = (type: string, message: string, code?: string) =>
    code === undefined ? { message, type } : { message, type, code }

  it.scoped("the status table", () =>
    Effect.gen(function* () {
      const table: ReadonlyArray<readonly [WireServer.Reply, string, boolean]> = [
        [
          WireServer.errorReply(400, error("invalid_request_error", "Unknown parameter")),
          "BadRequestError",
          false
        ],
        [
          WireServer.errorReply(401, error("invalid_request_error", "Bad key", "invalid_api_key")),
          "AuthenticationError",
          false
        ],
        [
          WireServer.errorReply(403, error("invalid_request_error", "Region not supported")),
          "PermissionDeniedError",
          false
        ],
        [
          WireServer.errorReply(404, error("invalid_request_error", "No such model", "model_not_found")),
          "NotFoundError",
          false
        ],
        [WireServer.errorReply(408, error("timeout", "Request timed out")), "TimeoutError", true],
        [
          WireServer.errorReply(422, error("invalid_request_error", "Unprocessable")),
          "BadRequestError",
          false
        ],
        [
          WireServer.errorReply(
            400,
            error(
              "invalid_request_error",
              "This model's maximum context length is 128000 tokens.",
              "context_length_exceeded"
            )
          ),
          "ContextLengthExceededError",
          false
        ],
        [
          WireServer.errorReply(
            400,
            error("invalid_request_error", "Flagged by our safety system", "content_filter")
          ),
          "ContentFilterError",
          false
        ],
        [WireServer.rateLimited({ retryAfter: "7" }), "RateLimitError", true],
        [
          WireServer.errorReply(
            429,
            error("insufficient_quota", "You exceeded your current quota", "insufficient_quota")
          ),
          "RateLimitError",
          false
        ],
        [WireServer.serverError(500), "ServerError", true],
        [WireServer.serverError(503, "Overloaded"), "ServerError", true]
      ]
      const server = yield* WireServer.make(table.map(([reply]) => reply))
      const model = yield* OpenAiChatModel.make({
        model: "gpt-4.1-mini",
        apiKey: Redacted.make(key),
        baseUrl: `${server.url}/v1`
      }).pipe(Effect.provide(FetchHttpClient.layer))
      for (const [, tag, retryable] of table) {
        const failure = yield* Effect.flip(model.invoke("Hi"))
        expect(failure, tag).toMatchObject({ _tag: tag, retryable, provider: "openai" })
        expect(JSON.stringify(failure)).not.toContain(key)
      }
    })
  )

  it.scoped("retry-after, retry-after-ms and an HTTP date become RateLimitError.retryAfter", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make([
        WireServer.rateLimited({ retryAfter: "7" }),
        WireServer.rateLimited({ retryAfterMs: "1500", retryAfter: "2" }),
        WireServer.rateLimited({ retryAfter: new Date(Date.UTC(1970, 0, 1, 0, 1)).toUTCString() })
      ])
      const model = yield* OpenAiChatModel.make({ model: "gpt-4.1-mini", baseUrl: `${server.url}/v1` }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const waits: Array<Duration.Duration | undefined> = []
      for (let i = 0; i < 3; i++) {
        const failure = yield* Effect.flip(model.invoke("Hi"))
        waits.push(failure._tag === "RateLimitError" ? failure.retryAfter : undefined)
      }
      // TestClock's time is 0: the HTTP date one minute later is a 60 s wait
      expect(waits).toEqual([Duration.seconds(7), Duration.millis(1500), Duration.seconds(60)])
    })
  )

  it.scoped("ask: context length, content filter and quota become sentences; other errors stay", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make([
        WireServer.errorReply(
          400,
          error("invalid_request_error", "maximum context length exceeded", "context_length_exceeded")
        ),
        WireServer.errorReply(400, error("invalid_request_error", "content filter", "content_filter")),
        WireServer.errorReply(429, error("insufficient_quota", "quota", "insufficient_quota")),
        WireServer.rateLimited({ retryAfter: "1" })
      ])
      const Model = OpenAiChatModel.layer({ model: "gpt-4.1-mini", baseUrl: `${server.url}/v1` }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
      const answers = yield* Effect.forEach([1, 2, 3], () => Docs.ask("Hi")).pipe(Effect.provide(Model))
      expect(answers).toEqual([
        "(the conversation is too long for this model)",
        "(the request was refused by the content filter)",
        "(the account's quota is exhausted)"
      ])
      const rateLimit = yield* Effect.flip(Docs.ask("Hi").pipe(Effect.provide(Model)))
      expect(rateLimit._tag).toBe("RateLimitError")
    })
  )

  it.scoped("an error event inside a stream fails it with its typed error, after the chunks before it", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.sseReply(
          WireServer.sse([
            chunkOf([{ index: 0, delta: { content: "Hel" }, finish_reason: null }]),
            { error: { message: "The server had an error", type: "server_error" } }
          ])
        )
      )
      const model = yield* OpenAiChatModel.make({ model: "gpt-4.1-mini", baseUrl: `${server.url}/v1` }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const seen: Array<string> = []
      const failure = yield* Effect.flip(
        Stream.runForEach(model.stream("Hi"), (chunk) => Effect.sync(() => seen.push(Message.text(chunk))))
      )
      expect(seen).toEqual(["Hel"])
      expect(failure).toMatchObject({ _tag: "ServerError", retryable: true })
    })
  )

  it.scoped("a finish_reason content_filter is an answer, not an error", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.json({
          ...completion({ content: "" }),
          choices: [
            { index: 0, message: { role: "assistant", content: "" }, finish_reason: "content_filter" }
          ]
        })
      )
      const model = yield* OpenAiChatModel.make({ model: "gpt-4.1-mini", baseUrl: `${server.url}/v1` }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const reply = yield* model.invoke("Hi")
      expect(reply.responseMetadata).toMatchObject({
        finishReason: "contentFilter",
        rawFinishReason: "content_filter"
      })
    })
  )

  it.effect("Resilient is OpenAiLive behind withRetry", () =>
    Effect.gen(function* () {
      const model = yield* ChatModel.ChatModel.pipe(
        Effect.provide(Docs.Resilient),
        env({ OPENAI_API_KEY: key })
      )
      expect(model.llmType).toBe("openai-chat")
    })
  )
})
