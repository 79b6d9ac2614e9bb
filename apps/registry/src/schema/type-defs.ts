import { sharedTypeDefs, stitchingDirectivesTypeDefs } from '@simpul/bus';

/**
 * The registry's subschema. Application.owner is identity's Agency (a `{ code }` stub the
 * gateway completes); Agency.applications is added here through `_registryAgencies`.
 * Money is whole rupiah as a decimal string: it outgrows GraphQL's 32-bit Int and must
 * never be a float.
 */
export const typeDefs = /* GraphQL */ `
${stitchingDirectivesTypeDefs}
${sharedTypeDefs}

enum ApplicationKind { UMUM KHUSUS }
enum ApplicationStatus { PLANNED IN_DEVELOPMENT IN_PRODUCTION RETIRED }
enum ApplicationHosting { NATIONAL_DATA_CENTRE AGENCY_OWN }
enum AdoptionState { NOT_STARTED MIGRATING ADOPTED }

type Query {
  "The catalogue, by name. Any logged-in caller. Filters combine."
  applications(
    agencyCode: String
    first: Int
    after: String
    functionCode: String
    kind: ApplicationKind
    status: ApplicationStatus
    "Words that must all appear in the name or description (case-insensitive)."
    search: String
  ): ApplicationConnection
  "Null when no application has this id."
  application(id: ID!): Application
  "The reference taxonomy of business functions, with the aplikasi umum covering each."
  businessFunctions: [BusinessFunction!]
  """
  Applications of different agencies that do the same work, grouped, explained and priced.
  minScore (0.05-1) defaults to the service's threshold (0.4), whose result is kept current
  after every catalogue change; another threshold is computed on demand. NATIONAL_ADMIN or AUDITOR.
  """
  duplicateClusters(minScore: Float): [DuplicateCluster!]
  "What may this client call: the services client subsystem ID/CLASS/MEMBER/SUBSYSTEM holds a right to."
  servicesCallableBy(clientSubsystem: String!): [ExposedService!]
  "One agency's applications, spend, duplicates and adoption. NATIONAL_ADMIN, AUDITOR, or AGENCY_ADMIN of the agency."
  agencyApplicationReport(agencyCode: String!): AgencyApplicationReport
  "Most duplicated functions, savings potential, adoption of each aplikasi umum. NATIONAL_ADMIN or AUDITOR."
  nationalApplicationReport: NationalApplicationReport
  "Merge entry point: Agency.applications for the gateway."
  _registryAgencies(codes: [String!]!): [Agency]! @merge(keyField: "code")
}

type Mutation {
  "An AGENCY_ADMIN registers for their own agency, a NATIONAL_ADMIN for any. Always KHUSUS; see designateCommonApplication."
  registerApplication(input: RegisterApplicationInput!): Application!
  "Omitted fields keep their value; services, when given, replaces the list."
  updateApplication(id: ID!, input: UpdateApplicationInput!): Application!
  "NATIONAL_ADMIN: the application becomes an aplikasi umum (audited)."
  designateCommonApplication(id: ID!): Application!
  "The owner agency's AGENCY_ADMIN (or a NATIONAL_ADMIN) lets a client subsystem call a service (audited; granting twice changes nothing)."
  grantServiceAccess(serviceIdentifier: String!, clientSubsystem: String!): ServiceAccessRight!
  "True when a right was removed (audited)."
  revokeServiceAccess(serviceIdentifier: String!, clientSubsystem: String!): Boolean!
  "An agency's adoption of an aplikasi umum; applications it retires point at it and are RETIRED once ADOPTED."
  setAdoption(input: SetAdoptionInput!): Adoption!
}

type Agency @key(selectionSet: "{ code }") {
  code: String!
  "The agency's catalogue entries, retired ones included, by name."
  applications: [Application!]
}

"An application in the national application repository (SPBE)."
type Application {
  id: ID!
  name: String!
  description: String!
  ownerAgencyCode: String!
  "Null when identity does not know the agency."
  owner: Agency
  functions: [BusinessFunction!]!
  kind: ApplicationKind!
  status: ApplicationStatus!
  "Whole rupiah per year, as a decimal string."
  annualCostRupiah: String!
  hosting: ApplicationHosting!
  userCount: Int!
  dataHeld: [String!]!
  "X-Road subsystem identifier ID/CLASS/MEMBER/SUBSYSTEM, when on the integration layer."
  subsystem: String
  services: [ExposedService!]!
  "The aplikasi umum that replaces it, once an adoption says so."
  replacedBy: Application
  "ISO 8601; when it became an aplikasi umum."
  designatedAt: String
  createdAt: String!
  updatedAt: String!
}

type ApplicationConnection {
  edges: [ApplicationEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type ApplicationEdge {
  node: Application!
  cursor: String!
}

"A government business function of the reference taxonomy."
type BusinessFunction {
  code: String!
  name: String!
  description: String!
  "The taxonomy's aplikasi umum for it, null when there is none."
  commonApplicationName: String
}

"A service on the integration layer."
type ExposedService {
  "ID/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]"
  identifier: String!
  description: String!
  application: Application!
  "Client subsystems that may call it."
  allowedClients: [String!]!
}

type ServiceAccessRight {
  service: ExposedService!
  clientSubsystem: String!
  grantedBy: String!
  createdAt: String!
}

"Applications of different agencies that do the same work."
type DuplicateCluster {
  "A digest of the member ids: the same members give the same id."
  id: ID!
  "Mean score (0-1) of the pairs that linked the cluster: 0.35 x shared functions (Jaccard) + 0.65 x description similarity (TF-IDF cosine)."
  score: Float!
  applications: [Application!]!
  agencyCodes: [String!]!
  sharedFunctions: [SharedFunction!]!
  "Words the descriptions share, rarest and most widely shared first."
  sharedWords: [String!]!
  "Why these belong together, in one sentence."
  explanation: String!
  "The aplikasi umum that could replace them; null when no function of theirs has one."
  replacement: DuplicateReplacement
  "With no aplikasi umum, the member kept (most users); the others move onto it."
  keptApplication: Application
  retiredApplications: [Application!]!
  "Sum of the annual cost of retiredApplications: with an aplikasi umum every own (KHUSUS) member, else all but the kept one."
  yearlySavingRupiah: String!
}

type SharedFunction {
  function: BusinessFunction!
  "How many members serve it."
  applicationCount: Int!
}

type DuplicateReplacement {
  name: String!
  "Null when the taxonomy names it but it is not in the catalogue."
  application: Application
}

type Adoption {
  commonApplication: Application!
  agencyCode: String!
  agency: Agency
  state: AdoptionState!
  updatedBy: String!
  updatedAt: String!
}

type AgencyAdoptionState {
  agencyCode: String!
  agency: Agency
  state: AdoptionState!
}

type CommonApplicationAdoption {
  application: Application!
  adopted: Int!
  migrating: Int!
  notStarted: Int!
  "ADOPTED over concerned agencies (those with an adoption record or an own application serving one of its functions)."
  adoptionRate: Float!
  agencies: [AgencyAdoptionState!]!
  retiredApplications: [Application!]!
}

type FunctionAdoptionRate {
  function: BusinessFunction!
  adopted: Int!
  migrating: Int!
  notStarted: Int!
  adoptionRate: Float!
}

type AgencyAdoptionRate {
  agencyCode: String!
  agency: Agency
  adopted: Int!
  migrating: Int!
  notStarted: Int!
  adoptionRate: Float!
}

type FunctionDuplication {
  function: BusinessFunction!
  clusterCount: Int!
  applicationCount: Int!
  agencyCount: Int!
  "Savings of the clusters whose main shared function this is."
  potentialSavingRupiah: String!
}

type CommonApplicationState {
  commonApplication: Application!
  state: AdoptionState!
}

type AgencyApplicationReport {
  agencyCode: String!
  agency: Agency
  "Applications not retired."
  applicationCount: Int!
  annualSpendRupiah: String!
  applications: [Application!]!
  duplicateClusters: [DuplicateCluster!]!
  "Yearly cost of this agency's applications that consolidation would retire."
  potentialSavingRupiah: String!
  adoptions: [CommonApplicationState!]!
  adoptionRate: Float!
  "The report as CSV (RFC 4180), one row per application: offer it as a download."
  csv: String!
}

type NationalApplicationReport {
  applicationCount: Int!
  agencyCount: Int!
  annualSpendRupiah: String!
  duplicateClusterCount: Int!
  duplicatedApplicationCount: Int!
  potentialSavingRupiah: String!
  mostDuplicatedFunctions: [FunctionDuplication!]!
  commonApplications: [CommonApplicationAdoption!]!
  adoptionByFunction: [FunctionAdoptionRate!]!
  adoptionByAgency: [AgencyAdoptionRate!]!
  "The report as CSV (RFC 4180), one row per business function: offer it as a download."
  csv: String!
}

input ExposedServiceInput {
  "ID/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION], under the application's subsystem."
  identifier: String!
  description: String
}

input RegisterApplicationInput {
  ownerAgencyCode: String!
  name: String!
  description: String!
  "Codes from businessFunctions."
  functionCodes: [String!]!
  status: ApplicationStatus!
  "Whole rupiah per year as digits, e.g. \\"1250000000\\"."
  annualCostRupiah: String!
  hosting: ApplicationHosting!
  userCount: Int!
  dataHeld: [String!]
  "ID/CLASS/MEMBER/SUBSYSTEM with CLASS PUSAT or PEMDA and MEMBER the owner agency's code."
  subsystem: String
  services: [ExposedServiceInput!]
}

input UpdateApplicationInput {
  name: String
  description: String
  functionCodes: [String!]
  status: ApplicationStatus
  annualCostRupiah: String
  hosting: ApplicationHosting
  userCount: Int
  dataHeld: [String!]
  "null removes it (only while no services are exposed)."
  subsystem: String
  services: [ExposedServiceInput!]
}

input SetAdoptionInput {
  commonApplicationId: ID!
  agencyCode: String!
  state: AdoptionState!
  "The agency's own applications it replaces."
  retiresApplicationIds: [ID!]
}
`;
