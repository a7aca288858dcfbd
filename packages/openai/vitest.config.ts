import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "openai",
    include: ["test/**/*.test.ts"]
  }
})
