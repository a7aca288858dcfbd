/**
 * Cassette: exchanges recorded against the loopback wire server replay identically with
 * the server gone (JSON and SSE, streamed in pieces), identical requests replay in order,
 * a request without a recording fails typed with a useful message, secrets never reach
 * the file, and `"auto"` records only when EFFECT_CHAT_RECORD asks for it.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { ChatError, Provider } from "@effect-chat/core"
import { Cassette } from "@effect-chat/testing"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Chunk, ConfigProvider, Effect, Either, Redacted, Stream } from "effect"

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cassette-"))
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }))
let counter = 0
const cassettePath = () => path.join(directory, `cassette-${counter++}.json`)

const secret = "sk-test-0123456789abcdef"
const queryKey = "AIzaQueryKey987654"

const chatBody = { model: "gpt-4.1-mini", messages: [{ role: "user", content: "Hello" }], stream: false }
const streamBody = { ...chatBody, stream: true }
const sseText = WireServer.sse([
  { id: "c1", choices: [{ index: 0, delta: { content: "Hel" } }] },
  { id: "c1", choices: [{ index: 0, delta: { content: "lo ✓" } }] },
  "[DONE]"
])

/** What a response looked like to the client: status, content type, body, and how many pieces it came in. */
interface Seen {
  readonly status: number
  readonly contentType: string | undefined
  readonly text: string
  readonly pieces: number
}

const post = (url: string, body: unknown) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const request = HttpClientRequest.post(`${url}?key=${queryKey}&v=1`).pipe(
      HttpClientRequest.setHeaders({
        authorization: `Bearer ${secret}`,
        "x-api-key": secret,
        "x-trace": "t1"
      }),
      HttpClientRequest.bodyUnsafeJson(body)
    )
    const response = yield* client.execute(request)
    const chunks = yield* Stream.runCollect(response.stream)
    const bytes = Buffer.concat(Chunk.toReadonlyArray(chunks))
    return {
      status: response.status,
      contentType: response.headers["content-type"],
      text: bytes.toString("utf8"),
      pieces: Chunk.size(chunks)
    } satisfies Seen
  })

const script = (request: WireServer.RecordedRequest): WireServer.Reply =>
  request.body !== null && typeof request.body === "object" && "stream" in request.body && request.body.stream
    ? WireServer.sseReply(sseText, { partSize: 7 })
    : WireServer.json({ id: "chatcmpl-1", choices: [{ message: { role: "assistant", content: "Hi!" } }] })

