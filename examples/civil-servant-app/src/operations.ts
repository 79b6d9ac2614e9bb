import { graphql } from './generated/index.ts';

// Every operation the app sends. Code Generator types them from schema.graphql and puts
// each one's sha256 in the trusted-documents manifest (src/generated/persisted-documents.json).

export const Login = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) { token }
  }
`);

export const MyRecord = graphql(`
  query MyRecord {
    me {
      username
      displayName
      agency { name }
      employee { nip name rank { code title } position { name } unit { name } retirementDate }
    }
  }
`);

export const MyInbox = graphql(`
  query MyInbox {
    inbox(first: 20) {
      totalCount
      edges { node { kind id read overdue receivedAt document { id subject number securityClass authorName } } }
    }
  }
`);

export const LettersToSign = graphql(`
  query LettersToSign {
    documents(filter: { status: READY_TO_SIGN }, first: 20) {
      edges { node { id subject authorName securityClass allowedActions } }
    }
  }
`);

export const SignLetter = graphql(`
  mutation SignLetter($id: ID!) {
    signDocument(id: $id) { id status number }
  }
`);

export const InboxChanged = graphql(`
  subscription InboxChanged {
    inboxChanged { kind documentId document { subject } }
  }
`);
