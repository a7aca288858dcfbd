/**
 * @effect-chat/core: LangChain's chat-model abstraction, built natively on Effect.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as ChatError from "./ChatError.js"
/** @since 0.1.0 */
export * as ChatModel from "./ChatModel.js"
/** @since 0.1.0 */
export * as Message from "./Message.js"
/** @since 0.1.0 */
export * as ModelProfile from "./ModelProfile.js"
/** @since 0.1.0 */
export * as PromptValue from "./PromptValue.js"
/** @since 0.1.0 */
export * as Provider from "./Provider.js"
/** @since 0.1.0 */
export * as StructuredOutput from "./StructuredOutput.js"
/** @since 0.1.0 */
export * as Tool from "./Tool.js"
