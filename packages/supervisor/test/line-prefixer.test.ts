import { describe, expect, it } from 'vitest';
import { linePrefixer } from '../src/line-prefixer.ts';

describe('linePrefixer', () => {
  it('writes whole lines with the name before each, however the chunks were cut', () => {
    const lines: string[] = [];
    const out = linePrefixer('personnel', (line) => lines.push(line));
    out.push('first li');
    out.push('ne\nsecond\r\nthi');
    expect(lines).toEqual(['[personnel] first line', '[personnel] second']);
    out.push('rd');
    out.flush();
    out.flush();
    expect(lines).toEqual(['[personnel] first line', '[personnel] second', '[personnel] third']);
  });
});
