// Completes package-lock.json with the platform-specific optional packages the registry
// mirror of this workplace does not serve (biome's, rollup's and esbuild's binaries for
// other systems). `npm install` leaves them out of the lock because it cannot fetch
// their metadata, and `npm ci` then refuses the lock as "out of sync" (npm/cli#4828).
// Each missing optional dependency gets an entry with its os/cpu/libc constraints, so
// `npm ci` skips it on this machine exactly as it would with a complete lock.
//
// Run after every dependency change: `npm run lock`.
import { readFileSync, writeFileSync } from "node:fs"

const path = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(path, "utf8"))
const packages = lock.packages

const systems = [
  "android",
  "darwin",
  "linux",
  "win32",
  "freebsd",
  "openbsd",
  "netbsd",
  "openharmony",
  "sunos",
  "aix",
  "cygwin"
]
const cpus = ["arm64", "x64", "ia32", "arm", "riscv64", "ppc64", "s390x", "loong64", "mips64el", "wasm32"]

const constraints = (name) => {
  const parts = name.split("/").pop().split("-")
  const os = systems.find((system) => parts.includes(system))
  const cpu = cpus.find((candidate) => parts.includes(candidate) || parts.includes(`${candidate}eb`))
  const entry = {}
  if (os !== undefined) entry.os = [os]
  if (cpu !== undefined) entry.cpu = [cpu]
  if (parts.includes("musl")) entry.libc = ["musl"]
  else if (parts.some((part) => part.startsWith("gnu"))) entry.libc = ["glibc"]
  return entry
}

const added = []
for (const [location, meta] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${location === "" ? "" : `${location}/`}node_modules/${name}`
    const hoisted = `node_modules/${name}`
    if (packages[nested] !== undefined || packages[hoisted] !== undefined) continue
    const version = spec.replace(/^[\^~=]/, "")
    packages[hoisted] = { version, optional: true, ...constraints(name) }
    added.push(`${name}@${version}`)
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0))
)
lock.packages = sorted
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`)
console.log(
  added.length === 0 ? "package-lock.json is complete" : `added ${added.length} optional platform packages`
)
