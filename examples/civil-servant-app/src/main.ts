import './styles.css';
import { GatewayError, request } from './client.ts';
import { subscribe, type LiveState } from './live.ts';
import { InboxChanged, LettersToSign, Login, MyInbox, MyRecord, SignLetter } from './operations.ts';

// A civil servant's page: their record, their inbox kept current by the inboxChanged
// subscription, and the letters waiting for their signature. Plain DOM, text only
// (textContent, never innerHTML): what the gateway returns is never parsed as HTML.

const app = document.querySelector<HTMLElement>('#app')!;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { text?: string; className?: string; testId?: string } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.text !== undefined) node.textContent = props.text;
  if (props.className) node.className = props.className;
  if (props.testId) node.dataset['testid'] = props.testId;
  node.append(...children);
  return node;
}

function showLogin(message?: string): void {
  const username = el('input');
  username.name = 'username';
  username.autocomplete = 'username';
  const password = el('input');
  password.name = 'password';
  password.type = 'password';
  password.autocomplete = 'current-password';
  const error = el('p', { className: 'error', text: message ?? '', testId: 'login-error' });
  const form = el(
    'form',
    { className: 'card login' },
    el('h1', { text: 'Layanan Pegawai' }),
    el('label', { text: 'NIP' }, username),
    el('label', { text: 'Kata sandi' }, password),
    el('button', { text: 'Masuk' }),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    request(Login, { username: username.value.trim(), password: password.value })
      .then(({ login }) => showHome(login.token))
      .catch((e: unknown) => (error.textContent = (e as Error).message));
  });
  app.replaceChildren(form);
}

function showHome(token: string): void {
  const record = el('section', { className: 'card', testId: 'record' }, el('h2', { text: 'Data pegawai' }));
  const liveBadge = el('span', { className: 'badge', testId: 'live-state' });
  const inboxList = el('ul', { className: 'list', testId: 'inbox' });
  const notice = el('p', { className: 'notice', testId: 'inbox-notice' });
  const inbox = el('section', { className: 'card' }, el('h2', { text: 'Kotak masuk ' }, liveBadge), notice, inboxList);
  const signList = el('ul', { className: 'list', testId: 'to-sign' });
  const toSign = el('section', { className: 'card' }, el('h2', { text: 'Surat untuk ditandatangani' }), signList);
  app.replaceChildren(
    el('header', { className: 'top' }, el('strong', { text: 'Simpul · Layanan Pegawai' })),
    el('div', { className: 'grid' }, record, inbox, toSign),
  );

  const fail = (e: unknown) => {
    if (e instanceof GatewayError && e.code === 'UNAUTHENTICATED') showLogin('Sesi berakhir: silakan masuk lagi.');
    else console.error(e);
  };

  request(MyRecord, {}, token).then(({ me }) => {
    const e = me?.employee;
    const rows: [string, string][] = [
      ['Nama', e?.name ?? me?.displayName ?? '-'],
      ['NIP', e?.nip ?? me?.username ?? '-'],
      ['Instansi', me?.agency.name ?? '-'],
      ['Unit', e?.unit?.name ?? '-'],
      ['Pangkat/golongan', e ? `${e.rank.title} (${e.rank.code})` : '-'],
      ['Jabatan', e?.position.name ?? '-'],
      ['Batas usia pensiun', e?.retirementDate ?? '-'],
    ];
    record.append(el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])));
  }, fail);

  const loadInbox = () =>
    request(MyInbox, {}, token).then(({ inbox: page }) => {
      const items = page?.edges ?? [];
      inboxList.replaceChildren(
        ...(items.length
          ? items.map(({ node }) =>
              el(
                'li',
                { className: node.read ? '' : 'unread' },
                el('span', { className: 'kind', text: node.kind === 'DISPOSITION' ? 'Disposisi' : 'Surat masuk' }),
                el('span', { text: node.document.subject }),
                el('small', { text: `${node.document.number ?? ''} · ${node.document.authorName}${node.overdue ? ' · lewat tenggat' : ''}` }),
              ),
            )
          : [el('li', { className: 'empty', text: 'Tidak ada surat.' })]),
      );
    }, fail);

  const loadToSign = () =>
    request(LettersToSign, {}, token).then(({ documents }) => {
      const letters = (documents?.edges ?? []).map((e) => e.node).filter((d) => d.allowedActions.includes('SIGN'));
      signList.replaceChildren(
        ...(letters.length
          ? letters.map((letter) => {
              const button = el('button', { text: 'Tandatangani' });
              const row = el(
                'li',
                {},
                el('span', { text: letter.subject }),
                el('small', { text: `dari ${letter.authorName} · ${letter.securityClass}` }),
                button,
              );
              button.addEventListener('click', () => {
                button.disabled = true;
                request(SignLetter, { id: letter.id }, token).then(
                  ({ signDocument }) => {
                    row.replaceChildren(
                      el('span', { text: letter.subject }),
                      el('small', { className: 'signed', text: `Ditandatangani · nomor ${signDocument.number ?? ''}` }),
                    );
                  },
                  (e: unknown) => {
                    button.disabled = false;
                    fail(e);
                  },
                );
              });
              return row;
            })
          : [el('li', { className: 'empty', text: 'Tidak ada surat yang menunggu tanda tangan Anda.' })]),
      );
    }, fail);

  void loadInbox();
  void loadToSign();
  const labels: Record<LiveState, string> = { connecting: 'menghubungkan…', live: 'langsung', reconnecting: 'menyambung ulang…', ended: 'terputus' };
  subscribe(InboxChanged, {
    token,
    onState: (state) => {
      liveBadge.textContent = labels[state];
      liveBadge.dataset['state'] = state;
    },
    onData: ({ inboxChanged }) => {
      const what = { RECEIVED: 'Surat masuk baru', DISPOSITION: 'Disposisi baru', WITHDRAWN: 'Disposisi ditarik' }[inboxChanged.kind];
      notice.textContent = `${what}: ${inboxChanged.document?.subject ?? inboxChanged.documentId}`;
      void loadInbox();
    },
    onError: fail,
  });
}

showLogin();
