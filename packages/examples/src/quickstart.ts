/**
 * The quickstart, run by `npm start` at the root of the repository: it provides a model
 * layer to an Effect program, streams a reply to the terminal chunk by chunk, runs a
 * batch of prompts, and prints the token usage.
 *
 * The model comes from `selectModel`, which reads the environment:
 *
 * - `EFFECT_CHAT_MODEL=provider:model` (for example `openai:gpt-4.1-mini`, or
 *   `openai-responses:o4-mini`) picks any registered provider through
 *   `ChatModel.fromString`; the provider reads the rest of its configuration from its
 *   usual variables (`OPENAI_API_KEY`, `OPENAI_BASE_URL` for a compatible server such
 *   as vLLM or Ollama's `/v1`, …);
 * - otherwise `OPENAI_API_KEY` alone picks OpenAI's Chat Completions (`OPENAI_MODEL`,
 *   default `gpt-4.1-mini`);
 * - otherwise the built-in offline model (a fake model that needs no key and no network).
 *
 * Importing this module runs nothing but the providers' registration: `program` and
 * `selectModel` are exported for the tests, and the program runs only when this file is
 * the entry point.
 */
import { realpathSync } from "node:fs"
import { pathToFileURL } from "node:url"
import { FetchHttpClient } from "@effect/platform"
import { type ChatError, ChatModel, Message } from "@effect-chat/core"
import { OpenAiChatModel } from "@effect-chat/openai"
import { FakeChatModel } from "@effect-chat/testing"
import { Cause, type ConfigError, ConfigProvider, Effect, Exit, Layer, Stream } from "effect"

/**
 * A model layer chosen from the environment, with a one-line description of it. Building
 * the layer of a real provider fails when its configuration does (an unknown provider in
 * `EFFECT_CHAT_MODEL`, an invalid variable).
 */
export interface ModelChoice {
  readonly layer: Layer.Layer<ChatModel.ChatModel, ChatError.InvalidInputError | ConfigError.ConfigError>
  readonly description: string
}

/** The replies of the offline model, in the order the quickstart asks for them. */
const offlineReplies: ReadonlyArray<string> = [
  "Hello! I am streamed one chunk at a time, the way a real model answers.",
  "A monad is a value in a context, with a way to chain steps inside it.",
  "A Layer builds the services a program needs.",
  "A Stream is a pull-based sequence of values."
]

/**
 * The offline model: a fake that answers from a fixed list, streams character by
 * character with a short pause between chunks, and reports token usage (words counted).
 *
 * @example
 * ```ts
 * import { offlineModel } from "./quickstart.js"
 *
 * const ModelLive = offlineModel().layer
 * ```
 */
export const offlineModel = (): ModelChoice => ({
  layer: ChatModel.layer(FakeChatModel.fromResponses(offlineReplies, { chunkLatency: "15 millis" })),
  description: "No provider configured: using the built-in offline model (canned answers, no network)."
})

/**
 * The environment variable naming a model as `provider:model`.
 *
 * @example
 * ```ts
 * import { modelVariable, selectModel } from "./quickstart.js"
 *
 * const choice = selectModel({ [modelVariable]: "openai:gpt-4.1" })
 * ```
 */
export const modelVariable = "EFFECT_CHAT_MODEL"

/** A variable's value, `undefined` when it is unset or blank. */
const read = (env: Readonly<Record<string, string | undefined>>, name: string): string | undefined => {
  const value = env[name]?.trim()
  return value === undefined || value === "" ? undefined : value
}

/**
 * A real provider's model for a `provider:model` spec, over `fetch`, configured from
 * `env` (not from whatever `process.env` holds, so the choice and the configuration
 * always agree).
 */
const providerModel = (
  spec: string,
  env: Readonly<Record<string, string | undefined>>,
  description: string
): ModelChoice => {
  const variables = new Map<string, string>()
  for (const [name, value] of Object.entries(env)) if (value !== undefined) variables.set(name, value)
  return {
    layer: ChatModel.fromString(spec).pipe(
      Layer.provide(FetchHttpClient.layer),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(variables)))
    ),
    description
  }
}

/**
 * Picks the model from the environment: `EFFECT_CHAT_MODEL=provider:model` (any
 * provider registered with `ChatModel.registerProvider`), else OpenAI when
 * `OPENAI_API_KEY` is set, else the offline model. Choosing builds nothing and calls
 * nothing: the provider is reached only when the program runs.
 *
 * @example
 * ```ts
 * import { selectModel } from "./quickstart.js"
 *
 * const { layer, description } = selectModel(process.env)
 * selectModel({ EFFECT_CHAT_MODEL: "openai:gpt-4.1" }).description // "Using openai:gpt-4.1 (from EFFECT_CHAT_MODEL)."
 * ```
 */
