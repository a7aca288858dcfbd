/**
 * The example of docs/getting-started.md: a first call, streaming, and providing the
 * model as a layer.
 *
 * Importing this module runs nothing; `program` is run by test/examples.test.ts.
 */
import { type ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Console, Effect, Stream } from "effect"

/**
 * The model of this example: a fake that needs no key and no network. A provider's
 * layer (for example `OpenAiChatModel.layerConfig(...)`, in a later release) takes its
 * place without touching the program.
 */
export const ModelLive = ChatModel.layer(
  FakeChatModel.fromResponses([
    "Effect is a TypeScript library for typed, composable programs.",
    "It gives you typed errors, structured concurrency, resource safety and streams."
  ])
)

/**
 * The program needs a `ChatModel` (see its type) and does not care which one.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ModelLive, program } from "./getting-started.js"
 *
 * Effect.runPromise(program.pipe(Effect.provide(ModelLive)))
 * ```
 */
export const program: Effect.Effect<string, ChatError.ChatError, ChatModel.ChatModel> = Effect.gen(
  function* () {
    // A first call: one answer, as an `AIMessage`.
    const reply = yield* ChatModel.invoke("What is Effect?")
    yield* Console.log(Message.text(reply))

    // Streaming: chunks as they arrive, written to the terminal one by one.
    const streamed = yield* ChatModel.stream("Tell me more.").pipe(
      Stream.map((chunk) => Message.text(chunk)),
      Stream.tap((text) => Effect.sync(() => process.stdout.write(text))),
      Stream.runFold("", (all, text) => all + text)
    )
    yield* Console.log()

    return streamed
  }
)

/**
 * The whole application: the program with its model provided.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { main } from "./getting-started.js"
 *
 * Effect.runPromise(main)
 * ```
 */
export const main: Effect.Effect<string, ChatError.ChatError> = program.pipe(Effect.provide(ModelLive))
