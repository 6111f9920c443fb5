// The SES client and the one command the notifier sends, imported with the first email (clients/ses.ts,
// shared/notify-ses.ts): a dynamic import of the SDK's own module would carry every command and shape
// of SES's API (100 KB).
export { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
