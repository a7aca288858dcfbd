/**
 * How busy the machine was with other work while the bench ran. The load average
 * counts the bench's own processes too, so next to it the bench measures the CPU
 * time everything else used: the machine's busy time (`/proc/stat`) minus the bench's
 * own CPU time and that of its finished child processes (`/proc/self/stat`: `utime`,
 * `stime`, `cutime`, `cstime`), as cores in use on average. Linux only; elsewhere
 * `undefined`.
 */
import { readFileSync } from "node:fs"
import { availableParallelism } from "node:os"

interface Sample {
  /** Busy ticks of all CPUs. */
  readonly busy: number
  /** All ticks of all CPUs. */
  readonly total: number
  /** Ticks used by this process and its reaped children. */
  readonly own: number
}

const sample = (): Sample | undefined => {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu
    const busy = user + nice + system + irq + softirq + steal
    const self = readFileSync("/proc/self/stat", "utf8")
    // the fields after the command name (which may hold spaces) start at the state, field 3
    const fields = self.slice(self.lastIndexOf(")") + 2).split(" ")
    const own = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    if (![busy, idle, iowait, own].every(Number.isFinite)) return undefined
    return { busy, total: busy + idle + iowait, own }
  } catch {
    return undefined
  }
}

/** Starts measuring; the function returned gives the cores other processes used on average since. */
export const otherCpu = (): (() => number | undefined) => {
  const start = sample()
  return () => {
    const end = sample()
    if (start === undefined || end === undefined || end.total <= start.total) return undefined
    const cores = availableParallelism()
    const wall = (end.total - start.total) / cores
    return Math.max(0, (end.busy - start.busy - (end.own - start.own)) / wall)
  }
}