/** Records the two exchanges (JSON, then SSE) against a fresh server; returns what the client saw and the URL used. */
const recordTwo = (file: string) =>
  Effect.scoped(
    Effect.gen(function* () {
      const server = yield* WireServer.make(script)
      const url = `${server.url}/v1/chat/completions`
      const seen = yield* Effect.all([post(url, chatBody), post(url, streamBody)]).pipe(
        Effect.provide(Cassette.layer(file, { mode: "record" }))
      )
      expect(server.requests).toHaveLength(2)
      // the real request carried the key: only the file must not
      expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${secret}`)
      return { seen, url }
    })
  )

describe("Cassette", () => {
  it.effect(
    "records against a server, then replays identical JSON and SSE responses with the server gone",
    () =>
      Effect.gen(function* () {
        const file = cassettePath()
        const { seen, url } = yield* recordTwo(file)
        expect(seen[0]!.status).toBe(200)
        expect(JSON.parse(seen[0]!.text)).toMatchObject({ id: "chatcmpl-1" })
        expect(seen[1]!.text).toBe(sseText)

        // the server is closed now: replay answers offline
        const replayed = yield* Effect.all([post(url, chatBody), post(url, streamBody)]).pipe(
          Effect.provide(Cassette.layer(file, { mode: "replay" }))
        )
        expect(replayed.map(({ status, contentType, text }) => ({ status, contentType, text }))).toEqual(
          seen.map(({ status, contentType, text }) => ({ status, contentType, text }))
        )
        expect(replayed[1]!.contentType).toBe("text/event-stream")
        // streamed in several pieces, so clients' line splitting is exercised
        expect(replayed[1]!.pieces).toBeGreaterThan(1)
      })
  )

  it.effect("replays server-sent events through Provider.streamSse, split in small pieces", () =>
    Effect.gen(function* () {
      const file = cassettePath()
      const { url } = yield* recordTwo(file)
      const events = yield* Effect.gen(function* () {
        const client = yield* Provider.make({
          provider: "openai",
          baseUrl: url.replace("/chat/completions", ""),
          apiKey: Redacted.make(secret)
        })
        return yield* Provider.streamSse(client, {
          path: "/chat/completions",
          body: streamBody,
          urlParams: { key: queryKey, v: "1" },
          isEnd: (event) => event.data === "[DONE]"
        }).pipe(Stream.runCollect)
      }).pipe(
        // headers (Provider sends no x-api-key) are not part of the default matching
        Effect.provide(Cassette.layer(file, { mode: "replay", chunkSize: 5 }))
      )
      expect(Chunk.toReadonlyArray(events).map((event) => event.data)).toEqual([
        JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: "Hel" } }] }),
        JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: "lo ✓" } }] }),
        "[DONE]"
      ])
    })
  )

  it.effect("never writes keys: credential headers and key-like query parameters are stripped", () =>
    Effect.gen(function* () {
      const file = cassettePath()
      yield* recordTwo(file)
      const text = fs.readFileSync(file, "utf8")
      expect(text).not.toContain(secret)
      expect(text).not.toContain(queryKey)
      expect(text.toLowerCase()).not.toContain("authorization")
      expect(text.toLowerCase()).not.toContain("x-api-key")
      const cassette = yield* Cassette.read(file)
      expect(cassette.exchanges).toHaveLength(2)
      const request = cassette.exchanges[0]!.request
      expect(request.path).toBe("/v1/chat/completions?key=REDACTED&v=1")
      expect(request.headers["x-trace"]).toBe("t1")
      expect(request.body).toEqual(chatBody)
    })
  )

  it.effect("scrubs a key echoed anywhere in an exchange, and strips extra headers on request", () =>
    Effect.gen(function* () {
      const file = cassettePath()
      yield* Effect.scoped(
        Effect.gen(function* () {
          const server = yield* WireServer.make((request) =>
            WireServer.errorReply(
              401,
              { message: `Incorrect API key provided: ${request.headers.authorization}` },
              { headers: { "x-gateway-token": "gw-secret-value" } }
            )
          )
          return yield* post(`${server.url}/v1/chat/completions`, chatBody).pipe(
            Effect.provide(Cassette.layer(file, { mode: "record", redactHeaders: ["X-Gateway-Token"] }))
          )
        })
      )
      const text = fs.readFileSync(file, "utf8")
      expect(text).not.toContain(secret)
      expect(text).not.toContain("gw-secret-value")
      expect(text).toMatch(/Incorrect API key provided: (Bearer )?REDACTED/)
    })
  )

  it.effect("identical requests replay their recorded answers in order, each once", () =>
    Effect.gen(function* () {
      const file = cassettePath()
      const url = yield* Effect.scoped(
        Effect.gen(function* () {
          const server = yield* WireServer.make([WireServer.json({ n: 1 }), WireServer.json({ n: 2 })])
          const url = `${server.url}/v1/chat/completions`
          yield* Effect.all([post(url, chatBody), post(url, chatBody)]).pipe(
            Effect.provide(Cassette.layer(file, { mode: "record" }))
          )
          return url
        })
      )
      const result = yield* Effect.gen(function* () {
        const first = yield* post(url, chatBody)
        const second = yield* post(url, chatBody)
        const third = yield* Effect.either(post(url, chatBody))
        return { first: JSON.parse(first.text), second: JSON.parse(second.text), third }
      }).pipe(Effect.provide(Cassette.layer(file, { mode: "replay" })))
      expect(result.first).toEqual({ n: 1 })
      expect(result.second).toEqual({ n: 2 })
      expect(Either.isLeft(result.third)).toBe(true)
      if (Either.isLeft(result.third)) expect(result.third.left.message).toContain("already used")
    })
  )

  it.effect("a request without a recording fails with a typed error that says how to record", () =>
    Effect.gen(function* () {
      const file = cassettePath()
      const { url } = yield* recordTwo(file)
      const other = { ...chatBody, messages: [{ role: "user", content: "Something else" }] }
      const error = yield* post(url, other).pipe(
        Effect.provide(Cassette.layer(file, { mode: "replay" })),
        Effect.flip
      )
      expect(error._tag).toBe("RequestError")
      expect(error.cause).toBeInstanceOf(Cassette.NoMatchError)
      expect(error.message).toContain(
        "no recorded exchange matches POST /v1/chat/completions?key=REDACTED&v=1"
      )
      expect(error.message).toContain("the body differs at messages[0].content")
      expect(error.message).toContain("record with EFFECT_CHAT_RECORD=1")
      // (the platform's own message appends the request's URL as it was given; the cassette's part never has the key)
      expect(error.description).not.toContain(queryKey)

      // through a provider: a non-retryable InvalidInputError that carries the explanation
      const chatError = yield* Effect.gen(function* () {
        const client = yield* Provider.make({
          provider: "openai",
          baseUrl: url.replace("/chat/completions", "")
        })
        return yield* Provider.postJson(client, { path: "/chat/completions", body: other })
      }).pipe(Effect.provide(Cassette.layer(file, { mode: "replay" })), Effect.flip)
      expect(chatError).toBeInstanceOf(ChatError.InvalidInputError)
      expect(chatError.retryable).toBe(false)
      expect(chatError.message).toContain("no recorded exchange matches POST /v1/chat/completions")
    })
  )

  it.effect("a missing cassette replays nothing and says so", () =>
    Effect.gen(function* () {
      const file = path.join(directory, "absent.json")
      const error = yield* post("http://127.0.0.1:9/v1/chat/completions", chatBody).pipe(
        Effect.provide(Cassette.layer(file)),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map())),
        Effect.flip
      )
      expect(error.message).toContain("the cassette file does not exist")
      expect(fs.existsSync(file)).toBe(false)
      expect(Either.isLeft(yield* Effect.either(Cassette.read(file)))).toBe(true)
    })
  )

  it.effect("a corrupt cassette fails every request with the reason", () =>
    Effect.gen(function* () {
      const file = cassettePath()
      fs.writeFileSync(file, '{"version": 2}')
      const error = yield* post("http://127.0.0.1:9/v1/chat/completions", chatBody).pipe(
        Effect.provide(Cassette.layer(file, { mode: "replay" })),
        Effect.flip
      )
      expect(error.cause).toBeInstanceOf(Cassette.CassetteFileError)
      expect(error.message).toContain("is not a cassette")
    })
  )

  it.effect("auto mode replays without the flag, even with an API key in the environment", () =>
    Effect.gen(function* () {
      const file = cassettePath()
      const { seen, url } = yield* recordTwo(file)
      const environment = ConfigProvider.fromMap(new Map([["OPENAI_API_KEY", secret]]))
      expect(yield* Effect.withConfigProvider(Cassette.recording, environment)).toBe(false)
      const replayed = yield* post(url, chatBody).pipe(
        Effect.provide(Cassette.layer(file)),
        Effect.withConfigProvider(environment)
      )
      expect(replayed.text).toBe(seen[0]!.text)
    })
  )

  it.effect("auto mode records when EFFECT_CHAT_RECORD=1", () =>
    Effect.gen(function* () {
      const file = cassettePath()
      const environment = ConfigProvider.fromMap(new Map([["EFFECT_CHAT_RECORD", "1"]]))
      expect(yield* Effect.withConfigProvider(Cassette.recording, environment)).toBe(true)
      expect(
        yield* Effect.withConfigProvider(
          Cassette.recording,
          ConfigProvider.fromMap(new Map([["EFFECT_CHAT_RECORD", "0"]]))
        )
      ).toBe(false)
      yield* Effect.scoped(
        Effect.gen(function* () {
          const server = yield* WireServer.make(script)
          yield* post(`${server.url}/v1/chat/completions`, chatBody).pipe(
            Effect.provide(Cassette.layer(file)),
            Effect.withConfigProvider(environment)
          )
          expect(server.requests).toHaveLength(1)
        })
      )
      expect((yield* Cassette.read(file)).exchanges).toHaveLength(1)
    })
  )

  it("defaultMatch compares method, path and JSON body with keys in any order", () => {
    const request: Cassette.RecordedRequest = {
      method: "POST",
      url: "http://a/v1/x",
      path: "/v1/x",
      headers: {},
      body: { a: 1, b: [1, { c: 2, d: 3 }] }
    }
    expect(
      Cassette.defaultMatch(request, {
        ...request,
        url: "http://b/v1/x",
        body: { b: [1, { d: 3, c: 2 }], a: 1 }
      })
    ).toBe(true)
    expect(Cassette.defaultMatch(request, { ...request, method: "post" })).toBe(true)
    expect(Cassette.defaultMatch(request, { ...request, method: "GET" })).toBe(false)
    expect(Cassette.defaultMatch(request, { ...request, path: "/v1/y" })).toBe(false)
    expect(Cassette.defaultMatch(request, { ...request, body: { a: 1, b: [{ c: 2, d: 3 }, 1] } })).toBe(false)
  })
})
