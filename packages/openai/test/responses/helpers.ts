/**
 * Helpers of the Responses API tests: fixtures (whole, byte-split, or one part per
 * event), a loopback server with a model pointed at it, and the check that every
 * request body a test sent validates against `CreateResponse` (`expectValidRequests`,
 * run after each test).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { expect } from "@effect/vitest"
import { type ChatModel, Message } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { OpenAiResponsesModel } from "../../src/index.js"
import { validateRequest } from "../support/openapi.js"

const here = path.dirname(fileURLToPath(import.meta.url))

/** The path of a Responses API fixture. */
export const fixturePath = (name: string): string => path.join(here, "../fixtures/responses", name)

/** A fixture as JSON. */
export const fixtureJson = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(fixturePath(name), "utf8")) as Record<string, unknown>

/** A fixture served as it is (JSON or SSE by extension). */
export const fixture = (name: string, options?: WireServer.ReplyOptions): WireServer.Reply =>
  WireServer.fixture(fixturePath(name), options)

/** The events of an SSE fixture, one wire part each (so faults can be injected after N events). */
export const eventParts = (name: string): ReadonlyArray<string> =>
  fs
    .readFileSync(fixturePath(name), "utf8")
    .split(/(?<=\n\n)/)
    .filter((part) => part !== "")

/** An SSE fixture written one event per part. */
export const eventsReply = (
  name: string,
  options: Omit<WireServer.Reply, "body"> = {}
): WireServer.Reply => ({
  ...WireServer.sseReply(""),
  ...options,
  body: eventParts(name)
})

/** The test API key: long enough to be scrubbed from errors. */
export const apiKey = "sk-test-responses-0123456789abcdef"

const started: Array<WireServer.WireServer> = []

/** A model configuration pointed at a server. */
export const configFor = (
  server: WireServer.WireServer,
  config: Partial<OpenAiResponsesModel.Config> = {}
): OpenAiResponsesModel.Config => ({
  model: "gpt-4.1-mini",
  baseUrl: `${server.url}/v1`,
  apiKey: Redacted.make(apiKey),
  ...config
})

/** A server answering with `script`, and a model pointed at it (fetch client). */
export const setup = (
  script: WireServer.Script,
  config: Partial<OpenAiResponsesModel.Config> = {}
): Effect.Effect<
  { readonly server: WireServer.WireServer; readonly model: ChatModel.Service },
  never,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const server = yield* WireServer.make(script)
    started.push(server)
    const model = yield* OpenAiResponsesModel.make(configFor(server, config)).pipe(
      Effect.provide(FetchHttpClient.layer)
    )
    return { server, model }
  })

/** Remembers a server made elsewhere, so its requests are validated too. */
export const track = (server: WireServer.WireServer): WireServer.WireServer => {
  started.push(server)
  return server
}

/**
 * Asserts that every request body received by the servers of the test validates
 * against `CreateResponse`, then forgets the servers.
 */
export const expectValidRequests = (): void => {
  const servers = started.splice(0)
  for (const server of servers) {
    for (const request of server.requests) {
      expect(
        validateRequest("CreateResponse", request.body),
        `request ${request.index} to ${request.path}: ${request.text.slice(0, 300)}`
      ).toEqual([])
    }
  }
}

/** The body of the server's request `index`, as a record. */
export const bodyOf = (server: WireServer.WireServer, index = 0): Record<string, unknown> =>
  server.requests[index]!.body as Record<string, unknown>

/** All elements of a stream. */
export const collect = <A, E>(stream: Stream.Stream<A, E>): Effect.Effect<ReadonlyArray<A>, E> =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

/** Streamed chunks merged (`Message.concat`) and finished (`Message.toMessage`). */
export const finish = (chunks: ReadonlyArray<Message.AIMessageChunk>): Message.AIMessage =>
  Message.toMessage(chunks.reduce(Message.concat, Message.chunk({ content: "" })))
