/**
 * The loopback wire server used by provider tests: scripted replies, request recording,
 * fault injection and close observation, exercised with plain `fetch`.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect, Either, Fiber } from "effect"

const fetchText = (url: string, init?: RequestInit) =>
  Effect.tryPromise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, headers: response.headers, text: await response.text() }
  })

const post = (server: WireServer.WireServer, body: unknown = {}) =>
  fetchText(`${server.url}/v1/chat?x=1`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test": "yes" },
    body: JSON.stringify(body)
  })

describe("WireServer", () => {
  it.scoped("listens on 127.0.0.1 and records method, path, headers and the JSON body", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json({ ok: true }))
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const answer = yield* post(server, { hello: "wörld" })
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.text)).toEqual({ ok: true })
      const request = yield* server.awaitRequest(0)
      expect(request).toMatchObject({
        index: 0,
        method: "POST",
        path: "/v1/chat?x=1",
        body: { hello: "wörld" }
      })
      expect(request.headers["x-test"]).toBe("yes")
      expect(request.text).toBe('{"hello":"wörld"}')
    })
  )

  it.scoped("writes the parts of a body in order, with the reply's status and headers", () =>
    Effect.gen(function* () {
      const body = WireServer.sse([{ a: 1 }, { event: "e", id: "7", data: "x\ny" }])
      const server = yield* WireServer.make(WireServer.sseReply(body, { partSize: 1, status: 201 }))
      const answer = yield* post(server)
      expect(answer.status).toBe(201)
      expect(answer.headers.get("content-type")).toBe("text/event-stream")
      expect(answer.text).toBe(body)
      expect(body).toBe('data: {"a":1}\n\nid: 7\nevent: e\ndata: x\ndata: y\n\n')
    })
  )

  it.scoped("answers requests with a list of replies in order, then 500 when the list runs out", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make([WireServer.json(1), WireServer.serverError(503)])
      const answers = [yield* post(server), yield* post(server), yield* post(server)]
      expect(answers.map((answer) => answer.status)).toEqual([200, 503, 500])
      expect(answers[2]!.text).toContain("no reply scripted for request 2")
    })
  )

  it.scoped("a function script chooses the reply from the request", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make((request) => WireServer.json({ echo: request.body }))
      const answer = yield* post(server, { n: 5 })
      expect(JSON.parse(answer.text)).toEqual({ echo: { n: 5 } })
    })
  )

  it.scoped("setScript replaces the replies for the requests still to come", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make([WireServer.json("first")])
      yield* post(server)
      yield* server.setScript([WireServer.json("second")])
      expect((yield* post(server)).text).toBe('"second"')
    })
  )

  it.scoped("resetAfter destroys the socket after N parts: the client's read fails", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ status: 200, body: ["a", "b", "c"], resetAfter: 2 })
      const result = yield* Effect.either(post(server))
      expect(Either.isLeft(result)).toBe(true)
      const closed = yield* server.awaitClose(0)
      expect(closed).toEqual({ index: 0, completed: false, byServer: true })
      expect(server.closedConnections()).toBe(0)
    })
  )

  it.scoped("endAfter ends the response normally after N parts (a truncated body)", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ status: 200, body: ["a", "b", "c"], endAfter: 2 })
      expect((yield* post(server)).text).toBe("ab")
      expect((yield* server.awaitClose(0)).completed).toBe(true)
    })
  )

  it.scoped("a client that goes away while headers are delayed is observed as an early close", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ ...WireServer.json({}), headersDelay: 60_000 })
      const controller = new AbortController()
      const fiber = yield* Effect.fork(Effect.either(fetchText(server.url, { signal: controller.signal })))
      yield* server.awaitRequest(0)
      controller.abort()
      yield* Fiber.join(fiber)
      expect(yield* server.awaitClose(0)).toEqual({ index: 0, completed: false, byServer: false })
      expect(server.closedConnections()).toBe(1)
    })
  )

  it.scoped("a client that goes away from a hanging body is observed as an early close", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make({ status: 200, body: ["first", "never"], hangAfter: 1 })
      const controller = new AbortController()
      const first = yield* Effect.tryPromise(async () => {
        const response = await fetch(server.url, { signal: controller.signal })
        const reader = response.body!.getReader()
        const { value } = await reader.read()
        controller.abort()
        return new TextDecoder().decode(value)
      })
      expect(first).toBe("first")
      expect((yield* server.awaitClose(0)).completed).toBe(false)
    })
  )

  it.effect("closing the scope stops the server, hanging responses included", () =>
    Effect.gen(function* () {
      const url = yield* Effect.scoped(
        Effect.gen(function* () {
          const server = yield* WireServer.make({ status: 200, body: ["x"], hangAfter: 1 })
          const controller = new AbortController()
          yield* Effect.tryPromise(() => fetch(server.url, { signal: controller.signal }))
          return server.url
        })
      )
      const after = yield* Effect.either(fetchText(url))
      expect(Either.isLeft(after)).toBe(true)
    })
  )
})

describe("WireServer bodies", () => {
  it("ndjson writes one JSON value per line", () => {
    expect(WireServer.ndjson([{ a: 1 }, "b"])).toBe('{"a":1}\n"b"\n')
  })

  it("splitBytes splits by bytes, inside multi-byte characters too", () => {
    const parts = WireServer.splitBytes("é😀", 1)
    expect(parts).toHaveLength(6)
    expect(new TextDecoder().decode(Buffer.concat(parts.map((part) => Buffer.from(part))))).toBe("é😀")
  })

  it("rateLimited sets retry-after headers and a 429 status", () => {
    const reply = WireServer.rateLimited({ retryAfter: "2", retryAfterMs: "2000" })
    expect(reply.status).toBe(429)
    expect(reply.headers).toMatchObject({ "retry-after": "2", "retry-after-ms": "2000" })
  })

  it.scoped("fixture serves a file's content, split into parts when asked", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wire-"))
      const file = path.join(dir, "stream.sse")
      fs.writeFileSync(file, WireServer.sse(["hi", "[DONE]"]))
      const reply = WireServer.fixture(file, { partSize: 3 })
      expect(reply.headers?.["content-type"]).toBe("text/event-stream")
      const server = yield* WireServer.make(reply)
      expect((yield* post(server)).text).toBe("data: hi\n\ndata: [DONE]\n\n")
      fs.rmSync(dir, { recursive: true })
    })
  )
})
