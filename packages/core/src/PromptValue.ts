/**
 * A prompt that can be read as a list of messages or as one string (LangChain's
 * `PromptValue`, what prompt templates produce).
 *
 * @example
 * ```ts
 * import { Message, PromptValue } from "@effect-chat/core"
 *
 * const prompt = PromptValue.fromMessages([Message.system("Be brief."), Message.human("hi")])
 * prompt.toString() // "System: Be brief.\nHuman: hi"
 * ```
 *
 * @since 0.1.0
 */
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import { contentText } from "./internal/merge.js"
import { type Message, makeHuman } from "./internal/schema.js"

/**
 * The brand of prompt values (the key `isPromptValue` looks for).
 *
 * @example
 * ```ts
 * import { PromptValue } from "@effect-chat/core"
 *
 * PromptValue.TypeId in PromptValue.fromString("hi") // true
 * ```
 *
 * @since 0.1.0
 */
export const TypeId: unique symbol = Symbol.for("@effect-chat/core/PromptValue")

/**
 * The type of the brand of prompt values.
 *
 * @example
 * ```ts
 * import { PromptValue } from "@effect-chat/core"
 *
 * const brandOf = (prompt: PromptValue.PromptValue): PromptValue.TypeId => prompt[PromptValue.TypeId]
 * ```
 *
 * @since 0.1.0
 */
export type TypeId = typeof TypeId

/**
 * A prompt: its messages, and its string form.
 *
 * @example
 * ```ts
 * import { ChatModel, Message, PromptValue } from "@effect-chat/core"
 *
 * const prompt: PromptValue.PromptValue = PromptValue.fromMessages([
 *   Message.system("Answer briefly."),
 *   Message.human("What is Effect?")
 * ])
 * prompt.toMessages().length // 2
 * const reply = ChatModel.invoke(prompt)
 * ```
 *
 * @since 0.1.0
 */
export interface PromptValue extends Pipeable {
  readonly [TypeId]: TypeId
  /** The prompt as messages (a string prompt is one human message). */
  toMessages(): ReadonlyArray<Message>
  /** The prompt as text (messages are rendered as `Role: text` lines). */
  toString(): string
}

const roleName = (message: Message): string => {
  switch (message._tag) {
    case "HumanMessage":
      return "Human"
    case "SystemMessage":
      return "System"
    case "ToolMessage":
      return "Tool"
    default:
      return "AI"
  }
}

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    // biome-ignore lint/complexity/noArguments: pipeArguments reads the arguments object
    return pipeArguments(this, arguments)
  }
}

/**
 * A prompt from messages.
 *
 * @example
 * ```ts
 * import { Message, PromptValue } from "@effect-chat/core"
 *
 * PromptValue.fromMessages([Message.human("hi")]).toMessages().length // 1
 * ```
 *
 * @since 0.1.0
 */
export const fromMessages = (messages: ReadonlyArray<Message>): PromptValue => {
  const copy = messages.slice()
  return Object.assign(Object.create(Proto), {
    toMessages: () => copy,
    toString: () => copy.map((message) => `${roleName(message)}: ${contentText(message.content)}`).join("\n")
  })
}

/**
 * A prompt from one string (a single human message).
 *
 * @example
 * ```ts
 * import { PromptValue } from "@effect-chat/core"
 *
 * PromptValue.fromString("Tell me a joke").toString() // "Tell me a joke"
 * ```
 *
 * @since 0.1.0
 */
export const fromString = (text: string): PromptValue => {
  const messages = [makeHuman({ content: text })]
  return Object.assign(Object.create(Proto), { toMessages: () => messages, toString: () => text })
}

/**
 * Tells whether a value is a `PromptValue`.
 *
 * @example
 * ```ts
 * import { PromptValue } from "@effect-chat/core"
 *
 * PromptValue.isPromptValue(PromptValue.fromString("hi")) // true
 * ```
 *
 * @since 0.1.0
 */
export const isPromptValue = (value: unknown): value is PromptValue =>
  typeof value === "object" && value !== null && TypeId in value
