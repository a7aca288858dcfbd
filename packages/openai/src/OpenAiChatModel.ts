/**
 * OpenAI Chat Completions (placeholder, being written).
 *
 * @since 0.1.0
 */
export {}
