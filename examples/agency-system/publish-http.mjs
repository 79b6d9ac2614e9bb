// An agency system without a NATS connection publishing an event over HTTP.
//
//   SIMPUL_URL=https://simpul.example.go.id \
//   SIMPUL_CLIENT_ID=sc_... SIMPUL_CLIENT_SECRET=...   # registerApiClient's clientId and clientSecret
//   node examples/agency-system/publish-http.mjs
//
// The event type (here pegawai.mutasi) must have been declared by the agency's
// administrator (declareEventType); the event's data must match its JSON Schema.
// Node.js 20+ (global fetch); no package needed.
const base = (process.env.SIMPUL_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '');
const clientId = process.env.SIMPUL_CLIENT_ID;
const clientSecret = process.env.SIMPUL_CLIENT_SECRET;
if (!clientId || !clientSecret) {
  console.error('Set SIMPUL_CLIENT_ID and SIMPUL_CLIENT_SECRET (from registerApiClient)');
  process.exit(2);
}

// 1. Client credentials: a short-lived token with the role API_CLIENT.
const login = await fetch(`${base}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: 'mutation ($i: String!, $s: String!) { issueClientToken(clientId: $i, clientSecret: $s) { token } }',
    variables: { i: clientId, s: clientSecret },
  }),
});
const token = (await login.json()).data?.issueClientToken?.token;
if (!token) throw new Error('issueClientToken failed');

// 2. The event. Its id is the idempotency key: keep it with the record it describes, and
//    send the same id again when an answer is lost; Simpul stores the event once.
const event = {
  id: `mutasi-${Date.now()}`,
  occurredAt: new Date().toISOString(),
  data: { nip: '198503302010011002', unitCode: 'BKPSDM', tmt: '2026-12-01' },
};
for (let attempt = 1; attempt <= 5; attempt++) {
  try {
    const res = await fetch(`${base}/events/pegawai.mutasi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(event),
    });
    const answer = await res.json();
    if (res.status === 202) {
      console.log(`accepted ${answer.id} (${answer.type} v${answer.version})${answer.duplicate ? ', already stored' : ''}`);
      process.exit(0);
    }
    if (res.status < 500) {
      // 400 invalid, 404 undeclared type, 401/403 credentials: sending again will not help.
      console.error(`refused (${res.status}): ${answer.error.message}`);
      process.exit(1);
    }
  } catch (error) {
    console.error(`attempt ${attempt}: ${error.message}`);
  }
  await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
}
process.exit(1);
