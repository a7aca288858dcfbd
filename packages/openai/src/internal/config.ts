/**
 * Configuration shared by `OpenAiChatModel` and `OpenAiResponsesModel`: the connection
 * fields (key, base URL, organization, project, extra headers, timeout, Azure's API
 * version), the sampling fields both APIs take, reading them from `Config` (the
 * `OPENAI_*` environment variables), and building the `Provider` client with the
 * organization and project headers (Azure: the `api-key` header).
 *
 * @internal
 */

import type * as HttpClient from "@effect/platform/HttpClient"
import { Provider } from "@effect-chat/core"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/** OpenAI's API root, used when no `baseUrl` is given. */
export const defaultBaseUrl = "https://api.openai.com/v1"

/** The environment variables `layerConfig` reads. */
export const env = {
  apiKey: "OPENAI_API_KEY",
  baseUrl: "OPENAI_BASE_URL",
  organization: "OPENAI_ORG_ID",
  project: "OPENAI_PROJECT_ID",
  model: "OPENAI_MODEL"
} as const

/** How to reach the API (the fields both models share). */
export interface ClientConfig {
  /** The API key, sent as `authorization: Bearer <key>` (Azure: `api-key: <key>`); absent for keyless local servers. */
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** The API root (default `https://api.openai.com/v1`); a compatible server's `/v1` URL, or an Azure resource URL. */
  readonly baseUrl?: string | undefined
  /** Sent as the `openai-organization` header. */
  readonly organization?: string | undefined
  /** Sent as the `openai-project` header. */
  readonly project?: string | undefined
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /**
   * A connection-level timeout (`TimeoutError`): the whole exchange of a non-streaming
   * call, the wait for the response headers of a stream. (A call's own `timeout` option
   * bounds each attempt.)
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** Azure OpenAI only: the `api-version` query parameter of deployment URLs. */
  readonly apiVersion?: string | undefined
}

/** Sampling fields both APIs take (DESIGN.md's shared provider field names). */
export interface CommonConfig extends ClientConfig {
  /** The model id (Azure deployment URLs: the deployment name). */
  readonly model: string
  /** Sampling temperature, 0 to 2. */
  readonly temperature?: number | undefined
  /** The most tokens to generate (visible output plus reasoning). */
  readonly maxTokens?: number | undefined
  /** Nucleus sampling, 0 to 1. */
  readonly topP?: number | undefined
  /** Reasoning effort of reasoning models (`"minimal"`, `"low"`, `"medium"`, `"high"`, …). */
  readonly reasoningEffort?: string | undefined
  /** Processing tier (`"auto"`, `"default"`, `"flex"`, `"priority"`, …). */
  readonly serviceTier?: string | undefined
  /** A stable identifier of the end user (OpenAI's `user`). */
  readonly user?: string | undefined
}

/**
 * Each field as a plain value or a `Config` that reads it (for `layerConfig`): values
 * given here win; the connection fields and the model fall back to the environment.
 */
export type ConfigInput<A> = { readonly [K in keyof A]?: A[K] | Config.Config<A[K]> }

const optionalString = (name: string): Config.Config<string | undefined> =>
  Config.map(Config.option(Config.string(name)), (value) =>
    Option.isSome(value) && value.value.trim() !== "" ? value.value : undefined
  )

const optionalKey = (name: string): Config.Config<Redacted.Redacted<string> | undefined> =>
  Config.map(Config.option(Config.redacted(name)), (value) =>
    Option.isSome(value) && Redacted.value(value.value).trim() !== "" ? value.value : undefined
  )

/**
 * Resolves a `ConfigInput`: given fields (plain or `Config`) first, then the
 * environment for the key (`OPENAI_API_KEY`, redacted), base URL (`OPENAI_BASE_URL`,
 * default OpenAI's), organization (`OPENAI_ORG_ID`), project (`OPENAI_PROJECT_ID`) and
 * model (`OPENAI_MODEL`, default `defaultModel`).
 */
export const resolve = <A extends CommonConfig>(
  input: ConfigInput<A> | undefined,
  defaultModel: string
): Effect.Effect<A, ConfigError.ConfigError> => {
  const fields: Record<string, Config.Config<unknown>> = {
    apiKey: optionalKey(env.apiKey),
    baseUrl: optionalString(env.baseUrl),
    organization: optionalString(env.organization),
    project: optionalString(env.project),
    model: Config.map(optionalString(env.model), (model) => model ?? defaultModel)
  }
  if (input !== undefined) {
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue
      fields[key] = Config.isConfig(value) ? value : Config.succeed(value)
    }
  }
  return Effect.map(Config.all(fields), (resolved) => {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(resolved)) if (value !== undefined) out[key] = value
    return out as unknown as A
  })
}

/** Whether a base URL is an Azure OpenAI resource (`*.openai.azure.com`). */
export const isAzureUrl = (baseUrl: string): boolean => {
  const host = hostOf(baseUrl)
  return host?.endsWith(".openai.azure.com") === true
}

/** The lower-cased `host[:port]` of a URL, if it parses. */
export const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return undefined
  }
}

/** Options of `makeClient`. */
export interface ClientOptions {
  /** The provider's name in errors and spans (`"openai"`, `"groq"`, …). */
  readonly provider: string
  /** Azure OpenAI: the key goes in the `api-key` header. */
  readonly azure?: boolean | undefined
}

/**
 * The `Provider` client of a configuration: base URL (default OpenAI's), the key as a
 * bearer token (Azure: `api-key`), `openai-organization` / `openai-project` headers when
 * given, the extra headers, and the connection timeout.
 */
export const makeClient = (
  config: ClientConfig,
  options: ClientOptions
): Effect.Effect<Provider.Client, never, HttpClient.HttpClient> =>
  Provider.make({
    provider: options.provider,
    baseUrl: config.baseUrl ?? defaultBaseUrl,
    apiKey: config.apiKey,
    auth: options.azure === true ? { header: "api-key" } : undefined,
    headers: {
      "openai-organization": config.organization,
      "openai-project": config.project,
      ...config.headers
    },
    timeout: config.timeout
  })
