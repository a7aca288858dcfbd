/**
 * The registry behind `ChatModel.fromString` (LangChain's `init_chat_model`): provider
 * packages register a factory under a name when they are imported, and a
 * `"provider:model"` string picks one. The registry is a global value, so two copies of
 * this module (two bundles, two import paths) still share it.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { globalValue } from "effect/GlobalValue"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { InvalidInputError } from "../ChatError.js"
import type { ChatModel } from "./model.js"

/** What a provider registers: a layer for a model name and the caller's options. */
export type Factory = (
  model: string,
  options: Readonly<Record<string, unknown>>
) => Layer.Layer<ChatModel, InvalidInputError | ConfigError.ConfigError, HttpClient.HttpClient>

const factories = globalValue(
  Symbol.for("@effect-chat/core/ChatModel/providers"),
  () => new Map<string, Factory>()
)

const normalize = (name: string): string => name.trim().toLowerCase()

export const register = (name: string, factory: Factory): void => {
  factories.set(normalize(name), factory)
}

export const registered = (): ReadonlyArray<string> => [...factories.keys()].sort()

/**
 * Model-name prefixes and the provider they imply (LangChain's
 * `_attempt_infer_model_provider`, with this project's provider names).
 */
export const inferenceRules: ReadonlyArray<readonly [prefix: string, provider: string]> = [
  ["gpt-", "openai"],
  ["chatgpt", "openai"],
  ["o1", "openai"],
  ["o3", "openai"],
  ["o4", "openai"],
  ["text-davinci", "openai"],
  ["ft:gpt-", "openai"],
  ["claude", "anthropic"],
  ["gemini", "google"],
  ["command", "cohere"],
  ["mistral", "mistralai"],
  ["mixtral", "mistralai"],
  ["codestral", "mistralai"],
  ["deepseek", "deepseek"],
  ["grok", "xai"],
  ["sonar", "perplexity"]
]

/** The provider a model name implies, if a rule knows it. */
export const infer = (model: string): string | undefined => {
  const name = model.trim().toLowerCase()
  return inferenceRules.find(([prefix]) => name.startsWith(prefix))?.[1]
}

/** Provider names worth an error of their own when used as a prefix but not registered. */
const knownProviders: ReadonlySet<string> = new Set([
  ...inferenceRules.map(([, provider]) => provider),
  "openai-responses",
  "azure",
  "azure-openai",
  "ollama",
  "groq",
  "together",
  "openrouter",
  "bedrock",
  "vertexai"
])

const listing = (): string => {
  const names = registered()
  return names.length === 0
    ? "no provider is registered (import a provider package such as @effect-chat/openai)"
    : `registered providers: ${names.join(", ")}`
}

/** A parsed spec: the provider's name and the model. */
export interface Spec {
  readonly provider: string
  readonly model: string
}

/**
 * Splits `"provider:model"`. The part before the first `:` is the provider when it names
 * a registered or known provider; otherwise the whole string is the model (model names
 * may contain `:`, as Ollama's `llama3.2:1b`) and the provider is inferred from it.
 */
export const parse = (spec: string): Either.Either<Spec, InvalidInputError> => {
  const trimmed = spec.trim()
  const colon = trimmed.indexOf(":")
  if (colon > 0) {
    const prefix = normalize(trimmed.slice(0, colon))
    const model = trimmed.slice(colon + 1).trim()
    if (factories.has(prefix) || knownProviders.has(prefix)) {
      return model === ""
        ? Either.left(
            new InvalidInputError({ message: `no model named in "${spec}" (write "provider:model")` })
          )
        : Either.right({ provider: prefix, model })
    }
  }
  if (trimmed === "") {
    return Either.left(
      new InvalidInputError({ message: `empty model spec (write "provider:model"; ${listing()})` })
    )
  }
  const inferred = infer(trimmed)
  if (inferred !== undefined) return Either.right({ provider: inferred, model: trimmed })
  const hint =
    colon > 0
      ? `unknown chat model provider "${trimmed.slice(0, colon)}" in "${spec}"`
      : `cannot infer the provider of model "${spec}" (write "provider:model")`
  return Either.left(new InvalidInputError({ message: `${hint}; ${listing()}` }))
}

/** A string `apiKey` becomes `Redacted` (DESIGN.md: keys are always `Redacted`). */
const normalizeOptions = (options: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> =>
  typeof options.apiKey === "string" ? { ...options, apiKey: Redacted.make(options.apiKey) } : options

export const fromString = (
  spec: string,
  options: Readonly<Record<string, unknown>> = {}
): Layer.Layer<ChatModel, InvalidInputError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    Effect.suspend(() =>
      Either.match(parse(spec), {
        onLeft: (error) => Effect.fail(error),
        onRight: ({ provider, model }) => {
          const factory = factories.get(provider)
          return factory === undefined
            ? Effect.fail(
                new InvalidInputError({
                  message: `chat model provider "${provider}" (for "${spec}") is not registered; ${listing()}`
                })
              )
            : Effect.succeed(factory(model, normalizeOptions(options)))
        }
      })
    )
  )
