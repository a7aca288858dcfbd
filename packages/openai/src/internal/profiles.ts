/**
 * Model profiles of current OpenAI models: context window, longest answer, tools,
 * structured output, image, audio and PDF inputs, and whether the model is a reasoning
 * model (which takes the `developer` role and reports reasoning tokens).
 *
 * Sources (read 2025/2026): models.dev's `models/openai/*.toml` and
 * `providers/openai/models/*.toml` (limits, tool calling, structured output, input
 * modalities, reasoning), Vercel AI Gateway's model pages (GPT-4.1 family: 1,047,576 /
 * 32,768), and OpenAI's file-inputs guide ("models with vision capabilities, such as
 * gpt-4o and later models" take PDF files; Chat Completions takes PDF `file` parts only).
 * GPT-5's window is 400,000 tokens of which at most 272,000 are input.
 *
 * `reasoningOutput` is `true` for reasoning models: they reason, but note that OpenAI's
 * Chat Completions API never returns the reasoning text (the chat model turns the flag
 * off for OpenAI itself; the Responses API returns summaries).
 *
 * @internal
 */
import { ModelProfile } from "@effect-chat/core"

/** A known model: its profile and whether it is a reasoning model. */
export interface KnownModel {
  readonly profile: ModelProfile.ModelProfile
  /** o-series and GPT-5: `developer` messages, `max_completion_tokens`, reasoning tokens. */
  readonly reasoning: boolean
}

const base: ModelProfile.ModelProfile = {
  toolCalling: true,
  toolChoice: true,
  parallelToolCalls: true,
  structuredOutput: true,
  jsonMode: true,
  imageInputs: true,
  audioInputs: false,
  pdfInputs: true,
  reasoningOutput: false
}

const model = (
  maxInputTokens: number,
  maxOutputTokens: number,
  overrides: Partial<ModelProfile.ModelProfile> = {},
  reasoning = false
): KnownModel => ({
  profile: { ...base, maxInputTokens, maxOutputTokens, reasoningOutput: reasoning, ...overrides },
  reasoning
})

const gpt41 = model(1_047_576, 32_768)
const gpt4o = model(128_000, 16_384)
const oSeries = model(200_000, 100_000, {}, true)
const gpt5 = model(272_000, 128_000, {}, true)
const audioPreview = model(128_000, 16_384, {
  structuredOutput: false,
  imageInputs: false,
  audioInputs: true,
  pdfInputs: false
})

/**
 * Known model ids by prefix, longest first: a dated snapshot (`gpt-4o-2024-08-06`) or a
 * newer point release (`gpt-5.1`) takes its family's profile.
 */
const known: ReadonlyArray<readonly [prefix: string, model: KnownModel]> = [
  ["gpt-4o-mini-audio-preview", audioPreview],
  ["gpt-4o-audio-preview", audioPreview],
  ["gpt-4o-mini", gpt4o],
  ["gpt-4o", gpt4o],
  ["chatgpt-4o", gpt4o],
  ["gpt-4.1-nano", gpt41],
  ["gpt-4.1-mini", gpt41],
  ["gpt-4.1", gpt41],
  [
    "o1-mini",
    model(
      128_000,
      65_536,
      {
        toolCalling: false,
        toolChoice: false,
        parallelToolCalls: false,
        structuredOutput: false,
        jsonMode: false,
        imageInputs: false,
        pdfInputs: false
      },
      true
    )
  ],
  ["o3-mini", model(200_000, 100_000, { imageInputs: false, pdfInputs: false }, true)],
  ["o4-mini", oSeries],
  ["o1", oSeries],
  ["o3", oSeries],
  ["gpt-5", gpt5]
]

/** Whether a model id names a reasoning model (o-series, GPT-5 family). */
export const isReasoningModel = (id: string): boolean => /^(?:o\d|gpt-5)/.test(bareId(id))

/** The id without a routing prefix (`openai/gpt-4o` -> `gpt-4o`). */
const bareId = (id: string): string => {
  const slash = id.lastIndexOf("/")
  return (slash === -1 ? id : id.slice(slash + 1)).toLowerCase()
}

/** The profile of an OpenAI model id, if it is a known one. */
export const lookup = (id: string): KnownModel | undefined => {
  const bare = bareId(id)
  for (const [prefix, found] of known) if (bare.startsWith(prefix)) return found
  return undefined
}

/**
 * The profile of an OpenAI model OpenAI does not document here: conservative, except
 * tool calling and tool choice (every current OpenAI chat model calls tools).
 */
export const unknownOpenAiModel: ModelProfile.ModelProfile = {
  ...ModelProfile.conservative,
  toolCalling: true,
  toolChoice: true
}
