/**
 * What the Chat Completions and Responses API tests share: a harness per API (fixtures
 * of its folder, a loopback server with a model pointed at it, and the check that every
 * request body a test sent validates against the API's request schema), and helpers on
 * requests and streams. `chat.ts` and `responses.ts` make the harness of each API.
 *
 * @example
 * ```ts
 * import { OpenAiChatModel } from "../../src/index.js"
 * import { makeHarness } from "./harness.js"
 *
 * const harness = makeHarness({
 *   fixtures: "chat",
 *   apiKey: "sk-test-0123456789abcdef",
 *   requestSchema: "CreateChatCompletionRequest",
 *   make: OpenAiChatModel.make
 * })
 * afterEach(harness.expectValidRequests)
 * ```
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { expect } from "@effect/vitest"
import { type ChatModel, Message } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { type RequestSchema, validateRequest } from "./openapi.js"

const here = path.dirname(fileURLToPath(import.meta.url))

/** The configuration fields a harness sets: the model, the server's URL and the key. */
export interface BaseConfig {
  readonly model: string
  readonly baseUrl?: string | undefined
  readonly apiKey?: Redacted.Redacted | undefined
}

/** What a harness is made from. */
export interface HarnessOptions<Config extends BaseConfig> {
  /** The folder of the API's fixtures, under `test/fixtures`. */
  readonly fixtures: string
  /** The test API key: long enough to be scrubbed from errors. */
  readonly apiKey: string
  /** The OpenAPI schema every request body must validate against. */
  readonly requestSchema: RequestSchema
  /** The model's constructor. */
  readonly make: (config: Config) => Effect.Effect<ChatModel.Service, never, HttpClient.HttpClient>
}

/** The fixtures, servers and models of one API's tests. */
export interface Harness<Config extends BaseConfig> {
  /** The path of a fixture. */
  readonly fixturePath: (name: string) => string
  /** A fixture served as it is (JSON or SSE by extension). */
  readonly fixture: (name: string, options?: WireServer.ReplyOptions) => WireServer.Reply
  /** A model configuration pointed at a server. */
  readonly configFor: (server: WireServer.WireServer, config?: Partial<Config>) => Config
  /** A server answering with `script`, and a model pointed at it (fetch client). */
  readonly setup: (
    script: WireServer.Script,
    config?: Partial<Config>
  ) => Effect.Effect<
    { readonly server: WireServer.WireServer; readonly model: ChatModel.Service },
    never,
    Scope.Scope
  >
  /** Remembers a server made elsewhere, so its requests are validated too. */
  readonly track: (server: WireServer.WireServer) => WireServer.WireServer
  /**
   * Asserts that every request body received by the servers of the test validates
   * against the request schema, then forgets the servers (call it in `afterEach`).
   */
  readonly expectValidRequests: () => void
}

/** The harness of one API's tests. */
export const makeHarness = <Config extends BaseConfig>(options: HarnessOptions<Config>): Harness<Config> => {
  const started: Array<WireServer.WireServer> = []
  const fixturePath = (name: string): string => path.join(here, "../fixtures", options.fixtures, name)
  const configFor = (server: WireServer.WireServer, config: Partial<Config> = {}): Config =>
    ({
      model: "gpt-4.1-mini",
      baseUrl: `${server.url}/v1`,
      apiKey: Redacted.make(options.apiKey),
      ...config
    }) as Config
  const track = (server: WireServer.WireServer): WireServer.WireServer => {
    started.push(server)
    return server
  }
  return {
    fixturePath,
    fixture: (name, replyOptions) => WireServer.fixture(fixturePath(name), replyOptions),
    configFor,
    setup: (script, config = {}) =>
      Effect.gen(function* () {
        const server = track(yield* WireServer.make(script))
        const model = yield* options
          .make(configFor(server, config))
          .pipe(Effect.provide(FetchHttpClient.layer))
        return { server, model }
      }),
    track,
    expectValidRequests: () => {
      for (const server of started.splice(0)) {
        for (const request of server.requests) {
          expect(
            validateRequest(options.requestSchema, request.body),
            `request ${request.index} to ${request.path}: ${request.text.slice(0, 300)}`
          ).toEqual([])
        }
      }
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

/** The usage carried by each chunk (undefined when none). */
export const usages = (
  chunks: ReadonlyArray<Message.AIMessageChunk>
): ReadonlyArray<Message.UsageMetadata | undefined> => chunks.map((chunk) => chunk.usageMetadata)
