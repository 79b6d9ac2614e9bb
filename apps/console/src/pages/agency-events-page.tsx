import { Fragment, useState } from 'react';
import { useGraphQuery } from '../api/graph-context.tsx';
import { AGENCY_EVENTS_QUERY } from '../api/queries.ts';
import type { AgencyEventsAnswer, CatalogueEntry, EventRejection, EventSubscriber, WebhookHealth } from '../api/agency-event-types.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Badge } from '../components/status-badge.tsx';
import { formatAgo, formatTime } from '../format.ts';
import { useInterval } from '../use-interval.ts';

const REFRESH_MS = 15_000;
const REJECTIONS_SHOWN = 50;

/** A subscriber's state in one word, worst first: what an operator scans the table for. */
export function subscriberTone(s: EventSubscriber): 'ok' | 'warn' | 'bad' | 'idle' {
  if (s.webhook?.status === 'DEAD_LETTERS') return 'bad';
  if (s.webhook?.status === 'FAILING') return 'warn';
  if (s.grants.length === 0) return 'idle';
  return 'ok';
}

/** "KAB-BANYUWANGI/pegawai.mutasi@2", or "@all" for a grant of every version. */
export function grantLabel(g: EventSubscriber['grants'][number]): string {
  return `${g.ownerAgencyCode}/${g.eventType}@${g.version ?? 'all'}`;
}

/**
 * Page 7: the exchange of agency events. Who receives what and whether their webhooks
 * keep up (first, as that is what breaks), the events the platform refused and why
 * (the publisher's view, across agencies), and the catalogue of event types.
 */
export function AgencyEventsPage() {
  const { data, error, reload } = useGraphQuery<AgencyEventsAnswer>(AGENCY_EVENTS_QUERY, { rejections: REJECTIONS_SHOWN });
  useInterval(reload, REFRESH_MS);
  return (
    <div className="stack">
      <div className="page-title">
        <h1>Agency events</h1>
        <button type="button" className="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      {data && (
        <>
          <Summary data={data} />
          <SubscribersCard subscribers={data.eventSubscribers} />
          <RejectionsCard rejections={data.eventRejections} />
          <CatalogueCard types={data.eventTypes} />
        </>
      )}
    </div>
  );
}

function Summary({ data }: { data: AgencyEventsAnswer }) {
  const webhooks = data.eventSubscribers.map((s) => s.webhook).filter((w): w is WebhookHealth => w !== null);
  const failing = webhooks.filter((w) => w.status !== 'HEALTHY').length;
  const deadLetters = webhooks.reduce((sum, w) => sum + w.deadLetters, 0);
  const declared = data.eventTypes.filter((t) => !t.platform);
  const tiles: { label: string; value: number; tone?: 'bad' | 'warn' | undefined }[] = [
    { label: 'declared event types', value: declared.filter((t) => !t.deprecated).length },
    { label: 'platform event types', value: data.eventTypes.length - declared.length },
    { label: 'subscribers', value: data.eventSubscribers.length },
    { label: 'webhooks not healthy', value: failing, tone: failing ? 'warn' : undefined },
    { label: 'webhook dead letters', value: deadLetters, tone: deadLetters ? 'bad' : undefined },
    { label: `refusals (last ${REJECTIONS_SHOWN})`, value: data.eventRejections.length, tone: data.eventRejections.length ? 'warn' : undefined },
  ];
  return (
    <section className="tiles" aria-label="Exchange summary">
      {tiles.map((t) => (
        <div key={t.label} className={`tile${t.tone ? ` tile-${t.tone}` : ''}`}>
          <span className="tile-value">{t.value}</span>
          <span className="tile-label">{t.label}</span>
        </div>
      ))}
    </section>
  );
}

