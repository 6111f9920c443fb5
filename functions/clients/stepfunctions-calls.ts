// The Step Functions commands and errors the case operations use (data/case-tasks.ts), imported by them
// when they first call: where the client is loaded on first use (the pages), so is this; a dynamic import
// of the SDK's own module would carry every command it has.
export {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
