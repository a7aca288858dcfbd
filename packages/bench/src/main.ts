/**
 * The benchmark: per-call overhead of `invoke`, cost per chunk of an in-process
 * stream, structured output streamed as partial objects, streams over loopback HTTP
 * (one 50,000-delta stream at a time, and 1,000 at once), and cold import time, for
 * plain baselines, the peers (LangChain.js, the Vercel AI SDK, `@effect/ai`, the
 * official `openai` SDK) and ours, side by side in one run. Prints markdown tables on
 * stdout (progress on stderr) and writes them to `results/latest.md`.
 *
 * Ours is measured as compiled JavaScript, like the peers: the run first compiles our
 * packages with `tsc` (`compiled.ts`), and every worker loads them through the
 * `effect-chat-compiled` export condition.
 *
 * Each timed case runs in its own fresh process (`worker.ts`), one after another,
 * and is checked there to give the expected output (reply text, chunk count, every
 * delta and character of a stream, the parsed value) before it is timed: a case
 * that gives the wrong output is reported as broken, never with a number.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { mkdir, writeFile } from "node:fs/promises"
import { availableParallelism, cpus, loadavg } from "node:os"
import { performance } from "node:perf_hooks"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { Either, Schema } from "effect"
import {
  type CaseResult,
  casesOf,
  errorText,
  groupNames,
  type InProcessSection,
  measureOptions
} from "./cases.js"
import { buildOurs, compiledFlag } from "./compiled.js"
import {
  CONCURRENT_DELTAS,
  CONCURRENT_STREAMS,
  clientsOf,
  HTTP_DELTAS,
  httpGroupNames,
  WARMUP_STREAMS
} from "./http/cases.js"
import { importTargets, measureImport } from "./import-time.js"
import { otherCpu } from "./load.js"
import { median, STREAM_CHUNKS } from "./measure.js"
import { VERCEL_STREAM_CHUNKS } from "./peers/vercel.js"
import { LARGE, SMALL } from "./structured/data.js"
import { type Column, markdownTable } from "./table.js"

const IMPORT_RUNS = 3

const CaseResultSchema: Schema.Schema<CaseResult> = Schema.Union(
  Schema.TaggedStruct("ok", {
    medianUs: Schema.Number,
    samplesUs: Schema.Array(Schema.Number),
    iterations: Schema.Number
  }),
  Schema.TaggedStruct("concurrency", {
    streams: Schema.Number,
    deltasPerStream: Schema.Number,
    wallMs: Schema.Number,
    peakRssMb: Schema.Number,
    rssBeforeMb: Schema.Number,
    heapBeforeMb: Schema.Number,
    heapOpenMb: Schema.Number
  }),
  Schema.TaggedStruct("failed", { reason: Schema.String })
)

const decodeResult = Schema.decodeUnknownEither(Schema.parseJson(CaseResultSchema))

type Failed = { readonly _tag: "failed"; readonly reason: string }

/** One row of a table: a library's result in one section (and group: wire format, payload size). */
interface Row<R> {
  readonly group: string
  readonly library: string
  readonly baseline: boolean
  readonly result: R | Failed
}

type TimedRow = Row<{ readonly _tag: "ok"; readonly us: number; readonly samplesUs: ReadonlyArray<number> }>
type ConcurrencyRow = Row<Extract<CaseResult, { _tag: "concurrency" }>>

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const workerPath = fileURLToPath(new URL("./worker.ts", import.meta.url))
const serverPath = fileURLToPath(new URL("./http/server-main.ts", import.meta.url))

type WorkerSection = InProcessSection | "http" | "concurrency"

/**
 * Runs one case in a fresh `node --conditions=effect-chat-compiled --import tsx` process
 * (tsx for the bench's own files, our packages as compiled JavaScript) and reads its
 * JSON result.
 */
