import { useState } from 'react';
import { useGraph, useGraphQuery } from '../api/graph-context.tsx';
import { GraphQLRequestError } from '../api/graphql-client.ts';
import { useLiveFeed, type LiveMessage } from '../api/live-feed.ts';
import { DISCARD_DEAD_LETTER, EVENTS_QUERY, REPLAY_DEAD_LETTER } from '../api/queries.ts';
import type { ConsumerState, DeadLetter, EventsState, LiveSnapshot } from '../api/telemetry-types.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Badge, LiveIndicator } from '../components/status-badge.tsx';
import { formatAgo, formatBytes, formatTime } from '../format.ts';
import { traceHref } from '../router.ts';

interface EventsAnswer {
  eventsState: EventsState;
  deadLetters: DeadLetter[];
}

/** The live snapshot's counts win over the last query's for the consumers and outboxes it names. */
export function applySnapshot(state: EventsState, snapshot: LiveSnapshot | null): EventsState {
  if (!snapshot || snapshot.at < state.at) return state;
  const live = new Map(snapshot.consumers.map((c) => [`${c.stream}/${c.name}`, c]));
  const outboxes = new Map(snapshot.outboxes.map((o) => [o.service, o]));
  return {
    ...state,
    at: snapshot.at,
    deadLetterCount: snapshot.deadLetters,
    consumers: state.consumers.map((c) => ({ ...c, ...live.get(`${c.stream}/${c.name}`) })),
    outboxes: state.outboxes.map((o) => ({ ...o, ...outboxes.get(o.service) })),
  };
}

/** Page 5: streams, durable consumers, outboxes and dead letters, live. */
export function EventsPage() {
  const { session, request } = useGraph();
  const { data, error, reload } = useGraphQuery<EventsAnswer>(EVENTS_QUERY);
  const [snapshot, setSnapshot] = useState<LiveSnapshot | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<GraphQLRequestError | null>(null);
  const live = useLiveFeed(session.token, (message: LiveMessage) => {
    if (message.event === 'snapshot') {
      setSnapshot(message.data);
      // A new consumer or stream is not in the snapshot's shape: the query brings it.
      if (data && message.data.deadLetters !== data.eventsState.deadLetterCount) reload();
    } else if (message.event === 'dead-letter') reload();
  });
  const state = data ? applySnapshot(data.eventsState, snapshot) : null;

  async function act(kind: 'replay' | 'discard', letter: DeadLetter) {
    setActionError(null);
    setNotice(null);
    try {
      if (kind === 'replay') {
        await request(REPLAY_DEAD_LETTER, { seq: letter.seq });
        setNotice(`Dead letter #${letter.seq} replayed: ${letter.type ?? 'the event'} was published again on ${letter.subject} for ${letter.consumer}.`);
      } else {
        await request(DISCARD_DEAD_LETTER, { seq: letter.seq });
        setNotice(`Dead letter #${letter.seq} discarded.`);
      }
    } catch (caught) {
      setActionError(caught instanceof GraphQLRequestError ? caught : new GraphQLRequestError(String(caught), 'NETWORK_ERROR', undefined));
    }
    reload();
  }

  return (
    <div className="stack">
      <div className="page-title">
        <h1>Events</h1>
        <LiveIndicator status={live} at={state?.at} />
      </div>
      {error && <ErrorNotice error={error} />}
      {state && (
        <>
          <section className="grid-2">
            <StreamsCard state={state} />
            <OutboxCard state={state} />
          </section>
          <ConsumersCard consumers={state.consumers} />
        </>
      )}
      {data && (
        <section className="card" aria-label="Dead letters">
          <h2>
            Dead letters <Badge tone={data.deadLetters.length ? 'warn' : 'ok'}>{state?.deadLetterCount ?? data.deadLetters.length}</Badge>
          </h2>
          {notice && (
            <p className="notice notice-ok" role="status">
              {notice}
            </p>
          )}
          {actionError && <ErrorNotice error={actionError} />}
          {data.deadLetters.length === 0 ? (
            <p className="muted">No dead letters: every consumer handled every event it was given.</p>
          ) : (
            <DeadLetterTable letters={data.deadLetters} onAction={act} />
          )}
        </section>
      )}
    </div>
  );
}

