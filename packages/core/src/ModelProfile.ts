/**
 * What a model can do and hold. Providers ship the profiles of their known models; an
 * unknown model gets conservative defaults. The conformance suite reads its capability
 * flags from here.
 *
 * @example
 * ```ts
 * import { ModelProfile } from "@effect-chat/core"
 *
 * const profile = ModelProfile.make({ toolCalling: true, maxInputTokens: 128_000 })
 * profile.imageInputs // false (conservative default)
 * ```
 *
 * @since 0.1.0
 */

/**
 * The capability flags and limits of a model.
 *
 * @example
 * ```ts
 * import { type ChatModel, ModelProfile } from "@effect-chat/core"
 *
 * const vision: ModelProfile.ModelProfile = ModelProfile.make({ imageInputs: true, maxInputTokens: 128_000 })
 * const canSee = (model: ChatModel.Service): boolean => model.profile.imageInputs
 * ```
 *
 * @since 0.1.0
 */
export interface ModelProfile {
  /** Context window in tokens, when known. */
  readonly maxInputTokens?: number
  /** Longest answer in tokens, when known. */
  readonly maxOutputTokens?: number
  /** Calls tools (function calling). */
  readonly toolCalling: boolean
  /** Honours `toolChoice` (`"any"` and a tool name). */
  readonly toolChoice: boolean
  /** May call several tools in one answer. */
  readonly parallelToolCalls: boolean
  /** Follows a JSON Schema response format natively. */
  readonly structuredOutput: boolean
  /** Has a JSON object mode. */
  readonly jsonMode: boolean
  /** Accepts image blocks. */
  readonly imageInputs: boolean
  /** Accepts audio blocks. */
  readonly audioInputs: boolean
  /** Accepts PDF file blocks. */
  readonly pdfInputs: boolean
  /** Returns reasoning blocks. */
  readonly reasoningOutput: boolean
}

/**
 * The conservative defaults: nothing beyond plain text chat.
 *
 * @example
 * ```ts
 * import { ModelProfile } from "@effect-chat/core"
 *
 * ModelProfile.conservative.toolCalling // false
 * ```
 *
 * @since 0.1.0
 */
export const conservative: ModelProfile = {
  toolCalling: false,
  toolChoice: false,
  parallelToolCalls: false,
  structuredOutput: false,
  jsonMode: false,
  imageInputs: false,
  audioInputs: false,
  pdfInputs: false,
  reasoningOutput: false
}

/**
 * A profile from the flags that differ from the conservative defaults.
 *
 * @example
 * ```ts
 * import { ModelProfile } from "@effect-chat/core"
 *
 * const profile = ModelProfile.make({ toolCalling: true, toolChoice: true })
 * ```
 *
 * @since 0.1.0
 */
export const make = (fields: Partial<ModelProfile> = {}): ModelProfile => ({ ...conservative, ...fields })
