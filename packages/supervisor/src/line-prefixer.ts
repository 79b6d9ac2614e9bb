/**
 * Turns a process's output, which arrives in chunks cut anywhere, into whole lines, each
 * written with `[name] ` before it, so the interleaved output of several processes stays
 * readable. `flush` writes a last line that had no newline (a process killed mid-line).
 */
export function linePrefixer(name: string, write: (line: string) => void): { push(chunk: string): void; flush(): void } {
  const prefix = `[${name}] `;
  let pending = '';
  return {
    push(chunk) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) write(prefix + line.replace(/\r$/, ''));
    },
    flush() {
      if (pending !== '') write(prefix + pending);
      pending = '';
    },
  };
}
