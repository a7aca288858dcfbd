/**
 * The option and codec types of the `Tool` module (re-exported there).
 *
 * @internal
 */
import type * as Either from "effect/Either"

/**
 * A JSON Schema object, as sent to providers.
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * const schema: Tool.JsonSchema = { type: "object", properties: {}, required: [], additionalProperties: false }
 * ```
 *
 * @since 0.1.0
 */
export type JsonSchema = Record<string, unknown>

/**
 * Options of `decodeArgs` and `encodeArgs`: `strict: true` when the arguments travel in
 * the shape of OpenAI's strict rewrite (see `Tool.openAiStrict`).
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * const options: Tool.ArgsOptions = { strict: true }
 * ```
 *
 * @since 0.1.0
 */
export interface ArgsOptions {
  readonly strict?: boolean
}

/**
 * Options of `definition`: `strict: true` sends the strict rewrite of the parameters
 * (OpenAI's rules, the only provider family so far) with `strict: true`;
 * `keepConstraints: true` keeps the constraint keywords OpenAI documents as supported.
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * const options: Tool.DefinitionOptions = { strict: true, provider: "openai" }
 * ```
 *
 * @since 0.1.0
 */
export interface DefinitionOptions {
  readonly strict?: boolean
  readonly provider?: "openai"
  readonly keepConstraints?: boolean
}

/**
 * Options of `Tool.run`.
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * const options: Tool.RunOptions = { failureMode: "fail", concurrency: 2 }
 * ```
 *
 * @since 0.1.0
 */
export interface RunOptions {
  /** `"return"` (default): problems become error tool messages; `"fail"`: a `ToolError`. */
  readonly failureMode?: "return" | "fail"
  /** How many calls run at once (default 8). */
  readonly concurrency?: number
  /** The args of an unmarked message are in the shape of the strict rewrite. */
  readonly strict?: boolean
}

/**
 * A Schema rewritten for a provider's strict mode, as a codec: `jsonSchema` is what the
 * provider accepts, `decode` turns the model's JSON back into the Schema's type
 * (undoing the rewrite, then decoding with the original Schema, so constraints dropped
 * from the JSON Schema are still enforced), `encode` goes the other way.
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * declare const codec: Tool.StrictCodec<{ readonly name: string }>
 * const result = codec.decode({ name: "Ada" }) // Either<{ name: string }, string>
 * ```
 *
 * @since 0.1.0
 */
export interface StrictCodec<A> {
  readonly jsonSchema: JsonSchema
  readonly decode: (wire: unknown) => Either.Either<A, string>
  readonly encode: (value: A) => Either.Either<unknown, string>
}
