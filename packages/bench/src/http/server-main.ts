/**
 * Runs the loopback SSE server as its own process (`node --import tsx server-main.ts`),
 * so the server's CPU time is not counted against the client being measured. Prints
 * `listening <origin>` on stdout once it accepts connections; stops on SIGTERM, or
 * when its parent closes its standard input.
 */
import { startSseServer } from "./server.js"

const server = await startSseServer()
process.stdout.write(`listening ${server.origin}\n`)

const stop = (): void => {
  void server.close().then(() => process.exit(0))
}
process.on("SIGTERM", stop)
process.stdin.on("end", stop)
process.stdin.on("close", stop)
process.stdin.resume()
