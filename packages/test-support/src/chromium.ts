import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The names a headless Chromium goes by on Debian, Ubuntu and with Google's build. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The first Chromium found on PATH, or undefined (the caller says what to install). */
export function findChromium(searchPath: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter).filter((d) => d !== '')) {
    for (const name of CHROMIUM_NAMES) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export const CHROMIUM_INSTALL_HINT =
  'no Chromium on PATH (looked for chromium, chromium-browser, google-chrome): install it, e.g. `apt-get install chromium` on Debian';
