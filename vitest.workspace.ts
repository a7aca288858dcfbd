// One vitest project per package (DESIGN.md's layout). Vitest 3.2 calls this file
// deprecated in favour of `test.projects`; it stays until the move to vitest 4.
export default ["packages/*/vitest.config.ts"]
