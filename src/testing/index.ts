/**
 * parley-comments/testing: the contract suite every `CommentAdapter` passes, with its seed data
 * and helpers, for adapter authors to run against their own adapter. It needs no DOM and no test
 * framework of its own (see `describeAdapterContract`).
 */
export {
  describeAdapterContract,
  expectFailure,
  listAll,
  type ContractFramework,
  type ContractOptions,
  type ContractSubject,
} from './adapter-contract.js';
export {
  ana,
  ben,
  cy,
  MAIN,
  SIDE,
  LOCKED,
  EMPTY,
  MAIN_ORDER,
  at,
  contractSeed,
  type ContractSeed,
} from './seed.js';
export { AssertionError } from './expect.js';
