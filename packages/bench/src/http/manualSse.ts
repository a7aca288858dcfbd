/**
 * The hand-written SSE reading of the baseline rows (raw `fetch` and the Effect floor):
 * the body's text decoded as it arrives, split into lines, `JSON.parse` of each `data:`
 * line, the text delta of each event counted. No library at all: the limit the others
 * are compared with.
 */
import type { Counter } from "./client.js"
import type { Format } from "./wire.js"

type Json = Record<string, unknown>

const chatDelta = (event: Json): string | undefined => {
  const choices = event.choices as ReadonlyArray<Json> | undefined
  const delta = choices?.[0]?.delta as Json | undefined
  const content = delta?.content
  return typeof content === "string" ? content : undefined
}

const responsesDelta = (event: Json): string | undefined =>
  event.type === "response.output_text.delta" && typeof event.delta === "string" ? event.delta : undefined

/** The reader of one body: `read` takes each network read; `done` says whether `data: [DONE]` came. */
export interface ManualSseReader {
  readonly read: (bytes: Uint8Array) => void
  readonly done: () => boolean
}

/** A reader of one body counting its text deltas into `counter` (its state in closures, as a hand-written loop keeps it). */
export const manualSseReader = (format: Format, counter: Counter): ManualSseReader => {
  const deltaOf = format === "chat" ? chatDelta : responsesDelta
  const decoder = new TextDecoder()
  let buffer = ""
  let done = false
  return {
    read: (bytes) => {
      buffer += decoder.decode(bytes, { stream: true })
      let start = 0
      let newline = buffer.indexOf("\n", start)
      while (newline !== -1) {
        if (buffer.startsWith("data: ", start)) {
          const data = buffer.slice(start + 6, newline)
          if (data === "[DONE]") done = true
          else counter.add(deltaOf(JSON.parse(data) as Json))
        }
        start = newline + 1
        newline = buffer.indexOf("\n", start)
      }
      buffer = buffer.slice(start)
    },
    done: () => done
  }
}
