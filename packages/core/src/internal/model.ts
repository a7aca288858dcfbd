/**
 * The chat-model service as a value and in the context (re-exported by the `ChatModel`
 * module): its brand, the `ChatModel` tag, `make`, and the layers of a model and of
 * program-wide callbacks.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import type { Callbacks, Service } from "./calls.js"
import type { Impl } from "./protocol.js"
import * as service from "./service.js"

/**
 * The brand of chat-model services (the key `isChatModel` looks for).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * ChatModel.TypeId in FakeChatModel.fromResponses(["hi"]) // true
 * ```
 *
 * @since 0.1.0
 */
export const TypeId: typeof service.TypeId = service.TypeId

/**
 * The type of the brand of chat-model services.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const brandOf = (model: ChatModel.Service): ChatModel.TypeId => model[ChatModel.TypeId]
 * ```
 *
 * @since 0.1.0
 */
export type TypeId = typeof TypeId

/**
 * The tag of the chat model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const model = yield* ChatModel.ChatModel
 *   return yield* model.invoke("hi")
 * })
 * ```
 *
 * @since 0.1.0
 */
export class ChatModel extends Context.Tag("@effect-chat/core/ChatModel")<ChatModel, Service>() {}

/**
 * Builds a chat model from the provider protocol. Everything else (input coercion,
 * generate from stream and stream from generate, stop sequences, callbacks, events,
 * tracing, batching, the combinators) is supplied here, once for every provider.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const echo = ChatModel.make({
 *   llmType: "echo",
 *   generate: (request) =>
 *     Effect.succeed({ generations: [{ message: Message.ai(Message.text(request.messages.at(-1)!)) }] })
 * })
 * ```
 *
 * @since 0.1.0
 */
export const make = (impl: Impl): Service => service.make(impl)

/**
 * Tells whether a value is a chat-model service.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * ChatModel.isChatModel({}) // false
 * ```
 *
 * @since 0.1.0
 */
export const isChatModel = (value: unknown): value is Service => service.isService(value)

/**
 * A layer that provides the given service under the `ChatModel` tag.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const ModelLive = ChatModel.layer(FakeChatModel.fromResponses(["hello"]))
 * ```
 *
 * @since 0.1.0
 */
export const layer = (model: Service<unknown>): Layer.Layer<ChatModel> =>
  // a model with bound tools answers messages whose tool-call args are decoded values
  // (possibly class instances): at runtime they are still the records the tag promises
  Layer.succeed(ChatModel, model as Service)

/**
 * Applies a combinator to the model of a layer.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const ModelLive = ChatModel.layer(FakeChatModel.fromResponses(["hello"])).pipe(
 *   ChatModel.decorate(ChatModel.withRetry({ maxRetries: 3 }))
 * )
 * ```
 *
 * @since 0.1.0
 */
export const decorate =
  (f: (model: Service) => Service) =>
  <E, R>(self: Layer.Layer<ChatModel, E, R>): Layer.Layer<ChatModel, E, R> =>
    Layer.map(self, (context) => Context.add(context, ChatModel, f(Context.get(context, ChatModel))))

/**
 * Callbacks for every call of a program (in addition to the callbacks of each call).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const Logging = ChatModel.layerCallbacks({
 *   onEnd: ({ runId, result }) => Effect.log(`run ${runId}: ${result.generations[0].text}`)
 * })
 * ```
 *
 * @since 0.1.0
 */
export const layerCallbacks = (
  callbacks: Callbacks | ReadonlyArray<Callbacks>
): Layer.Layer<CurrentCallbacks> => Layer.succeed(CurrentCallbacks, service.toCallbackList(callbacks))

/**
 * The callbacks every call of a program runs (empty unless `layerCallbacks` provides
 * some). A `Context.Reference`: reading it never needs a layer.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const callbacks = Effect.map(ChatModel.CurrentCallbacks, (list) => list.length)
 * ```
 *
 * @since 0.1.0
 */
export const CurrentCallbacks: typeof service.CurrentCallbacks = service.CurrentCallbacks

/**
 * The identifier of `CurrentCallbacks` in a context: what a layer of program-wide
 * callbacks provides.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect, type Layer } from "effect"
 *
 * const Logging: Layer.Layer<ChatModel.CurrentCallbacks> = ChatModel.layerCallbacks({
 *   onStart: ({ runId }) => Effect.log(`run ${runId} started`)
 * })
 * ```
 *
 * @since 0.1.0
 */
export type CurrentCallbacks = service.CurrentCallbacks
