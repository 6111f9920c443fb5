// Why a message could not be handed to the service that delivers it. The workflow step that sent it
// fails, and Step Functions retries it; nothing here holds the message's words or its recipient.
export class DeliveryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

export class MissingApplicantContactError extends DeliveryError {
  constructor() {
    super('A message to the applicant came without their contact details');
    this.name = 'MissingApplicantContactError';
  }
}

export class NotifyDeliveryError extends DeliveryError {
  readonly status?: number;
  readonly notifyErrors: readonly string[];

  // Notify's error messages may quote the recipient, so the client's error is not kept as the cause:
  // only the HTTP status and Notify's error codes travel on.
  constructor(channel: string, status: number | undefined, notifyErrors: readonly string[]) {
    super(
      `GOV.UK Notify did not accept the ${channel} (status ${status ?? 'none'}: ${notifyErrors.join(', ') || 'no detail'})`,
    );
    this.name = 'NotifyDeliveryError';
    if (status !== undefined) this.status = status;
    this.notifyErrors = notifyErrors;
  }
}

export class SesDeliveryError extends DeliveryError {
  constructor(options?: ErrorOptions) {
    super('Amazon SES did not accept the email', options);
    this.name = 'SesDeliveryError';
  }
}