const runWorker = (
  section: WorkerSection,
  group: string,
  index: number,
  origin?: string
): Promise<CaseResult> =>
  new Promise((resolve) => {
    const flags = section === "concurrency" ? ["--expose-gc"] : []
    const child = spawn(
      process.execPath,
      [...flags, compiledFlag, "--import", "tsx", workerPath, section, group, String(index)],
      {
        cwd: packageDir,
        stdio: ["ignore", "pipe", "inherit"],
        env: origin === undefined ? process.env : { ...process.env, BENCH_SSE_ORIGIN: origin }
      }
    )
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

/** The loopback SSE server, in a process of its own. */
interface ServerProcess {
  readonly origin: string
  /** Stops the server and waits for its process to exit (so its CPU time is accounted for). */
  readonly stop: () => Promise<void>
}

const startServer = (): Promise<ServerProcess> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", serverPath], {
      cwd: packageDir,
      stdio: ["pipe", "pipe", "inherit"]
    })
    const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()))
    const stop = async (): Promise<void> => {
      child.stdin?.end()
      child.kill("SIGTERM")
      await exited
    }
    child.on("error", reject)
    child.on("exit", (code) => reject(new Error(`the SSE server exited with ${code} before listening`)))
    if (child.stdout === null) return reject(new Error("no stdout from the SSE server"))
    const lines = createInterface({ input: child.stdout })
    lines.on("line", (line) => {
      const match = /^listening (\S+)$/.exec(line)
      if (match !== null) resolve({ origin: match[1], stop })
    })
  })

const formatUs = (us: number): string =>
  us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : Math.round(us).toLocaleString("en-US")

const formatRatio = (ratio: number): string =>
  ratio < 0.995 ? `${ratio.toPrecision(2)}x` : ratio < 10 ? `${ratio.toFixed(1)}x` : `${Math.round(ratio)}x`

const notMeasured = (reason: string): string => `not measured: ${reason.replaceAll("|", "\\|")}`

const baselineOf = <R>(rows: ReadonlyArray<Row<R>>, row: Row<R>): Row<R> | undefined =>
  rows.find((r) => r.group === row.group && r.baseline)

/** The smallest and largest sample, as the table shows them. */
const range = (samplesUs: ReadonlyArray<number>): string =>
  `${formatUs(Math.min(...samplesUs))}–${formatUs(Math.max(...samplesUs))} (${samplesUs.length})`

const okUs = (row: TimedRow | undefined): number | undefined =>
  row?.result._tag === "ok" ? row.result.us : undefined

/** The first table: invoke, in-process stream and import rows, with ratios to each section's baseline. */
const mainTable = (rows: ReadonlyArray<TimedRow>): string =>
  markdownTable(
    [
      { header: "case", right: false },
      { header: "library", right: false },
      { header: "µs/op median", right: true },
      { header: "ratio to baseline", right: true }
    ],
    rows.map((row) => {
      const base = okUs(baselineOf(rows, row))
      return row.result._tag === "ok"
        ? [
            row.group,
            row.library,
            formatUs(row.result.us),
            base === undefined ? "n/a" : formatRatio(row.result.us / base)
          ]
        : [row.group, row.library, notMeasured(row.result.reason), "n/a"]
    })
  )

const structuredTable = (rows: ReadonlyArray<TimedRow>): string =>
  markdownTable(
    [
      { header: "payload", right: false },
      { header: "library", right: false },
      { header: "µs total, median", right: true },
      { header: "samples: min–max (n)", right: true },
      { header: "ratio to one `JSON.parse`", right: true }
    ],
    rows.map((row) => {
      const base = okUs(baselineOf(rows, row))
      return row.result._tag === "ok"
        ? [
            row.group,
            row.library,
            formatUs(row.result.us),
            range(row.result.samplesUs),
            base === undefined ? "n/a" : formatRatio(row.result.us / base)
          ]
        : [row.group, row.library, notMeasured(row.result.reason), "", "n/a"]
    })
  )

const httpTable = (rows: ReadonlyArray<TimedRow>): string =>
  markdownTable(
    [
      { header: "stream", right: false },
      { header: "library", right: false },
      { header: "µs/delta median", right: true },
      { header: "samples: min–max (n)", right: true },
      { header: "cost vs raw fetch", right: true },
      { header: "throughput vs raw fetch", right: true }
    ],
    rows.map((row) => {
      const base = okUs(baselineOf(rows, row))
      return row.result._tag === "ok"
        ? [
            row.group,
            row.library,
            formatUs(row.result.us),
            range(row.result.samplesUs),
            base === undefined ? "n/a" : formatRatio(row.result.us / base),
            base === undefined ? "n/a" : formatRatio(base / row.result.us)
          ]
        : [row.group, row.library, notMeasured(row.result.reason), "", "n/a", "n/a"]
    })
  )

