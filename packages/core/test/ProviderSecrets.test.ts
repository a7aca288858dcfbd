/**
 * The API key never reaches an error (its message, cause, JSON or inspected form), a
 * log line or a span attribute, however a request fails and whichever header carries it.
 */
import * as util from "node:util"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { ChatError, Provider } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import type * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"

const secret = "SECRET123"
const key = `sk-test-${secret}`

// ---------------------------------------------------------------------------
// what is looked at: spans and log lines
// ---------------------------------------------------------------------------

class RecordedSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId: string
  readonly traceId = "trace"
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<unknown> = []
  readonly links: Array<Tracer.SpanLink> = []
  status: Tracer.SpanStatus

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind,
    index: number
  ) {
    this.spanId = `span-${index}`
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push({ name, attributes })
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }
}

const recording = () => {
  const spans: Array<RecordedSpan> = []
  const lines: Array<string> = []
  const tracer = Tracer.make({
    span: (name, parent, context, _links, startTime, kind) => {
      const span = new RecordedSpan(name, parent, context, startTime, kind, spans.length)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  const logger = Logger.make(({ message, cause }) => {
    lines.push(util.inspect(message, { depth: null }), Cause.pretty(cause))
  })
  return { spans, lines, tracer, logger }
}

/** Every way an error can be looked at. */
const views = (error: ChatError.ChatError): ReadonlyArray<string> => [
  error.message,
  String(error),
  error.stack ?? "",
  JSON.stringify(error),
  JSON.stringify(Schema.encodeSync(ChatError.ChatError)(error)),
  util.inspect(error, { depth: null }),
  util.inspect(error, { depth: null, showHidden: true }),
  Cause.pretty(Cause.fail(error)),
  util.inspect(Cause.fail(error), { depth: null })
]

// ---------------------------------------------------------------------------
// every way to fail
// ---------------------------------------------------------------------------

const echo = { error: { message: `Incorrect API key provided: ${key}`, code: "invalid_api_key" } }
const isDone = (event: Provider.SseEvent) => event.data === "[DONE]"

type Scenario = (client: Provider.Client) => Effect.Effect<ChatError.ChatError, unknown>

const post = (client: Provider.Client) => Effect.flip(Provider.postJson(client, { path: "/x", body: {} }))
const sse = (client: Provider.Client) =>
  Effect.flip(Stream.runDrain(Provider.streamSse(client, { path: "/x", body: {}, isEnd: isDone })))
const ndjson = (client: Provider.Client) =>
  Effect.flip(Stream.runDrain(Provider.streamNdjson(client, { path: "/x", body: {}, isEnd: () => false })))

const scenarios: ReadonlyArray<readonly [string, WireServer.Reply, Scenario]> = [
  ["401 echoing the key", WireServer.json(echo, { status: 401 }), post],
  ["403", WireServer.errorReply(403, { message: "forbidden" }), post],
  ["404", WireServer.errorReply(404, { message: "no such model" }), post],
  ["400 echoing the key as text", { status: 400, body: `bad key ${key}` }, post],
  ["422", WireServer.errorReply(422, { message: "unprocessable" }), post],
  ["429 with retry-after", WireServer.rateLimited({ retryAfter: "3" }), post],
  ["500", WireServer.serverError(), post],
  ["529", WireServer.serverError(529, "Overloaded"), post],
  ["a 200 body that is not JSON and echoes the key", { status: 200, body: `${key} oops` }, post],
  ["a reset while reading the body", { status: 200, body: ['{"a":', "1}"], resetAfter: 1 }, post],
  ["401 on a stream", WireServer.json(echo, { status: 401 }), sse],
  ["a stream reset mid-body", { ...WireServer.sseReply(WireServer.sse(["a", "b"])), resetAfter: 1 }, sse],
  ["a stream without its end marker", WireServer.sseReply(WireServer.sse(["a"])), sse],
  ["a JSON error answered to a stream", WireServer.json(echo), sse],
  ["an NDJSON line that is not JSON and echoes the key", WireServer.ndjsonReply(`{}\n${key}\n{}\n`), ndjson]
]

const auths: ReadonlyArray<readonly [string, Provider.Auth | undefined]> = [
  ["authorization: Bearer", undefined],
  ["x-api-key", { header: "x-api-key" }],
  ["api-key", { header: "api-key" }]
]

const expectNoSecret = (texts: ReadonlyArray<string>) => {
  for (const text of texts) expect(text).not.toContain(secret)
}

describe("API keys never leak", () => {
  for (const [authName, auth] of auths) {
    it.scoped(`no error, log line or span attribute holds the key (${authName})`, () =>
      Effect.gen(function* () {
        const { spans, lines, tracer, logger } = recording()
        const server = yield* WireServer.make((request) => scenarios[request.index]![1])
        const client = yield* Provider.make({
          provider: "acme",
          baseUrl: server.url,
          apiKey: Redacted.make(key),
          auth
        }).pipe(Effect.provide(FetchHttpClient.layer))
        const errors: Array<ChatError.ChatError> = []
        for (const [name, , scenario] of scenarios) {
          const error = yield* scenario(client).pipe(
            Effect.tap((error) => Effect.logError(`${name} failed`, error)),
            Effect.withTracer(tracer),
            Effect.provide(Logger.replace(Logger.defaultLogger, logger))
          )
          errors.push(error)
        }
        // the key reached the server each time (it was really sent) ...
        expect(server.requests).toHaveLength(scenarios.length)
        for (const request of server.requests)
          expect(Object.values(request.headers).join(" ")).toContain(secret)
        // ... and nothing on this side shows it
        for (const error of errors) expectNoSecret(views(error))
        expect(lines.length).toBeGreaterThan(0)
        expectNoSecret(lines)
        expect(spans.length).toBeGreaterThan(0)
        for (const span of spans) {
          expectNoSecret([...span.attributes.values()].map((value) => String(value)))
          expectNoSecret([util.inspect(span.events, { depth: null })])
        }
        expect(errors.map((error) => error._tag)).toContain("AuthenticationError")
      })
    )
  }

  it.scoped("a refused connection and a timeout carry no key", () =>
    Effect.gen(function* () {
      const url = yield* Effect.scoped(
        Effect.map(WireServer.make(WireServer.json({})), (server) => server.url)
      )
      const refused = yield* Provider.make({
        provider: "acme",
        baseUrl: url,
        apiKey: Redacted.make(key)
      }).pipe(Effect.provide(FetchHttpClient.layer), Effect.flatMap(post))
      expect(refused._tag).toBe("TransportError")
      expectNoSecret(views(refused))

      const server = yield* WireServer.make({ ...WireServer.json({}), headersDelay: 60_000 })
      const client = yield* Provider.make({
        provider: "acme",
        baseUrl: server.url,
        apiKey: Redacted.make(key),
        timeout: "1 second"
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const fiber = yield* Effect.fork(post(client))
      yield* server.awaitRequest(0)
      yield* TestClock.adjust("1 second")
      const timedOut = yield* Fiber.join(fiber)
      expect(timedOut._tag).toBe("TimeoutError")
      expectNoSecret(views(timedOut))
    })
  )

  it.scoped("a key fetch refuses as a header value fails with InvalidInputError without showing it", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json({}))
      const client = yield* Provider.make({
        provider: "acme",
        baseUrl: server.url,
        apiKey: Redacted.make(`sk-test\n${secret}`)
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const error = yield* post(client)
      expect(error._tag).toBe("InvalidInputError")
      expect(error.retryable).toBe(false)
      expectNoSecret(views(error))
    })
  )

  it.scoped("the client itself shows no key when inspected or encoded", () =>
    Effect.gen(function* () {
      const client = yield* Provider.make({
        provider: "acme",
        baseUrl: "http://127.0.0.1:9",
        apiKey: Redacted.make(key),
        auth: { header: "api-key" }
      }).pipe(Effect.provide(FetchHttpClient.layer))
      expectNoSecret([util.inspect(client, { depth: null }), JSON.stringify(client), String(client)])
      expect(JSON.stringify(client)).toContain("<redacted>")
    })
  )
})
