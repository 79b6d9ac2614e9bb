/** One colour per service everywhere (charts, waterfall, map), so a service is recognised at a glance. */
const SERVICE_COLORS: Record<string, string> = {
  gateway: '#2563eb',
  identity: '#9333ea',
  personnel: '#16a34a',
  documents: '#ea580c',
  registry: '#0891b2',
  telemetry: '#64748b',
};

const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#0891b2', '#db2777', '#ca8a04', '#4f46e5', '#059669', '#dc2626'];

export function colorFor(name: string, index = 0): string {
  const known = SERVICE_COLORS[name];
  if (known) return known;
  let hash = index;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length] as string;
}
