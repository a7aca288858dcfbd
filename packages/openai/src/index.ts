/**
 * @effect-chat/openai: OpenAI's Chat Completions and Responses APIs, and
 * OpenAI-compatible servers.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as OpenAiChatModel from "./OpenAiChatModel.js"
/** @since 0.1.0 */
export * as OpenAiResponsesModel from "./OpenAiResponsesModel.js"

// `ChatModel.fromString("openai:gpt-4.1-mini", options)` and `"openai-responses:…"`: registered
// on import. The options are untyped there (LangChain's kwargs): they go to `layerConfig`
// as its configuration fields, the model name from the spec winning.
import { ChatModel } from "@effect-chat/core"
import * as OpenAiChatModel from "./OpenAiChatModel.js"
import * as OpenAiResponsesModel from "./OpenAiResponsesModel.js"

const withModel = <Input>(model: string, options: Readonly<Record<string, unknown>>): Input =>
  ({ ...options, model }) as Input

ChatModel.registerProvider("openai", (model, options) =>
  OpenAiChatModel.layerConfig(withModel(model, options))
)
ChatModel.registerProvider("openai-responses", (model, options) =>
  OpenAiResponsesModel.layerConfig(withModel(model, options))
)
