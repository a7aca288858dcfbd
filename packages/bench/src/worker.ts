/**
 * Measures one case in a fresh process (`worker.ts <group> <section> <index>`), so
 * no library's global state (LangChain's AsyncLocalStorage, a JIT already
 * polymorphic from another library's Effect code, a heap grown by the previous
 * case) bends another's figure. Checks the case's output once, then times it, and
 * prints one JSON `CaseResult` line on stdout; progress goes to stderr.
 */
import { performance } from "node:perf_hooks"
import { type CaseResult, casesOf, errorText, isGroup, measureOptions } from "./cases.js"
import { measure, type Section } from "./measure.js"

const isSection = (name: string | undefined): name is Section => name === "invoke" || name === "stream"

const runOne = async (args: ReadonlyArray<string>): Promise<CaseResult> => {
  const [group, section, indexText] = args
  if (group === undefined || !isGroup(group) || !isSection(section)) {
    return { _tag: "failed", reason: `bad worker arguments: ${args.join(" ")}` }
  }
  try {
    const c = (await casesOf(group, section))[Number(indexText)]
    if (c === undefined) return { _tag: "failed", reason: `no case ${indexText} in ${group}/${section}` }
    const verifyStart = performance.now()
    const got = await c.verify()
    const verifyMs = performance.now() - verifyStart
    if (got !== c.expected) return { _tag: "failed", reason: `wrong output: ${got} (expected ${c.expected})` }
    const m = await measure(c, measureOptions[section], verifyMs)
    return { _tag: "ok", medianUs: m.medianUs, samplesUs: m.samplesUs, iterations: m.iterations }
  } catch (error) {
    return { _tag: "failed", reason: errorText(error) }
  }
}

process.stdout.write(`${JSON.stringify(await runOne(process.argv.slice(2)))}\n`)
