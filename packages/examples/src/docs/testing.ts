/**
 * The application code tested in docs/testing.md (the tests themselves are in
 * test/docs/testing.test.ts): a small summarizer that needs a `ChatModel`, and the layer
 * that makes it resilient.
 *
 * Importing this module runs nothing.
 */
import { type ChatError, ChatModel, Message } from "@effect-chat/core"
import { Effect, type Layer } from "effect"

/** The instructions the summarizer sends first. */
export const instructions = "Summarize the user's text in one sentence."

/**
 * Summarizes a text in one sentence with whatever model the context provides, giving up
 * after 30 seconds per attempt.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect } from "effect"
 * import { summarize } from "./testing.js"
 *
 * const summary = summarize("A long text…").pipe(
 *   Effect.provide(ChatModel.layer(FakeChatModel.fromResponses(["A short summary."])))
 * )
 * ```
 */
export const summarize = (text: string): Effect.Effect<string, ChatError.ChatError, ChatModel.ChatModel> =>
  ChatModel.invoke(
    [
      ["system", instructions],
      ["user", text]
    ],
    { timeout: "30 seconds", tags: ["summarize"] }
  ).pipe(Effect.map(Message.text))

/**
 * Makes any model layer resilient for the summarizer: retryable errors (rate limits,
 * timeouts, server errors) are retried up to 3 times with backoff.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { resilient } from "./testing.js"
 *
 * const ModelLive = resilient(ChatModel.layer(FakeChatModel.fromResponses(["ok"])))
 * ```
 */
export const resilient = <E, R>(
  layer: Layer.Layer<ChatModel.ChatModel, E, R>
): Layer.Layer<ChatModel.ChatModel, E, R> =>
  layer.pipe(ChatModel.decorate(ChatModel.withRetry({ maxRetries: 3 })))
