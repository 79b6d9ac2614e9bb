import { AGENCY_KINDS, ROLES } from '@simpul/contracts';

/**
 * Types that several services declare. The gateway merges same-named types, and a
 * definition that differs between services breaks stitching, so every service takes
 * them from here (after `stitchingDirectivesTypeDefs`).
 */
export const sharedTypeDefs = /* GraphQL */ `
"What an agency (instansi) is."
enum AgencyKind { ${AGENCY_KINDS.join(' ')} }

"A role carried in a token; each service checks roles itself."
enum Role { ${ROLES.join(' ')} }

"Relay cursor pagination."
type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}
`;
