/**
 * Helpers of the Chat Completions tests: fixtures, a loopback server with a model
 * pointed at it, and the check that every request body a test sent validates against
 * `CreateChatCompletionRequest` (call `expectValidRequests` in `afterEach`).
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { FetchHttpClient } from "@effect/platform"
import { expect } from "@effect/vitest"
import type { ChatModel, Message } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Chunk, Effect, Redacted, type Scope, Stream } from "effect"
import { OpenAiChatModel } from "../../src/index.js"
import { validateRequest } from "./openapi.js"

const here = path.dirname(fileURLToPath(import.meta.url))

/** The path of a Chat Completions fixture. */
export const fixturePath = (name: string): string => path.join(here, "../fixtures/chat", name)

/** A fixture served as it is (JSON or SSE by extension). */
export const fixture = (name: string, options?: WireServer.ReplyOptions): WireServer.Reply =>
  WireServer.fixture(fixturePath(name), options)

/** The test API key: long enough to be scrubbed from errors. */
export const apiKey = "sk-test-0123456789abcdef"

const started: Array<WireServer.WireServer> = []

/** A model configuration pointed at a server. */
export const configFor = (
  server: WireServer.WireServer,
  config: Partial<OpenAiChatModel.Config> = {}
): OpenAiChatModel.Config => ({
  model: "gpt-4.1-mini",
  baseUrl: `${server.url}/v1`,
  apiKey: Redacted.make(apiKey),
  ...config
})

/** A server answering with `script`, and a model pointed at it (fetch client). */
export const setup = (
  script: WireServer.Script,
  config: Partial<OpenAiChatModel.Config> = {}
): Effect.Effect<
  { readonly server: WireServer.WireServer; readonly model: ChatModel.Service },
  never,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const server = yield* WireServer.make(script)
    started.push(server)
    const model = yield* OpenAiChatModel.make(configFor(server, config)).pipe(
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
 * against `CreateChatCompletionRequest`, then forgets the servers.
 */
export const expectValidRequests = (): void => {
  const servers = started.splice(0)
  for (const server of servers) {
    for (const request of server.requests) {
      expect(
        validateRequest("CreateChatCompletionRequest", request.body),
        `request ${request.index} to ${request.path}: ${request.text.slice(0, 300)}`
      ).toEqual([])
    }
  }
}

/** The body of the server's request `index`, as a record. */
export const bodyOf = (server: WireServer.WireServer, index = 0): Record<string, unknown> =>
  server.requests[index]!.body as Record<string, unknown>

/** All chunks of a stream. */
export const collect = <A, E>(stream: Stream.Stream<A, E>): Effect.Effect<ReadonlyArray<A>, E> =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

/** The usage carried by each chunk (undefined when none). */
export const usages = (
  chunks: ReadonlyArray<Message.AIMessageChunk>
): ReadonlyArray<Message.UsageMetadata | undefined> => chunks.map((chunk) => chunk.usageMetadata)
