/**
 * The conformance suite against `OpenAiResponsesModel`, through a scripted Responses API
 * server on 127.0.0.1 (which also validates every request body against `CreateResponse`)
 * and the real fetch client, with the capabilities of the model's profile.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Conformance } from "@effect-chat/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { OpenAiResponsesModel } from "../../src/index.js"
import * as FakeResponsesServer from "../support/fakeResponsesServer.js"

const layer = Layer.unwrapScoped(
  Effect.map(FakeResponsesServer.make(), (server) =>
    OpenAiResponsesModel.layer({
      model: "gpt-4.1-mini",
      baseUrl: server.url,
      apiKey: Redacted.make("sk-test-conformance-0123456789")
    })
  )
).pipe(Layer.provide(FetchHttpClient.layer))

Conformance.run("OpenAiResponsesModel", layer, { timeout: 20_000 })
