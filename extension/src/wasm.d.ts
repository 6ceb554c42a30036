// extension/build.mjs appends this export to the wasm-bindgen glue of the engine and of
// the photo reader when it bundles the background: it forgets a dead (trapped) instance
// so that init() makes a new one.
export {};
declare module 'postsafe-wasm' {
  export function __postsafe_reset(): void;
}
declare module 'postsafe-wasm-photo' {
  export function __postsafe_reset(): void;
}
