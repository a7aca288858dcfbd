/**
 * Compatibility profiles of OpenAI-compatible servers: what each server family does
 * differently from OpenAI's Chat Completions API, as data the request and response
 * converters read. A profile is chosen by the `compat` option, or detected from the base
 * URL's host when that is unambiguous.
 *
 * Sources of the facts (see each family below): OpenAI's OpenAPI reference
 * (`max_tokens` is deprecated in favour of `max_completion_tokens`; `developer`
 * messages; `stream_options.include_usage`), Azure's REST reference (deployment URLs,
 * `api-key`, `api-version`, latest GA data-plane version 2024-10-21), Groq's "OpenAI
 * compatibility" page (`logprobs`, `logit_bias`, `top_logprobs`, `messages[].name` and
 * `n` other than 1 are rejected with a 400), DeepSeek's API docs (thinking mode returns
 * `reasoning_content`; usage reports cache hit and miss tokens), Ollama's "OpenAI
 * compatibility" page (its list of supported request fields; `stream_options.include_usage`),
 * OpenRouter's "Reasoning tokens" page (the `reasoning` field) and its SDK reference
 * (`stream_options.include_usage` is deprecated, "full usage details are always
 * included"), LangChain's ChatGroq (sends `stream_options.include_usage`; Groq's usage
 * also comes in `x_groq.usage`), vLLM's reasoning
 * parsers (`reasoning_content`, renamed `reasoning` in newer releases), and Google
 * Vertex AI's Grok page (xAI reports `reasoning_tokens` apart from `completion_tokens`).
 *
 * @internal
 */
import { hostOf, isAzureUrl } from "./config.js"

/** The server families with a built-in profile. */
export type CompatName =
  | "openai"
  | "azure"
  | "vllm"
  | "llamacpp"
  | "ollama"
  | "lmstudio"
  | "groq"
  | "together"
  | "deepseek"
  | "xai"
  | "openrouter"

/** What a server family does differently from OpenAI. */
export interface CompatProfile {
  /** The family's name; also the provider name in errors and spans. */
  readonly name: string
  /** Azure-style deployment URLs (`/openai/deployments/{model}/chat/completions?api-version=`) and `api-key` auth. */
  readonly azure: boolean
  /** Accepts `role: "developer"` (otherwise developer instructions go as `system`). */
  readonly developerRole: boolean
  /** The name of the output-token limit field. */
  readonly maxTokensField: "max_tokens" | "max_completion_tokens"
  /** Accepts `stream_options: { include_usage: true }`. */
  readonly streamOptions: boolean
  /** Accepts `strict` on function tools. */
  readonly strictTools: boolean
  /** Accepts `parallel_tool_calls`. */
  readonly parallelToolCalls: boolean
  /** Accepts `response_format: { type: "json_schema" }`. */
  readonly jsonSchema: boolean
  /** Accepts `name` on messages (otherwise names are left out). */
  readonly messageNames: boolean
  /** Accepts `logprobs` and `top_logprobs`. */
  readonly logprobs: boolean
  /** Accepts `n` greater than 1. */
  readonly multipleChoices: boolean
  /** Message and delta fields holding reasoning text, tried in order (the first non-empty wins). */
  readonly reasoningFields: ReadonlyArray<string>
  /** `completion_tokens` includes the reasoning tokens (xAI reports them apart). */
  readonly reasoningInCompletion: boolean
  /** A usage field with the cached input tokens besides OpenAI's `prompt_tokens_details.cached_tokens`. */
  readonly cacheHitField: string | undefined
  /** A record holding usage besides the top-level `usage` (Groq's `x_groq`). */
  readonly usageContainer: string | undefined
}

const openai: CompatProfile = {
  name: "openai",
  azure: false,
  developerRole: true,
  maxTokensField: "max_completion_tokens",
  streamOptions: true,
  strictTools: true,
  parallelToolCalls: true,
  jsonSchema: true,
  messageNames: true,
  logprobs: true,
  multipleChoices: true,
  reasoningFields: [],
  reasoningInCompletion: true,
  cacheHitField: undefined,
  usageContainer: undefined
}

/** Common ground of compatible servers: `max_tokens`, `system` instead of `developer`. */
const compatible: CompatProfile = {
  ...openai,
  developerRole: false,
  maxTokensField: "max_tokens",
  reasoningFields: ["reasoning_content", "reasoning"]
}

