import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { createGraphQLClient } from './api/graphql-client.ts';
import { GraphProvider } from './api/graph-context.tsx';
import { loadSession, mayUseConsole, saveSession, type Session } from './api/session.ts';
import { navigate, traceHref, useRoute, type Route } from './router.ts';
import { LoginPage } from './pages/login-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { TracesPage } from './pages/traces-page.tsx';
import { TracePage } from './pages/trace-page.tsx';
import { ServiceMapPage } from './pages/service-map-page.tsx';
import { EventsPage } from './pages/events-page.tsx';
import { AgencyTrafficPage } from './pages/agency-traffic-page.tsx';
import { AgencyEventsPage } from './pages/agency-events-page.tsx';

const NAV: { page: Route['page']; href: string; label: string }[] = [
  { page: 'overview', href: '#/overview', label: 'Overview' },
  { page: 'traces', href: '#/traces', label: 'Traces' },
  { page: 'map', href: '#/map', label: 'Service map' },
  { page: 'events', href: '#/events', label: 'Events' },
  { page: 'agencies', href: '#/agencies', label: 'Agency traffic' },
  { page: 'exchange', href: '#/exchange', label: 'Agency events' },
];

/** The console: a login form until there is a session, then the pages behind a top bar. */
export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const logout = useCallback(() => {
    saveSession(null);
    setSession(null);
  }, []);
  const request = useMemo(() => createGraphQLClient({ token: () => session?.token ?? null, onUnauthenticated: logout }), [session, logout]);

  if (!session) {
    return (
      <LoginPage
        request={request}
        onLogin={(next) => {
          saveSession(next);
          setSession(next);
        }}
      />
    );
  }
  return (
    <GraphProvider request={request} session={session}>
      <Shell session={session} onLogout={logout} />
    </GraphProvider>
  );
}

function Shell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const route = useRoute();
  const active = route.page === 'trace' ? 'traces' : route.page;
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/overview">
          Simpul <span>console</span>
        </a>
        <nav aria-label="Pages">
          {NAV.map((item) => (
            <a
              key={item.page}
              href={item.href}
              className={item.page === active ? 'active' : undefined}
              aria-current={item.page === active ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <GoToTrace />
        <div className="whoami">
          <span title={session.roles.join(', ')}>{session.username}</span>
          <button type="button" className="link" onClick={onLogout}>
            Log out
          </button>
        </div>
      </header>
      {!mayUseConsole(session) && (
        <div className="notice notice-warn" role="status">
          {session.username} has the roles {session.roles.join(', ') || 'none'}; the console's data needs OPERATOR, NATIONAL_ADMIN or AUDITOR, so the graph will
          refuse it.
        </div>
      )}
      <main className="page">
        <Page route={route} />
      </main>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'traces':
      return <TracesPage query={route.query} />;
    case 'trace':
      return <TracePage traceId={route.traceId} selectedSpanId={route.spanId} />;
    case 'map':
      return <ServiceMapPage />;
    case 'events':
      return <EventsPage />;
    case 'agencies':
      return <AgencyTrafficPage />;
    case 'exchange':
      return <AgencyEventsPage />;
    default:
      return (
        <p>
          No page at <code>{route.path}</code>. <a href="#/overview">Go to the overview</a>.
        </p>
      );
  }
}

/** "Go to trace id": paste the traceId an error answer carried (extensions.traceId). */
function GoToTrace() {
  const [value, setValue] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    const id = value.trim().toLowerCase();
    if (!id) return;
    setValue('');
    navigate(traceHref(id));
  }
  return (
    <form className="goto" onSubmit={submit} role="search" aria-label="Go to trace">
      <input placeholder="Go to trace id…" value={value} onChange={(e) => setValue(e.target.value)} aria-label="Trace id" spellCheck={false} />
    </form>
  );
}
