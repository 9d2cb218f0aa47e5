/**
 * A Vite plugin for the workerd suite (vitest.config.ts): `virtual:docs-ts-examples` is every
 * ```ts block of README.md and docs/*.md as an async function, so
 * test/examples/ts-examples.test.ts runs each as written inside workerd against
 * the fabric's real bindings. A block's own `import` lines become the
 * module's imports (a relative path is read from the repository root, else
 * from src/ or src/api/, where the docs' "from code" examples are written);
 * the rest of the block is the function's body, unchanged. The names a
 * block uses without defining (`env`, `token`, `fs` …) are the function's
 * one parameter, an object the test fills in.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { transformWithOxc } from 'vite'

const DOCS_TS_EXAMPLES = 'virtual:docs-ts-examples'
const RESOLVED = `\0${DOCS_TS_EXAMPLES}.ts`

/**
 * Every ```ts block of the README and the docs, with its import lines apart:
 * `{page, line (1-based, of the opening fence), imports, body}`.
 */
function tsExamples(root) {
  const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]
  const found = []
  for (const page of pages) {
    const lines = readFileSync(join(root, page), 'utf8').split('\n')
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue
      const block = []
      let end = i + 1
      for (; end < lines.length && !/^```\s*$/.test(lines[end] ?? ''); end++) block.push(lines[end] ?? '')
      const isImport = (line) => /^import\s/.test(line)
      found.push({ page, line: i + 1, imports: block.filter(isImport), body: block.filter((line) => !isImport(line)) })
      i = end
    }
  }
  return found
}

/** The import with its relative specifier made absolute: the first of root, src/ and src/api/ where it names a file. */
function resolveImport(root, line) {
  return line.replace(/from\s+'(\.{1,2}\/[^']+)'/, (whole, specifier) => {
    for (const base of [root, join(root, 'src'), join(root, 'src', 'api')]) {
      const path = resolve(base, specifier)
      if (['.ts', '/index.ts'].some((ending) => existsSync(`${path}${ending}`))) return `from '${path}'`
    }
    throw new Error(`docs example import ${specifier} names no file under the repository, src/ or src/api/`)
  })
}

function moduleSource(root) {
  const examples = tsExamples(root)
  const imports = [...new Set(examples.flatMap((example) => example.imports.map((line) => resolveImport(root, line))))]
  const functions = examples.map(
    (example) =>
      // The body runs as written; `with` is not allowed in modules, so the context is destructured.
      `  { page: ${JSON.stringify(example.page)}, line: ${example.line}, run: async (context) => {\n` +
      `    const { ${contextNames(example).join(', ')} } = context\n${example.body.map((line) => `    ${line}`).join('\n')}\n  } },`,
  )
  return `${imports.join('\n')}\n\nexport const examples = [\n${functions.join('\n')}\n]\n`
}

/** Names a block may use without defining them: the test's context supplies whichever it has. */
const CONTEXT_NAMES = ['env', 'ctx', 'token', 'traceparent', 'request', 'call', 'fs', 'execute', 'executionId', 'signal', 'tenant_id', 'agent_id', 'entity_id', 'seconds']

function contextNames(example) {
  const text = example.body.join('\n')
  return CONTEXT_NAMES.filter((name) => new RegExp(String.raw`(^|[^\w.'])${name}\b`).test(text) && !new RegExp(String.raw`\b(const|let|var)\s+${name}\b`).test(text))
}

/** The plugin: resolves and builds `virtual:docs-ts-examples` from the markdown under `root`. */
export function docsTsExamples(root) {
  return {
    name: 'docs-ts-examples',
    resolveId: (id) => (id === DOCS_TS_EXAMPLES ? RESOLVED : undefined),
    // Types stripped here: Vite's own TypeScript transform leaves virtual modules alone.
    load: async (id) => (id === RESOLVED ? (await transformWithOxc(moduleSource(root), 'docs-ts-examples.ts', { lang: 'ts' })).code : undefined),
  }
}