const concurrencyTable = (rows: ReadonlyArray<ConcurrencyRow>): string => {
  const columns: ReadonlyArray<Column> = [
    { header: "stream", right: false },
    { header: "library", right: false },
    { header: "streams × deltas", right: false },
    { header: "wall ms", right: true },
    { header: "vs raw", right: true },
    { header: "peak RSS MB", right: true },
    { header: "vs raw", right: true },
    { header: "heap held open, MB", right: true },
    { header: "KB/stream", right: true },
    { header: "vs raw", right: true },
    { header: "RSS, heap before MB", right: true }
  ]
  return markdownTable(
    columns,
    rows.map((row) => {
      const r = row.result
      if (r._tag === "failed") return [row.group, row.library, "", notMeasured(r.reason)]
      const base = baselineOf(rows, row)?.result
      const b = base?._tag === "concurrency" ? base : undefined
      const held = r.heapOpenMb - r.heapBeforeMb
      const ratio = (value: number, baseValue: number | undefined): string =>
        baseValue === undefined ? "n/a" : formatRatio(value / baseValue)
      return [
        row.group,
        row.library,
        `${r.streams.toLocaleString("en-US")} × ${r.deltasPerStream}`,
        Math.round(r.wallMs).toLocaleString("en-US"),
        ratio(r.wallMs, b?.wallMs),
        r.peakRssMb.toFixed(0),
        ratio(r.peakRssMb, b?.peakRssMb),
        held.toFixed(1),
        ((held * 1024) / r.streams).toFixed(1),
        ratio(held, b === undefined ? undefined : b.heapOpenMb - b.heapBeforeMb),
        `${r.rssBeforeMb.toFixed(0)}, ${r.heapBeforeMb.toFixed(1)}`
      ]
    })
  )
}

const load = (): string => loadavg()[0].toFixed(1)

/** Which sources "ours" was measured from: the commit, and whether our packages had uncommitted changes. */
const sourceState = (): string => {
  try {
    const git = (...args: Array<string>): string =>
      execFileSync("git", args, {
        cwd: packageDir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"]
      }).trim()
    const commit = git("rev-parse", "--short", "HEAD")
    const dirty = git("status", "--porcelain", "--", "../core", "../openai", "../testing")
    return `ours compiled from commit ${commit}${dirty === "" ? "" : " plus uncommitted changes in packages/core, packages/openai or packages/testing"}`
  } catch {
    return "ours compiled from a tree without git information"
  }
}

const sectionTitle: Record<InProcessSection, string> = {
  invoke: "invoke (per call)",
  stream: `stream (per chunk, ${STREAM_CHUNKS.toLocaleString("en-US")}-chunk stream)`,
  structured: "structured"
}

const timedRows = async (section: InProcessSection): Promise<Array<TimedRow>> => {
  log(`${section}: 1-minute load average ${load()}`)
  const rows: Array<TimedRow> = []
  for (const group of groupNames) {
    let cases: Awaited<ReturnType<typeof casesOf>>
    try {
      cases = await casesOf(group, section)
    } catch (error) {
      log(`${section}: ${group}: cannot load: ${errorText(error)}`)
      rows.push({
        group: sectionTitle[section],
        library: group,
        baseline: false,
        result: { _tag: "failed", reason: errorText(error) }
      })
      continue
    }
    for (const [index, c] of cases.entries()) {
      const label = `${c.library}: ${c.variant}`
      const started = performance.now()
      const result = await runWorker(section, group, index)
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      log(
        result._tag === "ok"
          ? `${section}: ${label}: ${formatUs(result.medianUs)} µs/op (samples ${result.samplesUs.map(formatUs).join(", ")}; batches of ${result.iterations}; ${seconds} s)`
          : `${section}: ${label}: NOT MEASURED: ${result._tag === "failed" ? result.reason : "unexpected result"}`
      )
      rows.push({
        group: c.group ?? sectionTitle[section],
        library: label,
        baseline: c.baseline === true,
        result:
          result._tag === "ok"
            ? { _tag: "ok", us: result.medianUs, samplesUs: result.samplesUs }
            : result._tag === "failed"
              ? result
              : { _tag: "failed", reason: "unexpected result" }
      })
    }
  }
  return rows
}

