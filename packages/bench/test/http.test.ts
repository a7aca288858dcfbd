/**
 * The HTTP section: the loopback server sends what the wire module renders, holds
 * gated streams until released, and every client reads every delta and character
 * of a stream (one at a time and many at once). Small streams; never asserts on time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { clientsOf, describeCounts, httpCase, httpGroupNames, measureConcurrency } from "../src/http/cases.js"
import type { StreamClient } from "../src/http/client.js"
import { baseUrlOf, releaseGate, type SseServer, startSseServer } from "../src/http/server.js"
import { expectedOf, fullText, render } from "../src/http/wire.js"

let server: SseServer

beforeAll(async () => {
  server = await startSseServer()
})

afterAll(async () => {
  await server.close()
})

const post = (url: string): Promise<Response> =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })

describe("wire", () => {
  it("renders one event per delta between a head and a tail, in both formats", () => {
    const chat = render("chat", 5)
    expect(chat.deltas.length).toBe(5)
    expect(chat.tail.toString()).toMatch(/"usage":\{"prompt_tokens".*\n\ndata: \[DONE\]\n\n$/s)
    const responses = render("responses", 5)
    expect(responses.deltas.length).toBe(5)
    expect(responses.head.toString()).toContain("event: response.created\n")
    expect(responses.tail.toString()).toContain(JSON.stringify(fullText(5)))
    expect(expectedOf(5)).toEqual({ deltas: 5, chars: fullText(5).length })
  })
})

describe("server", () => {
  it("serves the rendered stream, and 404 for anything else", async () => {
    const res = await post(`${baseUrlOf(server.origin, 7)}/chat/completions`)
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    const r = render("chat", 7)
    expect(await res.text()).toBe(Buffer.concat([r.head, ...r.deltas, r.tail]).toString())
    expect((await post(`${server.origin}/nowhere`)).status).toBe(404)
  })

  it("holds a gated stream after its first half until the gate is released", async () => {
    const res = await post(`${baseUrlOf(server.origin, 4, "test-gate")}/responses`)
    const reader = res.body!.getReader()
    const r = render("responses", 4)
    let received = ""
    const decoder = new TextDecoder()
    const firstHalf = Buffer.concat([r.head, ...r.deltas.slice(0, 2)]).toString()
    while (received.length < firstHalf.length) {
      const { value } = await reader.read()
      received += decoder.decode(value, { stream: true })
    }
    expect(received).toBe(firstHalf)
    expect(await releaseGate(server.origin, "test-gate")).toBe(1)
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      received += decoder.decode(value, { stream: true })
    }
    expect(received).toBe(Buffer.concat([r.head, ...r.deltas, r.tail]).toString())
  })
})

const clients: Array<readonly [string, StreamClient]> = []
for (const group of httpGroupNames) {
  for (const client of await clientsOf(group)) clients.push([`${client.library} (${client.format})`, client])
}

describe.each(clients)("%s", (_label, client) => {
  it("reads every delta of a stream", async () => {
    const c = httpCase(client, server.origin, 300)
    expect(c.opsPerIteration).toBe(300)
    expect(await c.verify()).toBe(c.expected)
    expect(c.expected).toBe(describeCounts(expectedOf(300)))
    await c.run(1)
  })

  it("reads every delta of many concurrent gated streams", async () => {
    let collections = 0
    const m = await measureConcurrency(client, server.origin, {
      streams: 20,
      deltasPerStream: 10,
      warmupStreams: 2,
      gc: () => {
        collections++
      }
    })
    expect(m.streams).toBe(20)
    expect(m.deltasPerStream).toBe(10)
    expect(collections).toBe(2)
    expect(m.heapOpenMb).toBeGreaterThan(0)
  })
})
