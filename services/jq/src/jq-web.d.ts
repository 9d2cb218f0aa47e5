/**
 * jq-web ships no types. `jq.js` is rewritten at build time
 * (scripts/build-services.mjs) to export its Emscripten factory.
 */
declare module 'jq-web/jq.js' {
  export interface JqWebModule {
    /** Runs jq with `flags` and `filter` on `input`; returns stdout, throws on a non-zero exit. */
    raw(input: string, filter: string, flags: string[]): string | undefined
  }
  interface JqWebFactoryOptions {
    instantiateWasm(
      imports: WebAssembly.Imports,
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ): object
  }
  const createJq: (options: JqWebFactoryOptions) => Promise<JqWebModule>
  export default createJq
}

declare module 'jq-web/jq.wasm' {
  const module: WebAssembly.Module
  export default module
}