const formatLabel = { chat: "Chat Completions", responses: "Responses" } as const

const byFormat = <R>(rows: ReadonlyArray<Row<R>>): Array<Row<R>> =>
  [formatLabel.chat, formatLabel.responses].flatMap((group) => rows.filter((row) => row.group === group))

/** The HTTP rows: per delta, then concurrency, every client in a fresh process of its own. */
const httpRows = async (
  origin: string
): Promise<{ readonly perDelta: Array<TimedRow>; readonly concurrency: Array<ConcurrencyRow> }> => {
  const perDelta: Array<TimedRow> = []
  const concurrency: Array<ConcurrencyRow> = []
  const all: Array<{
    group: (typeof httpGroupNames)[number]
    index: number
    label: string
    format: string
    baseline: boolean
  }> = []
  for (const group of httpGroupNames) {
    try {
      for (const [index, client] of (await clientsOf(group)).entries()) {
        const deltas =
          client.deltas === undefined ? "" : ` (${client.deltas.toLocaleString("en-US")}-delta stream)`
        all.push({
          group,
          index,
          label: `${client.library}: ${client.variant}${deltas}`,
          format: formatLabel[client.format],
          baseline: client.baseline === true
        })
      }
    } catch (error) {
      log(`http: ${group}: cannot load: ${errorText(error)}`)
      const failed = { _tag: "failed", reason: errorText(error) } as const
      perDelta.push({ group: formatLabel.chat, library: group, baseline: false, result: failed })
      concurrency.push({ group: formatLabel.chat, library: group, baseline: false, result: failed })
    }
  }
  log(`http: 1-minute load average ${load()}`)
  const perDeltaOnce = async (c: (typeof all)[number], round: string): Promise<TimedRow["result"]> => {
    const started = performance.now()
    const result = await runWorker("http", c.group, c.index, origin)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    log(
      result._tag === "ok"
        ? `http${round}: ${c.label}: ${formatUs(result.medianUs)} µs/delta (samples ${result.samplesUs.map(formatUs).join(", ")}; ${seconds} s)`
        : `http${round}: ${c.label}: NOT MEASURED: ${result._tag === "failed" ? result.reason : "unexpected result"}`
    )
    return result._tag === "ok"
      ? { _tag: "ok", us: result.medianUs, samplesUs: result.samplesUs }
      : result._tag === "failed"
        ? result
        : { _tag: "failed", reason: "unexpected result" }
  }
  const firstRound = new Map<(typeof all)[number], TimedRow["result"]>()
  for (const c of all) firstRound.set(c, await perDeltaOnce(c, ""))
  // The target rows (raw fetch and ours) get a second process each, in reverse order,
  // their samples pooled with the first's: a burst of load from other processes then
  // weighs on both sides of the ratio rather than on one.
  for (const c of [...all].reverse()) {
    if (!(c.baseline || c.group === "ours")) continue
    const first = firstRound.get(c)
    const second = await perDeltaOnce(c, " (second process)")
    if (first?._tag !== "ok" || second._tag !== "ok") {
      if (second._tag === "failed") firstRound.set(c, second)
      continue
    }
    const samplesUs = [...first.samplesUs, ...second.samplesUs]
    firstRound.set(c, { _tag: "ok", us: median(samplesUs), samplesUs })
  }
  for (const c of all) {
    perDelta.push({
      group: c.format,
      library: c.label,
      baseline: c.baseline,
      result: firstRound.get(c) ?? { _tag: "failed", reason: "not run" }
    })
  }
  log(`concurrency: 1-minute load average ${load()}`)
  for (const c of all) {
    const started = performance.now()
    const result = await runWorker("concurrency", c.group, c.index, origin)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    log(
      result._tag === "concurrency"
        ? `concurrency: ${c.label}: ${Math.round(result.wallMs)} ms, peak RSS ${result.peakRssMb.toFixed(0)} MB, heap ${result.heapBeforeMb.toFixed(1)} -> ${result.heapOpenMb.toFixed(1)} MB (${seconds} s)`
        : `concurrency: ${c.label}: NOT MEASURED: ${result._tag === "failed" ? result.reason : "unexpected result"}`
    )
    concurrency.push({
      group: c.format,
      library: c.label.replace(/ \(\d[\d,]*-delta stream\)$/, ""),
      baseline: c.baseline,
      result:
        result._tag === "concurrency"
          ? result
          : result._tag === "failed"
            ? result
            : { _tag: "failed", reason: "unexpected result" }
    })
  }
  return { perDelta: byFormat(perDelta), concurrency: byFormat(concurrency) }
}

