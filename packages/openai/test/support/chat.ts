/**
 * The harness of the Chat Completions tests (see `harness.ts`): fixtures under
 * `fixtures/chat`, a loopback server with a model pointed at it, and the check that
 * every request body a test sent validates against `CreateChatCompletionRequest` (call
 * `expectValidRequests` in `afterEach`).
 */
import { OpenAiChatModel } from "../../src/index.js"
import { makeHarness } from "./harness.js"

export { bodyOf, collect, finish, usages } from "./harness.js"

/** The test API key: long enough to be scrubbed from errors. */
export const apiKey = "sk-test-0123456789abcdef"

export const { fixturePath, fixture, configFor, setup, track, expectValidRequests } = makeHarness({
  fixtures: "chat",
  apiKey,
  requestSchema: "CreateChatCompletionRequest",
  make: OpenAiChatModel.make
})

/** The response metadata of the `text` fixtures (`text.json`, and `text.sse` merged). */
export const textMetadata = {
  modelName: "gpt-4.1-mini-2025-04-14",
  id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
  finishReason: "stop",
  rawFinishReason: "stop",
  systemFingerprint: "fp_fc9f1d7035",
  serviceTier: "default"
} as const
