/**
 * The shared conformance suite against the generic Chat Completions loopback server
 * (`support/fakeOpenAiServer.ts`): OpenAI's own profile, and a compatible server whose
 * profile sends no `stream_options` (so its streams carry no usage).
 */

import { FetchHttpClient } from "@effect/platform"
import { afterAll } from "@effect/vitest"
import { Conformance } from "@effect-chat/testing"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect, Layer, Redacted } from "effect"
import { OpenAiChatModel } from "../../src/index.js"
import { apiKey, expectValidRequests, track } from "../support/chat.js"
import { chatCompletions } from "../support/fakeOpenAiServer.js"

/** A model layer on a fresh fake server, built (and the server closed) with the layer's scope. */
const onFakeServer = (config: Partial<OpenAiChatModel.Config>) =>
  Layer.unwrapScoped(
    Effect.map(WireServer.make(chatCompletions()), (server) =>
      OpenAiChatModel.layer({
        model: "gpt-4.1-mini",
        baseUrl: `${track(server).url}/v1`,
        apiKey: Redacted.make(apiKey),
        ...config
      })
    )
  ).pipe(Layer.provide(FetchHttpClient.layer))

Conformance.run("OpenAiChatModel (Chat Completions)", onFakeServer({}), { timeout: 30_000 })

Conformance.run(
  "OpenAiChatModel (compatible server, llama.cpp profile)",
  onFakeServer({ model: "local-model", compat: "llamacpp" }),
  { timeout: 30_000, returnsUsageMetadata: false }
)

afterAll(expectValidRequests)
