import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AgencyEventsPage } from '../src/pages/agency-events-page.tsx';
import type { AgencyEventsAnswer } from '../src/api/agency-event-types.ts';
import { fakeGraph, renderWithGraph } from './harness.tsx';

afterEach(cleanup);

const CLIENT_OK = 'sc_aaaaaaaaaaaaaaaaaaaaaaaa';
const CLIENT_DEAD = 'sc_bbbbbbbbbbbbbbbbbbbbbbbb';

function answer(): AgencyEventsAnswer {
  return {
    eventTypes: [
      {
        id: 'platform:simpeg.pengangkatan@1',
        ownerAgencyCode: '*',
        name: 'simpeg.pengangkatan',
        version: 1,
        description: 'Pengangkatan pegawai',
        subject: 'simpul.ext.*.simpeg.pengangkatan',
        platform: true,
        deprecated: false,
        deprecatedAt: null,
        deprecationReason: null,
        grantCount: 1,
      },
      {
        id: 'a',
        ownerAgencyCode: 'KAB-BANYUWANGI',
        name: 'pegawai.mutasi',
        version: 1,
        description: 'Format lama',
        subject: 'simpul.ext.KAB-BANYUWANGI.pegawai.mutasi',
        platform: false,
        deprecated: true,
        deprecatedAt: '2026-12-01T00:00:00Z',
        deprecationReason: 'use version 2',
        grantCount: 2,
      },
    ],
    eventSubscribers: [
      { clientId: CLIENT_OK, natsPending: 0, grants: [{ ownerAgencyCode: 'KAB-BANYUWANGI', eventType: 'pegawai.mutasi', version: null }], webhook: null },
      {
        clientId: CLIENT_DEAD,
        natsPending: 3,
        grants: [{ ownerAgencyCode: 'KAB-BANYUWANGI', eventType: 'pegawai.mutasi', version: 1 }],
        webhook: {
          url: 'https://eoffice.example.go.id/hook',
          status: 'DEAD_LETTERS',
          lastSuccessAt: null,
          lastFailureAt: '2026-12-03T10:00:00Z',
          lastError: 'HTTP 500',
          consecutiveFailures: 8,
          deadLetters: 2,
          pending: 1,
        },
      },
    ],
    eventRejections: [
      {
        id: 'r1',
        agencyCode: 'KAB-BANYUWANGI',
        eventId: 'sk-1',
        eventType: 'simpeg.pengangkatan',
        version: 1,
        channel: 'HTTP',
        refusedBy: 'personnel',
        reason: 'You administer KAB-BANYUWANGI only',
        excerpt: '{"id":"sk-1"}',
        receivedAt: '2026-12-03T10:00:00Z',
      },
    ],
  };
}

describe('the agency events page', () => {
  it('shows each subscriber with its webhook health, the refusals with who refused, and the catalogue with platform and deprecated types', async () => {
    const graph = fakeGraph({ ConsoleAgencyEvents: () => answer() });
    renderWithGraph(<AgencyEventsPage />, graph.request);
    const subscribers = await screen.findByRole('table', { name: 'Subscriber list' });
    const dead = within(subscribers).getByText(CLIENT_DEAD).closest('tr')!;
    expect(dead.className).toBe('row-error');
    expect(dead.textContent).toContain('dead letters');
    expect(dead.textContent).toContain('HTTP 500');
    expect(within(subscribers).getByText(CLIENT_OK).closest('tr')!.textContent).toContain('NATS only');

    const refusals = screen.getByRole('table', { name: 'Refusal list' });
    expect(within(refusals).getByText('personnel')).toBeTruthy();
    fireEvent.click(within(refusals).getByRole('button', { name: 'Show' }));
    expect(screen.getByText('{"id":"sk-1"}')).toBeTruthy();

    const catalogue = screen.getByRole('table', { name: 'Event type list' });
    expect(within(catalogue).getByText('platform')).toBeTruthy();
    expect(within(catalogue).getByText('use version 2')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Exchange summary' }).textContent).toContain('2webhook dead letters');
  });
});
