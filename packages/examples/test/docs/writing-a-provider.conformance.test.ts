// The Acme provider of docs/writing-a-provider.md must pass the shared conformance suite
// over HTTP, against the fake Acme server on the loopback wire server. (Keep
// `Conformance.run` in a file of its own.)
import { FetchHttpClient } from "@effect/platform"
import { Conformance } from "@effect-chat/testing"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect, Layer, Redacted } from "effect"
import { AcmeChatModel, acmeServer } from "../../src/docs/writing-a-provider.js"

// The server starts when the layer is built and stops when it is released.
const AcmeOnLoopback = Layer.unwrapScoped(
  Effect.map(WireServer.make(acmeServer()), (server) =>
    AcmeChatModel.layer({
      model: "acme-small",
      baseUrl: `${server.url}/v1`,
      apiKey: Redacted.make("acme-test")
    })
  )
).pipe(Layer.provide(FetchHttpClient.layer))

Conformance.run("AcmeChatModel (over HTTP)", AcmeOnLoopback, { timeout: 30_000 })
