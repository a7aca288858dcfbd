/**
 * Measures one case in a fresh process, so no library's global state (LangChain's
 * AsyncLocalStorage, a JIT already polymorphic from another library's Effect code, a
 * heap grown by the previous case, another library's HTTP connections) bends
 * another's figure. Checks the case's output once, then times it, and prints one
 * JSON `CaseResult` line on stdout; progress goes to stderr.
 *
 * `worker.ts <section> <group> <index>`:
 * - `invoke`, `stream`, `structured`: an in-process case of a group of `cases.ts`;
 * - `http`: the per-delta case of a client of `http/cases.ts`;
 * - `concurrency`: the concurrency case of that client (needs `--expose-gc`).
 *
 * The HTTP sections read the loopback server's origin from `BENCH_SSE_ORIGIN`.
 *
 * Run it as `node --conditions=effect-chat-compiled --import tsx worker.ts ...`
 * (`compiled.ts`): ours then loads as compiled JavaScript, as the peers do; the
 * `ours` group refuses to run from TypeScript source.
 */
import { performance } from "node:perf_hooks"
import {
  type CaseResult,
  casesOf,
  errorText,
  type InProcessSection,
  isGroup,
  measureOptions
} from "./cases.js"
import { notCompiled } from "./compiled.js"
import { clientsOf, httpCase, isHttpGroup, measureConcurrency } from "./http/cases.js"
import { type Case, measure } from "./measure.js"

const isInProcess = (name: string | undefined): name is InProcessSection =>
  name === "invoke" || name === "stream" || name === "structured"

const timeCase = async (c: Case): Promise<CaseResult> => {
  const verifyStart = performance.now()
  const got = await c.verify()
  const verifyMs = performance.now() - verifyStart
  if (got !== c.expected) return { _tag: "failed", reason: `wrong output: ${got} (expected ${c.expected})` }
  const m = await measure(c, measureOptions[c.section], verifyMs)
  return { _tag: "ok", medianUs: m.medianUs, samplesUs: m.samplesUs, iterations: m.iterations }
}

const origin = (): string => {
  const value = process.env.BENCH_SSE_ORIGIN
  if (value === undefined || value === "") throw new Error("BENCH_SSE_ORIGIN is not set")
  return value
}

const runOne = async (args: ReadonlyArray<string>): Promise<CaseResult> => {
  const [section, group, indexText] = args
  const index = Number(indexText)
  const source = group === "ours" ? notCompiled() : undefined
  if (source !== undefined) return { _tag: "failed", reason: source }
  try {
    if (isInProcess(section) && group !== undefined && isGroup(group)) {
      const c = (await casesOf(group, section))[index]
      if (c === undefined) return { _tag: "failed", reason: `no case ${indexText} in ${group}/${section}` }
      return await timeCase(c)
    }
    if ((section === "http" || section === "concurrency") && group !== undefined && isHttpGroup(group)) {
      const client = (await clientsOf(group))[index]
      if (client === undefined) return { _tag: "failed", reason: `no client ${indexText} in ${group}` }
      if (section === "http") return await timeCase(httpCase(client, origin()))
      return { _tag: "concurrency", ...(await measureConcurrency(client, origin())) }
    }
    return { _tag: "failed", reason: `bad worker arguments: ${args.join(" ")}` }
  } catch (error) {
    return { _tag: "failed", reason: errorText(error) }
  }
}

process.stdout.write(`${JSON.stringify(await runOne(process.argv.slice(2)))}\n`)
// Libraries may keep sockets or timers alive (keep-alive connections): the result is out, stop.
process.exit(0)
