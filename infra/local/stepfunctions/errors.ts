// The Step Functions API's own errors. Each class is named exactly as AWS names the error, so the
// protocol server can send `name` as `__type` and `@aws-sdk/client-sfn` raises the matching exception.

export class StepFunctionsApiError extends Error {
  override name = 'StepFunctionsApiError';
  /** The HTTP status the protocol answers with: a client error unless a subclass says otherwise. */
  readonly statusCode: number = 400;
}

export class ExecutionAlreadyExists extends StepFunctionsApiError {
  override name = 'ExecutionAlreadyExists';
}

export class ExecutionDoesNotExist extends StepFunctionsApiError {
  override name = 'ExecutionDoesNotExist';
}

export class StateMachineDoesNotExist extends StepFunctionsApiError {
  override name = 'StateMachineDoesNotExist';
}

export class InvalidArn extends StepFunctionsApiError {
  override name = 'InvalidArn';
}

export class InvalidName extends StepFunctionsApiError {
  override name = 'InvalidName';
}

export class InvalidExecutionInput extends StepFunctionsApiError {
  override name = 'InvalidExecutionInput';
}

export class InvalidOutput extends StepFunctionsApiError {
  override name = 'InvalidOutput';
}

/** An unknown task token, or a pagination token this endpoint did not issue. */
export class InvalidToken extends StepFunctionsApiError {
  override name = 'InvalidToken';
}

/** The task the token belongs to has finished, timed out, or its execution has ended. */
export class TaskTimedOut extends StepFunctionsApiError {
  override name = 'TaskTimedOut';
}

export class ValidationException extends StepFunctionsApiError {
  override name = 'ValidationException';
}

/** The runtime was closed: it takes no more work. */
export class ServiceUnavailable extends StepFunctionsApiError {
  override name = 'ServiceUnavailable';
  override readonly statusCode = 503;
}

/** The X-Amz-Target names no operation this endpoint answers. */
export class UnknownOperationException extends StepFunctionsApiError {
  override name = 'UnknownOperationException';
}

/** The request body is not the JSON document the operation takes. */
export class SerializationException extends StepFunctionsApiError {
  override name = 'SerializationException';
}

export class RequestEntityTooLargeException extends StepFunctionsApiError {
  override name = 'RequestEntityTooLargeException';
  override readonly statusCode = 413;
}
