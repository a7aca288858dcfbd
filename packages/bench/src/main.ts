/**
 * The benchmark: per-call overhead of `invoke`, cost per chunk of a 100,000-chunk
 * stream, and cold import time, for a plain baseline, the peers (LangChain.js,
 * the Vercel AI SDK, `@effect/ai`) and ours, side by side in one run. Prints one
 * markdown table on stdout (progress on stderr) and writes it to `results/latest.md`.
 *
 * Each timed case runs in its own fresh process (`worker.ts`), one after another,
 * and is checked there to give the expected output (reply text, chunk count)
 * before it is timed: a case that gives the wrong output is reported as broken,
 * never with a number.
 */
import { spawn } from "node:child_process"
import { mkdir, writeFile } from "node:fs/promises"
import { availableParallelism, cpus, loadavg } from "node:os"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { Either, Schema } from "effect"
import { type CaseResult, casesOf, errorText, type Group, groupNames, measureOptions } from "./cases.js"
import { compileOurs, importTargets, measureImport } from "./import-time.js"
import { type Section, STREAM_CHUNKS } from "./measure.js"
import { type Column, markdownTable } from "./table.js"

const IMPORT_RUNS = 5

const CaseResultSchema: Schema.Schema<CaseResult> = Schema.Union(
  Schema.TaggedStruct("ok", {
    medianUs: Schema.Number,
    samplesUs: Schema.Array(Schema.Number),
    iterations: Schema.Number
  }),
  Schema.TaggedStruct("failed", { reason: Schema.String })
)

const decodeResult = Schema.decodeUnknownEither(Schema.parseJson(CaseResultSchema))

/** One row of the table. */
interface Row {
  readonly section: Section | "import"
  readonly library: string
  readonly baseline: boolean
  /** µs per operation, or why there is no number. */
  readonly result:
    | { readonly _tag: "ok"; readonly us: number }
    | { readonly _tag: "failed"; readonly reason: string }
}

const sectionTitle: Record<Row["section"], string> = {
  invoke: "invoke (per call)",
  stream: `stream (per chunk, ${STREAM_CHUNKS.toLocaleString("en-US")}-chunk stream)`,
  import: "cold import (process start to import done)"
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const workerPath = fileURLToPath(new URL("./worker.ts", import.meta.url))

/** Runs one case in a fresh `node --import tsx` process and reads its JSON result. */
const runWorker = (group: Group, section: Section, index: number): Promise<CaseResult> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", workerPath, group, section, String(index)], {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "inherit"]
    })
    let stdout = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (data: string) => {
      stdout += data
    })
    child.on("error", (error) => resolve({ _tag: "failed", reason: errorText(error) }))
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? ""
      const decoded = decodeResult(last)
      resolve(
        Either.isRight(decoded)
          ? decoded.right
          : { _tag: "failed", reason: `worker exited with ${code} and no result: ${last.slice(0, 120)}` }
      )
    })
  })

const formatUs = (us: number): string =>
  us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : Math.round(us).toLocaleString("en-US")

const formatRatio = (ratio: number): string => (ratio < 10 ? `${ratio.toFixed(1)}x` : `${Math.round(ratio)}x`)

const columns: ReadonlyArray<Column> = [
  { header: "case", right: false },
  { header: "library", right: false },
  { header: "µs/op median", right: true },
  { header: "ratio to baseline", right: true }
]

const table = (rows: ReadonlyArray<Row>): string =>
  markdownTable(
    columns,
    rows.map((row) => {
      const baseline = rows.find((r) => r.section === row.section && r.baseline)
      const baseUs = baseline?.result._tag === "ok" ? baseline.result.us : undefined
      const [value, ratio] =
        row.result._tag === "ok"
          ? [formatUs(row.result.us), baseUs === undefined ? "n/a" : formatRatio(row.result.us / baseUs)]
          : [`not measured: ${row.result.reason.replaceAll("|", "\\|")}`, "n/a"]
      return [sectionTitle[row.section], row.library, value, ratio]
    })
  )

