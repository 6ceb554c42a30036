/**
 * What differs between the builds. `node extension/build.mjs --test` (run by
 * `./build.sh test`) sets `__POSTSAFE_TEST_BUILD__`; the shipped builds in dist/chrome
 * and dist/firefox do not. The test build alone runs on http://127.0.0.1 and
 * http://localhost pages (the fixture composers) and downloads pack URLs from them.
 */
declare const __POSTSAFE_TEST_BUILD__: boolean | undefined;

/** True only in the test build. */
export const TEST_BUILD: boolean = typeof __POSTSAFE_TEST_BUILD__ === 'boolean' && __POSTSAFE_TEST_BUILD__;
