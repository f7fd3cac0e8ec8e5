/**
 * Where the native addon is looked for, in order, and the one error given when none loads.
 * Our own resolution rather than the `bindings` package's: three places that we know, and a
 * message that says what to install and what to run instead of listing 13 searched paths.
 * scripts/install.js applies the same order at install time.
 */
import * as fs from 'fs';
import * as path from 'path';

/** One place the addon may be. */
export interface AddonLocation {
  /** `env` (DMAENGINE_ADDON), `build` (node-gyp's build/Release), `prebuilt` (shipped) */
  kind: 'env' | 'build' | 'prebuilt';
  path: string;
  exists: boolean;
}

/** The package root: lib/ (tsx) and dist/ (built) both sit one level below it. */
const ROOT = path.resolve(__dirname, '..');

/** The platform tag of the shipped binary's folder: prebuilds/linux-x64/. */
export const PREBUILT_TAG = 'linux-x64';

/** What to do when there is no working addon: one line. */
export const ADDON_HINT = 'install a C++ toolchain (Debian/Ubuntu: `apt install g++ make python3`; Fedora: `dnf install gcc-c++ make python3`) and run `npm rebuild dmaengine`';

/**
 * The places, first to last. `DMAENGINE_ADDON`, when set, is the only one: a build asked for
 * by name is never silently replaced by another.
 */
export function addonCandidates(env: NodeJS.ProcessEnv = process.env): AddonLocation[] {
  const at = (kind: AddonLocation['kind'], p: string): AddonLocation => ({ kind, path: p, exists: fs.existsSync(p) });
  if (env.DMAENGINE_ADDON) return [at('env', path.resolve(env.DMAENGINE_ADDON))];
  return [
    at('build', path.join(ROOT, 'build', 'Release', 'dmaengine.node')),
    at('prebuilt', path.join(ROOT, 'prebuilds', PREBUILT_TAG, 'dmaengine.node')),
  ];
}

/** The error for "nothing found" (`found` null) or "found but does not load". */
export function addonLoadError(found: AddonLocation | null, cause?: unknown): Error {
  let message: string;
  if (found === null) {
    const env = process.env.DMAENGINE_ADDON;
    message = env
      ? `dmaengine: DMAENGINE_ADDON names ${JSON.stringify(env)}, which does not exist`
      : `dmaengine: the native addon is not built${process.platform === 'linux' && process.arch === 'x64' ? '' : ` and no prebuilt binary exists for ${process.platform}-${process.arch}`}: ${ADDON_HINT}`;
  } else {
    const why = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
    message = `dmaengine: the native addon ${found.path} does not load (${why}): ${ADDON_HINT}`;
  }
  const err = new Error(message, cause === undefined ? undefined : { cause });
  (err as Error & { code: string }).code = 'ERR_DMAENGINE_ADDON';
  return err;
}
