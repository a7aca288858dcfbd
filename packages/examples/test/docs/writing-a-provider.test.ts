// The Acme provider of docs/writing-a-provider.md, tested offline against the loopback
// wire server: the request it sends, answers and streams, usage both ways, error
// statuses and error events, faults (a stream cut off, a malformed event),
// interruption closing the connection, configuration from the environment,
// `fromString`, and a Cassette recording replayed without the server. (The conformance
// suite runs in writing-a-provider.conformance.test.ts.)

import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { FetchHttpClient } from "@effect/platform"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import { Cassette } from "@effect-chat/testing"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Chunk, ConfigProvider, Deferred, Duration, Effect, Fiber, Layer, Redacted, Stream } from "effect"
import { AcmeChatModel, acmeServer, program, registerAcme } from "../../src/docs/writing-a-provider.js"

const apiKey = "acme-test-key-0123456789"

/** Configuration from these variables only, never from the machine's environment. */
const env = (variables: Record<string, string> = {}) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))

/** The Acme model pointed at a loopback server, over `fetch`. */
const acmeAt = (server: WireServer.WireServer) =>
  AcmeChatModel.make({
    model: "acme-small",
    baseUrl: `${server.url}/v1`,
    apiKey: Redacted.make(apiKey)
  }).pipe(Effect.provide(FetchHttpClient.layer))

const collect = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

describe("AcmeChatModel on the wire server", () => {
  it.scoped("sends Acme's request and reads its answers, streamed or not", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(acmeServer())
      const Model = AcmeChatModel.layer({
        model: "acme-small",
        baseUrl: `${server.url}/v1`,
        apiKey: Redacted.make(apiKey),
        temperature: 0.2
      }).pipe(Layer.provide(FetchHttpClient.layer))
      const { reply, streamed } = yield* program.pipe(Effect.provide(Model))

      expect(reply.content).toBe("You said: Hello Acme")
      expect(reply.usageMetadata).toEqual({ inputTokens: 4, outputTokens: 4, totalTokens: 8 })
      expect(reply.responseMetadata).toMatchObject({
        id: "acme-0",
        modelName: "acme-small",
        finishReason: "stop",
        rawFinishReason: "end_turn"
      })
      expect(streamed.content).toBe("You said: Count to three")

      const [invoked, stream] = server.requests
      expect(invoked!.path).toBe("/v1/chat")
      expect(invoked!.headers).toMatchObject({ "x-acme-key": apiKey, "acme-version": "2025-01-01" })
      expect(invoked!.headers).not.toHaveProperty("authorization")
      expect(invoked!.body).toEqual({
        model: "acme-small",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello Acme" }
        ],
        temperature: 0.2
      })
      expect(stream!.body).toMatchObject({ stream: true })
      expect(stream!.headers.accept).toBe("text/event-stream")
    })
  )

  it.scoped("usage: the same numbers streaming or not, on the final chunk only", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(acmeServer({ partSize: 7 })) // events split across reads
      const model = yield* acmeAt(server)
      const invoked = yield* model.invoke("one two three")
      const chunks = yield* collect(model.stream("one two three"))
      expect(chunks.map(Message.text).join("")).toBe("You said: one two three")
      const carrying = chunks.filter((chunk) => chunk.usageMetadata !== undefined)
      expect(carrying).toHaveLength(1)
      expect(carrying[0]!.last).toBe(true)
      expect(carrying[0]!.usageMetadata).toEqual(invoked.usageMetadata)
    })
  )

  it.scoped("stop sequences are sent, and the answer stops", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(acmeServer())
      const model = yield* acmeAt(server)
      const reply = yield* model.invoke("one two three", { stop: ["two"] })
      expect(reply.content).toBe("You said: one ")
      expect(reply.responseMetadata.rawFinishReason).toBe("stop_sequence")
      expect(server.requests[0]!.body).toMatchObject({ stop: ["two"] })
    })
  )

  it.scoped("what Acme cannot take fails before any request", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(acmeServer())
      const model = yield* acmeAt(server)
      const error = yield* Effect.flip(
        model.invoke([Message.human([{ type: "image", url: "https://example.com/cat.png" }])])
      )
      expect(error).toMatchObject({ _tag: "UnsupportedFeatureError", provider: "acme" })
      expect(server.requests).toHaveLength(0)
    })
  )
})

