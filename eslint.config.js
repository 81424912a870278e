// Lint rules, including the import zones that keep the roles apart:
// server/, agent/ and cli/ never import each other; lib/ imports none of them;
// domain folders in server/ know nothing of transports or generated code.
import tseslint from "typescript-eslint";

const role = (name) => ({
  regex: `(^|/)(\\.\\./)+${name}/`,
  message: `${name}/ is another role; roles meet only in gen/ and lib/`,
});
const transport = [
  { regex: "^@connectrpc/", message: "domain code knows no transport" },
  { regex: "(^|/)gen/", message: "domain code works on domain types, not generated messages" },
  { regex: "(^|/)(rpc|http)/", message: "domain code must not import a transport adapter" },
  { regex: "^node:http2?$", message: "domain code knows no transport" },
];

export default tseslint.config(
  { ignores: ["gen/**", "node_modules/**", "data/**", "dist/**", ".tmp/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  { files: ["server/**"], rules: { "no-restricted-imports": ["error", { patterns: [role("agent"), role("cli")] }] } },
  { files: ["agent/**"], rules: { "no-restricted-imports": ["error", { patterns: [role("server"), role("cli")] }] } },
  { files: ["cli/**"], rules: { "no-restricted-imports": ["error", { patterns: [role("server"), role("agent")] }] } },
  {
    files: ["lib/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [role("server"), role("agent"), role("cli")] }] },
  },
  {
    files: ["server/{targets,jobs,repo,pkg,cron,scheduler,logs,agents,store,auth}/**"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [role("agent"), role("cli"), ...transport] }] },
  },
);