const timedRows = async (section: Section): Promise<Array<Row>> => {
  const rows: Array<Row> = []
  for (const group of groupNames) {
    let cases: Awaited<ReturnType<typeof casesOf>>
    try {
      cases = await casesOf(group, section)
    } catch (error) {
      log(`${section}: ${group}: cannot load: ${errorText(error)}`)
      rows.push({
        section,
        library: group,
        baseline: false,
        result: { _tag: "failed", reason: errorText(error) }
      })
      continue
    }
    for (const [index, c] of cases.entries()) {
      const label = `${c.library}: ${c.variant}`
      const started = performance.now()
      const result = await runWorker(group, section, index)
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      log(
        result._tag === "ok"
          ? `${section}: ${label}: ${formatUs(result.medianUs)} µs/op (samples ${result.samplesUs.map(formatUs).join(", ")}; batches of ${result.iterations}; ${seconds} s)`
          : `${section}: ${label}: NOT MEASURED: ${result.reason}`
      )
      rows.push({
        section,
        library: label,
        baseline: c.baseline === true,
        result: result._tag === "ok" ? { _tag: "ok", us: result.medianUs } : result
      })
    }
  }
  return rows
}

const importRows = async (): Promise<Array<Row>> => {
  const rows: Array<Row> = []
  await compileOurs().catch((error: unknown) =>
    log(`import: cannot compile @effect-chat/core: ${errorText(error)}`)
  )
  for (const target of importTargets) {
    const r = await measureImport(target, IMPORT_RUNS)
    log(
      `import: ${target.library}: ${r._tag === "ok" ? `${(r.medianUs / 1000).toFixed(1)} ms (samples ${r.samplesUs.map((us) => (us / 1000).toFixed(0)).join(", ")} ms)` : `NOT MEASURED: ${r.reason}`}`
    )
    rows.push({
      section: "import",
      library: target.library,
      baseline: target.baseline === true,
      result: r._tag === "ok" ? { _tag: "ok", us: r.medianUs } : r
    })
  }
  return rows
}

const main = async (): Promise<number> => {
  const started = performance.now()
  const loadBefore = loadavg()[0]
  if (loadBefore > 1) {
    log(
      `warning: 1-minute load average ${loadBefore.toFixed(1)}: other processes are busy, figures will be inflated`
    )
  }
  const rows = [...(await timedRows("invoke")), ...(await timedRows("stream")), ...(await importRows())]
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU"
  const { invoke, stream } = measureOptions
  const notes = [
    `Node ${process.version}, ${availableParallelism()} cores (${cpu}), ${new Date().toISOString()}; whole run ${((performance.now() - started) / 1000).toFixed(0)} s; 1-minute load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (the bench keeps about one core busy itself: well above 1, other processes were competing and the figures are inflated).`,
    "Every timed case runs alone in a fresh process, after being checked once to give the expected reply text or chunk count.",
    `invoke: median of ${invoke.minSamples}-${invoke.maxSamples} samples after ${invoke.warmupMs} ms of warm-up, each a batch of calls taking about ${invoke.targetBatchMs} ms. "N calls inside one Effect" is one \`Effect.runPromise\` of a loop of N calls; the other Effect rows pay one \`Effect.runPromise\` per call.`,
    `stream: median of ${stream.minSamples}-${stream.maxSamples} samples, each one whole stream (the check run counts as warm-up), divided by its ${STREAM_CHUNKS.toLocaleString("en-US")} chunks. Each provider builds its chunk objects inside the timed stream.`,
    `import: median of ${IMPORT_RUNS} fresh \`node\` processes after one discarded run, reading \`performance.now()\` once the import has resolved, so Node's start-up is included (the rows importing nothing). Ours is TypeScript source: its row compiled by \`tsc\` (one JavaScript file per source file, no bundling) compares directly with the peers; its row through tsx compares with the other \`node --import tsx\` rows (tsx's hooks slow every module load: see \`effect\` through tsx).`,
    "Ratios are to the section's baseline row: a plain async function, an async generator, `node` importing nothing."
  ]
  const output = `${table(rows)}\n\n${notes.map((n) => `- ${n}`).join("\n")}\n`
  process.stdout.write(output)
  const resultsDir = new URL("../results/", import.meta.url)
  await mkdir(resultsDir, { recursive: true })
  await writeFile(new URL("latest.md", resultsDir), `# Benchmark results\n\n${output}`)
  return rows.some((r) => r.result._tag === "failed") ? 1 : 0
}

process.exitCode = await main()
