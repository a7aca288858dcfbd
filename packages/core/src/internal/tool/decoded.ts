/**
 * The mark a bound model puts on an AI message whose tool-call args are already decoded
 * Schema values, so that `Tool.run` never decodes them twice.
 *
 * @internal
 */
import type { AIMessage } from "../schema.js"
import { copy } from "../schema.js"

/** @internal */
export const DecodedArgs: unique symbol = Symbol.for("@effect-chat/core/Tool/DecodedArgs")

/** @internal */
export const markDecoded = <M extends AIMessage>(message: M): M => {
  const marked = copy(message, {})
  Object.defineProperty(marked, DecodedArgs, { value: true, enumerable: false })
  return marked
}

/** @internal */
export const isDecoded = (message: AIMessage): boolean =>
  (message as { readonly [DecodedArgs]?: unknown })[DecodedArgs] === true
