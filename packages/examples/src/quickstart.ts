/**
 * The quickstart, run by `npm start` at the root of the repository: it provides a model
 * layer to an Effect program, streams a reply to the terminal chunk by chunk, runs a
 * batch of prompts, and prints the token usage.
 *
 * The model comes from `selectModel`, which reads the environment. No provider package
 * exists yet, so today it always picks the built-in offline model (a fake model that
 * needs no key and no network); providers will be chosen here from their usual
 * environment variables (`OPENAI_API_KEY`, …) once they arrive.
 *
 * Importing this module runs nothing: `program` and `selectModel` are exported for the
 * tests, and the program runs only when this file is the entry point.
 */
import { realpathSync } from "node:fs"
import { pathToFileURL } from "node:url"
import { type ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Cause, Effect, Exit, type Layer, Stream } from "effect"

/** A model layer chosen from the environment, with a one-line description of it. */
export interface ModelChoice {
  readonly layer: Layer.Layer<ChatModel.ChatModel>
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
 * Picks the model from the environment. Provider packages arrive in a later step; each
 * will add a line here (for example `if (env.OPENAI_API_KEY) return openAi(env)`). Until
 * then every environment gets the offline model.
 *
 * @example
 * ```ts
 * import { selectModel } from "./quickstart.js"
 *
 * const { layer, description } = selectModel(process.env)
 * ```
 */
export const selectModel = (_env: Readonly<Record<string, string | undefined>>): ModelChoice => offlineModel()

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