export const selectModel = (env: Readonly<Record<string, string | undefined>>): ModelChoice => {
  const spec = read(env, modelVariable)
  if (spec !== undefined) return providerModel(spec, env, `Using ${spec} (from ${modelVariable}).`)
  if (read(env, "OPENAI_API_KEY") !== undefined) {
    const model = read(env, "OPENAI_MODEL") ?? OpenAiChatModel.defaultModel
    return providerModel(
      `openai:${model}`,
      env,
      `Using OpenAI ${model} (OPENAI_API_KEY is set; ${modelVariable}=provider:model picks another model).`
    )
  }
  const baseUrl = read(env, "OPENAI_BASE_URL")
  if (baseUrl !== undefined) {
    // a keyless OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio): its model
    // from OPENAI_MODEL, else the server family's usual default
    const model = read(env, "OPENAI_MODEL") ?? OpenAiChatModel.defaultModel
    return providerModel(`openai:${model}`, env, `Using ${model} on ${baseUrl} (OPENAI_BASE_URL is set).`)
  }
  return offlineModel()
}

/** Writes text to the terminal without a newline. */
const write = (text: string): Effect.Effect<void> =>
  Effect.sync(() => {
    process.stdout.write(text)
  })

/** Token usage as one line (or a note when the model reported none). */
const formatUsage = (usage: Message.UsageMetadata | undefined): string =>
  usage === undefined
    ? "Token usage: not reported by this model."
    : `Token usage: ${usage.inputTokens} in, ${usage.outputTokens} out, ${usage.totalTokens} total.`

/** Adds up token usage; absent stays absent (never invented zeros). */
const addUsage = (
  total: Message.UsageMetadata | undefined,
  usage: Message.UsageMetadata | undefined
): Message.UsageMetadata | undefined =>
  total === undefined || usage === undefined
    ? (total ?? usage)
    : {
        inputTokens: total.inputTokens + usage.inputTokens,
        outputTokens: total.outputTokens + usage.outputTokens,
        totalTokens: total.totalTokens + usage.totalTokens
      }

/** What the quickstart did: the streamed reply, the batch replies and the total usage. */
export interface QuickstartResult {
  readonly streamed: Message.AIMessage
  readonly batch: ReadonlyArray<Message.AIMessage>
  readonly usage: Message.UsageMetadata | undefined
}

/**
 * The quickstart program: it needs a `ChatModel` and nothing else.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { program, selectModel } from "./quickstart.js"
 *
 * Effect.runPromise(program.pipe(Effect.provide(selectModel(process.env).layer)))
 * ```
 */
export const program: Effect.Effect<QuickstartResult, ChatError.ChatError, ChatModel.ChatModel> = Effect.gen(
  function* () {
    // 1. Stream a reply, printing each chunk as it arrives, and merge the chunks.
    yield* write("\n> Say hello.\n")
    const merged = yield* ChatModel.stream([
      ["system", "You are a friendly assistant."],
      ["user", "Say hello."]
    ]).pipe(
      Stream.tap((chunk) => write(Message.text(chunk))),
      Stream.runFold(Message.chunk({ content: "" }), Message.concat)
    )
    const streamed = Message.toMessage(merged)
    yield* write("\n")

    // 2. A batch: several prompts at once (at most 2 in flight), answers in input order.
    const prompts = ["What is a monad?", "What is a Layer?", "What is a Stream?"]
    const batch = yield* ChatModel.batch(prompts, { concurrency: 2 })
    for (const [index, reply] of batch.entries()) {
      yield* write(`\n> ${prompts[index]}\n${Message.text(reply)}\n`)
    }

    // 3. Token usage of every call above.
    const usage = [streamed, ...batch].reduce(
      (total: Message.UsageMetadata | undefined, reply) => addUsage(total, reply.usageMetadata),
      undefined
    )
    yield* write(`\n${formatUsage(usage)}\n`)
    return { streamed, batch, usage }
  }
)

/** Runs the quickstart with the model picked from the environment. */
const main = (): Promise<void> => {
  const choice = selectModel(process.env)
  console.log(choice.description)
  return Effect.runPromiseExit(program.pipe(Effect.provide(choice.layer))).then((exit) => {
    if (Exit.isFailure(exit)) {
      console.error(Cause.pretty(exit.cause))
      process.exitCode = 1
    }
  })
}

/** Whether this file is the program Node was started with (not merely imported). */
const isEntryPoint = (): boolean => {
  const entry = process.argv[1]
  if (entry === undefined) return false
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href
  } catch {
    return false
  }
}

if (isEntryPoint()) void main()
