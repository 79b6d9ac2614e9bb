import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../build/bundle.ts';

/**
 * What infra/Dockerfile promises, read from the file (no Docker engine runs here; the
 * bundles it copies are tested in bundle.test.ts): a supported Node.js LTS within the
 * project's `engines`, production dependencies only, compiled JavaScript, a non-root
 * user and a health check.
 */
const dockerfile = readFileSync(join(REPOSITORY_ROOT, 'infra/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const instructions = dockerfile.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
const finalStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));
/** Node.js releases in Active or Maintenance LTS on 2026-12-03 (22: until April 2027; 24: until April 2028). */
const SUPPORTED_LTS = [22, 24];

describe('infra/Dockerfile', () => {
  const nodeImage = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile);

  it('runs on a supported Node.js LTS that package.json engines allows', () => {
    const major = Number(nodeImage?.[1]);
    expect(SUPPORTED_LTS).toContain(major);
    const engines = (JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(semver.satisfies(`${major}.99.0`, engines), `engines ${engines}`).toBe(true);
    expect(instructions.filter((l) => l.startsWith('FROM ')).every((l) => l.startsWith('FROM ${NODE_IMAGE}'))).toBe(true);
  });

  it('installs production dependencies only into the image, and runs compiled JavaScript', () => {
    expect(dockerfile).toMatch(/RUN npm ci -w apps --omit=dev --omit=optional/);
    expect(finalStage.join('\n')).not.toMatch(/tsx|\.ts\b|npm (ci|install)/);
    expect(finalStage).toContain('CMD ["node", "apps/gateway/dist/main.mjs"]');
  });

  it('runs as a non-root user, with a health check on HEALTH_PORT', () => {
    const user = finalStage.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toMatch(/^USER [1-9]\d*(:[1-9]\d*)?$/);
    expect(finalStage.join('\n')).toMatch(/ENV [^\n]*HEALTH_PORT=8081/);
    expect(finalStage.find((l) => l.startsWith('HEALTHCHECK '))).toMatch(/127\.0\.0\.1:' \+ process\.env\.HEALTH_PORT \+ '\/ready'/);
  });
});