describe("AcmeChatModel errors", () => {
  it.scoped("error statuses become typed ChatErrors (retry-after included), with no key in them", () =>
    Effect.gen(function* () {
      const error = (type: string, message: string) => ({ error: { type, message } })
      const server = yield* WireServer.make([
        WireServer.json(error("rate_limit_error", "Slow down"), {
          status: 429,
          headers: { "retry-after": "7" }
        }),
        WireServer.json(error("authentication_error", `Invalid key ${apiKey}`), { status: 401 }),
        WireServer.json(error("invalid_request_error", "prompt is too long: 40000 tokens > 32000"), {
          status: 400
        }),
        WireServer.json(error("overloaded_error", "Overloaded"), { status: 529 })
      ])
      const model = yield* acmeAt(server)
      const failures = yield* Effect.forEach([1, 2, 3, 4], () => Effect.flip(model.invoke("Hi")))
      expect(failures.map((failure) => [failure._tag, failure.retryable])).toEqual([
        ["RateLimitError", true],
        ["AuthenticationError", false],
        ["ContextLengthExceededError", false],
        ["ServerError", true]
      ])
      const [rateLimit, auth] = failures
      expect(rateLimit!._tag === "RateLimitError" && rateLimit!.retryAfter).toEqual(Duration.seconds(7))
      expect(auth).toMatchObject({ provider: "acme", status: 401 })
      expect(JSON.stringify(failures)).not.toContain(apiKey)
      expect(auth!.message).not.toContain(apiKey)
    })
  )

  it.scoped("an error event fails the stream with its typed error, after the chunks before it", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.sseReply(
          WireServer.sse([
            { delta: "Hel" },
            { event: "error", data: { error: { type: "overloaded_error", message: "Overloaded" } } }
          ])
        )
      )
      const model = yield* acmeAt(server)
      const seen: Array<string> = []
      const failure = yield* Effect.flip(
        Stream.runForEach(model.stream("Hi"), (chunk) => Effect.sync(() => seen.push(Message.text(chunk))))
      )
      expect(seen).toEqual(["Hel"])
      expect(failure).toMatchObject({ _tag: "ServerError", retryable: true, message: "Overloaded" })
    })
  )

  it.scoped(
    "a stream cut off before [DONE] is a TransportError; an event that is not JSON, MalformedResponseError",
    () =>
      Effect.gen(function* () {
        const server = yield* WireServer.make([
          WireServer.sseReply(WireServer.sse([{ delta: "Hel" }, { delta: "lo" }])),
          WireServer.sseReply(`${WireServer.sse([{ delta: "Hel" }])}${WireServer.malformedEvent}`),
          WireServer.sseReply(WireServer.sse([{ delta: "Hello" }, "[DONE]"]), { resetAfter: 0 })
        ])
        const model = yield* acmeAt(server)
        const cut = yield* Effect.flip(collect(model.stream("Hi")))
        const malformed = yield* Effect.flip(collect(model.stream("Hi")))
        const reset = yield* Effect.flip(collect(model.stream("Hi")))
        expect(cut).toMatchObject({ _tag: "TransportError", retryable: true })
        expect(malformed._tag).toBe("MalformedResponseError")
        expect(reset._tag).toBe("TransportError")
      })
  )

  it.scoped("interrupting a stream closes the connection: the server sees the close", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.sseReply(WireServer.sse([{ delta: "Hel" }, { delta: "lo" }, "[DONE]"]), { hangAfter: 1 })
      )
      const model = yield* acmeAt(server)
      const first = yield* Deferred.make<void>()
      const fiber = yield* model.stream("Hi").pipe(
        Stream.runForEach(() => Effect.zipRight(Deferred.succeed(first, undefined), Effect.never)),
        Effect.fork
      )
      yield* Deferred.await(first)
      yield* Fiber.interrupt(fiber)
      const closed = yield* server.awaitClose(0)
      expect(closed).toMatchObject({ completed: false, byServer: false })
    })
  )
})

describe("AcmeChatModel configuration", () => {
  it.scoped("layerConfig reads ACME_API_KEY, ACME_BASE_URL and ACME_MODEL", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(acmeServer())
      const reply = yield* ChatModel.invoke("Hi").pipe(
        Effect.provide(
          AcmeChatModel.layerConfig({ temperature: 0 }).pipe(Layer.provide(FetchHttpClient.layer))
        ),
        env({ ACME_API_KEY: apiKey, ACME_BASE_URL: `${server.url}/v1`, ACME_MODEL: "acme-large" })
      )
      expect(reply.content).toBe("You said: Hi")
      expect(server.requests[0]!.headers["x-acme-key"]).toBe(apiKey)
      expect(server.requests[0]!.body).toMatchObject({ model: "acme-large", temperature: 0 })
    })
  )

  it.scoped("registerAcme: fromString picks it by name, options as configuration", () =>
    Effect.gen(function* () {
      registerAcme()
      expect(ChatModel.registeredProviders()).toContain("acme")
      const server = yield* WireServer.make(acmeServer())
      const Model = ChatModel.fromString("acme:acme-large", { baseUrl: `${server.url}/v1`, apiKey }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
      const reply = yield* ChatModel.invoke("Hi").pipe(Effect.provide(Model), env())
      expect(reply.content).toBe("You said: Hi")
      expect(server.requests[0]!.headers["x-acme-key"]).toBe(apiKey) // a string apiKey arrives Redacted
      expect(server.requests[0]!.body).toMatchObject({ model: "acme-large" })
    })
  )
})

describe("recording with Cassette", () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "acme-cassette-"))
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }))
  const file = path.join(directory, "hello.json")

  const conversation = (baseUrl: string, mode: Cassette.Mode) =>
    program.pipe(
      Effect.provide(
        AcmeChatModel.layer({ model: "acme-small", baseUrl, apiKey: Redacted.make(apiKey) }).pipe(
          // x-acme-key is not one of the credential headers Cassette always strips: name it
          Layer.provide(Cassette.layer(file, { mode, redactHeaders: ["x-acme-key"] }))
        )
      )
    )

  it.effect("records the exchanges against the server, then replays them with the server gone", () =>
    Effect.gen(function* () {
      const { recorded, baseUrl } = yield* Effect.scoped(
        Effect.gen(function* () {
          const server = yield* WireServer.make(acmeServer())
          const baseUrl = `${server.url}/v1`
          return { recorded: yield* conversation(baseUrl, "record"), baseUrl }
        })
      )
      expect(fs.readFileSync(file, "utf8")).not.toContain(apiKey)
      const replayed = yield* conversation(baseUrl, "replay")
      expect(replayed.reply.content).toBe(recorded.reply.content)
      expect(replayed.streamed.content).toBe("You said: Count to three")
      expect(replayed.streamed.usageMetadata).toEqual(recorded.streamed.usageMetadata)
    })
  )
})
