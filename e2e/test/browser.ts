import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Screenshots of the console's pages, kept after the run (gitignored): e2e/artifacts/console/. */
export const CONSOLE_ARTIFACTS = fileURLToPath(new URL('../artifacts/console/', import.meta.url));

/**
 * Debian's Chromium (`infra/scripts/infra.sh chromium` installs it), driven by
 * playwright-core: playwright's own browser builds are downloads that closed networks
 * cannot make. The flags keep Chromium from reaching out (updates, sync, QUIC
 * probes), which on a closed network stalls it; the profile is fresh per run.
 */
export function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium is not installed: run `bash infra/scripts/infra.sh chromium` (Debian, as root: apt-get install -y chromium)');
  }
}

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'simpul-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    timeout: 60_000,
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as e2e/artifacts/console/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(CONSOLE_ARTIFACTS, { recursive: true });
  const path = join(CONSOLE_ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