function SubscribersCard({ subscribers }: { subscribers: EventSubscriber[] }) {
  return (
    <section className="card" aria-label="Subscribers">
      <h2>Subscribers and webhook health</h2>
      {subscribers.length === 0 ? (
        <p className="muted">No API client holds a grant or has a webhook yet: an agency administrator grants one with grantEventAccess.</p>
      ) : (
        <table className="table" aria-label="Subscriber list">
          <thead>
            <tr>
              <th>API client</th>
              <th>Receives</th>
              <th className="num" title="Copied for the client, not yet acknowledged on its NATS consumer">
                NATS backlog
              </th>
              <th>Webhook</th>
              <th>Last delivery</th>
              <th className="num" title="Failed attempts since the last success">
                Failures
              </th>
              <th className="num" title="Copied for the webhook, not yet delivered">
                Pending
              </th>
              <th className="num">Dead letters</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {subscribers.map((s) => (
              <SubscriberRow key={s.clientId} subscriber={s} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SubscriberRow({ subscriber: s }: { subscriber: EventSubscriber }) {
  const w = s.webhook;
  const tone = subscriberTone(s);
  return (
    <tr data-subscriber={s.clientId} className={tone === 'bad' ? 'row-error' : undefined}>
      <td className="mono small">{s.clientId}</td>
      <td className="small">{s.grants.length ? s.grants.map(grantLabel).join(', ') : <span className="muted">no grant</span>}</td>
      <td className="num">{s.natsPending == null ? <span className="muted">–</span> : s.natsPending > 0 ? <Badge tone="warn">{s.natsPending}</Badge> : 0}</td>
      <td>
        {w ? (
          <>
            <Badge tone={w.status === 'HEALTHY' ? 'ok' : w.status === 'FAILING' ? 'warn' : 'bad'}>{webhookStatusText(w.status)}</Badge>
            <div className="muted small mono">{w.url}</div>
          </>
        ) : (
          <span className="muted small">NATS only</span>
        )}
      </td>
      <td className="small" title={w?.lastSuccessAt ?? undefined}>
        {w ? formatAgo(w.lastSuccessAt) : '–'}
      </td>
      <td className={`num${w && w.consecutiveFailures > 0 ? ' text-bad' : ''}`}>{w ? w.consecutiveFailures : '–'}</td>
      <td className="num">{w?.pending == null ? '–' : w.pending > 0 ? <Badge tone="warn">{w.pending}</Badge> : 0}</td>
      <td className="num">{w ? w.deadLetters > 0 ? <Badge tone="bad">{w.deadLetters}</Badge> : 0 : '–'}</td>
      <td className="reason small">
        {w?.lastError ? (
          <>
            {w.lastError} <span className="muted">({formatAgo(w.lastFailureAt)})</span>
          </>
        ) : (
          '–'
        )}
      </td>
    </tr>
  );
}

function webhookStatusText(status: WebhookHealth['status']): string {
  return { HEALTHY: 'healthy', FAILING: 'failing, retrying', DEAD_LETTERS: 'dead letters' }[status];
}

function RejectionsCard({ rejections }: { rejections: EventRejection[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="card" aria-label="Refused events">
      <h2>Refused events</h2>
      <p className="muted small">
        Published events the platform refused, newest first. <em>registry</em> refused it at the gate (not JSON, not declared, not valid against its schema); a
        service name means the event was valid but that service refused to act on it by its rules. The publisher reads the same list (eventRejections).
      </p>
      {rejections.length === 0 ? (
        <p className="muted">No event was refused.</p>
      ) : (
        <table className="table" aria-label="Refusal list">
          <thead>
            <tr>
              <th>Received</th>
              <th>Agency</th>
              <th>Event</th>
              <th>Via</th>
              <th>Refused by</th>
              <th>Reason</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rejections.map((r) => (
              <Fragment key={r.id}>
                <tr data-rejection={r.eventId ?? r.id}>
                  <td className="small" title={r.receivedAt}>
                    {formatTime(r.receivedAt)}
                  </td>
                  <td>{r.agencyCode}</td>
                  <td>
                    {r.eventType ?? <span className="muted">unknown type</span>}
                    {r.version != null && <span className="muted">@{r.version}</span>}
                    <div className="muted small mono">{r.eventId ?? 'no id'}</div>
                  </td>
                  <td className="small">{r.channel}</td>
                  <td>
                    <Badge tone={r.refusedBy === 'registry' ? 'idle' : 'warn'}>{r.refusedBy}</Badge>
                  </td>
                  <td className="reason">{r.reason}</td>
                  <td className="actions">
                    <button type="button" className="secondary" onClick={() => setOpen(open === r.id ? null : r.id)} aria-expanded={open === r.id}>
                      {open === r.id ? 'Hide' : 'Show'}
                    </button>
                  </td>
                </tr>
                {open === r.id && (
                  <tr className="detail-row">
                    <td colSpan={7}>
                      <div className="small muted">What was received (its start):</div>
                      <pre className="payload">{r.excerpt}</pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CatalogueCard({ types }: { types: CatalogueEntry[] }) {
  return (
    <section className="card" aria-label="Event catalogue">
      <h2>Event catalogue</h2>
      <p className="muted small">
        Platform types are defined by Simpul for every agency (<span className="mono">*</span>: each agency publishes or receives them as its own); the others
        are declared by their owner agency. Grants count the clients allowed to receive a version.
      </p>
      <table className="table" aria-label="Event type list">
        <thead>
          <tr>
            <th>Event type</th>
            <th>Owner</th>
            <th className="num">Version</th>
            <th>State</th>
            <th className="num">Grants</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {types.map((t) => (
            <tr key={`${t.ownerAgencyCode}/${t.name}@${t.version}`} data-event-type={`${t.ownerAgencyCode}/${t.name}@${t.version}`}>
              <td>
                {t.name}
                <div className="muted small mono">{t.subject}</div>
              </td>
              <td>{t.ownerAgencyCode}</td>
              <td className="num">{t.version}</td>
              <td>
                {t.platform ? (
                  <Badge tone="idle">platform</Badge>
                ) : t.deprecated ? (
                  <Badge tone="warn" title={t.deprecationReason ?? undefined}>
                    deprecated {t.deprecatedAt ? formatAgo(t.deprecatedAt) : ''}
                  </Badge>
                ) : (
                  <Badge tone="ok">current</Badge>
                )}
                {t.deprecated && t.deprecationReason && <div className="muted small">{t.deprecationReason}</div>}
              </td>
              <td className="num">{t.grantCount}</td>
              <td className="small">{t.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
