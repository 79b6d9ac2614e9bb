import { sharedTypeDefs, stitchingDirectivesTypeDefs } from '@simpul/bus';
import { POSITION_TYPES } from '@simpul/contracts';

/**
 * Personnel's subschema. Employee is ours (key `{ nip }`, merged through
 * employeesByNips). Agency, Unit and User belong to identity: we declare only their
 * keys plus the fields we add (Agency.employees, User.employee), and return `{ code }`
 * or `{ agencyCode code }` stubs that the gateway completes from identity, batched.
 * Dates are `YYYY-MM-DD` strings.
 */
export const typeDefs = /* GraphQL */ `
${stitchingDirectivesTypeDefs}
${sharedTypeDefs}

"CPNS (on probation), PNS (career civil servant), PPPK (contract)."
enum AsnStatus { CPNS PNS PPPK }
enum EmployeeSex { MALE FEMALE }
enum EmployeeStatus { ACTIVE RETIRED }
"Kinds of position (jabatan): JPT (leadership), administration, functional skill (Ahli ...) and craft (Pemula ... Penyelia) tracks."
enum PositionType { ${POSITION_TYPES.join(' ')} }
enum PositionGroup { LEADERSHIP ADMINISTRATION FUNCTIONAL_SKILL FUNCTIONAL_CRAFT }
enum CareerEventKind { APPOINTMENT CONFIRMATION PROMOTION TRANSFER POSITION_CHANGE RETIREMENT }
enum RankScheme { PNS PPPK }
enum NipSegment { format birthDate tmt sex sequence }
"Transfers into an agency (INCOMING) or out of it (OUTGOING)."
enum TransferDirection { INCOMING OUTGOING }

type Query {
  "Null when no employee has this NIP; FORBIDDEN when the caller may not read it (an employee reads their own)."
  employee(nip: String!): Employee
  """
  Employees of an agency (default: the caller's; all agencies for NATIONAL_ADMIN and
  AUDITOR), ordered by NIP. search matches part of the name or the start of the NIP.
  """
  employees(
    agencyCode: String
    first: Int
    after: String
    unitCode: String
    rank: String
    positionType: PositionType
    status: EmployeeStatus
    asnStatus: AsnStatus
    search: String
  ): EmployeeConnection
  "Batched lookup for stitching: same order as nips; NOT_FOUND in the place of unknown NIPs and records the caller may not read."
  employeesByNips(nips: [String!]!): [Employee]! @merge(keyField: "nip")
  "Active employees whose retirement date falls within the next months (or has passed), soonest first."
  retirementsDue(months: Int!, agencyCode: String): [Employee!]
  "Counts by agency, rank and position type; of one agency, or of all for NATIONAL_ADMIN and AUDITOR."
  employeeHeadcount(agencyCode: String, status: EmployeeStatus = ACTIVE): EmployeeHeadcount
  "The 17 golongan (with titles) and the 17 PPPK grades."
  rankLadder(scheme: RankScheme): [EmployeeRank!]
  "Every position type with its group and retirement age (BUP)."
  positionTypes: [PositionTypeInfo!]
  "Reads a NIP and says which segment is wrong, if any (no login needed; nothing is looked up)."
  checkNip(nip: String!): NipCheck
  """
  Transfers between agencies waiting for the receiving agency, oldest first. INCOMING
  (into the agency): for its HR_OFFICER and AGENCY_ADMIN, AUDITOR and NATIONAL_ADMIN.
  OUTGOING (out of it): for those who read its records. agencyCode defaults to the caller's.
  """
  pendingTransfers(agencyCode: String, direction: TransferDirection = INCOMING, first: Int, after: String): PendingTransferConnection
  _personnelAgencies(codes: [String!]!): [Agency]! @merge(keyField: "code")
  _personnelUsers(usernames: [String!]!): [User]! @merge(keyField: "username")
}

type Mutation {
  "Needs HR_OFFICER of the agency or NATIONAL_ADMIN. Identity then opens the employee's account (user name = NIP)."
  appointEmployee(input: AppointEmployeeInput!): Employee!
  """
  Moves an employee (mutasi), asked for by the sending agency's HR_OFFICER or a
  NATIONAL_ADMIN, never by the employee. Within the agency it takes effect at once
  (effectiveDate defaults to today). To another agency it is a request: the employee
  stays where they are, with Employee.pendingTransfer, until that agency accepts it
  (acceptTransfer); effectiveDate and decreeNumber are then proposed for the decree.
  """
  transferEmployee(nip: String!, toAgencyCode: String!, toUnitCode: String, effectiveDate: String, decreeNumber: String): Employee!
  """
  The receiving agency accepts a transfer: its HR_OFFICER or AGENCY_ADMIN, or a
  NATIONAL_ADMIN, never the employee. The employee moves (career event TRANSFER,
  employee.transferred); identity moves the account, which keeps only EMPLOYEE. toUnitCode,
  effectiveDate and decreeNumber default to the request's (effectiveDate: today).
  """
  acceptTransfer(nip: String!, toUnitCode: String, effectiveDate: String, decreeNumber: String): Employee!
  "The receiving agency declines a transfer (same callers as acceptTransfer); the employee stays."
  rejectTransfer(nip: String!, reason: String): Employee!
  "The sending agency withdraws its request (its HR_OFFICER or a NATIONAL_ADMIN)."
  cancelTransfer(nip: String!, reason: String): Employee!
  "Pengangkatan PNS: a CPNS becomes PNS once the probation year since appointment is complete. HR_OFFICER of the agency or NATIONAL_ADMIN."
  confirmEmployee(input: ConfirmEmployeeInput!): Employee!
  "One rank step, after 4 years in rank; earlier only with a reason from AGENCY_ADMIN of the agency or NATIONAL_ADMIN. Never past IV/e."
  promoteEmployee(input: PromoteEmployeeInput!): Employee!
  changePosition(input: ChangePositionInput!): Employee!
  "Closes the record; identity disables the account. Before the retirement date it needs a reason."
  retireEmployee(input: RetireEmployeeInput!): Employee!
}

"A civil servant (ASN)."
type Employee @key(selectionSet: "{ nip }") {
  "18 digits: birth date, TMT CPNS, sex, sequence (NI PPPK for contract employees)."
  nip: String!
  name: String!
  sex: EmployeeSex!
  birthDate: String!
  asnStatus: AsnStatus!
  agencyCode: String!
  agency: Agency
  unitCode: String
  "The work unit, from identity."
  unit: Unit
  rank: EmployeeRank!
  "Start of the current rank (TMT pangkat)."
  rankTmt: String!
  "When four years in the current rank are complete; null at IV/e and for PPPK and CPNS."
  promotionDueOn: String
  position: EmployeePosition!
  status: EmployeeStatus!
  "First day of the month after the birthday at the position's retirement age."
  retirementDate: String!
  retiredOn: String
  "Oldest first."
  careerHistory: [CareerEvent!]!
  "A transfer to another agency waiting for that agency's decision; null when there is none."
  pendingTransfer: PendingTransfer
}

"A transfer to another agency (mutasi antar instansi) asked for and not yet decided."
type PendingTransfer {
  id: ID!
  nip: String!
  employee: Employee!
  fromAgencyCode: String!
  fromAgency: Agency
  fromUnitCode: String
  toAgencyCode: String!
  toAgency: Agency
  toUnitCode: String
  toUnit: Unit
  "Proposed date of the decree, YYYY-MM-DD."
  effectiveDate: String
  "Proposed decree (SK) number."
  decreeNumber: String
  "User name of who asked for it."
  requestedBy: String!
  "ISO 8601."
  requestedAt: String!
}

type PendingTransferConnection {
  edges: [PendingTransferEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type PendingTransferEdge {
  node: PendingTransfer!
  cursor: String!
}

type EmployeeRank {
  "Golongan/ruang such as III/a, or a PPPK grade such as IX."
  code: String!
  "The pangkat, e.g. Penata Muda; null for PPPK grades."
  title: String
  "1-17 on its ladder."
  step: Int!
  scheme: RankScheme!
}

type EmployeePosition {
  name: String!
  type: PositionType!
  group: PositionGroup!
  "Batas usia pensiun of this position type."
  retirementAge: Int!
}

type PositionTypeInfo {
  type: PositionType!
  label: String!
  group: PositionGroup!
  retirementAge: Int!
}

"One step of a career; the history is append-only."
type CareerEvent {
  id: ID!
  "1, 2, 3, ... per employee."
  seq: Int!
  kind: CareerEventKind!
  effectiveDate: String!
  decreeNumber: String!
  "User name of who recorded it."
  recordedBy: String!
  "ISO 8601."
  recordedAt: String!
  reason: String
  "What the event set: an appointment sets everything, a confirmation the status PNS, a promotion the rank, a transfer agency and unit, a position change the position."
  asnStatus: AsnStatus
  agencyCode: String
  agency: Agency
  unitCode: String
  rank: EmployeeRank
  positionName: String
  positionType: PositionType
}

type EmployeeConnection {
  edges: [EmployeeEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type EmployeeEdge {
  node: Employee!
  cursor: String!
}

type EmployeeHeadcount {
  total: Int!
  byAgency: [AgencyHeadcount!]!
  byRank: [RankHeadcount!]!
  byPositionType: [PositionTypeHeadcount!]!
}

type AgencyHeadcount { agency: Agency count: Int! }
type RankHeadcount { rank: EmployeeRank! count: Int! }
type PositionTypeHeadcount { positionType: PositionType! count: Int! }

type NipCheck {
  valid: Boolean!
  "Which part is wrong, when not valid."
  segment: NipSegment
  message: String
  birthDate: String
  "TMT CPNS as YYYY-MM."
  tmt: String
  sex: EmployeeSex
  sequence: Int
}

type Agency @key(selectionSet: "{ code }") {
  code: String!
  "Needs HR_OFFICER or AGENCY_ADMIN of the agency, AUDITOR or NATIONAL_ADMIN."
  employees(first: Int, after: String, unitCode: String, rank: String, positionType: PositionType, status: EmployeeStatus, search: String): EmployeeConnection
}

type Unit {
  agencyCode: String!
  code: String!
}

type User @key(selectionSet: "{ username }") {
  username: String!
  "The civil-servant record whose NIP is this user name; null when there is none or the caller may not read it."
  employee: Employee
}

input AppointEmployeeInput {
  nip: String!
  name: String!
  agencyCode: String!
  unitCode: String
  "Default CPNS."
  asnStatus: AsnStatus
  "A golongan for CPNS/PNS (a CPNS starts at I/a, I/c, II/a, II/c, III/a or III/b), a grade I-XVII for PPPK."
  rank: String!
  positionName: String!
  positionType: PositionType!
  "Optional; must agree with the NIP."
  sex: EmployeeSex
  "Optional; must agree with the NIP."
  birthDate: String
  "Default today; not before the TMT in the NIP."
  effectiveDate: String
  decreeNumber: String
}

input ConfirmEmployeeInput {
  nip: String!
  effectiveDate: String
  decreeNumber: String
}

input PromoteEmployeeInput {
  nip: String!
  "When given, must be the next rank."
  toRank: String
  "Needed for a promotion before four years in rank."
  reason: String
  effectiveDate: String
  decreeNumber: String
}

input ChangePositionInput {
  nip: String!
  positionName: String!
  positionType: PositionType!
  effectiveDate: String
  decreeNumber: String
}

input RetireEmployeeInput {
  nip: String!
  "Needed before the retirement date."
  reason: String
  effectiveDate: String
  decreeNumber: String
}
`;
