/** A small coloured word: ok / warn / bad. Text first, colour second (readable without colour). */
export function Badge({ tone, children, title }: { tone: 'ok' | 'warn' | 'bad' | 'idle'; children: React.ReactNode; title?: string | undefined }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function LiveIndicator({ status, at }: { status: 'connecting' | 'live' | 'reconnecting' | 'refused'; at?: string | undefined }) {
  const tone = status === 'live' ? 'ok' : status === 'refused' ? 'bad' : 'warn';
  const text = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', refused: 'live feed refused' }[status];
  return (
    <span className="live" data-live-status={status}>
      <Badge tone={tone}>{text}</Badge>
      {at && <span className="muted small"> updated {new Date(at).toLocaleTimeString('en-GB', { hour12: false })}</span>}
    </span>
  );
}
