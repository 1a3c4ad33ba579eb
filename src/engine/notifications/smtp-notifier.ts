/** Real mail: the notifier over SMTP (ORDO_SMTP_URL), with nodemailer. */
import nodemailer from 'nodemailer';
import type { Notifier, OutgoingMessage } from './notifier.js';

export interface SmtpSettings {
  /** smtp://user:pass@host:port, or smtps:// for TLS from the start. */
  readonly url: string;
  /** The From address (ORDO_MAIL_FROM). */
  readonly from: string;
  /** Gives up on a server that does not answer (default 10 s). */
  readonly timeoutMs?: number;
}

export function smtpNotifier(settings: SmtpSettings): Notifier & { close(): void } {
  const timeout = settings.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({ url: settings.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    name: 'smtp',
    async send(m: OutgoingMessage) {
      await transport.sendMail({
        from: settings.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        headers: { 'X-Ordo-Notification': m.id, 'X-Ordo-Order': m.orderId, 'X-Ordo-Message': m.message },
      });
    },
    close: () => transport.close(),
  };
}