const importRows = async (): Promise<Array<TimedRow>> => {
  log(`import: 1-minute load average ${load()}`)
  const rows: Array<TimedRow> = []
  for (const target of importTargets) {
    const r = await measureImport(target, IMPORT_RUNS)
    log(
      `import: ${target.library}: ${r._tag === "ok" ? `${(r.medianUs / 1000).toFixed(1)} ms (samples ${r.samplesUs.map((us) => (us / 1000).toFixed(0)).join(", ")} ms)` : `NOT MEASURED: ${r.reason}`}`
    )
    rows.push({
      group: "cold import (process start to import done)",
      library: target.library,
      baseline: target.baseline === true,
      result: r._tag === "ok" ? { _tag: "ok", us: r.medianUs, samplesUs: r.samplesUs } : r
    })
  }
  return rows
}

const withServer = async <A>(f: (origin: string) => Promise<A>): Promise<A> => {
  const server = await startServer()
  try {
    return await f(server.origin)
  } finally {
    await server.stop()
  }
}

const main = async (): Promise<number> => {
  const started = performance.now()
  log("compiling our packages to JavaScript (tsc -b packages/{core,openai,testing}/tsconfig.js.json)")
  try {
    await buildOurs()
  } catch (error) {
    log(
      `cannot compile our packages, nothing measured:\n${error instanceof Error ? error.message : String(error)}`
    )
    return 1
  }
  const loadBefore = loadavg()[0]
  const probe = otherCpu()
  await new Promise((resolve) => setTimeout(resolve, 2_000))
  const othersNow = probe()
  if (othersNow !== undefined && othersNow > 0.25) {
    log(
      `warning: other processes are using ${othersNow.toFixed(2)} cores (1-minute load average ${loadBefore.toFixed(1)}): figures will be inflated; run again when the machine is quiet`
    )
  }
  const loads: Array<string> = []
  let busiest = 0
  const whole = otherCpu()
  const section = async <A>(name: string, f: () => Promise<A>): Promise<A> => {
    const t = performance.now()
    const before = load()
    const others = otherCpu()
    const result = await f()
    const cores = others()
    if (cores !== undefined) busiest = Math.max(busiest, cores)
    loads.push(
      `${name} ${((performance.now() - t) / 1000).toFixed(0)} s, load ${before} → ${load()}, other processes ${cores === undefined ? "n/a" : `${cores.toFixed(2)} cores`}`
    )
    return result
  }
  const invoke = await section("invoke", () => timedRows("invoke"))
  const stream = await section("stream", () => timedRows("stream"))
  const structured = await section("structured", () => timedRows("structured"))
  const http = await section("http", () => withServer(httpRows))
  const imports = await section("import", importRows)
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU"
  const o = measureOptions
  const loadAfter = loadavg()[0]
  const othersWhole = whole()
  // a quarter of a core used by others in some section: the figures of that section are inflated
  const busy = busiest > 0.25
  const notes = [
    `Node ${process.version}, ${availableParallelism()} cores (${cpu}), ${new Date().toISOString()}; ${sourceState()}; whole run ${((performance.now() - started) / 1000).toFixed(0)} s; 1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (it counts the bench's own processes: about one core); CPU used by other processes (the machine's busy time less the bench's own): ${othersWhole === undefined ? "n/a" : `${othersWhole.toFixed(2)} cores`} on average over the run; per section: ${loads.join("; ")}.${busy ? " THE MACHINE WAS BUSY: other processes used more than a quarter of a core during at least one section, whose figures are inflated." : " Other processes used less than a quarter of a core in every section."}`,
    "Every timed case runs alone in a fresh process, after being checked once to give the expected output (reply text, chunk count, every delta and character of an HTTP stream, the parsed value).",
    "Ours is measured as compiled JavaScript, as the peers are (their packages in node_modules): before the run `tsc` compiles `@effect-chat/core`, `@effect-chat/openai` and `@effect-chat/testing` to ES2022 ESM (one `.js` file per source file, no bundling, no source maps), and every worker runs `node --conditions=effect-chat-compiled --import tsx`, the condition resolving `@effect-chat/*` to that JavaScript (a worker for ours refuses to run from TypeScript source) while tsx compiles only the bench's own files, for every library alike.",
    `invoke: median of ${o.invoke.minSamples}-${o.invoke.maxSamples} samples after ${o.invoke.warmupMs} ms of warm-up, each a batch of calls taking about ${o.invoke.targetBatchMs} ms. "N calls inside one Effect" is one \`Effect.runPromise\` of a loop of N calls; the other Effect rows pay one \`Effect.runPromise\` per call.`,
    `stream: median of ${o.stream.minSamples}-${o.stream.maxSamples} samples, each one whole stream (the check run counts as warm-up), divided by its ${STREAM_CHUNKS.toLocaleString("en-US")} chunks (the Vercel AI SDK's: ${VERCEL_STREAM_CHUNKS.toLocaleString("en-US")}, its cost per chunk being flat in the length). Each provider builds its chunk objects inside the timed stream.`,
    `structured: the ${LARGE.label} (and the ${SMALL.label}), each piece its own Stream chunk; median of ${o.structured.minSamples}-${o.structured.maxSamples} samples; each figure is the whole object's cost. Ratios are to one \`JSON.parse\` of the whole text at the same size.`,
    `http: a loopback \`node:http\` server on 127.0.0.1 in a separate process (the client's process gets one of the 2 cores, the server the other; it sends pre-rendered bytes, so it is rarely the bottleneck); one ${HTTP_DELTAS.toLocaleString("en-US")}-delta stream per sample, median of ${o.http.minSamples}-${o.http.maxSamples} samples after ${o.http.warmupMs} ms of warm-up; the raw-fetch and our rows run in two processes (the second round in reverse order) and pool their samples; throughput vs raw fetch = raw µs / library µs (the target: at least 0.8x).`,
    `concurrency: ${CONCURRENT_STREAMS.toLocaleString("en-US")} streams of ${CONCURRENT_DELTAS} deltas at once, one run in a fresh process per library (\`--expose-gc\`) after a checked warm-up of ${WARMUP_STREAMS} streams. The server holds the second half of every stream until the client has seen a delta on all of them; at that moment the client forces a GC and reads \`heapUsed\`: "heap held open" is that minus \`heapUsed\` after a GC before the run (what ${CONCURRENT_STREAMS.toLocaleString("en-US")} open streams hold). Peak RSS is the process's high-water mark (\`process.resourceUsage().maxRSS\`), imports included; "before" is after imports, warm-up and a GC.`,
    `import: median of ${IMPORT_RUNS} fresh \`node\` processes after one discarded run, reading \`performance.now()\` once the import has resolved, so Node's start-up is included (the row importing nothing). Every row is JavaScript under plain \`node\` (no tsx); ours is the \`tsc\` output above, under \`--conditions=effect-chat-compiled\`.`
  ]
  const output = [
    "## Invoke, in-process stream, cold import",
    mainTable([...invoke, ...stream, ...imports]),
    "## Structured output (streamed partial objects)",
    structuredTable(structured),
    `## HTTP: one ${HTTP_DELTAS.toLocaleString("en-US")}-delta stream over loopback`,
    httpTable(http.perDelta),
    `## HTTP: ${CONCURRENT_STREAMS.toLocaleString("en-US")} concurrent streams of ${CONCURRENT_DELTAS} deltas`,
    concurrencyTable(http.concurrency),
    "## Notes",
    notes.map((n) => `- ${n}`).join("\n")
  ].join("\n\n")
  process.stdout.write(`${output}\n`)
  const resultsDir = new URL("../results/", import.meta.url)
  await mkdir(resultsDir, { recursive: true })
  await writeFile(new URL("latest.md", resultsDir), `# Benchmark results\n\n${output}\n`)
  const failed = [...invoke, ...stream, ...structured, ...http.perDelta, ...http.concurrency, ...imports]
  return failed.some((r) => r.result._tag === "failed") ? 1 : 0
}

process.exitCode = await main()
