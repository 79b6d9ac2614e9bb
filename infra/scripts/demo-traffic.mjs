// The demo platform's own traffic: once the gateway is ready, `npm start` (demo mode)
// runs this to make what a morning of front-end use would make, so that the operators'
// console (/console) has traces, exchange records, a service map and agency traffic to
// show from the first minute: a few demo users log in and read their pages, one is
// refused, one query fails validation. It only reads; nothing in the demo data changes.
//
//   node infra/scripts/demo-traffic.mjs http://127.0.0.1:4000 <password>
//
// Prints one line per operation and a total; exits 0 even when some fail (it is a demo,
// not a check), 1 only when no login works.

const [gateway = 'http://127.0.0.1:4000', password = process.env.SIMPUL_ADMIN_PASSWORD ?? ''] = process.argv.slice(2);

async function graphql(query, variables, token, operationName) {
  const response = await fetch(`${gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

async function login(username) {
  const { body } = await graphql(
    'mutation DemoLogin($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    { u: username, p: password },
    undefined,
    'DemoLogin',
  );
  return body?.data?.login?.token ?? null;
}

/** What each demo user does: named operations, as a front-end would send them. */
const SESSIONS = [
  {
    username: 'admin',
    operations: [
      ['Me', 'query Me { me { username agency { name } } }'],
      [
        'DuplicateClusters',
        'query DuplicateClusters { duplicateClusters(minScore: 0.5) { explanation yearlySavingRupiah applications { name owner { name } } } }',
      ],
      ['Applications', 'query Applications { applications(first: 20) { totalCount edges { node { name owner { name } } } } }'],
    ],
  },
  {
    username: 'hr.banyuwangi',
    operations: [
      ['Me', 'query Me { me { username roles } }'],
      [
        'EmployeesPage',
        'query EmployeesPage { employees(agencyCode: "KAB-BANYUWANGI", first: 20) { totalCount edges { node { nip name rank { code } unit { name } agency { name } user { username } } } } }',
      ],
      // Refused: an HR officer of one agency asking for another's records (FORBIDDEN).
      ['OtherAgencyEmployees', 'query OtherAgencyEmployees { employees(agencyCode: "BKN", first: 5) { totalCount } }'],
    ],
  },
  {
    username: 'arsip.banyuwangi',
    operations: [
      ['Inbox', 'query Inbox { inbox(first: 10) { totalCount } }'],
      ['Documents', 'query Documents { documents(first: 10) { totalCount edges { node { id status } } } }'],
    ],
  },
  {
    username: 'pegawai.kominfo',
    operations: [
      ['Me', 'query Me { me { username agency { name } } }'],
      ['Inbox', 'query Inbox { inbox(first: 10) { totalCount } }'],
      // A front-end bug: a field that does not exist (GRAPHQL_VALIDATION_FAILED).
      ['BrokenQuery', 'query BrokenQuery { me { usernam } }'],
    ],
  },
];

let logins = 0;
let sent = 0;
let failed = 0;
for (const session of SESSIONS) {
  const token = await login(session.username).catch(() => null);
  if (!token) {
    console.log(`demo traffic: ${session.username} could not log in; skipped`);
    continue;
  }
  logins++;
  for (const [name, query] of session.operations) {
    const { status, body } = await graphql(query, undefined, token, name).catch((error) => ({ status: 0, body: { errors: [{ message: String(error) }] } }));
    sent++;
    const codes = (body?.errors ?? []).map((e) => e?.extensions?.code ?? 'ERROR');
    if (codes.length > 0) failed++;
    console.log(`demo traffic: ${session.username} ${name} → ${status}${codes.length ? ` ${[...new Set(codes)].join(', ')}` : ''}`);
  }
}
console.log(`demo traffic: ${logins} logins, ${sent} operations (${failed} with errors, some on purpose); see them at ${gateway}/console`);
process.exit(logins > 0 ? 0 : 1);
