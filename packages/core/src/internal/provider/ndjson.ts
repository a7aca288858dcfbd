/**
 * Newline-delimited JSON (Ollama's streaming format) from a response body: lines split
 * first, blank lines skipped, each line parsed into `unknown`, chunk by chunk.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import type { ChatError } from "../../ChatError.js"
import * as chunks from "./chunks.js"
import { parseJson } from "./json.js"
import { type DecodeOptions, missingEnd } from "./sse.js"

/** JSON values of a stream of text lines. */
export const valuesFromLines = <E, R>(
  input: Stream.Stream<string, E, R>,
  options: DecodeOptions<unknown> = {},
  secrets: ReadonlyArray<string> = [],
  body: { readonly endsWithNewline: boolean } = { endsWithNewline: true }
): Stream.Stream<unknown, E | ChatError, R> =>
  chunks.transduce<string, E, R, unknown, ChatError>(input, () => {
    const { isEnd, provider } = options
    let seenEnd = false
    // A line that does not parse as the last of its chunk may be the partial line that
    // `splitLines` flushes when the body fails or ends: its failure waits for the next
    // chunk (then the line was whole), the body's failure (reported instead) or its end
    // (a partial line there is a missing end marker when one is expected).
    let deferred: ChatError | undefined
    return {
      step: (input, out) => {
        if (deferred !== undefined) return chunks.fail(deferred)
        let index = 0
        const last = input.length - 1
        for (const line of input) {
          const current = index++
          if (line.trim() === "") continue
          const parsed = parseJson(line, provider, secrets)
          if (Either.isLeft(parsed)) {
            if (current < last) return chunks.fail(parsed.left)
            deferred = parsed.left
            return undefined
          }
          out.push(parsed.right)
          if (isEnd?.(parsed.right)) {
            seenEnd = true
            return chunks.end
          }
        }
        return undefined
      },
      done: () => {
        if (deferred !== undefined && (body.endsWithNewline || isEnd === undefined)) return deferred
        return isEnd !== undefined && !seenEnd ? missingEnd(provider) : undefined
      }
    }
  })

/** JSON values of an NDJSON response body. */
export const values = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: DecodeOptions<unknown> = {},
  secrets: ReadonlyArray<string> = []
): Stream.Stream<unknown, E | ChatError, R> =>
  Stream.suspend(() => {
    const body = { endsWithNewline: true }
    const text = Stream.map(Stream.decodeText(bytes), (piece) => {
      if (piece.length > 0) body.endsWithNewline = piece.endsWith("\n") || piece.endsWith("\r")
      return piece
    })
    return valuesFromLines(Stream.splitLines(text), options, secrets, body)
  })
