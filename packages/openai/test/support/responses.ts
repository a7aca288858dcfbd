/**
 * The harness of the Responses API tests (see `harness.ts`): fixtures under
 * `fixtures/responses` (whole, byte-split, or one part per event), a loopback server
 * with a model pointed at it, and the check that every request body a test sent
 * validates against `CreateResponse` (`expectValidRequests`, run after each test).
 */
import * as fs from "node:fs"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { OpenAiResponsesModel } from "../../src/index.js"
import { makeHarness } from "./harness.js"

export { bodyOf, collect, finish } from "./harness.js"

/** The test API key: long enough to be scrubbed from errors. */
export const apiKey = "sk-test-responses-0123456789abcdef"

export const { fixturePath, fixture, configFor, setup, track, expectValidRequests } = makeHarness({
  fixtures: "responses",
  apiKey,
  requestSchema: "CreateResponse",
  make: OpenAiResponsesModel.make
})

/** A fixture as JSON. */
export const fixtureJson = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(fixturePath(name), "utf8")) as Record<string, unknown>

/** The events of an SSE fixture, one wire part each (so faults can be injected after N events). */
export const eventParts = (name: string): ReadonlyArray<string> =>
  fs
    .readFileSync(fixturePath(name), "utf8")
    .split(/(?<=\n\n)/)
    .filter((part) => part !== "")

/** An SSE fixture written one event per part. */
export const eventsReply = (
  name: string,
  options: Omit<WireServer.Reply, "body"> = {}
): WireServer.Reply => ({
  ...WireServer.sseReply(""),
  ...options,
  body: eventParts(name)
})
