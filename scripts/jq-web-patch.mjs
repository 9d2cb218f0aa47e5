/**
 * Adapts jq-web's jq.js (an Emscripten build of jq) to run inside a Worker.
 * Applied by scripts/build-services.mjs when it bundles services/jq; each edit
 * must match exactly once, so a new jq-web release that changes shape fails
 * the build loudly instead of producing a subtly broken service.
 */
const PATCHES = [
  {
    why: 'workerd has `process`, so Emscripten would take its Node.js branch (__dirname, fs)',
    find: /var ENVIRONMENT_IS_NODE = [^;]+;/,
    replace: 'var ENVIRONMENT_IS_NODE = false;',
  },
  {
    why: 'workerd has `WorkerGlobalScope`, so Emscripten would read self.location.href, which is undefined',
    find: /var ENVIRONMENT_IS_WORKER = [^;]+;/,
    replace: 'var ENVIRONMENT_IS_WORKER = false;',
  },
  {
    why: 'jq-web drops the last newline of stdout; the fabric returns exactly what the jq CLI prints',
    find: /if \(u8Array\[u8Array\.length - 1\] === NEWLINE\) \{/,
    replace: 'if (false) {',
  },
  {
    why: 'jq-web instantiates itself at import time (loading jq.wasm from disk or network) and exports only that promise; export the factory so the service passes the precompiled module through instantiateWasm',
    find: /if \(typeof exports === 'object' && typeof module === 'object'\) \{\n {2}module\.exports = jq;[\s\S]*$/,
    replace: 'export default jq;\n',
  },
]

/** Returns the patched source, or throws naming the edit that no longer matches. */
export function patchJqWeb(source, path) {
  return PATCHES.reduce((text, patch) => {
    const matches = text.match(new RegExp(patch.find.source, `${patch.find.flags}g`))?.length ?? 0
    if (matches !== 1) {
      throw new Error(`jq-web changed shape: expected one match for ${patch.find} in ${path}, found ${matches} (${patch.why})`)
    }
    return text.replace(patch.find, patch.replace)
  }, source)
}