function StreamsCard({ state }: { state: EventsState }) {
  return (
    <div className="card">
      <h2>Streams</h2>
      <table className="table" aria-label="Streams">
        <thead>
          <tr>
            <th>Stream</th>
            <th className="num">Messages</th>
            <th className="num">Size</th>
            <th className="num">Last seq</th>
            <th className="num">Consumers</th>
          </tr>
        </thead>
        <tbody>
          {state.streams.map((s) => (
            <tr key={s.name}>
              <td>
                {s.name}
                <div className="muted small mono">{s.subjects.join(' ')}</div>
              </td>
              <td className="num">{s.messages}</td>
              <td className="num">{formatBytes(s.bytes)}</td>
              <td className="num">{s.lastSeq}</td>
              <td className="num">{s.consumerCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OutboxCard({ state }: { state: EventsState }) {
  return (
    <div className="card">
      <h2>Outbox backlog</h2>
      <table className="table" aria-label="Outboxes">
        <thead>
          <tr>
            <th>Service</th>
            <th className="num">Not yet published</th>
            <th>Oldest waiting</th>
          </tr>
        </thead>
        <tbody>
          {state.outboxes.map((o) => (
            <tr key={o.service} data-outbox={o.service}>
              <td>{o.service}</td>
              <td className="num">{o.pending == null ? <Badge tone="bad">no answer</Badge> : o.pending > 0 ? <Badge tone="warn">{o.pending}</Badge> : '0'}</td>
              <td className="small">{o.oldestPendingAt ? formatAgo(o.oldestPendingAt) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConsumersCard({ consumers }: { consumers: ConsumerState[] }) {
  return (
    <section className="card">
      <h2>Durable consumers</h2>
      <table className="table" aria-label="Consumers">
        <thead>
          <tr>
            <th>Consumer</th>
            <th>Service</th>
            <th className="num">Pending</th>
            <th className="num">Ack pending</th>
            <th className="num">Redelivered</th>
            <th className="num">Waiting pulls</th>
            <th>Last activity</th>
          </tr>
        </thead>
        <tbody>
          {consumers.map((c) => (
            <tr key={`${c.stream}/${c.name}`} data-consumer={c.name}>
              <td>
                {c.name} <span className="muted small">on {c.stream}</span>
              </td>
              <td>{c.service ?? '–'}</td>
              <td className="num">{c.pending > 0 ? <Badge tone="warn">{c.pending}</Badge> : 0}</td>
              <td className="num">{c.ackPending}</td>
              <td className={`num${c.redelivered > 0 ? ' text-bad' : ''}`}>{c.redelivered}</td>
              <td className="num">{c.waiting}</td>
              <td className="small" title={c.lastActivity ?? undefined}>
                {formatAgo(c.lastActivity)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DeadLetterTable({ letters, onAction }: { letters: DeadLetter[]; onAction: (kind: 'replay' | 'discard', letter: DeadLetter) => Promise<void> }) {
  const [open, setOpen] = useState<number | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const run = async (kind: 'replay' | 'discard', letter: DeadLetter) => {
    if (kind === 'discard' && !window.confirm(`Discard dead letter #${letter.seq}? Its event will not be handled by ${letter.consumer}.`)) return;
    setBusy(letter.seq);
    await onAction(kind, letter);
    setBusy(null);
  };
  return (
    <table className="table" aria-label="Dead letter list">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Failed</th>
          <th>Consumer</th>
          <th>Event</th>
          <th>Reason</th>
          <th className="num">Deliveries</th>
          <th>Actions</th>
        </tr>
      </thead>
      <tbody>
        {letters.map((letter) => (
          <DeadLetterRow
            key={letter.seq}
            letter={letter}
            open={open === letter.seq}
            busy={busy === letter.seq}
            onToggle={() => setOpen(open === letter.seq ? null : letter.seq)}
            onRun={run}
          />
        ))}
      </tbody>
    </table>
  );
}

function DeadLetterRow(props: {
  letter: DeadLetter;
  open: boolean;
  busy: boolean;
  onToggle: () => void;
  onRun: (kind: 'replay' | 'discard', letter: DeadLetter) => void;
}) {
  const { letter } = props;
  return (
    <>
      <tr data-dead-letter={letter.seq}>
        <td className="num">{letter.seq}</td>
        <td className="small">{formatTime(letter.failedAt)}</td>
        <td>{letter.consumer}</td>
        <td>
          {letter.type ?? <span className="muted">unreadable</span>}
          <div className="muted small mono">{letter.subject}</div>
        </td>
        <td className="reason">{letter.reason}</td>
        <td className="num">{letter.deliveries}</td>
        <td className="actions">
          <button type="button" className="secondary" onClick={props.onToggle} aria-expanded={props.open}>
            {props.open ? 'Hide' : 'Show'}
          </button>
          <button type="button" disabled={props.busy} onClick={() => props.onRun('replay', letter)}>
            Replay
          </button>
          <button type="button" className="danger" disabled={props.busy} onClick={() => props.onRun('discard', letter)}>
            Discard
          </button>
        </td>
      </tr>
      {props.open && (
        <tr className="detail-row">
          <td colSpan={7}>
            <div className="small">
              event id <span className="mono">{letter.eventId ?? '–'}</span> · stream seq {letter.streamSeq}
              {letter.traceId && (
                <>
                  {' '}
                  · <a href={traceHref(letter.traceId)}>trace of the event</a>
                </>
              )}
            </div>
            <pre className="payload">{prettyJson(letter.payload)}</pre>
          </td>
        </tr>
      )}
    </>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
