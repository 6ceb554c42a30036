/** JSON files bundled by esbuild (the admin page reads the managed-policy schema). */
declare module '*.json' {
  const value: unknown;
  export default value;
}
/** The admin module's WebAssembly bytes (extension/build.mjs: esbuild's binary loader on pkg/admin/postsafe_wasm_admin_bg.wasm). */
declare module 'postsafe-wasm-bytes' {
  const bytes: Uint8Array;
  export default bytes;
}
/** The admin worker's own code, for the standalone page (null inside the extension). */
declare const __ADMIN_WORKER_INLINE__: string | null;
