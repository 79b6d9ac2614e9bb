import { sharedTypeDefs, stitchingDirectivesTypeDefs } from '@simpul/bus';

/**
 * Identity's subschema. `@key` and `@merge` tell the gateway how other services' types
 * join Agency and User (type merging, batched). Role, AgencyKind and PageInfo come from
 * bus's sharedTypeDefs, so every service declares them alike.
 */
export const typeDefs = /* GraphQL */ `
${stitchingDirectivesTypeDefs}
${sharedTypeDefs}

enum UserStatus { ACTIVE DISABLED }

type Query {
  "Always \\"ok\\" while the service answers."
  health: String!
  "The caller's account; null when not logged in or calling as an API client."
  me: User
  agencies(kind: AgencyKind): [Agency!]
  "Null when no agency has this code."
  agency(code: String!): Agency
  "Batched lookup for stitching: same order as codes, null for unknown codes."
  agenciesByCodes(codes: [String!]!): [Agency]! @merge(keyField: "code")
  "Needs NATIONAL_ADMIN or AUDITOR (all agencies), or AGENCY_ADMIN or HR_OFFICER (own agency, the default)."
  users(agencyCode: String, first: Int, after: String): UserConnection
  "Null when there is no such account or the caller may not see it: seen by its owner, AGENCY_ADMIN or HR_OFFICER of its agency, AUDITOR and NATIONAL_ADMIN."
  user(username: String!): User
  "Batched lookup for stitching: same order as ids, null for unknown ids and accounts the caller may not see (as user)."
  usersByIds(ids: [ID!]!): [User]! @merge(keyField: "id")
  "Batched lookup for stitching (personnel's Employee.unit): same order as keys, null for unknown units."
  unitsByKeys(keys: [UnitKeyInput!]!): [Unit]! @merge(keyArg: "keys", key: ["agencyCode", "code"])
  "Merge-only (hidden by the gateway): adds Employee.user to personnel's employees."
  _identityEmployees(nips: [String!]!): [Employee]! @merge(keyField: "nip")
  "Needs NATIONAL_ADMIN, or AGENCY_ADMIN of the agency."
  apiClients(agencyCode: String!): [ApiClient!]
  "Whether an API client exists and is not revoked, for an administrator about to grant it something (the registry's grantEventAccess): AGENCY_ADMIN of any agency or NATIONAL_ADMIN. Null when no client has the id."
  apiClientStatus(clientId: String!): ApiClientStatus
  "The platform's append-only audit log, newest first. Needs AUDITOR or NATIONAL_ADMIN."
  auditLog(filter: AuditLogFilter, first: Int, after: String): AuditEntryConnection
}

type Mutation {
  "Starts a session. Answers UNAUTHENTICATED with the same message for a wrong name or password and for an account locked after too many failures (the lock still applies)."
  login(username: String!, password: String!): AuthPayload!
  "Exchanges a refresh token (used once) for a new access token and refresh token. A refresh token presented a second time ends its whole session and revokes its access tokens."
  refreshSession(refreshToken: String!): AuthPayload!
  "Ends one session: the refresh token's, else the caller's own (their access token's). False when it was already over."
  logout(refreshToken: String): Boolean!
  "Ends every session of the caller and revokes all their tokens."
  logoutEverywhere: Boolean!
  "Client credentials: a token with the role API_CLIENT."
  issueClientToken(clientId: String!, clientSecret: String!): ClientToken!
  createAgency(input: CreateAgencyInput!): Agency!
  updateAgency(code: String!, input: UpdateAgencyInput!): Agency!
  createUnit(input: CreateUnitInput!): Unit!
  createUser(input: CreateUserInput!): User!
  setUserRoles(username: String!, roles: [Role!]!): User!
  setUserStatus(username: String!, status: UserStatus!): User!
  "Lifts a login lock and forgets failed attempts."
  unlockUser(username: String!): User!
  changePassword(currentPassword: String!, newPassword: String!): Boolean!
  "An administrator sets a user's password (also lifts a login lock)."
  resetPassword(username: String!, newPassword: String!): Boolean!
  "The secret is in the answer once and never again."
  registerApiClient(input: RegisterApiClientInput!): ApiClientCredentials!
  revokeApiClient(clientId: String!): ApiClient!
  "Starts signing with a new key; tokens signed with the old one stay valid until they expire."
  rotateSigningKey: SigningKeyInfo!
}

"A government agency. Its code is its X-Road member code and never changes."
type Agency @key(selectionSet: "{ code }") {
  code: String!
  name: String!
  kind: AgencyKind!
  "The province of a regency or city."
  parent: Agency
  children: [Agency!]!
  "Every work unit of the agency (the tree flattened; see Unit.parent and Unit.children)."
  units: [Unit!]!
  unit(code: String!): Unit
}

"A work unit (unit organisasi); its code is unique within the agency and appears in document numbers."
type Unit @key(selectionSet: "{ agencyCode code }") {
  id: ID!
  code: String!
  name: String!
  agencyCode: String!
  agency: Agency!
  parent: Unit
  children: [Unit!]!
}

"A civil servant, owned by personnel; identity adds the account they sign in with."
type Employee @key(selectionSet: "{ nip }") {
  nip: String!
  "The employee's account (its username is the NIP); null until identity has opened it, or when the caller may not see it (as Query.user)."
  user: User
}

type User @key(selectionSet: "{ id }") {
  id: ID!
  "A civil servant's NIP, or a name for administrators; lower case."
  username: String!
  displayName: String!
  agency: Agency!
  unit: Unit
  roles: [Role!]!
  status: UserStatus!
  "ISO 8601."
  lastLoginAt: String
}

type UserConnection {
  edges: [UserEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type UserEdge {
  node: User!
  cursor: String!
}

type AuthPayload {
  "A bearer token (JWT, EdDSA) for the Authorization header. Empty when the gateway put it in a cookie (X-Simpul-Session: cookie)."
  token: String!
  "ISO 8601."
  expiresAt: String!
  "Single use: refreshSession exchanges it for the next one. Keep it out of reach of scripts. Empty when the gateway put it in a cookie."
  refreshToken: String!
  "ISO 8601: the session's absolute end, which refreshing does not move (SESSION_LIFETIME_HOURS)."
  sessionExpiresAt: String!
  user: User!
}

type ClientToken {
  token: String!
  "ISO 8601."
  expiresAt: String!
}

type ApiClient {
  id: ID!
  clientId: String!
  name: String!
  agencyCode: String!
  agency: Agency!
  roles: [Role!]!
  "ISO 8601."
  createdAt: String!
  "ISO 8601; null while the client may still get tokens."
  revokedAt: String
  "Public NKey of the agency system's NATS user (null for clients registered before the bus admitted agencies)."
  natsPublicKey: String
}

"What any agency administrator may know of another agency's API client: that it exists, whose it is, and whether it was revoked (not its name or keys)."
type ApiClientStatus {
  clientId: String!
  agencyCode: String!
  "ISO 8601; null while the client may still get tokens."
  revokedAt: String
}

type ApiClientCredentials {
  clientId: String!
  "Shown once; only its hash is stored."
  clientSecret: String!
  client: ApiClient!
  "How the agency's own system connects to the bus."
  nats: AgencyNatsCredentials!
}

"NATS credentials of an agency system: an NKey user allowed only its agency's subjects."
type AgencyNatsCredentials {
  "NKey seed (starts with SU), the system's secret: shown once; only the public key is stored."
  seed: String!
  publicKey: String!
  "Subjects it may publish on, e.g. simpul.ext.KOMINFO.>"
  publish: [String!]!
  "Subjects it may subscribe to."
  subscribe: [String!]!
  "The inbox prefix its NATS client must use (nats.js inboxPrefix), e.g. for JetStream acknowledgements."
  inboxPrefix: String!
}

type SigningKeyInfo {
  "Key id (JWK thumbprint) of the new signing key."
  kid: String!
  "ISO 8601."
  createdAt: String!
  "The key it replaced, published until its tokens expire."
  retiredKid: String
}

"A unit named by its agency and its code within that agency."
input UnitKeyInput {
  agencyCode: String!
  code: String!
}

input CreateAgencyInput {
  code: String!
  name: String!
  kind: AgencyKind!
  "Only for a regency or city: the code of its province."
  parentCode: String
}

"Omitted fields keep their value; parentCode: null removes the parent."
input UpdateAgencyInput {
  name: String
  kind: AgencyKind
  parentCode: String
}

input CreateUnitInput {
  agencyCode: String!
  code: String!
  name: String!
  "Code of the parent unit in the same agency."
  parentCode: String
}

input CreateUserInput {
  username: String!
  displayName: String!
  agencyCode: String!
  unitCode: String
  roles: [Role!]!
  "At least 12 characters."
  password: String!
}

enum AuditOutcome { SUCCESS DENIED FAILED }

"A security-relevant action in any service: who did what, when, from where. Never changed or deleted."
type AuditEntry {
  "The id of the event that carried it."
  id: ID!
  "The service where it happened: identity, personnel, documents or registry."
  service: String!
  "Dotted name of what was done, e.g. auth.login, user.roles.set, document.sign."
  action: String!
  outcome: AuditOutcome!
  "User or API client id; null when unknown (a failed login)."
  actorId: String
  actorName: String
  actorAgencyCode: String
  "What it was done to, e.g. user:budi or employee:198503302010011002."
  target: String
  "The client address the gateway saw."
  sourceAddress: String
  "Short facts as a JSON object (never secrets)."
  detail: String!
  "ISO 8601: when it happened."
  occurredAt: String!
  "ISO 8601: when the log received it."
  recordedAt: String!
}

type AuditEntryConnection {
  edges: [AuditEntryEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type AuditEntryEdge {
  node: AuditEntry!
  cursor: String!
}

"Every field narrows the list; from and to are ISO 8601 (from inclusive, to exclusive)."
input AuditLogFilter {
  service: String
  action: String
  outcome: AuditOutcome
  actorId: String
  actorName: String
  "The actor's agency."
  agencyCode: String
  target: String
  from: String
  to: String
}

input RegisterApiClientInput {
  agencyCode: String!
  name: String!
}
`;
