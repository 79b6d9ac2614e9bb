import type { Span } from '../api/telemetry-types.ts';
import { formatMs } from '../format.ts';
import { Badge } from './status-badge.tsx';

/** The clicked span: its attributes, events and errors (exceptions with their stack). */
export function SpanDetails({ span, offsetMs }: { span: Span; offsetMs: number }) {
  const exceptions = span.events.filter((e) => e.name === 'exception');
  return (
    <aside className="card span-details" aria-label="Span details">
      <h2>
        {span.service}: {span.name}
      </h2>
      <p className="small">
        <Badge tone={span.status === 'ERROR' ? 'bad' : 'ok'}>{span.status === 'ERROR' ? 'ERROR' : 'no error'}</Badge> {span.kind.toLowerCase()} ·{' '}
        {formatMs(span.durationMs)} · starts at +{formatMs(offsetMs)}
      </p>
      {span.statusMessage && (
        <p className="notice notice-error" role="alert">
          {span.statusMessage}
        </p>
      )}
      {exceptions.map((event, i) => {
        const get = (key: string) => event.attributes.find((a) => a.key === key)?.value;
        return (
          <div key={i} className="notice notice-error">
            <strong>{get('exception.type') ?? 'Exception'}</strong>: {get('exception.message')}
            {get('exception.stacktrace') && <pre className="stack-trace">{get('exception.stacktrace')}</pre>}
          </div>
        );
      })}
      <h3>Attributes</h3>
      <table className="table kv" aria-label="Attributes">
        <tbody>
          <tr>
            <th>span id</th>
            <td className="mono">{span.spanId}</td>
          </tr>
          <tr>
            <th>parent</th>
            <td className="mono">{span.parentSpanId ?? '(root)'}</td>
          </tr>
          {span.attributes.map((a) => (
            <tr key={a.key}>
              <th>{a.key}</th>
              <td className="mono">{a.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {span.events.length > 0 && (
        <>
          <h3>Events</h3>
          <ul className="events-list">
            {span.events.map((event, i) => (
              <li key={i}>
                <span className="mono small">{event.time.slice(11, 23)}</span> <strong>{event.name}</strong>
                {event.attributes
                  .filter((a) => a.key !== 'exception.stacktrace')
                  .map((a) => (
                    <div key={a.key} className="small">
                      <span className="muted">{a.key}</span> {a.value}
                    </div>
                  ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