/** The built-in profiles. */
export const profiles: Readonly<Record<CompatName, CompatProfile>> = {
  openai,
  azure: { ...openai, name: "azure", azure: true },
  vllm: { ...compatible, name: "vllm", multipleChoices: true },
  llamacpp: {
    ...compatible,
    name: "llamacpp",
    streamOptions: false,
    multipleChoices: false,
    reasoningFields: ["reasoning_content"]
  },
  ollama: {
    ...compatible,
    name: "ollama",
    strictTools: false,
    parallelToolCalls: false,
    multipleChoices: false,
    reasoningFields: ["reasoning", "reasoning_content"]
  },
  lmstudio: { ...compatible, name: "lmstudio", streamOptions: false, multipleChoices: false },
  groq: {
    ...compatible,
    name: "groq",
    messageNames: false,
    logprobs: false,
    multipleChoices: false,
    reasoningFields: ["reasoning"],
    usageContainer: "x_groq"
  },
  together: { ...compatible, name: "together", reasoningFields: ["reasoning", "reasoning_content"] },
  deepseek: {
    ...compatible,
    name: "deepseek",
    strictTools: false,
    jsonSchema: false,
    multipleChoices: false,
    reasoningFields: ["reasoning_content"],
    cacheHitField: "prompt_cache_hit_tokens"
  },
  xai: {
    ...compatible,
    name: "xai",
    multipleChoices: false,
    reasoningFields: ["reasoning_content"],
    reasoningInCompletion: false
  },
  openrouter: {
    ...compatible,
    name: "openrouter",
    streamOptions: false,
    reasoningFields: ["reasoning", "reasoning_content"]
  }
}

/** A custom profile: a built-in one (`extends`, default `"openai"`) with some fields changed. */
export type CompatOptions = Partial<CompatProfile> & { readonly extends?: CompatName | undefined }

/** Hosts that name their family unambiguously. */
const byHost: ReadonlyArray<readonly [test: (host: string) => boolean, name: CompatName]> = [
  [(host) => host === "api.openai.com", "openai"],
  [(host) => host === "api.groq.com", "groq"],
  [(host) => host === "api.deepseek.com", "deepseek"],
  [(host) => host === "api.x.ai", "xai"],
  [(host) => host === "openrouter.ai", "openrouter"],
  [(host) => host === "api.together.xyz", "together"],
  [(host) => host === "localhost:11434" || host === "127.0.0.1:11434", "ollama"]
]

/** The family of a base URL when its host names one unambiguously. */
export const detect = (baseUrl: string): CompatName | undefined => {
  if (isAzureUrl(baseUrl)) return "azure"
  const host = hostOf(baseUrl)
  if (host === undefined) return undefined
  for (const [test, name] of byHost) if (test(host)) return name
  return undefined
}

/** The profile of a `compat` option: a name, a custom profile, or detected from the base URL (default `"openai"`). */
export const resolveCompat = (
  compat: CompatName | CompatOptions | undefined,
  baseUrl: string
): CompatProfile => {
  if (typeof compat === "string") return profiles[compat]
  const detected = profiles[detect(baseUrl) ?? "openai"]
  if (compat === undefined) return detected
  const { extends: parent, ...fields } = compat
  const defined: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) defined[key] = value
  return { ...(parent === undefined ? detected : profiles[parent]), ...defined }
}

/** The latest GA version of Azure OpenAI's data-plane inference API (Azure's REST reference). */
export const defaultAzureApiVersion = "2024-10-21"

/** Where chat completions are posted: the path and its query parameters. */
export interface Endpoint {
  readonly path: string
  readonly urlParams: Readonly<Record<string, string | undefined>>
}

const plain: Endpoint = { path: "/chat/completions", urlParams: {} }

/**
 * The chat-completions endpoint of a profile. Azure: a resource URL takes the
 * deployment path `/openai/deployments/{model}/chat/completions?api-version=…`; a base
 * URL already ending in `/openai/v1` (Azure's v1 API) or `/deployments/{name}` is used
 * with `/chat/completions` (`api-version` only when given).
 */
export const endpoint = (
  compat: CompatProfile,
  baseUrl: string,
  model: string,
  apiVersion: string | undefined
): Endpoint => {
  if (!compat.azure) return plain
  const path = baseUrl.replace(/\/+$/, "")
  if (/\/openai\/v1$/.test(path) || /\/deployments\/[^/]+$/.test(path)) {
    return apiVersion === undefined
      ? plain
      : { path: "/chat/completions", urlParams: { "api-version": apiVersion } }
  }
  return {
    path: `/openai/deployments/${encodeURIComponent(model)}/chat/completions`,
    urlParams: { "api-version": apiVersion ?? defaultAzureApiVersion }
  }
}
