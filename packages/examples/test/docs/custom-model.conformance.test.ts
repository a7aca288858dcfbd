// The custom models of docs/chat-model.md must pass the shared conformance suite, as
// every provider does. (Keep `Conformance.run` in a file of its own.)
import { ChatModel } from "@effect-chat/core"
import { Conformance } from "@effect-chat/testing"
import { AcmeChatModel, inMemoryAcmeClient, ReverseModel } from "../../src/docs/custom-model.js"

const client = inMemoryAcmeClient()
Conformance.run("AcmeChatModel", AcmeChatModel.layer({ client, model: "acme-small" }), {
  activeStreams: () => client.openStreams
})

// The reverse model reports no token usage.
Conformance.run("ReverseModel", ChatModel.layer(ReverseModel), { returnsUsageMetadata: false })
