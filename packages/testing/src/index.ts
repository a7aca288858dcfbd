/**
 * @effect-chat/testing: fake chat models and the conformance suite.
 *
 * @since 0.1.0
 */
export {}
