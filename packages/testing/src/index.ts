/**
 * @effect-chat/testing: fake chat models, record/replay of HTTP exchanges and the conformance suite.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Cassette from "./Cassette.js"
/** @since 0.1.0 */
export * as Conformance from "./Conformance.js"
/** @since 0.1.0 */
export * as FakeChatModel from "./FakeChatModel.js"
