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
