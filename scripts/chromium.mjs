// @ts-check
// Debian's Chromium as the scripts drive it (screenshots, the bench): where it is, and the flags
// that keep a headless run quiet and steady (no sandbox as root, no GPU, no background traffic).
import { chromium } from 'playwright-core';

/** Launches headless Chromium (CHROME_PATH, else /usr/bin/chromium) with `extraArgs` added. */
export function launchChromium(extraArgs = /** @type {string[]} */ ([])) {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}
