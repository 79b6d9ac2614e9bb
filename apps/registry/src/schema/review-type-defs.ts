/**
 * The registry's duplicate review: decisions on the finder's clusters, each application's
 * candidates, and a consolidation plan per cluster. Kept apart from type-defs.ts as
 * extensions of its types.
 */
export const reviewTypeDefs = /* GraphQL */ `
enum DuplicateDecision { CONFIRMED REJECTED }
enum ConsolidationAction { MOVE_TO_COMMON_APPLICATION KEEP_ONE }

extend type Query {
  "Review decisions naming an application, newest first. NATIONAL_ADMIN, AUDITOR or DUPLICATE_REVIEWER."
  duplicateReviews(applicationId: ID!): [DuplicateReview!]!
}

extend type Mutation {
  """
  NATIONAL_ADMIN or DUPLICATE_REVIEWER (audited): CONFIRMED keeps these applications in one
  cluster whatever the catalogue becomes; REJECTED never puts any two of them in one cluster
  again. A later decision overrides an earlier one on the same pairs; a rejection withdraws
  an earlier confirmation holding two of its applications (confirm the rest again).
  """
  reviewDuplicate(applicationIds: [ID!]!, decision: DuplicateDecision!, reason: String!): DuplicateReview!
}

extend type Application {
  """
  Applications of other agencies the duplicate finder groups with this one, closest first,
  with why. NATIONAL_ADMIN, AUDITOR, DUPLICATE_REVIEWER, or AGENCY_ADMIN of the owner agency
  (null with a FORBIDDEN error for others).
  """
  duplicateCandidates: [DuplicateCandidate!]
}

extend type DuplicateCluster {
  "Reviewers confirmed every member together."
  confirmed: Boolean!
  consolidationPlan: ConsolidationPlan!
}

extend type NationalApplicationReport {
  "The consolidation plans as CSV (RFC 4180), one row per duplicate cluster."
  consolidationCsv: String!
}

type DuplicateReview {
  id: ID!
  decision: DuplicateDecision!
  reason: String!
  applications: [Application!]!
  reviewedBy: String!
  reviewerAgencyCode: String!
  createdAt: String!
}

type DuplicateCandidate {
  application: Application!
  "The pair's score (0-1): 0.35 x shared functions (Jaccard) + 0.65 x description similarity."
  score: Float!
  "Why: shared functions, shared words, description similarity, a reviewer's confirmation."
  reasons: [String!]!
}

"What consolidating a cluster takes."
type ConsolidationPlan {
  action: ConsolidationAction!
  "The aplikasi umum everyone moves onto, or the member kept."
  targetName: String
  "Null when the aplikasi umum is only named by the taxonomy, not catalogued."
  target: Application
  retiredApplications: [Application!]!
  yearlySavingRupiah: String!
  agenciesToContact: [AgencyToContact!]!
  summary: String!
}

type AgencyToContact {
  agencyCode: String!
  agency: Agency
  applications: [Application!]!
  "What the agency is asked to do."
  request: String!
}
`;
