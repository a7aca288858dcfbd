/**
 * The example of the README. Importing this module runs nothing; `main` is run by
 * test/examples.test.ts (the README shows `Effect.runPromise(main)`).
 */
import { type ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Console, Effect, Stream } from "effect"

/** Any model is a layer: a provider's in production, a fake here (no key, no network). */
export const ModelLive = ChatModel.layer(FakeChatModel.fromResponses(["Hello!", "Hello again!"])).pipe(
  ChatModel.decorate(ChatModel.withRetry({ maxRetries: 3 }))
)

/** One call, then a streamed call; the program only needs some `ChatModel`. */
export const program: Effect.Effect<void, ChatError.ChatError, ChatModel.ChatModel> = Effect.gen(
  function* () {
    // One call: an AIMessage; failures are typed (ChatError) and retried when retryable.
    const reply = yield* ChatModel.invoke([
      ["system", "Be brief."],
      ["user", "Say hello."]
    ])
    yield* Console.log(Message.text(reply), reply.usageMetadata)

    // Streaming: print each chunk as it arrives (interrupting the stream cancels the call).
    yield* ChatModel.stream("Say it again.").pipe(
      Stream.runForEach((chunk) => Effect.sync(() => process.stdout.write(Message.text(chunk))))
    )
  }
)

/**
 * The program with its model provided.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { main } from "./readme.js"
 *
 * Effect.runPromise(main)
 * ```
 */
export const main: Effect.Effect<void, ChatError.ChatError> = program.pipe(Effect.provide(ModelLive))
