// `@credchain/sources`: where an app's first credentials come from (IAM Identity Center, containers,
// instances, the environment, credential_process), each a refreshing provider (issue 11).
export {};
