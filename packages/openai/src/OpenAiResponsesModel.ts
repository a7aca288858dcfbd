/**
 * OpenAI Responses API (placeholder, being written).
 *
 * @since 0.1.0
 */
export {}
