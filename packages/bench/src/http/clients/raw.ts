/**
 * The limit: `fetch` plus a hand-written SSE reader (text decoded as it arrives, split
 * into lines, `JSON.parse` of each `data:` line), no library at all.
 */
import { API_KEY, Counter, type Counts, MODEL, PROMPT, type StreamClient } from "../client.js"
import type { Format } from "../wire.js"

type Json = Record<string, unknown>

const chatDelta = (event: Json): string | undefined => {
  const choices = event.choices as ReadonlyArray<Json> | undefined
  const delta = choices?.[0]?.delta as Json | undefined
  const content = delta?.content
  return typeof content === "string" ? content : undefined
}

const responsesDelta = (event: Json): string | undefined =>
  event.type === "response.output_text.delta" && typeof event.delta === "string" ? event.delta : undefined

const request = (format: Format): { readonly path: string; readonly body: string } =>
  format === "chat"
    ? {
        path: "/chat/completions",
        body: JSON.stringify({
          model: MODEL,
          messages: [{ role: "user", content: PROMPT }],
          stream: true,
          stream_options: { include_usage: true }
        })
      }
    : { path: "/responses", body: JSON.stringify({ model: MODEL, input: PROMPT, stream: true }) }

/** Streams one response with `fetch` and a manual SSE reader. */
const consume = async (baseUrl: string, format: Format, onFirst?: () => void): Promise<Counts> => {
  const { path, body } = request(format)
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
    body
  })
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`)
  const deltaOf = format === "chat" ? chatDelta : responsesDelta
  const counter = new Counter(onFirst)
  const decoder = new TextDecoder()
  let buffer = ""
  let done = false
  for await (const bytes of response.body) {
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
  }
  if (format === "chat" && !done) throw new Error("the stream ended without [DONE]")
  return counter.counts()
}

const client = (format: Format): StreamClient => ({
  library: "baseline: raw `fetch`",
  variant: `manual SSE parsing (line split, \`JSON.parse\`), ${format === "chat" ? "Chat Completions" : "Responses"} stream`,
  format,
  baseline: true,
  connect: async (baseUrl) => ({ one: (onFirst) => consume(baseUrl, format, onFirst) })
})

/** Raw fetch over the Chat Completions stream and over the Responses stream. */
export const clients: ReadonlyArray<StreamClient> = [client("chat"), client("responses")]
