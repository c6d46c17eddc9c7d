/**
 * Makes `dir` (0700) and empties it once it holds more than `maxEntries` entries (a subfolder counts its own): each
 * build of a bundle leaves an entry behind. True when the folder is this user's and nobody else can write it.
 */
export function privateCacheFolder(dir: string, maxEntries: number): boolean;

/** Node's compile cache in `dir` (Node >= 22.1); false where Node has none or the folder cannot be used. */
export function enableCompileCache(dir: string, maxEntries: number): boolean;

/** Writes what Node compiled so far now, not only at exit (Node >= 22.1; a no-op elsewhere). */
export function flushCompileCache(): void;

export interface CachedModule {
  /** The module's `module.exports`. */
  exports: Record<string, unknown>;
  /** Whether V8 ran it from the kept code (then `keep` has nothing to write). */
  fromCache: boolean;
  /** Writes V8's code for the script to the cache file when it had none or V8 rejected it; never throws. */
  keep(): void;
}

/**
 * Runs a CommonJS file as `require` would, with the code V8 compiled for it on an earlier run, read from `cacheFile`
 * only when this user owns it and its folder and nobody else can write them (loaded code runs as this user).
 * `source`: the file's text, when the caller has read it already (to name its cache by it).
 */
export function runCommonJs(file: string, cacheFile: string, source?: string): CachedModule;
