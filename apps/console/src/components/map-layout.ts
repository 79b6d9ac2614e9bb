import type { ServiceMap, ServiceMapNode } from '../api/telemetry-types.ts';

export interface PlacedNode extends ServiceMapNode {
  x: number;
  y: number;
}

export const MAP_COLUMNS = { AGENCY_SYSTEM: 110, GATEWAY: 380, SERVICE: 640 } as const;
/** Half a node's width. */
export const NODE_HALF_WIDTH = 80;
const ROW = 78;
const TOP = 60;

/**
 * Three columns, left to right as a request travels: agency systems and API clients,
 * gateways, services. Rows are sorted by label so the picture is the same each time.
 */
export function layoutServiceMap(map: ServiceMap): { nodes: PlacedNode[]; width: number; height: number } {
  const columns = new Map<ServiceMapNode['kind'], ServiceMapNode[]>();
  for (const node of map.nodes) columns.set(node.kind, [...(columns.get(node.kind) ?? []), node]);
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const height = TOP * 2 + (tallest - 1) * ROW;
  const nodes: PlacedNode[] = [];
  for (const [kind, list] of columns) {
    const sorted = [...list].sort((a, b) => a.label.localeCompare(b.label));
    const offset = (height - (sorted.length - 1) * ROW) / 2;
    sorted.forEach((node, i) => nodes.push({ ...node, x: MAP_COLUMNS[kind], y: offset + i * ROW }));
  }
  return { nodes, width: 1000, height: Math.max(height, 220) };
}

/**
 * An edge's path: a gentle curve between columns; between two services (events) an arc
 * bulging to the right, so event edges never hide behind the call edges.
 */
export function edgePath(from: PlacedNode, to: PlacedNode, lane: number): string {
  if (from.id === to.id) {
    // A service consuming its own events: a small loop on its right.
    const x = from.x + NODE_HALF_WIDTH;
    return `M ${x} ${from.y - 8} C ${x + 55} ${from.y - 40}, ${x + 55} ${from.y + 40}, ${x} ${from.y + 8}`;
  }
  if (from.x === to.x) {
    // Farther apart, wider: arcs between distant services pass outside the near ones.
    const bulge = 50 + Math.abs(to.y - from.y) * 0.5 + lane * 16;
    const offset = from.y < to.y ? 6 : -6;
    return `M ${from.x + NODE_HALF_WIDTH} ${from.y + offset} C ${from.x + NODE_HALF_WIDTH + bulge} ${from.y + offset}, ${to.x + NODE_HALF_WIDTH + bulge} ${to.y - offset}, ${to.x + NODE_HALF_WIDTH} ${to.y - offset}`;
  }
  const startX = from.x + (to.x > from.x ? NODE_HALF_WIDTH : -NODE_HALF_WIDTH);
  const endX = to.x + (to.x > from.x ? -NODE_HALF_WIDTH : NODE_HALF_WIDTH);
  const mid = (startX + endX) / 2;
  return `M ${startX} ${from.y} C ${mid} ${from.y + lane * 6}, ${mid} ${to.y + lane * 6}, ${endX} ${to.y}`;
}
